#pragma once
// The dense layers' matrix products and the kernel they run on, chosen once per process.
//
// Two kernels are built in: Eigen's own GEMM (compiled for the build's instruction set and, in
// gemm_kernel_{v3,v4}.cpp, for AVX2 + FMA and AVX-512, the widest the CPU has
// chosen at start) and OpenBLAS's sgemm (which picks its kernel for the CPU it runs on). Both
// run single-threaded on the tiles of gemmTiling(), which the compute threads share. The rule, in
// docs/BENCHMARKS.md with the measurements behind it: OpenBLAS when the kernel it detected uses
// vectors at least as wide as Eigen's build and at least AVX2 (it never gets the products when
// it reports a generic core such as Prescott), else Eigen. The rule reads only the CPU and the
// build, never a timing, so a given machine always makes the same choice and runs stay
// bit-identical per seed. LAYERSCOPE_GEMM=eigen|openblas in the environment overrides it.
#include <string>
#include <vector>

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

// How a product of c (m x n, inner size k) is cut into tiles that run on the compute threads
// (compute_threads.h): block boundaries of c's rows and of its columns, each starting at 0 and
// ending at m or n. It depends on the shape and the machine's cores (at most 2 tiles per core;
// gemmOn passes physicalCores()), never on the thread count, so a product's bits are the same on
// any number of threads.
struct GemmTiling {
  std::vector<Eigen::Index> rows, cols;
};
GemmTiling gemmTiling(Eigen::Index m, Eigen::Index n, Eigen::Index k, int cores);

// c = op(a) op(b), op(x) = x^T where the flag is set; c already has its final size. Products
// under 512 multiply-adds always run on Eigen: a BLAS call costs more than they do.
void gemm(bool transposeA, bool transposeB, const Eigen::Ref<const Matrix>& a,
          const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c);
// The same on a given kernel, whatever the size (tests and the benchmark compare the two).
void gemmOn(GemmKernel kernel, bool transposeA, bool transposeB, const Eigen::Ref<const Matrix>& a,
            const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c);

// Keeps both kernels single-threaded inside a tile (the threads are the tiles').
void setGemmThreads(int threads);

}  // namespace layerscope
