#include "training/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <mutex>

#include <malloc.h>

#include "compute_threads.h"
#include "model/activation.h"
#include "data/source.h"
#include "errors.h"
#include "gemm.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dropout.h"
#include "model/loss.h"
#include "settings/schema.h"
#include "training/probe.h"


namespace layerscope {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Share of training time the automatic cadence lets full probes take: 1.5%, and light probes
// (ProbeDepth::Light) 1% more: together inside the probing budget of <= 3% of training time.
constexpr double kAutoStatsBudget = 0.015;
constexpr double kLightStatsBudget = 0.01;
// A light probe never looks at fewer samples than this (accuracy in steps of 1/8).
constexpr int kMinLightSamples = 8;
// A light probe of at most this much arithmetic (multiply-adds: forward and backward on its
// probe subset, forward on its validation subset) is not held to the budget: ~1 ms, so its
// kMinProbes probes add at most ~0.2 s to any run. Tiny nets (2-D playgrounds) train a step in
// microseconds; with the budget they would get a handful of probes, the straight lines the
// automatic cadence is there to avoid.
constexpr double kFreeLightProbeWork = 4e6;
// The update / weight ratio is measured on every 16th step (and before each scheduled probe).
constexpr long kUpdateRatioEvery = 16;
// A state is kept for resuming after a divergence only while its loss is below this factor
// times the run's first loss (or ln classes): Trainer::trainStep.
constexpr double kSaneLossFactor = 10.0;

// Cost of a probe in training steps: forward and backward on `probe` samples, forward only on
// `validation` (a third of a step per sample), +40% for the statistics themselves (measured on
// the 10 x 500 net).
double probeCostInSteps(int probe, int validation, int batch) {
  return 1.4 * (probe + validation / 3.0) / double(batch);
}
// A light probe also pays the statistics of every weight matrix (weight and weight-gradient
// moments: a few passes over all the parameters), whatever its sample count. Relative to a
// step (~6 x parameters x batch flops) that is like this many more probe samples: measured with
// bench_train --mode stats on the 10 x 500 net, a light probe of 8 + 8 samples took ~0.8 steps
// where the sample count alone predicts 0.12.
constexpr double kLightFixedSamples = 64;
double lightProbeCostInSteps(int probe, int validation, int batch) {
  return probeCostInSteps(probe, validation, batch) + 1.4 * kLightFixedSamples / double(batch);
}

// `count` of the columns `from` picks (in that order), sorted back into data order.
std::vector<int> firstSorted(const std::vector<int>& from, int count) {
  std::vector<int> picked(from.begin(), from.begin() + count);
  std::sort(picked.begin(), picked.end());
  return picked;
}

}  // namespace

// Eigen's matrix products allocate their packing buffers (hundreds of KB) on every call. With
// glibc's defaults each free hands them back to the kernel and the next call page-faults them in
// again: measured 8% of a 10 x 500 training step in page-fault handling, and 56 -> 71 steps/s
// once freed memory stays in the process. So raise the mmap and trim thresholds, once.
void keepFreedMemoryInProcess() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc accepts on 64-bit
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
  });
}

Trainer::Trainer(const ExperimentConfig& config, const Progress* progress)
    : Trainer(config, (validate(config), loadData(config.data, config.train.seed, progress)),
              progress) {}

Trainer::Trainer(const ExperimentConfig& config, DataSplits data, const Progress* progress)
    : config_(config), data_(std::move(data)), preprocessor_(config.data.preprocess),
      shuffleRng_(Rng::derived(config.train.seed, kStreamShuffle)) {
  validate(config_);
  initialize(nullptr, progress);
}

Trainer::Trainer(const ExperimentConfig& config, DataSplits data, const ModelState& model,
                 const Progress* progress)
    : config_(config), data_(std::move(data)), preprocessor_(model.preprocessor),
      shuffleRng_(Rng::derived(config.train.seed, kStreamShuffle)) {
  config_.model = model.model;
  config_.data.preprocess = model.preprocessor.kind();
  validate(config_);
  initialize(&model, progress);
}

Trainer::~Trainer() = default;

void Trainer::initialize(const ModelState* model, const Progress* progress) {
  const Dataset& train = data_.train;
  if (train.samples() < 1) throw InputError("dataset: the training split is empty");
  int classes = train.classes;
  for (const Dataset* s : {&data_.validation, &data_.test}) classes = std::max(classes, s->classes);
  if (classes < 1) throw InputError("dataset: no classes in the labels");
  if (model) {
    if (train.features() != model->inputs)
      throw InputError("model: it takes " + std::to_string(model->inputs) +
                       " input features, the data has " + std::to_string(train.features()));
    if (classes > model->classes)
      throw InputError("model: it predicts " + std::to_string(model->classes) +
                       " classes, the data has labels up to " + std::to_string(classes - 1));
    classes = model->classes;
  }
  data_.train.classes = data_.validation.classes = data_.test.classes = classes;

  // One phase ("Standardizing"): fitting reads the training split twice (mean, then variance),
  // applying writes every split once, so fitting is about half of it.
  const double fitShare = model || preprocessor_.kind() == "none" ? 0.0 : 0.5;
  const Progress fitting = progressPart(progress, 0.0, fitShare);
  const Progress applying = progressPart(progress, fitShare, 1.0);
  // An imported model brings its own fitted statistics.
  if (!model) preprocessor_.fit(train.x, progress ? &fitting : nullptr);
  preprocessor_.applyTo(data_, progress ? &applying : nullptr);

  setComputeThreads(config_.train.threads);
  keepFreedMemoryInProcess();
  network_ = std::make_unique<Network>(train.features(), classes, config_.model,
                                       config_.train.seed, progress);
  if (model) applyModelState(*model, *network_);
  optimizer_ = makeOptimizer(config_.train, network_->parameters().size());

  const int n = train.samples();
  const int batch = std::min(config_.train.batchSize, n);
  batchesPerEpoch_ = (n + batch - 1) / batch;
  plannedSteps_ = plannedStepsOf(config_.train);

  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0);
  std::shuffle(order_.begin(), order_.end(), shuffleRng_.engine());
  position_ = 0;

  // The fixed probe batch: up to probeSize training samples, chosen once from the seed.
  std::vector<int> all(n);
  std::iota(all.begin(), all.end(), 0);
  Rng probeRng = Rng::derived(config_.train.seed, kStreamProbe);
  std::shuffle(all.begin(), all.end(), probeRng.engine());
  const int probeCount = std::min(n, std::max(1, config_.stats.probeSize));
  // keeps the article's case (probe = whole set) in data order
  const std::vector<int> probeColumns = firstSorted(all, probeCount);
  probeX_.resize(train.features(), probeCount);
  probeY_.resize(probeCount);
  for (int j = 0; j < probeCount; ++j) {
    probeX_.col(j) = train.x.col(probeColumns[j]);
    probeY_[j] = train.y[probeColumns[j]];
  }

  // Automatic cadence. Full probes: within kAutoStatsBudget of training time. Then at least
  // kMinProbes probes in all: the ones in between are light, on small subsets, held to
  // kLightStatsBudget (fewer samples first, then fewer probes) unless their arithmetic is
  // negligible (kFreeLightProbeWork).
  const int validation = data_.validation.samples();
  if (config_.stats.every >= 0) {
    statsEvery_ = fullEvery_ = config_.stats.every;
  } else {
    const double fullCost = probeCostInSteps(probeCount, validation, batch);
    fullEvery_ = std::max<long>(1, long(std::ceil(fullCost / kAutoStatsBudget)));
    const long floorEvery = std::max<long>(1, plannedSteps_ / kMinProbes);
    statsEvery_ = fullEvery_;
    if (floorEvery < fullEvery_) {
      // Largest subset whose probes every floorEvery steps stay in the light budget:
      // S + S/3 samples (probe and validation subsets) <= budget * K * batch / 1.4.
      const int affordable = int(kLightStatsBudget * floorEvery * batch / 1.4 * 0.75);
      int light = std::clamp(affordable, kMinLightSamples, kLightProbeSamples);
      const double params = double(network_->parameters().size());
      const auto work = [&](int s) { return params * (3.0 * std::min(s, probeCount) +
                                                      std::min(s, validation)); };
      if (work(kLightProbeSamples) <= kFreeLightProbeWork) light = kLightProbeSamples;
      light = std::min(light, probeCount);
      // Light probes measure validation on the whole split when that is negligible, else not
      // at all (StatsSnapshot::validationRepeated); the budget still counts a subset's worth,
      // so the cadence is what it was, a little cautious.
      lightMeasuresValidation_ = params * double(validation) <= kFreeLightProbeWork;
      const int lightValidation = std::min(light, validation);
      long every = floorEvery;
      if (work(light) > kFreeLightProbeWork) {
        const double cost = lightProbeCostInSteps(light, lightValidation, batch);
        every = std::max(every, long(std::ceil(cost / kLightStatsBudget)));
      }
      if (every < fullEvery_) {
        statsEvery_ = every;
        // The subset: the first `light` of the probe batch's seeded order (a random subset,
        // not the first columns of data that generators write class by class).
        const std::vector<int> lightColumns = firstSorted(all, light);
        lightX_.resize(train.features(), light);
        lightY_.resize(light);
        for (int j = 0; j < light; ++j) {
          lightX_.col(j) = train.x.col(lightColumns[j]);
          lightY_[j] = train.y[lightColumns[j]];
        }
      }
    }
  }
}

void Trainer::setLearningRate(double lr) {
  config_.train.learningRate = lr;
  optimizer_->setLearningRate(lr);
}

void Trainer::setDropout(double p) {
  config_.model.dropout = p;
  network_->setDropout(p);
}

long Trainer::plannedStepsOf(const TrainConfig& train) const {
  return train.steps >= 0 ? train.steps : long(train.epochs) * batchesPerEpoch_;
}

void Trainer::setPlannedSteps(long steps) {
  // Lowered below the steps done: the run ends here (finished() is step_ >= plannedSteps_).
  // The probe cadence (statsEvery_) stays the one the run started with: probes change no
  // training state, so the numbers do not depend on it.
  plannedSteps_ = std::max(steps, step_);
}

void Trainer::applyLiveSettings(const ExperimentConfig& config) {
  if (needsRestart(config_, config)) {
    std::string field = "dropout";  // 0 <-> p > 0, when no structural setting changed
    for (const Setting* s : changedSettings(config_, config))
      if (s->effect == SettingEffect::Structural) {
        field = s->field();
        break;
      }
    throw InputError(field + ": this change needs a new run, it cannot apply live");
  }
  // The schema's live rows (settings/schema.h); a test keeps the two lists equal.
  if (config.train.learningRate != config_.train.learningRate) setLearningRate(config.train.learningRate);
  setL2(config.train.l2);
  setL1(config.train.l1);
  if (config.model.dropout != config_.model.dropout) setDropout(config.model.dropout);
  if (config.train.threads != config_.train.threads) {
    config_.train.threads = config.train.threads;  // no number depends on it (compute_threads.h)
    setComputeThreads(config_.train.threads);
  }
  // SettingEffect::Extends: the plan's length.
  if (config.train.steps != config_.train.steps || config.train.epochs != config_.train.epochs) {
    config_.train.steps = config.train.steps;
    config_.train.epochs = config.train.epochs;
    setPlannedSteps(plannedStepsOf(config_.train));
  }
}

// The state a diverged run returns to. Taken before every kFiniteStateEvery-th step (and the
// first): parameters, batch-norm running statistics (the training forward moves them) and the
// optimizer (momentum, Adam's moments and t). Cost: (1 + optimizer vectors) copies of the
// parameter buffer per kFiniteStateEvery steps; on the 10 x 500 tanh net (2.5 M parameters,
// batch 128) a copy takes ~1-3 ms against ~15 ms per step, so < 1% of training time with sgd
// and ~2% at worst with Adam's three buffers (finiteStateSeconds() measures it;
// tests/engine/training/test_trainer_resume.cpp holds it under 2% of trainSeconds()).
void Trainer::keepState(FiniteState& into) {
  const Clock::time_point start = Clock::now();
  into.step = step_;
  into.parameters = network_->parameters();  // same size after the first: no allocation
  size_t i = 0;
  for (const auto& layer : network_->layers())
    if (auto* bn = dynamic_cast<BatchNorm*>(layer.get())) {
      if (into.runningMeans.size() <= i) {
        into.runningMeans.resize(i + 1);
        into.runningVars.resize(i + 1);
      }
      into.runningMeans[i] = bn->runningMean();
      into.runningVars[i] = bn->runningVar();
      ++i;
    }
  optimizer_->copyInto(into.optimizer);
  finiteStateSeconds_ += secondsSince(start);
}

bool Trainer::resumeFromLastFinite() {
  if (!diverged_) return true;
  if (lastFinite_.step < 0) return false;
  network_->parameters() = lastFinite_.parameters;
  size_t i = 0;
  for (const auto& layer : network_->layers())
    if (auto* bn = dynamic_cast<BatchNorm*>(layer.get())) {
      bn->runningMean() = lastFinite_.runningMeans[i];
      bn->runningVar() = lastFinite_.runningVars[i];
      ++i;
    }
  lastFinite_.optimizer->copyInto(optimizer_);
  optimizer_->setLearningRate(config_.train.learningRate);  // the lowered one
  restoredFromStep_ = lastFinite_.step;
  diverged_ = false;
  divergence_.clear();
  lossSum_ = 0.0;  // the non-finite losses of the diverged steps are not the new curve's
  lossCount_ = 0;
  updateRatios_.clear();
  candidate_.step = -1;
  return true;
}

void Trainer::nextBatch() {
  const Dataset& train = data_.train;
  const int n = train.samples();
  const int batch = std::min(config_.train.batchSize, n);
  if (position_ >= order_.size()) {  // the previous batch ended an epoch: reshuffle
    std::shuffle(order_.begin(), order_.end(), shuffleRng_.engine());
    position_ = 0;
  }
  const int count = static_cast<int>(std::min<size_t>(batch, order_.size() - position_));
  Matrix& input = network_->input();  // resize is a no-op except for an epoch's last short batch
  input.resize(train.features(), count);
  batchLabels_.resize(count);
  // Column by column with memcpy: Eigen's col(j) = col(i) set up a vectorized loop per column,
  // about 1% of a 3 x 64 ReLU step at batch 32 (64 floats a column). A copy either way.
  const std::size_t columnBytes = sizeof(Scalar) * std::size_t(train.features());
  for (int j = 0; j < count; ++j) {
    const int i = order_[position_ + j];
    std::memcpy(input.col(j).data(), train.x.col(i).data(), columnBytes);
    batchLabels_[j] = train.y[i];
  }
  position_ += count;
  if (position_ >= order_.size()) ++epoch_;  // this batch completes an epoch
}

bool Trainer::probeDue() const {
  if (statsEvery_ <= 0) return false;
  return step_ == 0 || step_ % statsEvery_ == 0 || step_ % fullEvery_ == 0 ||
         step_ == plannedSteps_ || diverged_;
}

ProbeDepth Trainer::dueProbeDepth() const {
  if (statsEvery_ <= 0 || statsEvery_ == fullEvery_ || step_ == 0 || step_ % fullEvery_ == 0 ||
      step_ >= plannedSteps_ || diverged_)
    return ProbeDepth::Full;
  return ProbeDepth::Light;
}

// Keep the weights before the update when a probe follows (so it reports a fresh ratio), and
// every kUpdateRatioEvery steps regardless. One parameter copy per kUpdateRatioEvery steps: < 1%
// of a step.
bool Trainer::updateRatioDue() const {
  const bool probeFollows =
      statsEvery_ > 0 && ((step_ + 1) % statsEvery_ == 0 || (step_ + 1) % fullEvery_ == 0 ||
                          step_ + 1 == plannedSteps_);
  return probeFollows || step_ % kUpdateRatioEvery == 0;
}

StepResult Trainer::trainStep() {
  StepResult result;
  if (finished()) {
    result.step = step_;
    result.epoch = epoch_;
    result.finite = !diverged_;
    return result;
  }
  const Clock::time_point start = Clock::now();
  // Counted in the training time: the app's steps/s and the run summary include its cost.
  if (lastFinite_.step < 0 || step_ % kFiniteStateEvery == 0) keepState(candidate_);
  const bool measureUpdate = updateRatioDue();
  if (measureUpdate) parametersBeforeStep_ = network_->parameters();

  nextBatch();                                                  // batch: input(), labels
  const Matrix& logits = network_->forward(Phase::Training);    // forward: (classes, batch)
  const LossResult loss =                                       // loss: softmax cross-entropy
      softmaxCrossEntropy(logits, batchLabels_.data(), probabilities_, &gradLogits_);
  ++step_;
  if (!std::isfinite(loss.loss)) {
    checkDivergence(loss.loss);  // no update from a NaN / infinite loss; the run is finished
  } else {
    // The parameters this step started from gave a finite loss: they are the newest state a
    // divergence can return to, unless the loss is already exploding. A run on its way to a
    // divergence has finite losses of 1e18 for a few steps, and its parameters diverge again
    // at any learning rate; so a state is kept only while its loss is below
    // kSaneLossFactor x max(first loss, ln classes) (cross-entropy of a guess: ln K).
    if (std::isnan(firstLoss_)) firstLoss_ = loss.loss;
    const double sane =
        kSaneLossFactor * std::max(firstLoss_, std::log(double(std::max(2, network_->classes()))));
    if (candidate_.step >= 0 && loss.loss <= sane) {
      std::swap(candidate_, lastFinite_);
      candidate_.step = -1;
    }
    // dL/dparameters, + dR/dW, W -= update: each layer's regularization and update as soon as
    // its gradients are final, while they (and its weights, just read for dL/din) are still in
    // cache. Both are element by element, so the bits are those of one pass over the whole
    // buffer after the backward (Optimizer::update); on a 3 x 64 ReLU net at batch 32 the
    // separate SGD pass over the 13 k parameters was ~3% of a step, mostly L2 traffic.
    optimizer_->beginStep();
    Vector& parameters = network_->parameters();
    const Vector& gradients = network_->parameterGradients();
    const double l2 = config_.train.l2, l1 = config_.train.l1;
    network_->backward(gradLogits_, [&](Eigen::Index offset, Eigen::Index size) {
      network_->addRegularizationGradient(l2, l1, offset, size);
      optimizer_->update(parameters, gradients, offset, size);
    });
    if (measureUpdate) measureUpdateRatios(parametersBeforeStep_);
  }
  trainSeconds_ += secondsSince(start);
  lossSum_ += loss.loss;
  ++lossCount_;
  result.step = step_;
  result.epoch = epoch_;
  result.loss = loss.loss;
  result.finite = std::isfinite(loss.loss);
  return result;
}

void Trainer::measureUpdateRatios(const Vector& before) {
  const Vector& now = network_->parameters();
  for (const Network::ParameterBlock& b : network_->parameterBlocks()) {
    if (b.info.name != "W") continue;
    const Eigen::Index len = b.info.rows * b.info.cols;
    const auto w0 = before.segment(b.info.offset, len);
    const auto w1 = now.segment(b.info.offset, len);
    const double norm = w0.norm();
    if (updateRatios_.size() <= size_t(b.layer)) updateRatios_.resize(b.layer + 1, kNaN);
    updateRatios_[b.layer] = norm > 0 ? (w1 - w0).norm() / norm : kNaN;
  }
}

int Trainer::firstNonFiniteLayer() const {
  for (const LayerView& view : network_->layerViews()) {
    const Matrix& pre = network_->values()[view.preActivation];
    const Matrix& act = network_->values()[view.activation];
    if (!pre.allFinite() || !act.allFinite()) return view.index;
  }
  return -1;
}

void Trainer::checkDivergence(double loss) {
  diverged_ = true;
  const int layer = firstNonFiniteLayer();
  const int last = static_cast<int>(network_->layerViews().size()) - 1;
  divergence_ = "diverged at step " + std::to_string(step_) + ": the loss is " +
                (std::isnan(loss) ? "NaN" : "infinite");
  if (layer >= 0)
    divergence_ += "; the first non-finite values are in layer " + std::to_string(layer) +
                   (layer == last ? " (output logits)" : layer == 0 ? " (input)" : "");
  else
    divergence_ += " (every activation is finite: the logits overflow the softmax)";
  divergence_ += ". Lower the learning rate or use a smaller initialization.";
}

std::pair<double, double> Trainer::evaluate(const Dataset& split, const Progress* progress) {
  if (split.samples() == 0) return {kNaN, kNaN};
  constexpr int kChunk = 1024;
  double lossSum = 0.0;
  long correct = 0;
  for (int start = 0; start < split.samples(); start += kChunk) {
    const int n = std::min(kChunk, split.samples() - start);
    network_->input() = split.x.middleCols(start, n);
    const Matrix& logits = network_->forward(Phase::Evaluation);
    const LossResult r = softmaxCrossEntropy(logits, split.y.data() + start, probabilities_, nullptr);
    lossSum += r.loss * n;
    correct += r.correct;
    reportProgress(progress, kFinalEvaluationPhase, double(start + n) / split.samples());
  }
  return {lossSum / split.samples(), double(correct) / split.samples()};
}

StatsSnapshot Trainer::probe(ProbeDepth depth) {
  const bool light = depth == ProbeDepth::Light && lightX_.cols() > 0;
  const Clock::time_point start = Clock::now();
  StatsSnapshot s;
  s.step = step_;
  s.epoch = epoch_;
  s.elapsedSeconds = trainSeconds_;
  s.learningRate = config_.train.learningRate;
  s.trainLoss = lossCount_ > 0 ? lossSum_ / lossCount_ : kNaN;
  lossSum_ = 0.0;
  lossCount_ = 0;

  // Forward and backward on the fixed probe batch; no parameter moves, no state changes.
  const Phase phase = config_.stats.probeTrainingMode ? Phase::Probing : Phase::Evaluation;
  const std::vector<int>& labels = light ? lightY_ : probeY_;
  network_->input() = light ? lightX_ : probeX_;
  const Matrix& logits = network_->forward(phase);
  Matrix gradLogits;
  const LossResult r = softmaxCrossEntropy(logits, labels.data(), probabilities_, &gradLogits);
  s.probeLoss = r.loss;
  s.probeAccuracy = double(r.correct) / double(labels.size());
  if (std::isfinite(r.loss)) network_->backward(gradLogits);
  // Before anything else runs through the network: the layer statistics read this pass.
  s.layers = measureLayers(*network_, parseActivation(config_.model.activation),
                           config_.stats.histogramBins, updateRatios_, &histogramGrids_);

  // Validation on the whole split, or at a light probe whose split is not negligible the last
  // measured numbers again (StatsSnapshot::validationRepeated says why).
  s.validationRepeated = light && !lightMeasuresValidation_;
  if (!s.validationRepeated) {
    const auto [validationLoss, validationAccuracy] = evaluate(data_.validation);
    lastValidation_ = {validationLoss, validationAccuracy};
  }
  s.validationLoss = lastValidation_.first;
  s.validationAccuracy = lastValidation_.second;
  if (data_.train.features() == 2 && !light) s.decision = decisionGrid(*network_, data_.train.x);

  for (const LayerStats& layer : s.layers)
    if (!layer.finite && !diverged_) {
      diverged_ = true;
      divergence_ = "diverged at step " + std::to_string(step_) + ": layer " +
                    std::to_string(layer.layer) + " has non-finite activations on the probe batch." +
                    " Lower the learning rate or use a smaller initialization.";
      break;
    }
  s.diverged = diverged_;
  s.divergence = divergence_;
  statsSeconds_ += secondsSince(start);
  return s;
}

RunSummary Trainer::summary(const Progress* progress) {
  RunSummary r;
  r.steps = step_;
  r.trainSeconds = trainSeconds_;
  r.statsSeconds = statsSeconds_;
  r.stepsPerSecond = trainSeconds_ > 0 ? step_ / trainSeconds_ : 0.0;
  // One phase over the three splits, each its share of the samples.
  const double total = std::max(1, data_.train.samples() + data_.validation.samples() +
                                       data_.test.samples());
  const double afterTrain = data_.train.samples() / total;
  const double afterValidation = afterTrain + data_.validation.samples() / total;
  const Progress trainPart = progressPart(progress, 0.0, afterTrain);
  const Progress validationPart = progressPart(progress, afterTrain, afterValidation);
  const Progress testPart = progressPart(progress, afterValidation, 1.0);
  const auto part = [progress](const Progress& p) { return progress ? &p : nullptr; };
  const auto [trainLoss, trainAccuracy] = evaluate(data_.train, part(trainPart));
  r.finalLoss = trainLoss;
  r.trainAccuracy = trainAccuracy;
  r.validationAccuracy = evaluate(data_.validation, part(validationPart)).second;
  r.testAccuracy = evaluate(data_.test, part(testPart)).second;
  r.diverged = diverged_;
  r.divergence = divergence_;
  return r;
}

RunSummary Trainer::run(const std::function<void(const StatsSnapshot&)>& onSnapshot,
                        const std::function<bool()>& cancel,
                        const std::function<void(const StepResult&)>& onStep,
                        const Progress* finalEvaluation) {
  if (probeDue() && onSnapshot) onSnapshot(probe(dueProbeDepth()));
  while (!finished()) {
    if (cancel && cancel()) break;
    const StepResult step = trainStep();
    if (onStep) onStep(step);
    if (onSnapshot && probeDue()) onSnapshot(probe(dueProbeDepth()));
  }
  return summary(finalEvaluation);
}

}  // namespace layerscope
