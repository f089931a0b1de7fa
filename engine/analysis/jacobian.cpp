#include "analysis/jacobian.h"

#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "analysis/mean_field.h"
#include "analysis/theory.h"
#include "errors.h"
#include "model/layers/activation_layer.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dense.h"
#include "model/network.h"

namespace layerscope {
namespace {

const Activation& activationOf(const Network& network, const LayerView& view) {
  // values()[i + 1] is the output of layers()[i]: the activation layer is layers()[activation - 1].
  return static_cast<const ActivationLayer&>(*network.layers().at(view.activation - 1)).activation();
}

// S_l: batch norm in evaluation mode, y = gamma (x - mu) / sqrt(var + eps) + beta, is the per-unit
// scale gamma / sqrt(var + eps) (and a shift, which the Jacobian does not see). Ones without it.
Eigen::VectorXd batchNormScale(const Network& network, const LayerView& view) {
  const int units = view.units;
  if (view.batchNorm < 0) return Eigen::VectorXd::Ones(units);
  const auto& bn = static_cast<const BatchNorm&>(*network.layers().at(view.batchNorm));
  Eigen::VectorXd scale(units);
  for (int i = 0; i < units; ++i)
    scale(i) = bn.gamma()(i) / std::sqrt(static_cast<double>(bn.runningVar()(i)) + bn.epsilon());
  return scale;
}

Eigen::VectorXd batchNormShift(const Network& network, const LayerView& view,
                               const Eigen::VectorXd& scale) {
  if (view.batchNorm < 0) return Eigen::VectorXd::Zero(view.units);
  const auto& bn = static_cast<const BatchNorm&>(*network.layers().at(view.batchNorm));
  Eigen::VectorXd shift(view.units);
  for (int i = 0; i < view.units; ++i) shift(i) = bn.beta()(i) - scale(i) * bn.runningMean()(i);
  return shift;
}

int hiddenDepth(const Network& network) {
  return static_cast<int>(network.layerViews().size()) - 2;  // minus the input and the logits
}

const LayerView& hiddenView(const Network& network, int layer) {
  if (layer < 1 || layer > hiddenDepth(network))
    throw InputError("jacobian: layer " + std::to_string(layer) + " is not a hidden layer (1.." +
                     std::to_string(hiddenDepth(network)) + ")");
  return network.layerViews()[static_cast<size_t>(layer)];
}

}  // namespace

std::vector<Eigen::VectorXd> preActivations(const Network& network, const Eigen::VectorXd& input) {
  std::vector<Eigen::VectorXd> h;
  Eigen::VectorXd a = input;
  for (int l = 1; l <= hiddenDepth(network); ++l) {
    const LayerView& view = hiddenView(network, l);
    const Dense& dense = network.dense(view.dense);
    const Eigen::VectorXd scale = batchNormScale(network, view);
    Eigen::VectorXd z = dense.weights().cast<double>() * a + dense.bias().cast<double>();
    z = scale.cwiseProduct(z) + batchNormShift(network, view, scale);
    const Activation& phi = activationOf(network, view);
    a = z.unaryExpr([&phi](double x) { return phi.value(x); });
    h.push_back(std::move(z));
  }
  return h;
}

Eigen::VectorXd lastHiddenOutput(const Network& network, const Eigen::VectorXd& input) {
  const std::vector<Eigen::VectorXd> h = preActivations(network, input);
  if (h.empty()) return input;
  const Activation& phi = activationOf(network, hiddenView(network, hiddenDepth(network)));
  return h.back().unaryExpr([&phi](double x) { return phi.value(x); });
}

Eigen::MatrixXd layerJacobian(const Network& network, int layer,
                              const Eigen::VectorXd& preActivation) {
  const LayerView& view = hiddenView(network, layer);
  const Activation& phi = activationOf(network, view);
  // D_l S_l: d a_l / d z_l for z_l = W_l a_{l-1} + b_l, one factor per unit (row).
  const Eigen::VectorXd rowScale =
      batchNormScale(network, view).cwiseProduct(
          preActivation.unaryExpr([&phi](double x) { return phi.slope(x); }));
  return rowScale.asDiagonal() * network.dense(view.dense).weights().cast<double>();
}

Eigen::MatrixXd jacobianProduct(const std::vector<Eigen::MatrixXd>& layers) {
  if (layers.empty()) return {};
  Eigen::MatrixXd j = layers.front();
  for (size_t l = 1; l < layers.size(); ++l) j = layers[l] * j;  // M_l (M_{l-1} ... M_1)
  return j;
}

Eigen::MatrixXd inputOutputJacobian(const Network& network, const Eigen::VectorXd& input) {
  if (hiddenDepth(network) < 1) throw InputError("jacobian: the network has no hidden layer");
  const std::vector<Eigen::VectorXd> h = preActivations(network, input);
  // Built from the input side, J_l = D_l S_l W_l J_{l-1}: one (width x width x inputs) product
  // per layer, the per-unit factors applied to rows after it (no width x width diagonal product).
  Eigen::MatrixXd j;
  for (int l = 1; l <= hiddenDepth(network); ++l) {
    const LayerView& view = hiddenView(network, l);
    const Activation& phi = activationOf(network, view);
    const Eigen::VectorXd rowScale = batchNormScale(network, view).cwiseProduct(
        h[static_cast<size_t>(l - 1)].unaryExpr([&phi](double x) { return phi.slope(x); }));
    const Eigen::MatrixXd w = network.dense(view.dense).weights().cast<double>();
    Eigen::MatrixXd next = l == 1 ? w : Eigen::MatrixXd(w * j);
    next = rowScale.asDiagonal() * next;
    j = std::move(next);
  }
  return j;
}

std::vector<double> singularValues(const Eigen::MatrixXd& jacobian) {
  if (jacobian.size() == 0) return {};
  Eigen::BDCSVD<Eigen::MatrixXd> svd(jacobian);  // values only: no U, V
  const Eigen::VectorXd s = svd.singularValues();  // descending
  return std::vector<double>(s.data(), s.data() + s.size());
}

JacobianSummary summarize(const std::vector<JacobianSpectrum>& spectra) {
  JacobianSummary summary;
  summary.samples = static_cast<int>(spectra.size());
  if (spectra.empty()) return summary;
  summary.count = static_cast<int>(spectra.front().singularValues.size());
  double sumSquares = 0.0;
  long total = 0, near = 0;
  summary.max = 0.0;
  summary.min = std::numeric_limits<double>::infinity();
  for (const JacobianSpectrum& s : spectra) {
    for (double v : s.singularValues) {
      sumSquares += v * v;
      ++total;
      if (v >= kIsometryLow && v <= kIsometryHigh) ++near;
      summary.max = std::max(summary.max, v);
      summary.min = std::min(summary.min, v);
    }
  }
  if (total == 0) {
    summary.min = 0.0;
    return summary;
  }
  summary.meanSquared = sumSquares / static_cast<double>(total);
  summary.fractionNearOne = static_cast<double>(near) / static_cast<double>(total);
  return summary;
}

JacobianResult jacobianSpectra(const Network& network, const Matrix& inputs, int maxSamples,
                               const std::function<bool()>& cancelled) {
  JacobianResult result;
  const int n = static_cast<int>(std::min<Eigen::Index>(inputs.cols(), std::max(0, maxSamples)));
  for (int s = 0; s < n; ++s) {
    if (cancelled && cancelled()) return {};
    JacobianSpectrum spectrum;
    spectrum.singularValues =
        singularValues(inputOutputJacobian(network, inputs.col(s).cast<double>()));
    double sum = 0.0;
    for (double v : spectrum.singularValues) sum += v * v;
    if (!spectrum.singularValues.empty())
      spectrum.meanSquared = sum / static_cast<double>(spectrum.singularValues.size());
    result.spectra.push_back(std::move(spectrum));
  }
  result.summary = summarize(result.spectra);
  return result;
}

double predictedMeanSquaredSingularValue(const Activation& phi, double sigmaW2, double sigmaB2,
                                         double inputMeanSquare, int depth) {
  const MeanFieldInit init{sigmaW2, sigmaB2, 1.0};
  double q = sigmaW2 * inputMeanSquare + sigmaB2;  // q_1
  double product = 1.0;
  for (int l = 1; l <= depth; ++l) {
    // chi_l = sigma_w^2 E[phi'(sqrt(q_l) z)^2]; at q* this is the phase diagram's chi_1.
    product *= sigmaW2 * gaussianExpectation(
                             [&phi](double x) {
                               const double d = phi.slope(x);
                               return d * d;
                             },
                             q);
    q = lengthMap(phi, init, q);
  }
  return product;
}

}  // namespace layerscope
