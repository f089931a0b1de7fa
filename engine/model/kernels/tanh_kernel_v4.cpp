// tanh at one instruction-set level (tanh_kernel.h); engine/CMakeLists.txt sets this file's -march.
#define LAYERSCOPE_TANH_KERNEL layerscope_tanh_kernel_v4
extern "C" void LAYERSCOPE_TANH_KERNEL(const float* in, float* out, long n);
// Its own section, so that tests/package/install_test can tell these instructions (the only
// AVX ones a portable build has) from an accidental -march in the rest of the program.
#define LAYERSCOPE_KERNEL_ATTRIBUTES __attribute__((section("layerscope_isa_kernels")))
#include "tanh_kernel_loop.inc"
