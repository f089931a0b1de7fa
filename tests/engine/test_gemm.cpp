// engine/gemm.h: both kernels give the product a plain triple loop gives, for every
// transposition and for strided (mapped) operands; the kernel rule never picks a generic core.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "compute_threads.h"
#include "gemm.h"
#include "cpu_level.h"

namespace layerscope {
namespace {

// c = op(a) op(b) in double, one multiply-add at a time: the reference.
Eigen::MatrixXd naive(bool ta, bool tb, const Matrix& a, const Matrix& b) {
  const Eigen::MatrixXd A = ta ? Eigen::MatrixXd(a.cast<double>().transpose()) : a.cast<double>();
  const Eigen::MatrixXd B = tb ? Eigen::MatrixXd(b.cast<double>().transpose()) : b.cast<double>();
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(A.rows(), B.cols());
  for (Eigen::Index i = 0; i < A.rows(); ++i)
    for (Eigen::Index j = 0; j < B.cols(); ++j)
      for (Eigen::Index k = 0; k < A.cols(); ++k) c(i, j) += A(i, k) * B(k, j);
  return c;
}

class GemmKernels : public ::testing::TestWithParam<GemmKernel> {};

TEST_P(GemmKernels, EveryTranspositionMatchesATripleLoop) {
  const Eigen::Index m = 70, n = 33, k = 91;  // odd sizes: no kernel tile divides them
  for (const bool ta : {false, true}) {
    for (const bool tb : {false, true}) {
      const Matrix a = ta ? Matrix(Matrix::Random(k, m)) : Matrix(Matrix::Random(m, k));
      const Matrix b = tb ? Matrix(Matrix::Random(n, k)) : Matrix(Matrix::Random(k, n));
      Matrix c = Matrix::Constant(m, n, 1e9f);  // overwritten, never accumulated into
      gemmOn(GetParam(), ta, tb, a, b, c);
      const double err = (c.cast<double>() - naive(ta, tb, a, b)).cwiseAbs().maxCoeff();
      EXPECT_LT(err, 1e-4) << "transposeA " << ta << " transposeB " << tb;
    }
  }
}

TEST_P(GemmKernels, MappedOperandsAndOutputsWork) {
  // The dense layer's weights and gradients are maps into one parameter buffer.
  Vector buffer = Vector::Random(2 * 40 * 30);
  MatrixMap w(buffer.data(), 40, 30), gw(buffer.data() + 40 * 30, 40, 30);
  const Matrix x = Matrix::Random(30, 17), g = Matrix::Random(40, 17);
  const Eigen::MatrixXd expected = naive(false, true, g, x);
  gemmOn(GetParam(), false, true, g, x, gw);
  EXPECT_LT((gw.cast<double>() - expected).cwiseAbs().maxCoeff(), 1e-4);
  Matrix z(40, 17);
  gemmOn(GetParam(), false, false, w, x, z);
  EXPECT_LT((z.cast<double>() - naive(false, false, w, x)).cwiseAbs().maxCoeff(), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(BothKernels, GemmKernels,
                         ::testing::Values(GemmKernel::Eigen, GemmKernel::OpenBlas),
                         [](const auto& info) {
                           return info.param == GemmKernel::Eigen ? "Eigen" : "OpenBlas";
                         });

TEST(GemmChoice, AGenericOpenBlasCoreNeverGetsTheProducts) {
  for (const char* core : {"Prescott", "Core2", "Nehalem", "Barcelona", "Sandybridge"})
    EXPECT_EQ(chooseGemm(core, nullptr).kernel, GemmKernel::Eigen) << core;
}

TEST(GemmChoice, AnAvx512OpenBlasKernelIsChosenAndNamed) {
  const GemmChoice c = chooseGemm("Cooperlake", nullptr);
  EXPECT_EQ(c.kernel, GemmKernel::OpenBlas);
  EXPECT_NE(c.name.find("Cooperlake"), std::string::npos) << c.name;
}

TEST(GemmChoice, TheEnvironmentOverridesAndABadValueIsSaid) {
  EXPECT_EQ(chooseGemm("Cooperlake", "eigen").kernel, GemmKernel::Eigen);
  EXPECT_EQ(chooseGemm("Prescott", "openblas").kernel, GemmKernel::OpenBlas);
  const GemmChoice c = chooseGemm("Prescott", "fast");
  EXPECT_EQ(c.kernel, GemmKernel::Eigen);
  EXPECT_NE(c.reason.find("LAYERSCOPE_GEMM=fast ignored"), std::string::npos) << c.reason;
}

TEST(GemmChoice, ThisMachinesChoiceIsStableAndNamed) {
  EXPECT_EQ(&gemmChoice(), &gemmChoice());
  EXPECT_FALSE(gemmChoice().name.empty());
  EXPECT_FALSE(gemmChoice().reason.empty());
}


// --- Tiles on the compute threads (gemm.h, gemmTiling) ---

extern "C" {
void layerscope_gemm_kernel_v3(int, int, long, long, long, const float*, long, const float*, long,
                               float*, long);
void layerscope_gemm_kernel_v4(int, int, long, long, long, const float*, long, const float*, long,
                               float*, long);
}

namespace {

// Restores the compute threads a test changed.
struct ThreadsRestorer {
  int before = computeThreadsInUse();
  ~ThreadsRestorer() { setComputeThreads(before > 0 ? before : 1); }
};

}  // namespace

TEST(GemmTiling, TilesCoverTheOutputOnceOnAlignedBoundaries) {
  for (const int cores : {1, 2, 3, 16, 64})
  for (const auto& [m, n, k] : {std::array<Eigen::Index, 3>{500, 128, 500}, {2048, 256, 2048},
                                 {2048, 2048, 256}, {64, 32, 64}, {7, 3, 5}, {1000, 1000, 1000}}) {
    const GemmTiling t = gemmTiling(m, n, k, cores);
    ASSERT_GE(t.rows.size(), 2u);
    ASSERT_GE(t.cols.size(), 2u);
    EXPECT_EQ(t.rows.front(), 0);
    EXPECT_EQ(t.rows.back(), m);
    EXPECT_EQ(t.cols.front(), 0);
    EXPECT_EQ(t.cols.back(), n);
    for (size_t i = 1; i + 1 < t.rows.size(); ++i) {
      EXPECT_LT(t.rows[i - 1], t.rows[i]);
      EXPECT_EQ(t.rows[i] % 16, 0) << "row boundaries on whole cache lines";
    }
    for (size_t i = 1; i + 1 < t.cols.size(); ++i) EXPECT_LT(t.cols[i - 1], t.cols[i]);
    const size_t tiles = (t.rows.size() - 1) * (t.cols.size() - 1);
    EXPECT_LE(tiles, size_t(cores == 1 ? 1 : std::min(2 * cores, 64))) << cores << " cores";
  }
  auto tiles = [](const GemmTiling& t) { return (t.rows.size() - 1) * (t.cols.size() - 1); };
  // The playground's products stay whole (a tile costs more than it saves there); on 16 cores the
  // article's 500 x 500 x 128 products give work to at least 8 threads, the wide net's to 16;
  // one core never cuts.
  EXPECT_EQ(tiles(gemmTiling(64, 32, 64, 16)), 1u);
  EXPECT_GE(tiles(gemmTiling(500, 128, 500, 16)), 8u);
  EXPECT_GE(tiles(gemmTiling(2048, 256, 2048, 16)), 16u);
  EXPECT_EQ(tiles(gemmTiling(2048, 256, 2048, 1)), 1u);
}

TEST_P(GemmKernels, TiledProductsMatchATripleLoopAndNoBitDependsOnTheThreads) {
  ThreadsRestorer restore;
  auto tiles = [](const GemmTiling& t) { return (t.rows.size() - 1) * (t.cols.size() - 1); };
  // Shapes that cut into several tiles, with remainders in both directions.
  const Eigen::Index m = 301, n = 150, k = 97;
  for (const bool ta : {false, true}) {
    for (const bool tb : {false, true}) {
      const Matrix a = ta ? Matrix(Matrix::Random(k, m)) : Matrix(Matrix::Random(m, k));
      const Matrix b = tb ? Matrix(Matrix::Random(n, k)) : Matrix(Matrix::Random(k, n));
      if (physicalCores() < 2) GTEST_SKIP() << "one core: products are never cut here";
      ASSERT_GT(tiles(gemmTiling(m, n, k, physicalCores())), 1u);
      setComputeThreads(1);
      Matrix one(m, n);
      gemmOn(GetParam(), ta, tb, a, b, one);
      EXPECT_LT((one.cast<double>() - naive(ta, tb, a, b)).cwiseAbs().maxCoeff(), 1e-4);
      for (const int threads : {2, 3, 7}) {
        setComputeThreads(threads);
        Matrix many = Matrix::Constant(m, n, 1e9f);
        gemmOn(GetParam(), ta, tb, a, b, many);
        EXPECT_EQ(std::memcmp(one.data(), many.data(), sizeof(Scalar) * one.size()), 0)
            << threads << " threads, transposeA " << ta << " transposeB " << tb;
      }
    }
  }
}

TEST(GemmLevels, EachLevelTheCpuHasMatchesATripleLoop) {
  // The per-level copies of Eigen's product (gemm_kernel_level.inc), called
  // directly, on a strided output: a copy built wrong (or the wrong copy linked) shows here.
  const Eigen::Index m = 70, n = 33, k = 91, ldc = 75;
  std::vector<std::pair<const char*, decltype(&layerscope_gemm_kernel_v3)>> levels;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    levels.emplace_back("v3", layerscope_gemm_kernel_v3);
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    levels.emplace_back("v4", layerscope_gemm_kernel_v4);
#endif
  if (levels.empty()) GTEST_SKIP() << "this CPU has neither x86-64-v3 nor -v4";
  for (const auto& [name, kernel] : levels) {
    for (const bool ta : {false, true}) {
      for (const bool tb : {false, true}) {
        const Matrix a = ta ? Matrix(Matrix::Random(k, m)) : Matrix(Matrix::Random(m, k));
        const Matrix b = tb ? Matrix(Matrix::Random(n, k)) : Matrix(Matrix::Random(k, n));
        Matrix c = Matrix::Constant(ldc, n, 7.0f);
        kernel(ta, tb, m, n, k, a.data(), a.rows(), b.data(), b.rows(), c.data(), ldc);
        EXPECT_LT((c.topRows(m).cast<double>() - naive(ta, tb, a, b)).cwiseAbs().maxCoeff(), 1e-4)
            << name;
        EXPECT_TRUE((c.bottomRows(ldc - m).array() == 7.0f).all()) << name << " wrote past m";
      }
    }
  }
}

TEST(GemmChoice, TheEigenKernelNamesTheLevelItRuns) {
  const GemmChoice c = chooseGemm("Prescott", nullptr);
  EXPECT_EQ(c.kernel, GemmKernel::Eigen);
  const std::string expected = kernelLevel() == KernelLevel::X86_64_V4   ? "AVX-512"
                               : kernelLevel() == KernelLevel::X86_64_V3 ? "AVX2"
                                                                         : "";
  EXPECT_NE(c.name.find(expected), std::string::npos) << c.name;
}

}  // namespace
}  // namespace layerscope
