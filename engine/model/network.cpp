#include "model/network.h"

#include <algorithm>
#include <cmath>

#include "model/activation.h"
#include "errors.h"
#include "model/initializer.h"
#include "model/layers/activation_layer.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dense.h"
#include "model/layers/dropout.h"
#include "model/loss.h"
#include "compute_pool.h"
#include "rng.h"

namespace layerscope {

namespace {

// data[0, count) = value, on the compute pool's threads (compute_pool.h): a large buffer's
// first touch (the kernel clearing its pages) is spread over the cores, one contiguous share of
// at least 4 Mi values per thread, as the threads made per call had. Not parallelChunks' 128 KB
// chunks, which the threads take in turn: on a 10 x 4096 net those made the allocating phase
// ~30 ms slower than these shares, in CPU and wall (0.29 against 0.25 s CPU, median of 25 builds
// each, alternated, on the shared 2-core machine).
void fillOnAllCores(Scalar* data, Eigen::Index count, Scalar value) {
  constexpr Eigen::Index kPerShare = Eigen::Index(1) << 22;
  ComputePool& pool = ComputePool::shared();
  const int shares = static_cast<int>(std::clamp<Eigen::Index>(count / kPerShare, 1, pool.threads()));
  pool.forEach(shares, [=](int t) {
    std::fill(data + count * t / shares, data + count * (t + 1) / shares, value);
  });
}

}  // namespace

Network::~Network() = default;

Network::Network(int inputs, int classes, const ModelConfig& model, std::uint64_t seed,
                 const Progress* progress)
    : inputs_(inputs), classes_(classes), model_(model) {
  if (inputs < 1) throw InputError("features: the data has no input features");
  if (classes < 1) throw InputError("classes: the data has no classes");
  const std::vector<int> widths = hiddenWidths(model);
  for (int w : widths)
    if (w < 1) throw InputError("width: every hidden layer needs at least one unit");
  if (model.dropout < 0.0 || model.dropout >= 1.0)
    throw InputError("dropout: drop probability must be in [0, 1)");

  Activation activation;
  activation.kind = parseActivation(model.activation);
  activation.leakySlope = model.leakySlope;
  activation.eluAlpha = model.eluAlpha;

  // Build the layer list and remember which values are the user-visible layers.
  views_.push_back({0, inputs, -1, -1, 0, 0});
  int fanIn = inputs;
  const auto addLayer = [this](LayerPtr layer) {
    layers_.push_back(std::move(layer));
    return static_cast<int>(layers_.size()) - 1;  // its output is values_[index + 1]
  };
  int dropoutIndex = 0;
  for (size_t l = 0; l < widths.size(); ++l) {
    LayerView view;
    view.index = static_cast<int>(l) + 1;
    view.units = widths[l];
    view.dense = addLayer(std::make_unique<Dense>(fanIn, widths[l]));
    view.preActivation = view.dense + 1;
    if (model.batchNorm) {
      view.batchNorm = addLayer(std::make_unique<BatchNorm>(widths[l]));
      view.preActivation = view.batchNorm + 1;
    }
    view.activation = addLayer(std::make_unique<ActivationLayer>(widths[l], activation)) + 1;
    if (model.dropout > 0.0) {
      ++dropoutIndex;
      addLayer(std::make_unique<Dropout>(
          widths[l], model.dropout, Rng::derived(seed, kStreamDropout * 1000 + dropoutIndex),
          Rng::derived(seed, kStreamProbeDropout * 1000 + dropoutIndex)));
    }
    views_.push_back(view);
    fanIn = widths[l];
  }
  LayerView output;
  output.index = static_cast<int>(widths.size()) + 1;
  output.units = classes;
  output.dense = addLayer(std::make_unique<Dense>(fanIn, classes));
  output.preActivation = output.activation = output.dense + 1;
  views_.push_back(output);

  // One contiguous buffer for every parameter, layers laid end to end.
  Eigen::Index total = 0;
  for (size_t i = 0; i < layers_.size(); ++i) {
    Eigen::Index n = 0;
    for (ParameterInfo info : layers_[i]->parameterShapes()) {
      n += info.rows * info.cols;
      info.offset += total;
      blocks_.push_back({static_cast<int>(i), info});
    }
    total += n;
  }
  // A 10 x 4096 net's two buffers are 1.2 GB. Their first touch (the kernel clearing the
  // pages, then the writes) is spread over every core: the gradients here, the weights by the
  // initializer below, both on the compute pool. Only the parameters the initializer does not
  // write (biases, batch norm) are set here. The regularization mask waits for its first use.
  // (Transparent huge pages, madvise'd, were tried and measured slower: 2.3 s instead of 0.5 s
  // to allocate, the kernel compacting memory to find 2 MiB pages on the shared 2-core machine;
  // bench_train --mode build.)
  const std::string allocating =
      "Allocating " + std::to_string((2 * sizeof(Scalar) * std::size_t(total)) >> 20) +
      " MB for " + std::to_string(total) + " parameters";
  reportProgress(progress, allocating, 0.0);
  for (Vector* buffer : {&parameters_, &parameterGradients_}) buffer->resize(total);
  fillOnAllCores(parameterGradients_.data(), total, Scalar(0));
  for (const ParameterBlock& block : blocks_) {
    const Eigen::Index size = block.info.rows * block.info.cols;
    // Weights (the regularized blocks) are the initializer's; batch norm starts as the
    // identity: gamma 1, beta 0; biases 0.
    if (!block.info.regularized)
      parameters_.segment(block.info.offset, size).setConstant(block.info.name == "gamma" ? 1 : 0);
  }
  reportProgress(progress, allocating, 1.0);
  {
    Eigen::Index offset = 0;
    for (auto& layer : layers_) {
      layer->bindParameters(parameters_.data() + offset, parameterGradients_.data() + offset);
      const Eigen::Index first = offset;
      for (const ParameterInfo& info : layer->parameterShapes()) offset += info.rows * info.cols;
      layerParameters_.emplace_back(first, offset - first);
    }
  }

  // Weights from the initializer, in layer order, from the experiment's weight stream, on every
  // core: the numbers do not depend on the thread count (initializeAllWeights). A 10 x 4096 net
  // draws 155 M normals.
  InitializerSpec spec{model.init, model.initStd, model.initBound, model.initConstant};
  std::vector<Eigen::Ref<Matrix>> weights;
  for (auto& layer : layers_)
    if (auto* d = dynamic_cast<Dense*>(layer.get())) weights.emplace_back(d->weights());
  initializeAllWeights(spec, weights, seed, 0, progress);

  values_.resize(layers_.size() + 1);
  gradients_.resize(layers_.size() + 1);
}

const Vector& Network::regularizationMask() const {
  if (regularizationMask_.size() != parameters_.size()) {
    regularizationMask_.resize(parameters_.size());
    for (const ParameterBlock& block : blocks_)
      fillOnAllCores(regularizationMask_.data() + block.info.offset, block.info.rows * block.info.cols,
                     block.info.regularized ? Scalar(1) : Scalar(0));
  }
  return regularizationMask_;
}

const Dense& Network::dense(int layerIndex) const {
  return static_cast<const Dense&>(*layers_.at(layerIndex));
}

const Matrix& Network::forward(Phase phase) {
  for (size_t i = 0; i < layers_.size(); ++i) layers_[i]->forward(values_[i], values_[i + 1], phase);
  return values_.back();
}

void Network::backward(const Matrix& gradLogits) {
  gradients_.back() = gradLogits;
  for (size_t i = layers_.size(); i-- > 0;) backwardLayer(i);
}

void Network::backwardLayer(size_t i) {
  // The input needs no gradient: skipping it saves a third of the first layer's backward.
  layers_[i]->backward(values_[i], values_[i + 1], gradients_[i + 1], gradients_[i], i > 0);
}

void Network::predictProbabilities(const Matrix& x, Matrix& probabilities, int chunk) {
  probabilities.resize(classes_, x.cols());
  for (Eigen::Index start = 0; start < x.cols(); start += chunk) {
    const Eigen::Index n = std::min<Eigen::Index>(chunk, x.cols() - start);
    values_[0] = x.middleCols(start, n);
    forward(Phase::Evaluation);
    softmax(values_.back(), chunk_);
    probabilities.middleCols(start, n) = chunk_;
  }
}

double Network::regularizationLoss(double l2, double l1) const {
  double loss = 0.0;
  if (l2 != 0.0)
    loss += l2 * (parameters_.array() * regularizationMask().array()).matrix().squaredNorm();
  if (l1 != 0.0)
    loss += l1 * (parameters_.array().abs() * regularizationMask().array()).sum();
  return loss;
}

void Network::addRegularizationGradient(double l2, double l1) {
  addRegularizationGradient(l2, l1, 0, parameters_.size());
}

void Network::addRegularizationGradient(double l2, double l1, Eigen::Index offset,
                                        Eigen::Index size) {
  // d/dW l2 W^2 = 2 l2 W; d/dW l1 |W| = l1 sign(W) (0 at 0, the subgradient PyTorch uses).
  // Element by element ((c W) mask, then g + it): any range gives each element the same bits.
  if (l2 == 0.0 && l1 == 0.0) return;
  auto g = parameterGradients_.segment(offset, size).array();
  const auto w = parameters_.segment(offset, size).array();
  const auto mask = regularizationMask().segment(offset, size).array();
  if (l2 != 0.0) g += Scalar(2 * l2) * w * mask;
  if (l1 != 0.0) g += Scalar(l1) * w.sign() * mask;
}

void Network::setDropout(double p) {
  model_.dropout = p;
  for (auto& layer : layers_)
    if (auto* d = dynamic_cast<Dropout*>(layer.get())) d->setDropProbability(p);
}

bool Network::hasDropout() const {
  for (const auto& layer : layers_)
    if (dynamic_cast<const Dropout*>(layer.get())) return true;
  return false;
}

}  // namespace layerscope
