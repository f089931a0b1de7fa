#include "model/kernels/tanh_kernel.h"

extern "C" {
void layerscope_tanh_kernel_baseline(const float* in, float* out, long n);
void layerscope_tanh_kernel_v3(const float* in, float* out, long n);
void layerscope_tanh_kernel_v4(const float* in, float* out, long n);
}

namespace layerscope {

void tanhArrayOn(KernelLevel level, const float* x, float* y, std::ptrdiff_t n) {
  switch (level) {
    case KernelLevel::X86_64_V4: layerscope_tanh_kernel_v4(x, y, long(n)); return;
    case KernelLevel::X86_64_V3: layerscope_tanh_kernel_v3(x, y, long(n)); return;
    case KernelLevel::Baseline: layerscope_tanh_kernel_baseline(x, y, long(n)); return;
  }
}

void tanhArray(const float* x, float* y, std::ptrdiff_t n) { tanhArrayOn(kernelLevel(), x, y, n); }

}  // namespace layerscope
