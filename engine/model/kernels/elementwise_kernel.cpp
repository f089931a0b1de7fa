#include "model/kernels/elementwise_kernel.h"

extern "C" {
#define LAYERSCOPE_DECLARE_LEVEL(level)                                                          \
  void layerscope_relu_forward_##level(const float*, float*, long);                              \
  void layerscope_positive_part_##level(const float*, const float*, float, float*, long);        \
  void layerscope_add_bias_columns_##level(float*, const float*, long, long);                    \
  void layerscope_sgd_update_##level(float*, const float*, float, long);                         \
  void layerscope_momentum_update_##level(float*, float*, const float*, float, float, int, long); \
  void layerscope_tanh_backward_##level(const float*, const float*, float*, long);
LAYERSCOPE_DECLARE_LEVEL(baseline)
LAYERSCOPE_DECLARE_LEVEL(v3)
LAYERSCOPE_DECLARE_LEVEL(v4)
#undef LAYERSCOPE_DECLARE_LEVEL
}

namespace layerscope {

const ElementwiseKernels& elementwiseKernels(KernelLevel level) {
#define LAYERSCOPE_KERNELS(level)                                                      \
  {layerscope_relu_forward_##level, layerscope_positive_part_##level,                  \
   layerscope_add_bias_columns_##level, layerscope_sgd_update_##level,                 \
   layerscope_momentum_update_##level, layerscope_tanh_backward_##level}
  static const ElementwiseKernels baseline = LAYERSCOPE_KERNELS(baseline);
  static const ElementwiseKernels v3 = LAYERSCOPE_KERNELS(v3);
  static const ElementwiseKernels v4 = LAYERSCOPE_KERNELS(v4);
#undef LAYERSCOPE_KERNELS
  switch (level) {
    case KernelLevel::X86_64_V4: return v4;
    case KernelLevel::X86_64_V3: return v3;
    case KernelLevel::Baseline: break;
  }
  return baseline;
}

namespace {
// This process's level, looked up once (kernelLevel() is decided once too).
const ElementwiseKernels& kernels() {
  static const ElementwiseKernels& k = elementwiseKernels(kernelLevel());
  return k;
}
}  // namespace

void reluForward(const float* x, float* y, std::ptrdiff_t n) {
  kernels().reluForward(x, y, long(n));
}
void positivePartKernel(const float* x, const float* g, float s, float* d, std::ptrdiff_t n) {
  kernels().positivePart(x, g, s, d, long(n));
}
void addBiasColumns(float* out, const float* b, std::ptrdiff_t rows, std::ptrdiff_t cols) {
  kernels().addBiasColumns(out, b, long(rows), long(cols));
}
void sgdUpdate(float* p, const float* g, float lr, std::ptrdiff_t n) {
  kernels().sgdUpdate(p, g, lr, long(n));
}
void momentumUpdate(float* p, float* v, const float* g, float lr, float mu, bool nesterov,
                    std::ptrdiff_t n) {
  kernels().momentumUpdate(p, v, g, lr, mu, nesterov ? 1 : 0, long(n));
}
void tanhBackward(const float* y, const float* g, float* d, std::ptrdiff_t n) {
  kernels().tanhBackward(y, g, d, long(n));
}

}  // namespace layerscope
