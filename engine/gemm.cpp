#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <cblas.h>

#include "compute_pool.h"
#include "compute_threads.h"
#include "cpu_level.h"

// Eigen's product compiled for x86-64-v3 and -v4 (gemm_kernel_level.inc).
extern "C" {
void layerscope_gemm_kernel_v3(int transposeA, int transposeB, long m, long n, long k,
                               const float* a, long lda, const float* b, long ldb, float* c,
                               long ldc);
void layerscope_gemm_kernel_v4(int transposeA, int transposeB, long m, long n, long k,
                               const float* a, long lda, const float* b, long ldb, float* c,
                               long ldc);
}

namespace layerscope {
namespace {

// Vector width of a kernel: 0 = SSE or generic, 1 = AVX, 2 = AVX2 + FMA, 3 = AVX-512.
constexpr int kEigenBuildLevel =
#if defined(__AVX512F__)
    3;
#elif defined(__AVX2__) && defined(__FMA__)
    2;
#elif defined(__AVX__)
    1;
#else
    0;
#endif

// The widest Eigen product this process can run: the build's own, or the per-level copy for the
// CPU's level (cpu_level.h decides the level, for tanh's kernel too).
int eigenLevel() {
  int runtime = 0;
  switch (kernelLevel()) {
    case KernelLevel::X86_64_V4: runtime = 3; break;
    case KernelLevel::X86_64_V3: runtime = 2; break;
    case KernelLevel::Baseline: runtime = 0; break;
  }
  return std::max(kEigenBuildLevel, runtime);
}

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

// About one tile per this many multiply-adds (gemmTiling); a product under twice it is one tile.
constexpr double kMultiplyAddsPerTile = 1 << 20;

}  // namespace

GemmChoice chooseGemm(const std::string& core, const char* forced) {
  const int blasLevel = openBlasLevel(core);
  std::string version = openblas_get_config();  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."
  if (const auto space = version.find(' ', version.find(' ') + 1); space != std::string::npos)
    version.resize(space);
  GemmChoice openBlas{GemmKernel::OpenBlas, version + ", " + core + " kernel", ""};
  GemmChoice eigen{GemmKernel::Eigen,
                   "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
                       std::to_string(EIGEN_MAJOR_VERSION) + ", " + levelName(eigenLevel()) +
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
  const int eigenWidth = eigenLevel();
  if (blasLevel >= 2 && blasLevel >= eigenWidth) {
    openBlas.reason = "OpenBLAS's detected kernel is " + std::string(levelName(blasLevel)) +
                      ", at least as wide as Eigen's " + levelName(eigenWidth) + " kernel" +
                      ignored;
    return openBlas;
  }
  eigen.reason = "OpenBLAS's " + core + " kernel is " + levelName(blasLevel) +
                 (blasLevel < 2 ? ", a generic core" : "") + "; Eigen's is " +
                 levelName(eigenWidth) + ignored;
  return eigen;
}

const GemmChoice& gemmChoice() {
  static const GemmChoice choice = chooseGemm(openblas_get_corename(), std::getenv("LAYERSCOPE_GEMM"));
  return choice;
}

GemmTiling gemmTiling(Eigen::Index m, Eigen::Index n, Eigen::Index k, int cores) {
  // A tile costs its product plus packing its rows of op(a) and its columns of op(b) and the
  // kernel's fixed cost per call: tiles stay at least 96 x 64, about one per million
  // multiply-adds (tens of microseconds on one core), and at most two per core of the machine,
  // so that the cores share the work evenly while one thread pays little for the cuts (on the
  // article's net on one thread, 7% more CPU time with 10 tiles per product, 4% with the 4 of a
  // 2-core machine; docs/BENCHMARKS.md). One core: no cuts.
  // The machine's cores, not the thread count, set the number: the bits stay the same on any
  // number of threads.
  constexpr Eigen::Index kMinRows = 96, kMinCols = 64, kRowAlign = 16, kColAlign = 8;
  const int maxTiles = cores <= 1 ? 1 : std::min(2 * cores, 64);
  const double work = double(m) * double(n) * double(k);
  const int target = int(std::clamp(work / kMultiplyAddsPerTile, 1.0, double(maxTiles)));
  Eigen::Index rowBlocks = 1, colBlocks = 1;
  while (rowBlocks * colBlocks < target) {
    const bool rowsSplit = m / (rowBlocks + 1) >= kMinRows && (rowBlocks + 1) * colBlocks <= maxTiles;
    const bool colsSplit = n / (colBlocks + 1) >= kMinCols && rowBlocks * (colBlocks + 1) <= maxTiles;
    if (!rowsSplit && !colsSplit) break;
    // Split the side whose blocks are longer (relative to its minimum): squarer tiles pack less.
    if (rowsSplit && (!colsSplit || m * kMinCols * colBlocks >= n * kMinRows * rowBlocks))
      ++rowBlocks;
    else
      ++colBlocks;
  }
  // Even blocks, boundaries on whole cache lines of rows (16 floats) and whole register blocks of
  // columns, the last block taking the remainder.
  auto bounds = [](Eigen::Index size, Eigen::Index blocks, Eigen::Index align) {
    std::vector<Eigen::Index> b{0};
    for (Eigen::Index i = 1; i < blocks; ++i)
      b.push_back(std::max(b.back(), (size * i / blocks + align / 2) / align * align));
    b.push_back(size);
    return b;
  };
  return {bounds(m, rowBlocks, kRowAlign), bounds(n, colBlocks, kColAlign)};
}

void gemm(bool transposeA, bool transposeB, const Eigen::Ref<const Matrix>& a,
          const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c) {
  const double multiplyAdds = double(c.rows()) * c.cols() * (transposeA ? a.rows() : a.cols());
  gemmOn(multiplyAdds >= kBlasMinMultiplyAdds ? gemmChoice().kernel : GemmKernel::Eigen,
         transposeA, transposeB, a, b, c);
}

namespace {

// One tile's product, single-threaded, on the kernel and the CPU's level. Operands are plain
// column-major pointers with leading dimensions.
void productTile(GemmKernel kernel, bool ta, bool tb, Eigen::Index m, Eigen::Index n,
                 Eigen::Index k, const Scalar* a, Eigen::Index lda, const Scalar* b,
                 Eigen::Index ldb, Scalar* c, Eigen::Index ldc) {
  if (kernel == GemmKernel::OpenBlas) {
    cblas_sgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                int(m), int(n), int(k), 1.0f, a, int(lda), b, int(ldb), 0.0f, c, int(ldc));
    return;
  }
  // The per-level copy when the CPU has a wider level than the build targets.
  if (eigenLevel() > kEigenBuildLevel) {
    auto* level = kernelLevel() == KernelLevel::X86_64_V4 ? layerscope_gemm_kernel_v4
                                                          : layerscope_gemm_kernel_v3;
    level(ta, tb, long(m), long(n), long(k), a, long(lda), b, long(ldb), c, long(ldc));
    return;
  }
  using In = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;
  const In A(a, ta ? k : m, ta ? m : k, Eigen::OuterStride<>(lda));
  const In B(b, tb ? n : k, tb ? k : n, Eigen::OuterStride<>(ldb));
  Eigen::Map<Matrix, 0, Eigen::OuterStride<>> C(c, m, n, Eigen::OuterStride<>(ldc));
  if (!ta && !tb) C.noalias() = A * B;
  else if (!ta) C.noalias() = A * B.transpose();
  else if (!tb) C.noalias() = A.transpose() * B;
  else C.noalias() = A.transpose() * B.transpose();
}

}  // namespace

void gemmOn(GemmKernel kernel, bool transposeA, bool transposeB, const Eigen::Ref<const Matrix>& a,
            const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c) {
  const Eigen::Index m = c.rows(), n = c.cols(), k = transposeA ? a.rows() : a.cols();
  const Eigen::Index lda = a.outerStride(), ldb = b.outerStride(), ldc = c.outerStride();
  if (double(m) * double(n) * double(k) < 2 * kMultiplyAddsPerTile) {  // one tile: no plan needed
    productTile(kernel, transposeA, transposeB, m, n, k, a.data(), lda, b.data(), ldb, c.data(), ldc);
    return;
  }
  const GemmTiling tiling = gemmTiling(m, n, k, physicalCores());
  const int rowBlocks = int(tiling.rows.size()) - 1, tiles = rowBlocks * (int(tiling.cols.size()) - 1);
  // Tile t: rows [rows[r], rows[r+1]) of c and op(a), columns [cols[j], cols[j+1]) of c and op(b).
  // Column-major: row r0 of op(a) is a + r0 (or column r0 of a, a + r0 lda, when transposed).
  auto runTile = [&](int t) {
    const int r = t % rowBlocks, j = t / rowBlocks;
    const Eigen::Index r0 = tiling.rows[r], r1 = tiling.rows[r + 1];
    const Eigen::Index c0 = tiling.cols[j], c1 = tiling.cols[j + 1];
    productTile(kernel, transposeA, transposeB, r1 - r0, c1 - c0, k,
                a.data() + (transposeA ? r0 * lda : r0), lda,
                b.data() + (transposeB ? c0 : c0 * ldb), ldb, c.data() + r0 + c0 * ldc, ldc);
  };
  // Each tile is the same call whichever thread runs it, and tiles never overlap: the bits do
  // not depend on the thread count (compute_threads.h).
  ComputePool::shared().forEach(tiles, runTile);
}

void setGemmThreads(int threads) {
  // The threads are the pool's, which runs gemmOn's tiles; inside a tile both kernels run
  // single-threaded (OpenBLAS's own pool would add a second set of spinning threads, and Eigen's
  // blocking changes with its thread count, so its bits would too).
  openblas_set_num_threads(1);
  Eigen::setNbThreads(1);
  ComputePool::shared().resize(threads);
}

}  // namespace layerscope
