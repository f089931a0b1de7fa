// engine/gemm.h: both kernels give the product a plain triple loop gives, for every
// transposition and for strided (mapped) operands; the kernel rule never picks a generic core.
#include <gtest/gtest.h>

#include "gemm.h"

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

}  // namespace
}  // namespace layerscope
