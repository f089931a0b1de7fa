// Eigen's matrix product at x86-64-v4 (gemm_kernel_level.inc); engine/CMakeLists.txt sets -march.
#define LAYERSCOPE_GEMM_KERNEL layerscope_gemm_kernel_v4
#define LAYERSCOPE_EIGEN_NAMESPACE LayerscopeEigenV4
#include "gemm_kernel_level.inc"
