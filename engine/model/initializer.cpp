#include "model/initializer.h"

#include <Eigen/QR>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <random>
#include <thread>

#include "compute_pool.h"
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

// The weight stream cut into chunks of kChunk weights, the matrices laid end to end in layer
// order (column-major in each). Normal weight g is the cosine (g even) or sine (g odd) half of
// the Box-Muller pair of engine words g and g + 1 rounded down to even (Rng::normal); uniform
// weight g is word g. kChunk is even, so a chunk's words are its own: a pair never straddles
// two chunks (it may straddle two matrices).
constexpr Eigen::Index kChunk = Eigen::Index(1) << 16;

struct StreamLayout {
  const std::vector<Eigen::Ref<Matrix>>& weights;
  std::vector<Eigen::Index> begin;  // first stream index of each matrix; back() = total
  std::vector<double> parameter;    // normal: the std; uniform: the bound a of U(-a, a)
};

// Words drawn for stream weights [first, last): pairs for normals, one each for uniforms.
Eigen::Index wordsFor(Draws draws, Eigen::Index first, Eigen::Index last) {
  return draws == Draws::Normal ? (last - first + 1) / 2 * 2 : last - first;
}

// Writes stream weights [first, last) (first even) from their engine words, as Rng::normal(0,
// std) and Rng::uniform(-a, a) compute them from the same words. `numbers` holds a chunk of
// standard normals (or units in [0, 1)), made in one tight loop before they are scattered.
void fillChunk(const StreamLayout& layout, Draws draws, const std::uint64_t* words,
               std::vector<double>& numbers, Eigen::Index first, Eigen::Index last) {
  const Eigen::Index n = last - first;
  if (draws == Draws::Normal)
    for (Eigen::Index k = 0; k < n; k += 2)
      Rng::boxMuller(words[k], words[k + 1], numbers[size_t(k)], numbers[size_t(k) + 1]);
  else
    for (Eigen::Index k = 0; k < n; ++k) numbers[size_t(k)] = Rng::unitOf(words[k]);
  const double* z = numbers.data() - first;  // z[g]: weight g's number
  size_t l = size_t(std::upper_bound(layout.begin.begin(), layout.begin.end(), first) -
                    layout.begin.begin()) - 1;
  for (Eigen::Index g = first; g < last; ++l) {
    Eigen::Ref<Matrix> w = layout.weights[l];
    const double parameter = layout.parameter[l];
    const Eigen::Index rows = w.rows(), inMatrix = g - layout.begin[l];
    const Eigen::Index end = std::min(last, layout.begin[l + 1]);
    if (end == g) continue;  // an empty matrix
    // Column by column from row i of column j.
    for (Eigen::Index i = inMatrix % rows, j = inMatrix / rows; g < end; ++j, i = 0) {
      Scalar* column = &w(0, j);
      const Eigen::Index stop = std::min(rows, i + (end - g));
      if (draws == Draws::Normal)
        for (; i < stop; ++i, ++g) column[i] = static_cast<Scalar>(0.0 + parameter * z[g]);
      else
        for (; i < stop; ++i, ++g)
          column[i] = static_cast<Scalar>(-parameter + (parameter - -parameter) * z[g]);
    }
  }
}

}  // namespace

void initializeAllWeights(const InitializerSpec& spec, const std::vector<Eigen::Ref<Matrix>>& weights,
                          std::uint64_t seed, int threads, const Progress* progress) {
  const Draws draws = drawsOf(spec.name);
  const int layers = static_cast<int>(weights.size());
  const auto phase = [layers](int l) {
    return "Drawing weights, layer " + std::to_string(l + 1) + "/" + std::to_string(layers);
  };
  if (draws == Draws::None || draws == Draws::Sequential) {
    Rng sequential = Rng::derived(seed, kStreamWeights);  // the one stream, as initializeWeights uses it
    double total = 0.0, done = 0.0;
    for (const Eigen::Ref<Matrix>& w : weights) total += double(w.size());
    for (int l = 0; l < layers; ++l) {
      reportProgress(progress, phase(l), total > 0 ? done / total : 0.0);
      initializeWeights(spec, weights[l], sequential);
      done += double(weights[l].size());
    }
    if (layers > 0) reportProgress(progress, phase(layers - 1), 1.0);
    return;
  }

  StreamLayout layout{weights, {0}, {}};
  for (const Eigen::Ref<Matrix>& w : weights) {
    layout.begin.push_back(layout.begin.back() + w.size());
    // Normal: the std; uniform: U(-a, a) with a = sqrt(3) * std (initializeWeights).
    const double std = initializerStd(spec, static_cast<int>(w.cols()), static_cast<int>(w.rows()));
    layout.parameter.push_back(draws == Draws::Normal ? std : std::sqrt(3.0) * std);
  }
  const Eigen::Index total = layout.begin.back();
  const Eigen::Index chunks = (total + kChunk - 1) / kChunk;
  // At most `threads` of the compute pool's threads (compute_pool.h) share the chunks; 0: all
  // of them (the threads setting, compute_threads.h). No thread is made here.
  ComputePool& pool = ComputePool::shared();
  const int poolThreads = pool.threads();
  if (threads <= 0) threads = poolThreads;
  threads = static_cast<int>(std::clamp<Eigen::Index>(chunks, 1, threads));

  // The one engine, advanced a chunk at a time under the lock: a thread takes the next chunk's
  // words (a few ns each) and turns them into weights on its own (log, sqrt, sin and cos: ~5x
  // the engine's time), so every core shares the work and no thread skips the stream ahead
  // (std::mt19937_64::discard runs the generator: skipping cost as much as drawing).
  std::mt19937_64 engine = Rng::derived(seed, kStreamWeights).engine();
  std::mutex lock;
  Eigen::Index nextChunk = 0;
  std::exception_ptr failure;  // the first, under the lock
  std::atomic<bool> stop{false}, allTaken{chunks == 0}, callerIn{false};
  std::atomic<int> helpers{0};  // pool threads that asked to help
  int reported = 0;  // the last layer the calling thread reported
  const auto work = [&](bool reports) {
    std::vector<std::uint64_t> words;
    std::vector<double> numbers;
    for (;;) {
      if (allTaken || stop) return;
      if (words.empty()) {  // not before there is a chunk to draw (the pool may run idle tasks)
        words.resize(static_cast<size_t>(kChunk));
        numbers.resize(static_cast<size_t>(kChunk));
      }
      Eigen::Index first, last;
      {
        std::lock_guard<std::mutex> hold(lock);
        if (nextChunk == chunks || stop) return;
        first = nextChunk * kChunk;
        last = std::min(total, first + kChunk);
        if (++nextChunk == chunks) allTaken = true;
        for (Eigen::Index k = 0, n = wordsFor(draws, first, last); k < n; ++k) words[size_t(k)] = engine();
      }
      fillChunk(layout, draws, words.data(), numbers, first, last);
      // The calling thread reports (and may be cancelled) between its chunks: "layer 4/11" is
      // the layer being drawn, each layer in turn, the fraction counts weights taken.
      if (reports) {
        const int l = static_cast<int>(std::upper_bound(layout.begin.begin(), layout.begin.end(),
                                                        last - 1) - layout.begin.begin()) - 1;
        for (; reported < l; ++reported)
          reportProgress(progress, phase(reported + 1),
                         double(layout.begin[size_t(reported) + 1]) / double(total));
        reportProgress(progress, phase(l), double(last) / double(total));
      }
    }
  };
  // One pool task per pool thread. The pool hands tasks to whichever thread asks first, the
  // caller among them (run inline, all of them, when the pool is busy or this is itself a pool
  // task): the calling thread draws and reports in any task it gets; up to threads - 1 others
  // draw. A pool thread over that count holds its task until the caller has one (or nothing is
  // left to take): returning at once, it would take the next task, and could take every one
  // before the caller asks, leaving the caller no chunks to report between and no cancel. A
  // task never throws (the pool would not wait for the others): the first failure, a Cancelled
  // among them, stops every thread at its next chunk and is rethrown here.
  const std::thread::id caller = std::this_thread::get_id();
  const auto task = [&](int) {
    try {
      if (std::this_thread::get_id() == caller) {
        callerIn = true;
        work(true);
      } else if (helpers.fetch_add(1) < threads - 1) {
        work(false);
      } else {
        while (!callerIn && !allTaken && !stop) std::this_thread::yield();
      }
    } catch (...) {
      std::lock_guard<std::mutex> hold(lock);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
  };
  if (layers > 0) reportProgress(progress, phase(0), 0.0);
  if (threads == 1)
    task(0);
  else
    pool.forEach(poolThreads, task);
  if (failure) std::rethrow_exception(failure);
  // The layers the other threads finished last, in order, then the end.
  for (; reported < layers - 1; ++reported)
    reportProgress(progress, phase(reported + 1), double(layout.begin[size_t(reported) + 1]) / double(total));
  if (layers > 0) reportProgress(progress, phase(layers - 1), 1.0);
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
