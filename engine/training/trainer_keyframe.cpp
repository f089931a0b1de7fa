// A run's keyframe: everything a Trainer needs to continue bit for bit (training/keyframe.h),
// taken from a running trainer and restored into one, every field checked before any changes.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "errors.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dropout.h"
#include "training/keyframe.h"
#include "training/optimizer.h"
#include "training/trainer.h"

namespace layerscope {

Keyframe Trainer::keyframe() const {
  Keyframe k;
  k.step = step_;
  k.epoch = epoch_;
  k.architecture = networkArchitecture(*network_);
  k.parameters = network_->parameters();
  for (const LayerPtr& layer : network_->layers()) {
    if (auto* bn = dynamic_cast<const BatchNorm*>(layer.get())) {
      k.runningMeans.push_back(bn->runningMean());
      k.runningVars.push_back(bn->runningVar());
    }
    if (auto* dropout = dynamic_cast<const Dropout*>(layer.get())) {
      k.dropoutRngs.push_back(dropout->trainingRng().state());
      k.probeDropoutRngs.push_back(dropout->probeRng().state());
    }
  }
  k.optimizer = optimizer_->state();
  k.shuffleRng = shuffleRng_.state();
  k.order = order_;
  k.position = long(position_);
  k.lossSum = lossSum_;
  k.lossCount = lossCount_;
  k.updateRatios = updateRatios_;
  k.histogramGrids = histogramGrids_;
  k.firstLoss = firstLoss_;
  k.diverged = diverged_;
  k.divergence = divergence_;
  k.trainSeconds = trainSeconds_;
  k.statsSeconds = statsSeconds_;
  return k;
}

void Trainer::useOptimizerOf(const TrainConfig& train) {
  config_.train.optimizer = train.optimizer;
  config_.train.momentum = train.momentum;
  config_.train.beta1 = train.beta1;
  config_.train.beta2 = train.beta2;
  config_.train.epsilon = train.epsilon;
}

void Trainer::restore(const Keyframe& k) {
  // Everything is checked (and the random states parsed) before anything changes, so a bad
  // keyframe leaves the run as it was.
  const auto refuse = [](const std::string& why) {
    throw InputError("keyframe: " + why);
  };
  const std::string architecture = networkArchitecture(*network_);
  if (k.architecture != architecture)
    refuse("it is of the network " + k.architecture + ", this run's is " + architecture);
  if (k.parameters.size() != network_->parameters().size())
    refuse("it has " + std::to_string(k.parameters.size()) + " parameters, this network " +
           std::to_string(network_->parameters().size()));
  std::vector<BatchNorm*> batchNorms;
  std::vector<Dropout*> dropouts;
  for (const LayerPtr& layer : network_->layers()) {
    if (auto* bn = dynamic_cast<BatchNorm*>(layer.get())) batchNorms.push_back(bn);
    if (auto* dropout = dynamic_cast<Dropout*>(layer.get())) dropouts.push_back(dropout);
  }
  if (k.runningMeans.size() != batchNorms.size() || k.runningVars.size() != batchNorms.size())
    refuse("it has running statistics of " + std::to_string(k.runningMeans.size()) +
           " batch-norm layers, this network " + std::to_string(batchNorms.size()));
  for (size_t i = 0; i < batchNorms.size(); ++i)
    if (k.runningMeans[i].size() != batchNorms[i]->runningMean().size() ||
        k.runningVars[i].size() != batchNorms[i]->runningVar().size())
      refuse("batch-norm layer " + std::to_string(i + 1) + ": running statistics of " +
             std::to_string(k.runningMeans[i].size()) + " units, this network has " +
             std::to_string(batchNorms[i]->runningMean().size()));
  if (k.dropoutRngs.size() != dropouts.size() || k.probeDropoutRngs.size() != dropouts.size())
    refuse("it has random states of " + std::to_string(k.dropoutRngs.size()) +
           " dropout layers, this network " + std::to_string(dropouts.size()));
  Rng shuffle(0);
  if (!shuffle.setState(k.shuffleRng)) refuse("the shuffling's random state is damaged");
  std::vector<Rng> training(dropouts.size(), Rng(0)), probing(dropouts.size(), Rng(0));
  for (size_t i = 0; i < dropouts.size(); ++i)
    if (!training[i].setState(k.dropoutRngs[i]) || !probing[i].setState(k.probeDropoutRngs[i]))
      refuse("dropout layer " + std::to_string(i + 1) + ": its random state is damaged");
  const size_t n = size_t(data_.train.samples());
  if (k.order.size() != n)
    refuse("it is of a training split of " + std::to_string(k.order.size()) +
           " samples, this run's has " + std::to_string(n));
  std::vector<bool> seen(n, false);
  for (int i : k.order) {
    if (i < 0 || size_t(i) >= n || seen[size_t(i)])
      refuse("its batch order is not a permutation of the training samples");
    seen[size_t(i)] = true;
  }
  if (k.position < 0 || size_t(k.position) > n)
    refuse("batch position " + std::to_string(k.position) + " is outside the epoch of " +
           std::to_string(n) + " samples");
  if (k.step < 0 || k.epoch < 0) refuse("negative step or epoch count");
  if (k.updateRatios.size() > network_->layers().size() ||
      k.histogramGrids.layers.size() > network_->layerViews().size())
    refuse("it measures more layers than this network has");
  for (const auto& grids : k.histogramGrids.layers)
    for (const HistogramGrid& g : grids)
      // In unsigned arithmetic: last - first of a damaged grid may overflow a long.
      if (!(g.width >= 0.0) || !std::isfinite(g.width) || !std::isfinite(g.origin) ||
          g.last < g.first || std::uint64_t(g.last) - std::uint64_t(g.first) > kMaxGridBins)
        refuse("a histogram grid is damaged");
  // The optimizer as this run's config builds it (its learning rate, momentum, betas), with the
  // keyframe's state when it is the same kind; another kind keeps the fresh state.
  std::unique_ptr<Optimizer> optimizer = makeOptimizer(config_.train, network_->parameters().size());
  if (k.optimizer.kind == optimizer->name() && !optimizer->setState(k.optimizer))
    refuse("the " + k.optimizer.kind + " optimizer's state does not fit this network");

  network_->parameters() = k.parameters;
  for (size_t i = 0; i < batchNorms.size(); ++i) {
    batchNorms[i]->runningMean() = k.runningMeans[i];
    batchNorms[i]->runningVar() = k.runningVars[i];
  }
  for (size_t i = 0; i < dropouts.size(); ++i) {
    dropouts[i]->trainingRng() = training[i];
    dropouts[i]->probeRng() = probing[i];
  }
  optimizer_ = std::move(optimizer);
  shuffleRng_ = shuffle;
  step_ = k.step;
  epoch_ = k.epoch;
  order_ = k.order;
  position_ = size_t(k.position);
  lossSum_ = k.lossSum;
  lossCount_ = k.lossCount;
  updateRatios_ = k.updateRatios;
  histogramGrids_ = k.histogramGrids;
  firstLoss_ = k.firstLoss;
  diverged_ = k.diverged;
  divergence_ = k.divergence;
  trainSeconds_ = k.trainSeconds;
  statsSeconds_ = k.statsSeconds;
  lastFinite_.step = candidate_.step = -1;
  restoredFromStep_ = -1;
  // Not in a keyframe: repeated validation numbers are NaN until a probe measures them.
  lastValidation_ = {std::numeric_limits<double>::quiet_NaN(),
                         std::numeric_limits<double>::quiet_NaN()};
  // The plan is this run's config's: a keyframe past its end is a finished run.
  plannedSteps_ = plannedStepsOf(config_.train);
}

}  // namespace layerscope
