// The training loop, as one readable recipe:
//   batch -> forward -> loss -> backward -> regularization gradient -> optimizer step
// with its instrumentation around it (training time, divergence check, update / weight ratios),
// and, every K steps, a probe: statistics of every layer on a fixed probe batch (what is
// measured is training/probe.h; the results are training/stats.h and training/run_summary.h).
// Used step by step by the UI's worker thread and run to the end by the CLI.
#pragma once

#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config.h"
#include "data/preprocess.h"
#include "data/dataset.h"
#include "model/network.h"
#include "progress.h"
#include "training/keyframe.h"
#include "training/model_state.h"
#include "training/optimizer.h"
#include "rng.h"
#include "training/run_summary.h"
#include "training/stats.h"

namespace layerscope {

// What a probe measures. Full: the whole probe batch, the whole validation split and, for 2-D
// data, the decision grid. Light: the same statistics on small subsets chosen once from the seed
// (up to kLightProbeSamples of the probe batch and of the validation split), no decision grid:
// the automatic cadence's intermediate probes, so a run gets its >= kMinProbes curve points
// without paying a full probe each time.
enum class ProbeDepth { Full, Light };

// The automatic cadence (stats.stats_every = auto) gives every run at least this many probes
// spread over its steps (all of its steps + 1 when it has fewer), within the probing budget.
constexpr long kMinProbes = 200;
constexpr int kLightProbeSamples = 64;
// What evaluate() and summary() report doing.
inline constexpr const char* kFinalEvaluationPhase = "Final evaluation";

class Trainer {
 public:
  // Loads the data named by the config, fits the preprocessing on the training split, builds the
  // network. Throws InputError for bad settings or bad files. Loading, standardizing and
  // drawing the weights report to `progress` (progress.h); when it cancels, Cancelled is
  // thrown and no Trainer exists.
  explicit Trainer(const ExperimentConfig& config, const Progress* progress = nullptr);
  // Same, with data already loaded (not yet preprocessed).
  Trainer(const ExperimentConfig& config, DataSplits data, const Progress* progress = nullptr);
  // Starts from a trained model (onnx_import.h) instead of fresh weights: its architecture and
  // its fitted preprocessing replace the config's, so its statistics can be inspected on this
  // data, or its training continued. Throws InputError when the data's features or classes do
  // not match the model's.
  Trainer(const ExperimentConfig& config, DataSplits data, const ModelState& model,
          const Progress* progress = nullptr);
  ~Trainer();

  const ExperimentConfig& config() const { return config_; }
  long stepsDone() const { return step_; }
  int epochsDone() const { return epoch_; }
  long plannedSteps() const { return plannedSteps_; }  // from --steps or epochs x batches/epoch
  bool finished() const { return diverged_ || step_ >= plannedSteps_; }
  bool diverged() const { return diverged_; }
  const std::string& divergence() const { return divergence_; }
  long statsEvery() const { return statsEvery_; }  // the resolved cadence (0: never)
  // Of the resolved cadence, the steps whose probe is full (a multiple of this, step 0, the last
  // step); the others are light. Equal to statsEvery() when every probe is full.
  long fullStatsEvery() const { return fullEvery_; }

  // One optimisation step on the next batch. Detects a non-finite loss (the run is then
  // finished, diverged() is true and divergence() says at which step and layer).
  StepResult trainStep();
  // Whether the configured cadence asks for a probe now (step 0, every K steps, the last step).
  bool probeDue() const;
  // What the probe due now measures (ProbeDepth::Light only under the automatic cadence).
  ProbeDepth dueProbeDepth() const;
  // Statistics of every layer on the fixed probe batch, validation loss and accuracy, and the
  // decision grid for 2-D data. Changes no training state: the run's numbers are the same
  // whether or not (and how often) it is probed.
  StatsSnapshot probe(ProbeDepth depth = ProbeDepth::Full);
  // Accuracy and loss over the whole splits (evaluation mode): the final evaluation, reported
  // per batch of 1024 samples as kFinalEvaluationPhase over the three splits (may cancel).
  RunSummary summary(const Progress* progress = nullptr);
  // Runs to the end: probes when due (onSnapshot gets each, at the depth dueProbeDepth() says),
  // onStep gets every step's result (its batch loss), stops early when cancel() is true; then
  // summary(finalEvaluation).
  RunSummary run(const std::function<void(const StatsSnapshot&)>& onSnapshot = {},
                 const std::function<bool()>& cancel = {},
                 const std::function<void(const StepResult&)>& onStep = {},
                 const Progress* finalEvaluation = nullptr);

  // Settings that apply live, between steps.
  // All of them at once: the live settings of `config` (SettingEffect::Live and LiveNonZero in
  // settings/schema.h) replace this run's. Throws InputError when `config` differs in a
  // setting that needs a new run (needsRestart()).
  void applyLiveSettings(const ExperimentConfig& config);
  void setLearningRate(double lr);
  void setL2(double l2) { config_.train.l2 = l2; }
  void setL1(double l1) { config_.train.l1 = l1; }
  // Only between non-zero values when the network was built without dropout layers.
  void setDropout(double p);
  // The plan's length (SettingEffect::Extends): a finished run continues up to `steps`; below
  // the steps done the run ends where it is (plannedSteps() becomes stepsDone()). Nothing done
  // is redone and no random stream is touched, so a run extended from 100 to 200 steps equals
  // a 200-step run bit for bit. applyLiveSettings calls it for the config's epochs / steps.
  void setPlannedSteps(long steps);
  // The steps the config's plan asks for: its steps, or epochs x batches per epoch.
  long plannedStepsOf(const TrainConfig& train) const;

  // After a divergence: returns the network (parameters, batch-norm running statistics) and the
  // optimizer's state to those of the last kept step whose loss was finite (and not exploding:
  // below 10 x the first loss or ln classes), clears diverged(),
  // and lets training go on with the current settings (a lowered learning rate). The step
  // count goes on from where it was (curves over steps stay monotonic). False when no finite
  // step was kept (the very first loss was not finite): the run stays diverged.
  bool resumeFromLastFinite();
  // The step whose parameters resumeFromLastFinite() restored last (-1: none yet), and the
  // step of the newest kept finite state (-1: none).
  long restoredFromStep() const { return restoredFromStep_; }
  long lastFiniteStep() const { return lastFinite_.step; }
  // Every this many steps the state before the step is kept (and promoted to "last finite" once
  // that step's loss is finite). Copying the parameters costs ~1 memcpy of the weights; once
  // every kFiniteStateEvery steps keeps it well under 1% of training time (measured on the
  // 10 x 500 net, see trainer.cpp).
  static constexpr long kFiniteStateEvery = 16;
  double finiteStateSeconds() const { return finiteStateSeconds_; }

  // Everything this run is now (training/keyframe.h): restore() on a Trainer of the same
  // network and data continues from here bit for bit. Costs a copy of the parameters and the
  // optimizer's buffers.
  Keyframe keyframe() const;
  // A branch's update rule: the optimizer settings of `train` (its kind, momentum, betas,
  // epsilon) replace this run's, for the restore() that follows, which builds the optimizer
  // from them (with the keyframe's state when it is of the same kind). A structural setting
  // for a running run; a branch starts a run of its own from the keyframe.
  void useOptimizerOf(const TrainConfig& train);
  // Makes this run the one the keyframe was taken from, at its step: a branch (this Trainer's
  // config may differ in its live settings and its optimizer) or a rewind (this Trainer may
  // already have trained past the keyframe). The settings stay this Trainer's: learning rate,
  // L2, L1, dropout, the plan's length. Of the optimizer's state, the keyframe's is taken when
  // it is the same kind (sgd, momentum, nesterov, adam); another kind starts with fresh state
  // (zero moments, t = 0), as a new run of that optimizer would, since another optimizer's
  // moments mean something else. The divergence fallback (resumeFromLastFinite) starts over
  // from the keyframe: the states kept before it belong to the run it was taken from.
  // Throws InputError, changing nothing, when the keyframe is of another network (its
  // architecture, parameter count, batch-norm or dropout layers) or another training split
  // (its sample count), or is damaged (a random state that does not parse, an order that is
  // not a permutation).
  void restore(const Keyframe& keyframe);
  double trainSeconds() const { return trainSeconds_; }

  Network& network() { return *network_; }
  const Network& network() const { return *network_; }
  const Preprocessor& preprocessor() const { return preprocessor_; }
  const DataSplits& data() const { return data_; }  // preprocessed
  const Matrix& probeInputs() const { return probeX_; }
  const std::vector<int>& probeLabels() const { return probeY_; }

  // Evaluation-mode loss and accuracy of a whole split (chunked, bounded memory), each chunk of
  // 1024 samples reported as kFinalEvaluationPhase to `progress` (which may cancel).
  std::pair<double, double> evaluate(const Dataset& split, const Progress* progress = nullptr);

 private:
  void initialize(const ModelState* model, const Progress* progress);
  void nextBatch();
  bool updateRatioDue() const;
  void checkDivergence(double loss);
  int firstNonFiniteLayer() const;

  // The state to return to after a divergence (resumeFromLastFinite).
  struct FiniteState {
    long step = -1;  // the steps done when it was taken; -1: none
    Vector parameters;
    std::vector<Vector> runningMeans, runningVars;  // per batch-norm layer
    std::unique_ptr<Optimizer> optimizer;
  };
  void keepState(FiniteState& into);
  FiniteState lastFinite_;  // its step's loss was finite
  FiniteState candidate_;   // taken before the current step; promoted when its loss is finite
  long restoredFromStep_ = -1;
  double firstLoss_ = std::numeric_limits<double>::quiet_NaN();  // of the run's first step
  double finiteStateSeconds_ = 0.0;

  ExperimentConfig config_;
  DataSplits data_;
  Preprocessor preprocessor_;
  std::unique_ptr<Network> network_;
  std::unique_ptr<Optimizer> optimizer_;
  Rng shuffleRng_;

  long step_ = 0;
  int epoch_ = 0;
  long plannedSteps_ = 0;
  long batchesPerEpoch_ = 1;
  long statsEvery_ = 0;
  long fullEvery_ = 0;
  bool diverged_ = false;
  std::string divergence_;

  // Batch iteration over a shuffled order of the training split.
  std::vector<int> order_;
  size_t position_ = 0;
  std::vector<int> batchLabels_;
  Matrix probabilities_, gradLogits_;  // (classes, batch)

  // The fixed probe batch, chosen once from the seed.
  Matrix probeX_;
  std::vector<int> probeY_;
  // The light probes' subsets (ProbeDepth::Light), chosen once from the seed.
  Matrix lightX_;
  std::vector<int> lightY_;
  // Whether light probes evaluate the whole validation split (it costs next to nothing), and
  // the last measured validation loss and accuracy, which the other light probes repeat.
  bool lightMeasuresValidation_ = false;
  std::pair<double, double> lastValidation_{std::numeric_limits<double>::quiet_NaN(),
                                                std::numeric_limits<double>::quiet_NaN()};

  // Update / weight ratio ||W_after - W_before|| / ||W_before|| of one step, per dense layer.
  // Measured on the step before each scheduled probe and every kUpdateRatioEvery steps (a copy
  // of the parameters, then norms), so a probe at any step (the app's time-based probes, a
  // pause) reports the ratio of a recent single update, not of however many steps passed since
  // the last scheduled probe.
  void measureUpdateRatios(const Vector& before);
  Vector parametersBeforeStep_;
  std::vector<double> updateRatios_;  // by dense layer; empty until the first measurement

  // The run's histogram bin edges, laid by the first probe and only extended after
  // (training/stats.h, HistogramGrid), so every snapshot's histograms share them.
  HistogramGrids histogramGrids_;

  double lossSum_ = 0.0;  // batch losses since the previous snapshot
  long lossCount_ = 0;
  double trainSeconds_ = 0.0, statsSeconds_ = 0.0;
};

// Keeps freed heap memory in the process (glibc mallopt), so per-product scratch buffers do not
// page-fault on every training step. Called by the Trainer; idempotent.
void keepFreedMemoryInProcess();

}  // namespace layerscope
