// The element-wise loops at one instruction-set level (elementwise_kernel.h); engine/CMakeLists.txt
// sets this file's -march.
#define LAYERSCOPE_LEVEL v4
// Its own section, as tanh_kernel_v4.cpp's: tests/package/install_test finds AVX only there.
#define LAYERSCOPE_KERNEL_ATTRIBUTES __attribute__((section("layerscope_isa_kernels")))
#include "elementwise_kernel_loop.inc"
