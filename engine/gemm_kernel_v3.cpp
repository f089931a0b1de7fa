// Eigen's matrix product at x86-64-v3 (gemm_kernel_level.inc); engine/CMakeLists.txt sets -march.
#define LAYERSCOPE_GEMM_KERNEL layerscope_gemm_kernel_v3
#define LAYERSCOPE_EIGEN_NAMESPACE LayerscopeEigenV3
#include "gemm_kernel_level.inc"
