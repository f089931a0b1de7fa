#pragma once
// The x86-64 instruction-set level this process runs its per-level kernels at: tanh
// (model/kernels/tanh_kernel.h) and the products' Eigen copies (gemm.h). Decided once, from the
// CPU's features, so that a portable build runs as fast as a native one (docs/BENCHMARKS.md).
#include <string>

namespace layerscope {

enum class KernelLevel { Baseline, X86_64_V3, X86_64_V4 };  // SSE2; AVX2 + FMA; AVX-512

// The level this process runs (decided on the first call from __builtin_cpu_supports;
// LAYERSCOPE_KERNEL_LEVEL=baseline|v3|v4 lowers it, for tests and benchmarks; a level the CPU
// lacks is never chosen).
KernelLevel kernelLevel();
std::string kernelLevelName(KernelLevel level);  // "AVX-512 (x86-64-v4)", ...

}  // namespace layerscope
