#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <cblas.h>

namespace layerscope {
namespace {

// Vector width of a kernel: 0 = SSE or generic, 1 = AVX, 2 = AVX2 + FMA, 3 = AVX-512.
constexpr int kEigenLevel =
#if defined(__AVX512F__)
    3;
#elif defined(__AVX2__) && defined(__FMA__)
    2;
#elif defined(__AVX__)
    1;
#else
    0;
#endif

const char* levelName(int level) {
  static const char* const names[] = {"SSE", "AVX", "AVX2", "AVX-512"};
  return names[std::clamp(level, 0, 3)];
}

// OpenBLAS's x86-64 core names (openblas_get_corename, OpenBLAS's driver/others/dynamic.c) by
// the vector width of their GEMM kernels; anything else (Prescott, Core2, Nehalem, Barcelona...)
// is a generic SSE kernel.
int openBlasLevel(const std::string& core) {
  std::string c = core;
  std::transform(c.begin(), c.end(), c.begin(), [](unsigned char ch) { return std::tolower(ch); });
  for (const char* name : {"skylakex", "cooperlake", "sapphirerapids"})
    if (c == name) return 3;
  for (const char* name : {"haswell", "zen", "skylake", "excavator"})
    if (c == name) return 2;
  for (const char* name : {"sandybridge", "bulldozer", "piledriver", "steamroller"})
    if (c == name) return 1;
  return 0;
}

// Below this many multiply-adds (a 2-D input layer's product) Eigen's inline product beats the
// BLAS call's fixed cost. Above it OpenBLAS wins even for the playground's 64 x 64 x 32 products:
// Eigen's GEMM path splits them over OpenMP threads (work / 50000) whose fork and join cost more
// than the product (3 x 64 net, batch 32: 26,600 steps/s on Eigen, 16,900 with 2 threads;
// 33,100 and 33,800 on OpenBLAS; `bench_train --mode train --depth 3 --width 64 --features 64
// --batch 32 --activation relu`).
constexpr double kBlasMinMultiplyAdds = 8.0 * 8.0 * 8.0;

}  // namespace

GemmChoice chooseGemm(const std::string& core, const char* forced) {
  const int blasLevel = openBlasLevel(core);
  std::string version = openblas_get_config();  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."
  if (const auto space = version.find(' ', version.find(' ') + 1); space != std::string::npos)
    version.resize(space);
  GemmChoice openBlas{GemmKernel::OpenBlas, version + ", " + core + " kernel", ""};
  GemmChoice eigen{GemmKernel::Eigen,
                   "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
                       std::to_string(EIGEN_MAJOR_VERSION) + ", " + levelName(kEigenLevel) +
                       " kernel",
                   ""};
  if (forced && std::strcmp(forced, "openblas") == 0) {
    openBlas.reason = "LAYERSCOPE_GEMM=openblas";
    return openBlas;
  }
  if (forced && std::strcmp(forced, "eigen") == 0) {
    eigen.reason = "LAYERSCOPE_GEMM=eigen";
    return eigen;
  }
  // An override that names neither kernel is said, not obeyed silently.
  const std::string ignored = forced && *forced ? std::string(" (LAYERSCOPE_GEMM=") + forced +
                                                      " ignored: use eigen or openblas)"
                                                : "";
  if (blasLevel >= 2 && blasLevel >= kEigenLevel) {
    openBlas.reason = "OpenBLAS's detected kernel is " + std::string(levelName(blasLevel)) +
                      ", at least as wide as Eigen's " + levelName(kEigenLevel) + " build" +
                      ignored;
    return openBlas;
  }
  eigen.reason = "OpenBLAS's " + core + " kernel is " + levelName(blasLevel) +
                 (blasLevel < 2 ? ", a generic core" : "") + "; Eigen's build is " +
                 levelName(kEigenLevel) + ignored;
  return eigen;
}

const GemmChoice& gemmChoice() {
  static const GemmChoice choice = chooseGemm(openblas_get_corename(), std::getenv("LAYERSCOPE_GEMM"));
  return choice;
}

void gemm(bool transposeA, bool transposeB, const Eigen::Ref<const Matrix>& a,
          const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c) {
  const double multiplyAdds = double(c.rows()) * c.cols() * (transposeA ? a.rows() : a.cols());
  gemmOn(multiplyAdds >= kBlasMinMultiplyAdds ? gemmChoice().kernel : GemmKernel::Eigen,
         transposeA, transposeB, a, b, c);
}

void gemmOn(GemmKernel kernel, bool transposeA, bool transposeB, const Eigen::Ref<const Matrix>& a,
            const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c) {
  const Eigen::Index m = c.rows(), n = c.cols(), k = transposeA ? a.rows() : a.cols();
  if (kernel == GemmKernel::OpenBlas) {
    cblas_sgemm(CblasColMajor, transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans, int(m), int(n), int(k), 1.0f, a.data(),
                int(a.outerStride()), b.data(), int(b.outerStride()), 0.0f, c.data(),
                int(c.outerStride()));
    return;
  }
  if (!transposeA && !transposeB) c.noalias() = a * b;
  else if (!transposeA) c.noalias() = a * b.transpose();
  else if (!transposeB) c.noalias() = a.transpose() * b;
  else c.noalias() = a.transpose() * b.transpose();
}

void setGemmThreads(int threads) {
  openblas_set_num_threads(std::max(1, threads));
  Eigen::setNbThreads(std::max(1, threads));
}

}  // namespace layerscope
