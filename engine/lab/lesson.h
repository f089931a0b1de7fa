// Lessons: the article's sections as ready-made experiments (resources/lessons/ID.json), each
// with the text that says what to look at and why, the runs to make, and the claims ("checks")
// that a headless run verifies, so a lesson can never silently stop showing what it says.
//
// The format, every field and check kind with an example, is documented for lesson writers in
// docs/LESSONS.md; in short:
//
//   {"id": "small_random", "order": 4, "title": "...", "section": "2. Parameter initialization",
//    "text": "...", "look_at": ["depth_profile", "histograms", "gradients"],
//    "histogram_mode": "post_activation",
//    "runs": [{"label": "N(0, 0.01)", "experiment": {<experiment file, may be partial>}}],
//    "checks": [{"run": 0, "quantity": "layer_std", "layer": "last_hidden", "step": "initial",
//                "op": "<", "value": 1e-5},
//               {"run": 1, "quantity": "train_accuracy", "op": "<", "other_run": 0}]}
//
// A run's "experiment" is the experiment-file format (experiment_file.h); "format" may be left
// out and missing keys keep their defaults. A relative "csv:PATH" or "idx:PATH" data source is
// resolved against the lesson file's folder, so lessons can ship their data next to them.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "analysis/jacobian.h"
#include "config.h"
#include "training/run_summary.h"
#include "training/stats.h"

namespace layerscope {

class Trainer;

// What a run measures beyond its probes, only because a check reads it (set by the loader):
// each costs far more than a probe.
struct LessonMeasures {
  // Once after the run: tens of forward and backward passes (analysis/sharpness.h).
  bool sharpness = false;
  // The input-output Jacobian's singular values on the first 16 probe samples, before and
  // after training (analysis/jacobian.h: L products and an SVD per sample; the 10 x 500 net
  // takes ~2.5 s, a 50 x 32 one ~10 ms).
  bool jacobianInitial = false, jacobianFinal = false;
};

struct LessonRun {
  std::string label;
  ExperimentConfig experiment;
  LessonMeasures measures;
};

// One claim about a run: quantity(run) op value, or quantity(run) op factor * quantity(other)
// + margin.
//
// quantity, from a snapshot (`step` "initial" = the freshly initialized network, "final" = after
// the run's training; they are the same snapshot for a run of 0 steps):
//   per layer (`layer`: "first_hidden" | "last_hidden" | "every_hidden" | "output" | an index):
//     layer_std, layer_mean, pre_activation_std, saturated_fraction, dead_fraction,
//     dead_unit_fraction, gradient_std (of dL/da), weight_std (of the incoming W),
//     weight_gradient_std (of dL/dW)
//   whole network: std_ratio (last hidden std / first hidden std), std_spread (largest / smallest
//     hidden std), gradient_ratio (first hidden gradient std / last hidden's)
// from the run's final summary (whole splits, evaluation mode):
//   train_accuracy, validation_accuracy, final_loss (training split), generalization_gap
//   (train_accuracy - validation_accuracy), train_accuracy_over_chance,
//   validation_accuracy_over_chance (accuracy - the split's majority-class rate)
// from the run's steps (the edge of stability, analysis/sharpness.h, docs/THEORY.md):
//   sharpness (top eigenvalue of the training loss's Hessian after the run), sharpness_over_edge
//   (sharpness / the optimizer's edge of stability, 2 / lr for sgd; NaN for adam),
//   loss_rise_fraction (share of steps whose batch loss is above the step before's)
// from the input-output Jacobian at a snapshot (`step` as above; dynamical isometry,
// analysis/jacobian.h), its singular values on the first 16 probe samples pooled:
//   jacobian_near_one (the share in [0.5, 2]), jacobian_spread (largest / smallest: above 4 no
//   rescaling of J fits them all into [0.5, 2]; +inf when one is 0)
// "every_hidden" holds when every hidden layer satisfies the claim; it reports the worst layer.
struct LessonCheck {
  int run = 0;
  std::string quantity;
  std::string layer;             // per-layer quantities only
  std::string step = "final";    // snapshot quantities only: "initial" | "final"
  std::string op;                // "<" | "<=" | ">" | ">=" | "between"
  double value = 0.0;            // threshold; "between": [value, upper]
  double upper = 0.0;
  int otherRun = -1;             // >= 0: compare with the same quantity of that run
  double factor = 1.0;           // other-run comparisons: value op factor * other + margin
  double margin = 0.0;
};

struct Lesson {
  std::string id;       // the file name without .json
  int order = 1000;     // position in the lesson list (article order)
  std::string title;
  std::string section;  // the article section it illustrates
  std::string text;     // what to look at and why, with the formula
  // The views the text talks about, which the window shows when the lesson runs
  // (lab/plot_names.h): depth_profile | histograms | std_over_time | gradients | loss |
  // decision_regions (the overview), layer_heatmap[:STATISTIC] | histogram_over_time[:QUANTITY]
  // | percentiles[:QUANTITY] (the "Over time" tab, with what its pickers show).
  std::vector<std::string> lookAt;
  // What the histograms show while the lesson runs (the window switches to it):
  // post_activation | pre_activation | gradient.
  std::string histogramMode = "post_activation";
  std::vector<LessonRun> runs;
  std::vector<LessonCheck> checks;
  std::string path;     // the file it was read from
};

// Throws InputError naming the file and the JSON path ("lessons/x.json: checks[2].op: ...").
Lesson loadLesson(const std::string& path);
// Every *.json in the folder, sorted by (order, id). Throws InputError for a missing folder or
// any bad lesson.
std::vector<Lesson> loadLessons(const std::string& directory);

// Every *.json in the folder that loads, sorted by (order, id), and one message per file that
// does not (naming the file, as loadLesson's InputError does): one broken lesson does not hide
// the others. A missing folder is one error and no lessons.
struct LessonFolder {
  std::vector<Lesson> lessons;
  std::vector<std::string> errors;
};
LessonFolder loadLessonFolder(const std::string& directory);

// The user's lesson folder, loaded at start next to the built-in lessons (the app, and the
// CLI's `lesson ID`): $XDG_DATA_HOME/layerscope/lessons when XDG_DATA_HOME is an absolute path,
// else $HOME/.local/share/layerscope/lessons (the XDG base directory rule); "" without HOME.
std::string userLessonsDirectory();

// Adds `more` to `lessons`; a lesson of `more` with an id already there replaces it (a user's
// copy of a built-in lesson wins). Keeps the (order, id) sort.
void mergeLessons(std::vector<Lesson>& lessons, std::vector<Lesson> more);

// What one run produced: the probe of the freshly initialized network, the probe after training
// (a copy of `initial` for a run of 0 steps), and the final summary.
struct LessonRunResult {
  StatsSnapshot initial, final;
  RunSummary summary;
  double sharpness = std::numeric_limits<double>::quiet_NaN();  // measuresSharpness only
  double edgeOfStability = std::numeric_limits<double>::quiet_NaN();
  double lossRiseFraction = std::numeric_limits<double>::quiet_NaN();
  // LessonMeasures::jacobianInitial / jacobianFinal only (samples 0: not measured).
  JacobianSummary jacobianInitial, jacobianFinal;
  double trainChance = 0.0, validationChance = 0.0;  // majority-class rates of the splits
  bool cancelled = false;
};

// Runs one lesson run headless with the Trainer. cancel() is polled between steps.
LessonRunResult runLessonRun(const LessonRun& run, const std::function<bool()>& cancel = {});
// The same on a Trainer built by the caller (which keeps it, e.g. to draw its data).
// onSnapshot, when given, receives the initial probe, a probe whenever the run's cadence asks
// for one (stats.stats_every), and the final probe: what a plot of the run needs.
// measures: the run's LessonRun::measures.
LessonRunResult runLessonRun(Trainer& trainer, const std::function<bool()>& cancel = {},
                             const std::function<void(const StatsSnapshot&)>& onSnapshot = {},
                             const LessonMeasures& measures = {});

struct CheckResult {
  bool passed = false;
  std::string description;  // the claim, the measured value, and the verdict in words
  double measured = 0.0;
  double reference = 0.0;   // the threshold, or factor * other + margin
};

// Evaluates the lesson's checks on results (one per run, in order).
std::vector<CheckResult> evaluateLessonChecks(const Lesson& lesson,
                                              const std::vector<LessonRunResult>& results);
// Runs every run of the lesson, then evaluates its checks.
std::vector<CheckResult> runLessonChecks(const Lesson& lesson);

}  // namespace layerscope
