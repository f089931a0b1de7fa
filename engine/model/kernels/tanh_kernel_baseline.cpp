// tanh at one instruction-set level (tanh_kernel.h); engine/CMakeLists.txt sets this file's -march.
#define LAYERSCOPE_TANH_KERNEL layerscope_tanh_kernel_baseline
extern "C" void LAYERSCOPE_TANH_KERNEL(const float* in, float* out, long n);
#include "tanh_kernel_loop.inc"
