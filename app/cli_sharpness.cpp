#include "cli_sharpness.h"

#include <cmath>
#include <cstdio>

#include "errors.h"
#include "io/atomic_file.h"

namespace layerscope {

SharpnessRecorder::SharpnessRecorder(const CliOptions& options)
    : every_(options.sharpnessEvery), path_(options.sharpnessCsv) {
  if (every_ > 0 && path_.empty())
    throw InputError("--sharpness-every: the estimates go into --sharpness-csv FILE: give it too");
  if (every_ <= 0 && !path_.empty())
    throw InputError("--sharpness-csv: give --sharpness-every K (how often to measure)");
  options_.maxIterations = options.sharpnessIterations;
}

void SharpnessRecorder::afterStep(Trainer& trainer, long step) {
  if (!enabled() || step == lastStep_) return;
  if (step != 0 && step % every_ != 0 && !trainer.finished()) return;
  lastStep_ = step;
  const SharpnessResult r = sharpness(trainer, options_);
  const double threshold = edgeOfStability(trainer.config().train);
  char row[240];
  if (std::isnan(threshold))
    std::snprintf(row, sizeof row, "%ld,%.9g,,%d,%.6g,", step, r.sharpness, r.iterations,
                  r.seconds);
  else
    std::snprintf(row, sizeof row, "%ld,%.9g,%.9g,%d,%.6g,", step, r.sharpness, threshold,
                  r.iterations, r.seconds);
  csv_ += row;
  // Adam's edge is of P^-1 H; P needs its second moments, so none before the first step.
  const TrainConfig& train = trainer.config().train;
  if (train.optimizer == "adam" && trainer.stepsDone() > 0) {
    const SharpnessResult p = preconditionedSharpness(trainer, options_);
    std::snprintf(row, sizeof row, "%.9g,%.9g", p.sharpness, adamEdgeOfStability(train));
    csv_ += row;
  } else {
    csv_ += ",";
  }
  csv_ += "\n";
}

void SharpnessRecorder::write() const {
  if (enabled()) writeFileAtomically(path_, csv_);
}

}  // namespace layerscope
