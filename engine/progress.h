// Progress of long work and its cancellation, without Qt: loading a data set (per file and per
// chunk), standardizing it, drawing a wide net's weights (per layer) and a final evaluation (per
// batch). The app's worker thread turns the reports into a progress bar with a Cancel button
// (ui/run/training_worker.h), layerscope-cli into a line on stderr (app/cli_progress.h).
//
// Cancelling throws Cancelled out of the work. Everything being built lives in locals until it
// is complete (a Trainer, a loaded Dataset), so a cancelled build leaves nothing half-made.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace layerscope {

// The work was cancelled (Progress::cancelled said so). Not an InputError: nothing was wrong.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

struct Progress {
  // `phase` says what is being done, in words ("Loading fashion-mnist train images", "Drawing
  // weights, layer 4/11", "Final evaluation"); `fraction` in [0, 1] is how much of that phase
  // is done: non-decreasing within a phase, 1 when it ends.
  std::function<void(const std::string& phase, double fraction)> report;
  // Asked between chunks (a few per second at least): true stops the work with Cancelled.
  std::function<bool()> cancelled;
};

// Reports `fraction` of `phase` to `progress` (when there is one), then throws Cancelled when
// the work is to stop. Called between chunks of work, never inside one.
inline void reportProgress(const Progress* progress, const std::string& phase, double fraction) {
  if (!progress) return;
  if (progress->report) progress->report(phase, fraction);
  if (progress->cancelled && progress->cancelled()) throw Cancelled();
}

// A part of `parent`'s phase: fraction f of the part is from + f * (to - from) of the whole, so
// one phase ("Final evaluation" over three splits) stays monotone across its parts. Null when
// `parent` is null.
inline Progress progressPart(const Progress* parent, double from, double to) {
  if (!parent) return {};
  Progress part;
  part.cancelled = parent->cancelled;
  if (parent->report)
    part.report = [report = parent->report, from, to](const std::string& phase, double f) {
      report(phase, from + f * (to - from));
    };
  return part;
}

}  // namespace layerscope
