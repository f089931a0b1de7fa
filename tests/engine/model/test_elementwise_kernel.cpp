// The training step's element-wise loops at each instruction-set level the CPU has
// (model/kernels/elementwise_kernel.h): bit for bit the Eigen expressions they replaced, which
// the engine's baseline build ran 4 floats at a time. The random runs' bits (per seed, per thread
// count) depend on it.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "model/kernels/elementwise_kernel.h"
#include "tensor.h"

namespace layerscope {
namespace {

std::vector<KernelLevel> levelsThisCpuHas() {
  std::vector<KernelLevel> levels = {KernelLevel::Baseline};
  if (kernelLevel() >= KernelLevel::X86_64_V3) levels.push_back(KernelLevel::X86_64_V3);
  if (kernelLevel() >= KernelLevel::X86_64_V4) levels.push_back(KernelLevel::X86_64_V4);
  return levels;
}

// Random values of every magnitude, an odd count (no level may skip a tail), and the edge
// cases of a compare: signed zeros, infinities, NaN.
Eigen::ArrayXf values(unsigned seed, Eigen::Index n = 1237) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> exponent(-30, 30);
  Eigen::ArrayXf x(n);
  for (Eigen::Index i = 0; i < n; ++i) x[i] = std::ldexp(normal(rng), exponent(rng));
  const float inf = std::numeric_limits<float>::infinity();
  const float specials[] = {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN()};
  for (int i = 0; i < 5; ++i) x[3 + 7 * i] = specials[i];
  return x;
}

// Bit for bit (NaN == NaN, -0 != 0).
void expectSameBits(const Eigen::ArrayXf& want, const Eigen::ArrayXf& got, KernelLevel level,
                    const char* what) {
  ASSERT_EQ(want.size(), got.size());
  for (Eigen::Index i = 0; i < want.size(); ++i)
    ASSERT_EQ(0, std::memcmp(&want[i], &got[i], sizeof(float)))
        << what << " on " << kernelLevelName(level) << " at " << i << ": " << want[i] << " vs "
        << got[i];
}

TEST(ElementwiseKernel, EveryLevelComputesTheEigenExpressionsBits) {
  const Eigen::ArrayXf x = values(1), g = values(2), p0 = values(3), v0 = values(4);
  const Eigen::Index n = x.size();
  const float lr = 0.0137f, mu = 0.9f, slope = 0.01f;
  for (const KernelLevel level : levelsThisCpuHas()) {
    const ElementwiseKernels& k = elementwiseKernels(level);
    Eigen::ArrayXf got(n);

    k.reluForward(x.data(), got.data(), long(n));
    expectSameBits(x.max(0.0f), got, level, "relu");

    k.positivePart(x.data(), g.data(), 0.0f, got.data(), long(n));
    expectSameBits((x > 0.0f).select(g, 0.0f), got, level, "relu backward");
    k.positivePart(x.data(), g.data(), slope, got.data(), long(n));
    expectSameBits((x > 0.0f).select(g, slope * g), got, level, "leaky relu backward");

    k.tanhBackward(x.data(), g.data(), got.data(), long(n));
    expectSameBits(g * (1.0f - x.square()), got, level, "tanh backward");

    got = p0;
    k.sgdUpdate(got.data(), g.data(), lr, long(n));
    Eigen::VectorXf want = p0.matrix();
    want.noalias() -= lr * g.matrix();
    expectSameBits(want.array(), got, level, "sgd");

    for (const bool nesterov : {false, true}) {
      Eigen::ArrayXf p = p0, v = v0;
      k.momentumUpdate(p.data(), v.data(), g.data(), lr, mu, nesterov ? 1 : 0, long(n));
      Eigen::VectorXf wantV = v0.matrix(), wantP = p0.matrix();
      wantV = mu * wantV + g.matrix();
      if (nesterov)
        wantP.noalias() -= lr * (g.matrix() + mu * wantV);
      else
        wantP.noalias() -= lr * wantV;
      expectSameBits(wantV.array(), v, level, "momentum's velocity");
      expectSameBits(wantP.array(), p, level, nesterov ? "nesterov" : "momentum");
    }

    // A (rows, cols) matrix whose rows are not a multiple of any vector width.
    const Eigen::Index rows = 37, cols = n / rows;
    Matrix out = Eigen::Map<const Matrix>(p0.data(), rows, cols);
    const Vector b = g.head(rows).matrix();
    Matrix wantOut = out;
    wantOut.colwise() += b;
    k.addBiasColumns(out.data(), b.data(), long(rows), long(cols));
    expectSameBits(Eigen::Map<const Eigen::ArrayXf>(wantOut.data(), wantOut.size()),
                   Eigen::Map<const Eigen::ArrayXf>(out.data(), out.size()), level, "bias");
  }
}

TEST(ElementwiseKernel, LeakyReluForwardMayWriteItsInput) {
  // Activation::forward for leaky ReLU passes x as both x and g; in place must work too.
  for (const KernelLevel level : levelsThisCpuHas()) {
    Eigen::ArrayXf x = values(5);
    const Eigen::ArrayXf want = (x > 0.0f).select(x, 0.2f * x);
    elementwiseKernels(level).positivePart(x.data(), x.data(), 0.2f, x.data(), long(x.size()));
    expectSameBits(want, x, level, "leaky relu in place");
  }
}

}  // namespace
}  // namespace layerscope
