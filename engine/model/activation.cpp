#include "model/activation.h"

#include <cmath>

#include "errors.h"
#include "model/kernels/elementwise_kernel.h"
#include "model/kernels/tanh_kernel.h"
#include "parallel_chunks.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

// d = x > 0 ? g : s g, element by element, on the per-level kernel (elementwise_kernel.h): a
// compare and a masked blend on any vector width. Eigen's (x > 0).select(g, ...) compiles to a
// scalar loop with a branch per element, which mispredicts on the random signs of
// pre-activations: it took 23% of a 3 x 64 ReLU net's step in a portable build (perf,
// bench_train --depth 3 --width 64 --batch 32 --activation relu). The values are the same bit
// for bit.
void positivePart(const Matrix& x, const Matrix& g, Scalar negativeSlope, Matrix& d) {
  const Scalar* xp = x.data();
  const Scalar* gp = g.data();
  Scalar* dp = d.data();
  parallelChunks(x.size(), [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
    positivePartKernel(xp + begin, gp + begin, negativeSlope, dp + begin, end - begin);
  });
}

}  // namespace

void Activation::forward(const Matrix& in, Matrix& out) const {
  out.resize(in.rows(), in.cols());
  auto x = in.array();
  auto y = out.array();
  switch (kind) {
    case ActivationKind::Tanh:  // per CPU level, on the compute threads
      parallelChunks(in.size(), [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
        tanhArray(in.data() + begin, out.data() + begin, end - begin);
      });
      break;
    case ActivationKind::Sigmoid: y = Scalar(1) / (Scalar(1) + (-x).exp()); break;
    case ActivationKind::Relu:
      // x < 0 ? 0 : x, as Eigen's x.max(0) (elementwise_kernel.h), at the CPU's vector width.
      parallelChunks(in.size(), [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
        reluForward(in.data() + begin, out.data() + begin, end - begin);
      });
      break;
    case ActivationKind::LeakyRelu:
      positivePart(in, in, static_cast<Scalar>(leakySlope), out);  // x > 0 ? x : s x
      break;
    case ActivationKind::Elu: {
      const Scalar a = static_cast<Scalar>(eluAlpha);
      y = (x > 0).select(x, a * (x.exp() - Scalar(1)));
      break;
    }
    case ActivationKind::Selu: {
      const Scalar l = static_cast<Scalar>(kSeluLambda), a = static_cast<Scalar>(kSeluAlpha);
      y = l * (x > 0).select(x, a * (x.exp() - Scalar(1)));
      break;
    }
    case ActivationKind::Gelu:
      // Exact GELU (Hendrycks & Gimpel 2016): x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)).
      y = x.unaryExpr([](Scalar v) { return Scalar(0.5) * v * (Scalar(1) + std::erf(v * Scalar(M_SQRT1_2))); });
      break;
    case ActivationKind::Linear: y = x; break;
  }
}

void Activation::backward(const Matrix& in, const Matrix& out, const Matrix& gradOut,
                          Matrix& gradIn) const {
  gradIn.resize(in.rows(), in.cols());
  auto x = in.array();
  auto y = out.array();
  auto g = gradOut.array();
  auto d = gradIn.array();
  switch (kind) {
    case ActivationKind::Tanh:  // tanh' = 1 - tanh^2
      parallelChunks(in.size(), [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
        tanhBackward(out.data() + begin, gradOut.data() + begin, gradIn.data() + begin,
                     end - begin);
      });
      break;
    case ActivationKind::Sigmoid: d = g * y * (Scalar(1) - y); break;         // s' = s (1 - s)
    case ActivationKind::Relu: positivePart(in, gradOut, Scalar(0), gradIn); break;
    case ActivationKind::LeakyRelu:
      positivePart(in, gradOut, static_cast<Scalar>(leakySlope), gradIn);
      break;
    case ActivationKind::Elu:  // for x <= 0: d/dx alpha (e^x - 1) = alpha e^x = f(x) + alpha
      d = (x > 0).select(g, g * (y + static_cast<Scalar>(eluAlpha)));
      break;
    case ActivationKind::Selu: {
      const Scalar l = static_cast<Scalar>(kSeluLambda), a = static_cast<Scalar>(kSeluAlpha);
      d = (x > 0).select(l * g, g * (y + l * a));  // x <= 0: l a e^x = f(x) + l a
      break;
    }
    case ActivationKind::Gelu:
      // d/dx x Phi(x) = Phi(x) + x phi(x), phi the standard normal density.
      d = g * x.unaryExpr([](Scalar v) {
        const Scalar cdf = Scalar(0.5) * (Scalar(1) + std::erf(v * Scalar(M_SQRT1_2)));
        const Scalar pdf = std::exp(Scalar(-0.5) * v * v) * Scalar(0.3989422804014327);
        return cdf + v * pdf;
      });
      break;
    case ActivationKind::Linear: d = g; break;
  }
}

double Activation::value(double x) const {
  switch (kind) {
    case ActivationKind::Tanh: return std::tanh(x);
    case ActivationKind::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case ActivationKind::Relu: return x > 0 ? x : 0.0;
    case ActivationKind::LeakyRelu: return x > 0 ? x : leakySlope * x;
    case ActivationKind::Elu: return x > 0 ? x : eluAlpha * std::expm1(x);
    case ActivationKind::Selu: return kSeluLambda * (x > 0 ? x : kSeluAlpha * std::expm1(x));
    case ActivationKind::Gelu: return 0.5 * x * (1.0 + std::erf(x * M_SQRT1_2));
    case ActivationKind::Linear: return x;
  }
  return x;
}

double Activation::slope(double x) const {
  switch (kind) {
    case ActivationKind::Tanh: {
      const double t = std::tanh(x);
      return 1.0 - t * t;
    }
    case ActivationKind::Sigmoid: {
      const double s = 1.0 / (1.0 + std::exp(-x));
      return s * (1.0 - s);
    }
    case ActivationKind::Relu: return x > 0 ? 1.0 : 0.0;
    case ActivationKind::LeakyRelu: return x > 0 ? 1.0 : leakySlope;
    case ActivationKind::Elu: return x > 0 ? 1.0 : eluAlpha * std::exp(x);
    case ActivationKind::Selu: return kSeluLambda * (x > 0 ? 1.0 : kSeluAlpha * std::exp(x));
    case ActivationKind::Gelu:  // Phi(x) + x phi(x)
      return 0.5 * (1.0 + std::erf(x * M_SQRT1_2)) + x * std::exp(-0.5 * x * x) * 0.3989422804014327;
    case ActivationKind::Linear: return 1.0;
  }
  return 1.0;
}

double Activation::curvature(double x) const {
  switch (kind) {
    case ActivationKind::Tanh: {  // d/dx (1 - t^2) = -2 t (1 - t^2)
      const double t = std::tanh(x);
      return -2.0 * t * (1.0 - t * t);
    }
    case ActivationKind::Sigmoid: {  // d/dx s (1 - s) = s (1 - s) (1 - 2 s)
      const double s = 1.0 / (1.0 + std::exp(-x));
      return s * (1.0 - s) * (1.0 - 2.0 * s);
    }
    case ActivationKind::Relu:
    case ActivationKind::LeakyRelu:
    case ActivationKind::Linear: return 0.0;
    case ActivationKind::Elu: return x > 0 ? 0.0 : eluAlpha * std::exp(x);
    case ActivationKind::Selu: return x > 0 ? 0.0 : kSeluLambda * kSeluAlpha * std::exp(x);
    case ActivationKind::Gelu:  // d/dx (Phi + x phi) = (2 - x^2) phi(x)
      return (2.0 - x * x) * std::exp(-0.5 * x * x) * 0.3989422804014327;
  }
  return 0.0;
}

const char* activationNames() {
  static const std::string names = choiceNames("model.activation");
  return names.c_str();
}

ActivationKind parseActivation(const std::string& name) {
  if (name == "tanh") return ActivationKind::Tanh;
  if (name == "sigmoid") return ActivationKind::Sigmoid;
  if (name == "relu") return ActivationKind::Relu;
  if (name == "leaky_relu") return ActivationKind::LeakyRelu;
  if (name == "elu") return ActivationKind::Elu;
  if (name == "selu") return ActivationKind::Selu;
  if (name == "gelu") return ActivationKind::Gelu;
  if (name == "linear") return ActivationKind::Linear;
  throw InputError("activation: unknown activation '" + name + "' (expected " +
                   activationNames() + ")");
}

std::string activationName(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::Tanh: return "tanh";
    case ActivationKind::Sigmoid: return "sigmoid";
    case ActivationKind::Relu: return "relu";
    case ActivationKind::LeakyRelu: return "leaky_relu";
    case ActivationKind::Elu: return "elu";
    case ActivationKind::Selu: return "selu";
    case ActivationKind::Gelu: return "gelu";
    case ActivationKind::Linear: return "linear";
  }
  return "?";
}

}  // namespace layerscope
