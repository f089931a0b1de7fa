#include "model/layers/batch_norm.h"

#include <cmath>

namespace layerscope {

BatchNorm::BatchNorm(int units, double eps, double momentum)
    : units_(units), eps_(eps), momentum_(momentum),
      runningMean_(Vector::Zero(units)), runningVar_(Vector::Ones(units)) {}

void BatchNorm::forward(const Matrix& in, Matrix& out, Phase phase) {
  const Eigen::Index n = in.cols();
  out.resize(units_, n);
  xhat_.resize(units_, n);
  usedBatchStats_ = phase != Phase::Evaluation;
  if (usedBatchStats_) {
    const Vector mean = in.rowwise().mean();                                  // (units)
    xhat_ = in.colwise() - mean;
    const Vector var = xhat_.array().square().rowwise().mean();               // population var
    invStd_ = (var.array() + Scalar(eps_)).rsqrt();
    if (phase == Phase::Training) {
      const Scalar m = Scalar(momentum_);
      const Scalar unbias = n > 1 ? Scalar(n) / Scalar(n - 1) : Scalar(1);
      runningMean_ = (1 - m) * runningMean_ + m * mean;
      runningVar_ = (1 - m) * runningVar_ + m * unbias * var;
    }
  } else {
    invStd_ = (runningVar_.array() + Scalar(eps_)).rsqrt();
    xhat_ = in.colwise() - runningMean_;
  }
  xhat_.array().colwise() *= invStd_.array();
  out = (xhat_.array().colwise() * gamma_.array()).colwise() + beta_.array();
}

void BatchNorm::backward(const Matrix&, const Matrix&, const Matrix& gradOut, Matrix& gradIn,
                         bool computeGradIn) {
  const Scalar n = Scalar(gradOut.cols());
  gbeta_ = gradOut.rowwise().sum();                                     // dL/dbeta = sum dy
  ggamma_ = (gradOut.array() * xhat_.array()).rowwise().sum().matrix(); // dL/dgamma = sum dy xhat
  if (!computeGradIn) return;
  gradIn.resize(units_, gradOut.cols());
  if (usedBatchStats_) {
    // With dxhat = dy gamma (mu and var depend on every x of the batch):
    // dx = invStd / n * (n dxhat - sum(dxhat) - xhat sum(dxhat xhat))
    //    = gamma invStd / n * (n dy - dbeta - xhat dgamma)
    const Vector scale = (gamma_.array() * invStd_.array() / n).matrix();
    gradIn = ((n * gradOut.array()).colwise() - gbeta_.array()
              - xhat_.array().colwise() * ggamma_.array()).colwise() * scale.array();
  } else {
    gradIn = gradOut.array().colwise() * (gamma_.array() * invStd_.array());  // fixed affine map
  }
}

std::vector<ParameterInfo> BatchNorm::parameterShapes() const {
  return {{"gamma", 0, units_, 1, false}, {"beta", units_, units_, 1, false}};
}

void BatchNorm::bindParameters(Scalar* values, Scalar* gradients) {
  new (&gamma_) VectorMap(values, units_);
  new (&ggamma_) VectorMap(gradients, units_);
  new (&beta_) VectorMap(values + units_, units_);
  new (&gbeta_) VectorMap(gradients + units_, units_);
}

}  // namespace layerscope
