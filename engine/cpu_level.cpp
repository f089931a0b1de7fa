#include "cpu_level.h"

#include <cstdlib>
#include <cstring>

namespace layerscope {
namespace {

KernelLevel detectLevel() {
  KernelLevel level = KernelLevel::Baseline;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) level = KernelLevel::X86_64_V3;
  if (level == KernelLevel::X86_64_V3 && __builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl"))
    level = KernelLevel::X86_64_V4;
#endif
  // A lower level on request (never a higher one than the CPU has).
  if (const char* want = std::getenv("LAYERSCOPE_KERNEL_LEVEL")) {
    if (std::strcmp(want, "baseline") == 0) level = KernelLevel::Baseline;
    else if (std::strcmp(want, "v3") == 0 && level == KernelLevel::X86_64_V4) level = KernelLevel::X86_64_V3;
  }
  return level;
}

}  // namespace

KernelLevel kernelLevel() {
  static const KernelLevel level = detectLevel();
  return level;
}

std::string kernelLevelName(KernelLevel level) {
  switch (level) {
    case KernelLevel::Baseline: return "SSE2 (x86-64 baseline)";
    case KernelLevel::X86_64_V3: return "AVX2 + FMA (x86-64-v3)";
    case KernelLevel::X86_64_V4: return "AVX-512 (x86-64-v4)";
  }
  return "?";
}

}  // namespace layerscope
