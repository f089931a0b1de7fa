#include "analysis/theory.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>

#include "model/activation.h"
#include "errors.h"
#include "model/initializer.h"

namespace layerscope {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kBatchNormEpsilon = 1e-5;  // BatchNorm's default (layers/batch_norm.h)

// Gauss-Legendre nodes and weights on [-1, 1] by Golub-Welsch: the nodes are the eigenvalues of
// the Jacobi matrix of the Legendre polynomials (off-diagonal k / sqrt(4 k^2 - 1)), the weights
// 2 v_0^2 from the normalized eigenvectors.
struct LegendreRule {
  std::vector<double> nodes, weights;
};

const LegendreRule& gaussLegendre20() {
  static const LegendreRule rule = [] {
    constexpr int n = 20;
    Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(n, n);
    for (int k = 1; k < n; ++k) jacobi(k, k - 1) = jacobi(k - 1, k) = k / std::sqrt(4.0 * k * k - 1.0);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(jacobi);
    LegendreRule r;
    for (int i = 0; i < n; ++i) {
      r.nodes.push_back(solver.eigenvalues()(i));
      r.weights.push_back(2.0 * solver.eigenvectors()(0, i) * solver.eigenvectors()(0, i));
    }
    return r;
  }();
  return rule;
}

}  // namespace

GaussianRule gaussianRule(double variance) {
  GaussianRule rule;
  if (!(variance > 0.0)) {  // N(0, 0) is the point 0 (and NaN stays NaN through f)
    rule.z.push_back(std::isnan(variance) ? kNaN : 0.0);
    rule.w.push_back(1.0);
    return rule;
  }
  constexpr double kRange = 12.0;     // P(|u| > 12) = 4e-33
  constexpr double kMaxPiece = 0.25;  // in standard deviations
  const double s = std::sqrt(variance);
  // Breakpoints in u = z / s: 0 (ReLU's kink) and where the activations bend, |z| = 2^k.
  std::vector<double> cuts = {-kRange, 0.0, kRange};
  for (int k = -2; k <= 5; ++k) {
    const double u = std::ldexp(1.0, k) / s;
    if (u < kRange) {
      cuts.push_back(u);
      cuts.push_back(-u);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  const LegendreRule& gl = gaussLegendre20();
  const double invSqrt2Pi = 1.0 / std::sqrt(2.0 * M_PI);
  for (size_t c = 0; c + 1 < cuts.size(); ++c) {
    const double a = cuts[c], b = cuts[c + 1];
    if (!(b > a)) continue;
    const int pieces = std::max(1, static_cast<int>(std::ceil((b - a) / kMaxPiece)));
    const double h = (b - a) / pieces;
    for (int p = 0; p < pieces; ++p) {
      const double mid = a + (p + 0.5) * h;
      for (size_t i = 0; i < gl.nodes.size(); ++i) {
        const double u = mid + 0.5 * h * gl.nodes[i];
        rule.z.push_back(s * u);
        rule.w.push_back(0.5 * h * gl.weights[i] * invSqrt2Pi * std::exp(-0.5 * u * u));
      }
    }
  }
  return rule;
}

namespace {

// The activation of one scalar, as activation.cpp computes it element-wise.
double applyActivation(ActivationKind kind, const ModelConfig& m, double x) {
  return Activation{kind, m.leakySlope, m.eluAlpha}.value(x);
}

double standardDeviation(double mean, double meanSquare) {
  return std::sqrt(std::max(0.0, meanSquare - mean * mean));
}

// Mean-field recursion for independent random weights (every initializer but zeros/constant).
std::vector<LayerPrediction> meanField(const ModelConfig& model, ActivationKind kind,
                                       const InitializerSpec& spec, int inputFeatures,
                                       double inputMeanSquare,
                                       const SignalPropagationOptions& options) {
  std::vector<LayerPrediction> out;
  out.push_back({0, 0.0, std::sqrt(inputMeanSquare), std::sqrt(inputMeanSquare)});
  double secondMoment = inputMeanSquare;  // E[a^2] of what the next Dense layer reads
  int fanIn = inputFeatures;
  const std::vector<int> widths = hiddenWidths(model);
  for (size_t l = 0; l < widths.size(); ++l) {
    const double weightStd = initializerStd(spec, fanIn, widths[l]);
    double q = fanIn * weightStd * weightStd * secondMoment;  // q_l = sigma_w^2 E[phi^2]
    if (model.batchNorm)  // (h - mu) / sqrt(var + eps): batch statistics, or mu 0, var 1 at init
      q = options.batchNormUsesBatchStatistics ? q / (q + kBatchNormEpsilon)
                                               : q / (1.0 + kBatchNormEpsilon);
    const GaussianRule rule = gaussianRule(q);
    double m1 = 0.0, m2 = 0.0;
    for (size_t k = 0; k < rule.z.size(); ++k) {
      const double a = applyActivation(kind, model, rule.z[k]);
      m1 += rule.w[k] * a;
      m2 += rule.w[k] * a * a;
    }
    out.push_back({static_cast<int>(l) + 1, m1, standardDeviation(m1, m2), std::sqrt(q)});
    // Inverted dropout: a kept unit is scaled by 1 / (1 - p), so E[(mask a)^2] = E[a^2] / (1 - p).
    secondMoment = options.dropoutActive && model.dropout > 0 ? m2 / (1.0 - model.dropout) : m2;
    fanIn = widths[l];
  }
  if (options.outputUnits > 0) {
    const double weightStd = initializerStd(spec, fanIn, options.outputUnits);
    const double q = fanIn * weightStd * weightStd * secondMoment;
    out.push_back({static_cast<int>(widths.size()) + 1, 0.0, std::sqrt(q), std::sqrt(q)});
  }
  return out;
}

// zeros / constant c: every unit of a layer holds the same value, a function of the one random
// variable s = sum_j x_j (~ N(0, features * E[x^2]) for uncorrelated centred features):
//   h_1 = c s,  h_l = c * fan_in * a_{l-1},  a_l = phi(h_l).
// The chain is followed on the quadrature points of s.
std::vector<LayerPrediction> identicalUnits(const ModelConfig& model, ActivationKind kind,
                                            double c, int inputFeatures, double inputMeanSquare,
                                            const SignalPropagationOptions& options) {
  std::vector<LayerPrediction> out;
  out.push_back({0, 0.0, std::sqrt(inputMeanSquare), std::sqrt(inputMeanSquare)});
  const GaussianRule rule = gaussianRule(inputFeatures * inputMeanSquare);
  const auto moments = [&rule](const std::vector<double>& v) {
    double m1 = 0.0, m2 = 0.0;
    for (size_t k = 0; k < v.size(); ++k) {
      m1 += rule.w[k] * v[k];
      m2 += rule.w[k] * v[k] * v[k];
    }
    return std::pair<double, double>(m1, m2);
  };
  std::vector<double> a = rule.z;  // the unit's value at each quadrature point: s for now
  double scale = c;                // h = c * s for layer 1, then c * fan_in * a
  const std::vector<int> widths = hiddenWidths(model);
  for (size_t l = 0; l < widths.size(); ++l) {
    std::vector<double> h(a.size());
    for (size_t k = 0; k < a.size(); ++k) h[k] = scale * a[k];
    auto [hm1, hm2] = moments(h);
    if (model.batchNorm) {
      const double mu = options.batchNormUsesBatchStatistics ? hm1 : 0.0;
      const double var = options.batchNormUsesBatchStatistics ? hm2 - hm1 * hm1 : 1.0;
      for (double& value : h) value = (value - mu) / std::sqrt(std::max(0.0, var) + kBatchNormEpsilon);
      std::tie(hm1, hm2) = moments(h);
    }
    for (size_t k = 0; k < h.size(); ++k) a[k] = applyActivation(kind, model, h[k]);
    const auto [m1, m2] = moments(a);
    out.push_back({static_cast<int>(l) + 1, m1, standardDeviation(m1, m2), std::sqrt(std::max(0.0, hm2))});
    scale = c * widths[l];
  }
  if (options.outputUnits > 0) {
    std::vector<double> h(a.size());
    for (size_t k = 0; k < a.size(); ++k) h[k] = scale * a[k];
    const auto [m1, m2] = moments(h);
    out.push_back({static_cast<int>(widths.size()) + 1, m1, standardDeviation(m1, m2),
                   standardDeviation(m1, m2)});
  }
  return out;
}

std::string formatNumber(double value, int digits = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

}  // namespace

double gaussianExpectation(const std::function<double(double)>& f, double variance) {
  const GaussianRule rule = gaussianRule(variance);
  double sum = 0.0;
  for (size_t k = 0; k < rule.z.size(); ++k) sum += rule.w[k] * f(rule.z[k]);
  return sum;
}

std::vector<LayerPrediction> predictSignalPropagation(const ModelConfig& model, int inputFeatures,
                                                      double inputMeanSquare,
                                                      const SignalPropagationOptions& options) {
  const ActivationKind kind = parseActivation(model.activation);
  const InitializerSpec spec{model.init, model.initStd, model.initBound, model.initConstant};
  initializerStd(spec, 1, 1);  // throws InputError for an unknown initializer
  if (model.init == "zeros" || model.init == "constant") {
    const double c = model.init == "zeros" ? 0.0 : model.initConstant;
    return identicalUnits(model, kind, c, inputFeatures, inputMeanSquare, options);
  }
  return meanField(model, kind, spec, inputFeatures, inputMeanSquare, options);
}

std::vector<LayerPrediction> predictSignalPropagation(const ExperimentConfig& config,
                                                      const Matrix& probeInputs, int classes) {
  const double meanSquare =
      probeInputs.size() > 0 ? probeInputs.cast<double>().squaredNorm() / probeInputs.size() : 0.0;
  SignalPropagationOptions options;
  options.batchNormUsesBatchStatistics = config.stats.probeTrainingMode;
  options.dropoutActive = config.stats.probeTrainingMode && config.model.dropout > 0;
  options.outputUnits = classes;
  return predictSignalPropagation(config.model, static_cast<int>(probeInputs.rows()), meanSquare,
                                  options);
}

std::string theoryCaveat(const ExperimentConfig& config, long step) {
  const ModelConfig& m = config.model;
  std::vector<std::string> notes;
  if (step > 0)
    notes.push_back("The theory describes the network at initialization; after " +
                    std::to_string(step) +
                    " training steps the weights are no longer independent random draws, so "
                    "the prediction is only the starting point.");
  if (m.init == "zeros")
    notes.push_back(
        "Zero initialization: every weight is 0, so every hidden activation is 0 (std 0) and "
        "every unit of a layer is identical; the prediction is exactly that.");
  else if (m.init == "constant")
    notes.push_back(
        "Constant initialization: every unit of a layer computes the same output (std across "
        "units 0), so the layer is one unit repeated; the prediction follows that one unit over "
        "the samples instead of the mean-field Gaussian.");
  if (m.init == "orthogonal")
    notes.push_back(
        "Orthogonal weights are predicted like Gaussian weights of the same variance "
        "(1 / max(fan_in, fan_out)); an orthogonal matrix preserves lengths exactly, so the "
        "measured std scatters less around the prediction.");
  if (m.batchNorm && config.stats.probeTrainingMode)
    notes.push_back(
        "Batch norm with batch statistics rescales every pre-activation to mean 0 and std 1 "
        "whatever the weights: the prediction is that rescaling, not the weights' scale.");
  if (m.batchNorm && !config.stats.probeTrainingMode && step > 0)
    notes.push_back(
        "Batch norm in evaluation mode uses running averages of past batches, which the "
        "theory does not model.");
  if (m.dropout > 0 && config.stats.probeTrainingMode)
    notes.push_back("Dropout is on in the probe (training mode): each probe draws one random "
                    "mask; the prediction uses its average effect (the next layer sees E[a^2] / "
                    "(1 - p) = E[a^2] / " + formatNumber(1.0 - m.dropout, 3) + ").");
  int narrowest = std::numeric_limits<int>::max();
  for (int w : hiddenWidths(m)) narrowest = std::min(narrowest, w);
  if (narrowest < 30 && m.init != "zeros" && m.init != "constant")
    notes.push_back("Narrow layers (" + std::to_string(narrowest) +
                    " units): a sum over so few inputs is only roughly Gaussian, and one weight "
                    "draw can be far from the average the theory predicts.");
  std::string text;
  for (const std::string& note : notes) text += (text.empty() ? "" : " ") + note;
  return text;
}

}  // namespace layerscope
