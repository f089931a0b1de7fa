// Value types the training worker hands to the GUI thread through queued signals. They are
// copies (no pointers into the engine), registered with Qt's meta-type system so a queued
// connection can carry them across threads.
#pragma once

#include <QMetaType>
#include <QString>
#include <limits>
#include <memory>
#include <vector>

#include "config.h"
#include "training/keyframe.h"
#include "training/stats.h"

namespace layerscope {

// The loss of one optimisation step.
struct StepLoss {
  long step = 0;
  double loss = 0.0;
};

// Progress since the previous report: the worker sends one at most every ~30 ms.
struct TrainingProgress {
  long step = 0;          // steps done
  long plannedSteps = 0;
  int epoch = 0;
  double stepsPerSecond = 0.0;  // over the last reporting interval; 0 when not training
  // Steps per second over all the time this run has trained (pauses excluded): the speed a
  // finished run reports.
  double averageStepsPerSecond = 0.0;
  std::vector<StepLoss> losses;  // every step since the previous report
};

// The training split of a 2-D data set (network input space, i.e. after preprocessing), sent
// once per run for the decision-region plot. Bounded: at most a few thousand points.
struct PointCloud {
  std::vector<float> x, y;
  std::vector<int> label;
  int classes = 0;
  bool empty() const { return x.empty(); }
};

// What the GUI needs to know about the run the worker built.
struct RunInfo {
  unsigned generation = 0;  // which rebuild request this run answers
  long plannedSteps = 0;
  int inputs = 0;
  int classes = 0;
  int trainSamples = 0;
  int validationSamples = 0;
  // The validation split's majority-class rate: chance, for the memorization finding
  // (analysis/findings.h); NaN without a validation split.
  double validationChance = std::numeric_limits<double>::quiet_NaN();
  QString activation;
};

// A keyframe as the threads share it: taken by the worker, kept by the window, handed back to
// the worker for a branch; immutable, so no copy of the parameters crosses a thread.
using KeyframePtr = std::shared_ptr<const Keyframe>;

void registerTrainingMetaTypes();

}  // namespace layerscope

Q_DECLARE_METATYPE(layerscope::StatsSnapshot)
Q_DECLARE_METATYPE(layerscope::TrainingProgress)
Q_DECLARE_METATYPE(layerscope::PointCloud)
Q_DECLARE_METATYPE(layerscope::RunInfo)
Q_DECLARE_METATYPE(layerscope::ExperimentConfig)
Q_DECLARE_METATYPE(layerscope::KeyframePtr)
