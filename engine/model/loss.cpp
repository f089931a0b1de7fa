#include "model/loss.h"

#include <cmath>
#include <limits>

namespace layerscope {

void softmax(const Matrix& logits, Matrix& p) {
  p.resize(logits.rows(), logits.cols());
  const Eigen::Matrix<Scalar, 1, Eigen::Dynamic> colMax = logits.colwise().maxCoeff();
  p = (logits.rowwise() - colMax).array().exp();
  const Eigen::Matrix<Scalar, 1, Eigen::Dynamic> colSum = p.colwise().sum();
  p.array().rowwise() /= colSum.array();
}

LossResult softmaxCrossEntropy(const Matrix& logits, const int* labels, Matrix& p,
                               Matrix* gradLogits) {
  softmax(logits, p);
  const Eigen::Index batch = logits.cols();
  LossResult result;
  double sum = 0.0;
  for (Eigen::Index j = 0; j < batch; ++j) {
    const int y = labels[j];
    // -log softmax computed from the logits (log-sum-exp) rather than log(p): exact even when
    // p underflows to 0 for a confidently wrong prediction.
    const Scalar m = logits.col(j).maxCoeff();
    const double lse = m + std::log((logits.col(j).array() - m).exp().template cast<double>().sum());
    sum += lse - logits(y, j);
    Eigen::Index arg;
    logits.col(j).maxCoeff(&arg);
    if (arg == y) ++result.correct;
  }
  result.loss = batch > 0 ? sum / double(batch) : std::numeric_limits<double>::quiet_NaN();
  if (gradLogits) {
    *gradLogits = p;
    for (Eigen::Index j = 0; j < batch; ++j) (*gradLogits)(labels[j], j) -= Scalar(1);
    *gradLogits *= Scalar(1.0 / double(batch));
  }
  return result;
}

}  // namespace layerscope
