// The element-wise loops at one instruction-set level (elementwise_kernel.h); engine/CMakeLists.txt
// sets this file's -march.
#define LAYERSCOPE_LEVEL baseline
#include "elementwise_kernel_loop.inc"
