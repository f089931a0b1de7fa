#include "model/initializer.h"

#include <Eigen/QR>
#include <cmath>

#include "errors.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

void fillNormal(Eigen::Ref<Matrix> w, double std, Rng& rng) {
  for (Eigen::Index j = 0; j < w.cols(); ++j)
    for (Eigen::Index i = 0; i < w.rows(); ++i) w(i, j) = static_cast<Scalar>(rng.normal(0.0, std));
}

void fillUniform(Eigen::Ref<Matrix> w, double bound, Rng& rng) {
  for (Eigen::Index j = 0; j < w.cols(); ++j)
    for (Eigen::Index i = 0; i < w.rows(); ++i)
      w(i, j) = static_cast<Scalar>(rng.uniform(-bound, bound));
}

// Saxe et al. 2014: an orthogonal matrix (rows or columns orthonormal, whichever is fewer), from
// the QR decomposition of a Gaussian matrix with the signs of R's diagonal folded into Q so the
// result is uniformly (Haar) distributed, as torch.nn.init.orthogonal_ does.
void fillOrthogonal(Eigen::Ref<Matrix> w, Rng& rng) {
  const Eigen::Index rows = w.rows(), cols = w.cols();
  const bool tall = rows >= cols;
  Eigen::MatrixXd a(tall ? rows : cols, tall ? cols : rows);
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i) a(i, j) = rng.normal();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(a.rows(), a.cols());
  const Eigen::MatrixXd r = qr.matrixQR();
  for (Eigen::Index k = 0; k < q.cols(); ++k)
    if (r(k, k) < 0) q.col(k) *= -1.0;
  if (tall)
    w = q.cast<Scalar>();
  else
    w = q.transpose().cast<Scalar>();
}

}  // namespace

const char* initializerNames() {
  static const std::string names = choiceNames("model.init");
  return names.c_str();
}

bool isInitializerName(const std::string& n) {
  for (const std::string& name : findSetting("model.init")->choices)
    if (name == n) return true;
  return false;
}

double initializerStd(const InitializerSpec& spec, int fanIn, int fanOut) {
  const std::string& n = spec.name;
  const double fi = fanIn, fo = fanOut;
  if (n == "zeros" || n == "constant") return 0.0;
  if (n == "normal") return spec.std;
  if (n == "uniform") return spec.bound / std::sqrt(3.0);  // U(-a, a): var = a^2 / 3
  if (n == "xavier_normal" || n == "xavier_uniform") return std::sqrt(2.0 / (fi + fo));  // Glorot & Bengio 2010
  if (n == "he_normal" || n == "he_uniform") return std::sqrt(2.0 / fi);  // He et al. 2015
  if (n == "lecun_normal" || n == "lecun_uniform") return std::sqrt(1.0 / fi);  // LeCun et al. 1998
  // A semi-orthogonal (fanOut, fanIn) matrix has unit-norm rows (fanOut <= fanIn) or columns, so
  // each entry has mean square 1 / max(fanIn, fanOut).
  if (n == "orthogonal") return std::sqrt(1.0 / std::max(fi, fo));
  throw InputError("init: unknown initializer '" + n + "' (expected " + initializerNames() + ")");
}

void initializeWeights(const InitializerSpec& spec, Eigen::Ref<Matrix> w, Rng& rng) {
  const std::string& n = spec.name;
  const int fanOut = static_cast<int>(w.rows()), fanIn = static_cast<int>(w.cols());
  if (n == "zeros") {
    w.setZero();
  } else if (n == "constant") {
    w.setConstant(static_cast<Scalar>(spec.constant));
  } else if (n == "normal" || n == "xavier_normal" || n == "he_normal" || n == "lecun_normal") {
    fillNormal(w, initializerStd(spec, fanIn, fanOut), rng);
  } else if (n == "uniform" || n == "xavier_uniform" || n == "he_uniform" || n == "lecun_uniform") {
    // U(-a, a) has std a / sqrt 3, so a = sqrt(3) * std: e.g. Glorot's sqrt(6 / (fan_in + fan_out)).
    fillUniform(w, std::sqrt(3.0) * initializerStd(spec, fanIn, fanOut), rng);
  } else if (n == "orthogonal") {
    fillOrthogonal(w, rng);
  } else {
    throw InputError("init: unknown initializer '" + n + "' (expected " + initializerNames() + ")");
  }
}

}  // namespace layerscope
