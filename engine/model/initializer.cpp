#include "model/initializer.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <thread>

#include "compute_threads.h"
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

enum class Draws { None, Normal, Uniform, Sequential };

// How an initializer draws: one normal per weight, one uniform per weight, none, or a whole
// matrix at once (orthogonal: drawn on one thread).
Draws drawsOf(const std::string& n) {
  if (n == "zeros" || n == "constant") return Draws::None;
  if (n == "normal" || n == "xavier_normal" || n == "he_normal" || n == "lecun_normal")
    return Draws::Normal;
  if (n == "uniform" || n == "xavier_uniform" || n == "he_uniform" || n == "lecun_uniform")
    return Draws::Uniform;
  return Draws::Sequential;
}

// Weights [first, last) of w (column-major index) as the single stream would draw them when
// `drawn` weights (of the same kind) came before: normal number g is the cosine (g even) or
// sine (g odd) half of the Box-Muller pair g / 2, which takes engine draws g / 2 * 2 and
// g / 2 * 2 + 1 (Rng::normal); uniform number g takes draw g.
void fillRange(Eigen::Ref<Matrix> w, Draws draws, double parameter, const Rng& start,
               std::uint64_t drawn, Eigen::Index first, Eigen::Index last) {
  Rng rng = start;
  const std::uint64_t g = drawn + std::uint64_t(first);
  const Eigen::Index rows = w.rows();
  // Row i, column j of weight e, stepped without a division per weight.
  Eigen::Index i = first % rows, j = first / rows;
  const auto next = [&] {
    if (++i == rows) {
      i = 0;
      ++j;
    }
  };
  if (draws == Draws::Normal) {
    rng.engine().discard(g / 2 * 2);
    if (g % 2 == 1) rng.normal();  // the pair's cosine half belongs to the weight before
    for (Eigen::Index e = first; e < last; ++e, next())
      w(i, j) = static_cast<Scalar>(rng.normal(0.0, parameter));
  } else {
    rng.engine().discard(g);
    for (Eigen::Index e = first; e < last; ++e, next())
      w(i, j) = static_cast<Scalar>(rng.uniform(-parameter, parameter));
  }
}

}  // namespace

void initializeAllWeights(const InitializerSpec& spec, const std::vector<Eigen::Ref<Matrix>>& weights,
                          std::uint64_t seed, int threads, const Progress* progress) {
  const Draws draws = drawsOf(spec.name);
  const Rng start = Rng::derived(seed, kStreamWeights);
  // 0: the compute threads in use (the threads setting, compute_threads.h), else its auto.
  if (threads <= 0) threads = computeThreadsInUse() > 0 ? computeThreadsInUse() : resolveThreads(0);
  // Below ~64 K weights per thread, starting a thread costs more than it saves.
  constexpr Eigen::Index kMinPerThread = Eigen::Index(1) << 16;
  const int layers = static_cast<int>(weights.size());
  double total = 0.0, done = 0.0;
  for (const Eigen::Ref<Matrix>& w : weights) total += double(w.size());
  Rng sequential = start;  // Draws::Sequential: the one stream, as initializeWeights uses it
  std::uint64_t drawn = 0;
  for (int l = 0; l < layers; ++l) {
    Eigen::Ref<Matrix> w = weights[l];
    const Eigen::Index size = w.size();
    // Before each matrix: "layer 4/11" is being drawn; the fraction counts weights.
    reportProgress(progress,
                   "Drawing weights, layer " + std::to_string(l + 1) + "/" + std::to_string(layers),
                   total > 0 ? done / total : 0.0);
    const int fanOut = static_cast<int>(w.rows()), fanIn = static_cast<int>(w.cols());
    if (draws == Draws::None || draws == Draws::Sequential) {
      initializeWeights(spec, w, sequential);
    } else {
      // Normal: the std; uniform: U(-a, a) with a = sqrt(3) * std (initializeWeights).
      const double std = initializerStd(spec, fanIn, fanOut);
      const double parameter = draws == Draws::Normal ? std : std::sqrt(3.0) * std;
      const int parts = static_cast<int>(
          std::clamp<Eigen::Index>(size / kMinPerThread, 1, Eigen::Index(threads)));
      std::vector<std::thread> pool;
      for (int p = 1; p < parts; ++p)
        pool.emplace_back([&, p] {
          fillRange(w, draws, parameter, start, drawn, size * p / parts, size * (p + 1) / parts);
        });
      fillRange(w, draws, parameter, start, drawn, 0, size / parts);
      for (std::thread& t : pool) t.join();
      drawn += std::uint64_t(size);
    }
    done += double(size);
  }
  if (layers > 0)
    reportProgress(progress,
                   "Drawing weights, layer " + std::to_string(layers) + "/" + std::to_string(layers),
                   1.0);
}

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
