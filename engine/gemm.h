#pragma once
// The dense layers' matrix products and the kernel they run on, chosen once per process.
//
// Two kernels are built in: Eigen's own GEMM (compiled for the instruction set the build
// targets) and OpenBLAS's sgemm (which picks its kernel for the CPU it runs on). The rule, in
// docs/BENCHMARKS.md with the measurements behind it: OpenBLAS when the kernel it detected uses
// vectors at least as wide as Eigen's build and at least AVX2 (it never gets the products when
// it reports a generic core such as Prescott), else Eigen. The rule reads only the CPU and the
// build, never a timing, so a given machine always makes the same choice and runs stay
// bit-identical per seed. LAYERSCOPE_GEMM=eigen|openblas in the environment overrides it.
#include <string>

#include "tensor.h"

namespace layerscope {

enum class GemmKernel { Eigen, OpenBlas };

struct GemmChoice {
  GemmKernel kernel = GemmKernel::Eigen;
  std::string name;    // e.g. "OpenBLAS 0.3.21, Cooperlake kernel"
  std::string reason;  // why this one, in a sentence
};

// The kernel of this process (decided on the first call; thread-safe).
const GemmChoice& gemmChoice();

// The rule itself, for a given OpenBLAS core name (openblas_get_corename) and override
// (LAYERSCOPE_GEMM's value, or null); gemmChoice() applies it to this machine.
GemmChoice chooseGemm(const std::string& openBlasCore, const char* forced);

// c = op(a) op(b), op(x) = x^T where the flag is set; c already has its final size. Products
// under 512 multiply-adds always run on Eigen: a BLAS call costs more than they do.
void gemm(bool transposeA, bool transposeB, const Eigen::Ref<const Matrix>& a,
          const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c);
// The same on a given kernel, whatever the size (tests and the benchmark compare the two).
void gemmOn(GemmKernel kernel, bool transposeA, bool transposeB, const Eigen::Ref<const Matrix>& a,
            const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c);

// Threads for both kernels' products (Eigen's OpenMP pool and OpenBLAS's own).
void setGemmThreads(int threads);

}  // namespace layerscope
