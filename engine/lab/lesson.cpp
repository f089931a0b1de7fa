#include "lab/lesson.h"

#include "analysis/sharpness.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "data/data_paths.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "io/json_document.h"
#include "lab/accepted_names.h"
#include "lab/plot_names.h"
#include "settings/schema.h"
#include "analysis/findings.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxLessonBytes = 1u << 20;  // a lesson is a few kilobytes
constexpr int kMaxNesting = 64;                     // a lesson nests 4 levels deep
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The Jacobian's samples: the first 16 of the probe batch, as the CLI's --jacobian-csv.
constexpr int kLessonJacobianSamples = 16;

const std::vector<std::string> kLayerQuantities = {
    "layer_std",          "layer_mean",   "pre_activation_std", "saturated_fraction",
    "dead_fraction",      "dead_unit_fraction", "gradient_std", "weight_std",
    "weight_gradient_std"};
const std::vector<std::string> kNetworkQuantities = {"std_ratio", "std_spread", "gradient_ratio",
                                                     // the input-output Jacobian's spectrum
                                                     "jacobian_near_one", "jacobian_spread"};
const std::vector<std::string> kSummaryQuantities = {
    "train_accuracy", "validation_accuracy", "final_loss", "generalization_gap",
    "train_accuracy_over_chance", "validation_accuracy_over_chance",
    // from the run's steps (the edge of stability)
    "sharpness", "sharpness_over_edge", "loss_rise_fraction"};
const std::vector<std::string> kOps = {"<", "<=", ">", ">=", "between"};

// Typed access naming the file and the JSON path at fault.
class LessonReader {
 public:
  explicit LessonReader(std::string path) : path_(std::move(path)) {}
  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InputError(path_ + ": " + where + ": " + what);
  }
  const Json& field(const Json& object, const std::string& key, const std::string& where) const {
    const auto it = object.find(key);
    if (it == object.end()) fail(where.empty() ? key : where + "." + key, "missing");
    return *it;
  }
  std::string string(const Json& v, const std::string& where) const {
    if (!v.is_string()) fail(where, std::string("expected a string, found ") + v.type_name());
    return v.get<std::string>();
  }
  std::string text(const Json& v, const std::string& where) const {
    const std::string s = string(v, where);
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) fail(where, "empty");
    return s;
  }
  double number(const Json& v, const std::string& where) const {
    if (!v.is_number()) fail(where, std::string("expected a number, found ") + v.type_name());
    return v.get<double>();
  }
  int integer(const Json& v, const std::string& where) const {
    if (!v.is_number_integer())
      fail(where, std::string("expected an integer, found ") + v.type_name());
    const auto i = v.get<std::int64_t>();
    if (i < -1000000 || i > 1000000) fail(where, "integer out of range");
    return static_cast<int>(i);
  }
  void onlyKeys(const Json& object, const std::string& where,
                const std::vector<std::string>& keys) const {
    if (!object.is_object())
      fail(where.empty() ? "(top level)" : where,
           std::string("expected an object, found ") + object.type_name());
    for (const auto& item : object.items())
      if (!isAccepted(keys, item.key()))
        fail(where.empty() ? item.key() : where + "." + item.key(),
             "unknown key (expected one of: " + acceptedList(keys) + ")");
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// csv:relative/path -> csv:<lesson folder>/relative/path; "@layerscope/NAME" -> the bundled
// data folder (data/data_paths.h).
void resolveDataPath(DataConfig& data, const fs::path& folder) {
  data.source = resolveDataSource(data.source, folder.string());
}

LessonRun parseRun(const LessonReader& r, const Json& v, const std::string& where,
                   const fs::path& folder) {
  r.onlyKeys(v, where, {"label", "experiment"});
  LessonRun run;
  run.label = r.text(r.field(v, "label", where), where + ".label");
  const std::string experimentPath = where + ".experiment";
  Json experiment = r.field(v, "experiment", where);
  if (!experiment.is_object())
    r.fail(experimentPath, std::string("expected an object, found ") + experiment.type_name());
  if (!experiment.contains("format")) {
    // The format tag first, as an experiment file has it.
    Json tagged;
    tagged["format"] = "layerscope-experiment";
    for (auto& item : experiment.items()) tagged[item.key()] = item.value();
    experiment = std::move(tagged);
  }
  // experimentFromJson names the source, then the key path: turn "FILE: model.depth: ..." into
  // "FILE: runs[0].experiment.model.depth: ...".
  try {
    run.experiment = experimentFromJson(experiment.dump(), r.path());
  } catch (const InputError& error) {
    std::string what = error.what();
    const std::string prefix = r.path() + ": ";
    if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
    throw InputError(prefix + experimentPath + "." + what);
  }
  resolveDataPath(run.experiment.data, folder);
  try {
    validate(run.experiment);
  } catch (const InputError& error) {
    r.fail(experimentPath, error.what());
  }
  return run;
}

LessonCheck parseCheck(const LessonReader& r, const Json& v, const std::string& where, int runs) {
  r.onlyKeys(v, where, {"run", "quantity", "layer", "step", "op", "value", "other_run", "factor",
                        "margin"});
  LessonCheck c;
  c.run = r.integer(r.field(v, "run", where), where + ".run");
  if (c.run < 0 || c.run >= runs)
    r.fail(where + ".run", "no run " + std::to_string(c.run) + " (the lesson has " +
                               std::to_string(runs) + ")");
  c.quantity = r.string(r.field(v, "quantity", where), where + ".quantity");
  const bool perLayer = isAccepted(kLayerQuantities, c.quantity);
  const bool snapshot = perLayer || isAccepted(kNetworkQuantities, c.quantity);
  if (!snapshot && !isAccepted(kSummaryQuantities, c.quantity))
    r.fail(where + ".quantity",
           "unknown quantity '" + c.quantity + "' (expected one of: " +
               acceptedList(kLayerQuantities) + ", " + acceptedList(kNetworkQuantities) + ", " +
               acceptedList(kSummaryQuantities) + ")");
  if (v.contains("layer")) {
    if (!perLayer) r.fail(where + ".layer", "'" + c.quantity + "' is not a per-layer quantity");
    const Json& layer = v["layer"];
    if (layer.is_number_integer()) {
      const int index = r.integer(layer, where + ".layer");
      if (index < 0) r.fail(where + ".layer", "layer index must be >= 0");
      c.layer = std::to_string(index);
    } else {
      c.layer = r.string(layer, where + ".layer");
      if (!isAccepted({"first_hidden", "last_hidden", "every_hidden", "output"}, c.layer))
        r.fail(where + ".layer", "unknown layer '" + c.layer +
                                     "' (expected first_hidden, last_hidden, every_hidden, "
                                     "output or a layer index)");
    }
  } else if (perLayer) {
    r.fail(where + ".layer", "missing (a per-layer quantity needs a layer)");
  }
  if (v.contains("step")) {
    if (!snapshot) r.fail(where + ".step", "'" + c.quantity + "' comes from the final summary");
    c.step = r.string(v["step"], where + ".step");
    if (c.step != "initial" && c.step != "final")
      r.fail(where + ".step", "expected \"initial\" or \"final\", found \"" + c.step + "\"");
  }
  c.op = r.string(r.field(v, "op", where), where + ".op");
  if (!isAccepted(kOps, c.op))
    r.fail(where + ".op",
           "unknown comparison '" + c.op + "' (expected one of: " + acceptedList(kOps) + ")");
  if (v.contains("other_run")) {
    c.otherRun = r.integer(v["other_run"], where + ".other_run");
    if (c.otherRun < 0 || c.otherRun >= runs || c.otherRun == c.run)
      r.fail(where + ".other_run", "expected another run of this lesson (0.." +
                                       std::to_string(runs - 1) + ", not " +
                                       std::to_string(c.run) + ")");
    if (c.op == "between") r.fail(where + ".op", "\"between\" compares with a value, not a run");
    if (v.contains("value")) r.fail(where + ".value", "give either value or other_run, not both");
    if (v.contains("factor")) c.factor = r.number(v["factor"], where + ".factor");
    if (v.contains("margin")) c.margin = r.number(v["margin"], where + ".margin");
  } else {
    if (v.contains("factor") || v.contains("margin"))
      r.fail(where, "factor and margin apply to other_run comparisons only");
    const Json& value = r.field(v, "value", where);
    if (c.op == "between") {
      if (!value.is_array() || value.size() != 2)
        r.fail(where + ".value", "\"between\" needs [lower, upper]");
      c.value = r.number(value[0], where + ".value[0]");
      c.upper = r.number(value[1], where + ".value[1]");
      if (!(c.value <= c.upper)) r.fail(where + ".value", "lower bound above the upper bound");
    } else {
      c.value = r.number(value, where + ".value");
    }
  }
  return c;
}

// ---- Evaluation ----

std::string format(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

bool compare(double measured, const std::string& op, double value, double upper) {
  if (op == "<") return measured < value;
  if (op == "<=") return measured <= value;
  if (op == ">") return measured > value;
  if (op == ">=") return measured >= value;
  return measured >= value && measured <= upper;  // between
}

std::vector<const LayerStats*> hiddenLayers(const StatsSnapshot& s) {
  std::vector<const LayerStats*> hidden;
  for (const LayerStats& l : s.layers)
    if (l.kind == "hidden") hidden.push_back(&l);
  return hidden;
}

double layerQuantity(const LayerStats& l, const std::string& q) {
  if (q == "layer_std") return l.activation.std;
  if (q == "layer_mean") return l.activation.mean;
  if (q == "pre_activation_std") return l.preActivation.std;
  if (q == "saturated_fraction") return l.saturatedFraction;
  if (q == "dead_fraction") return l.deadFraction;
  if (q == "dead_unit_fraction") return l.deadUnitFraction;
  if (q == "weight_std") return l.weightStd;
  if (q == "weight_gradient_std") return l.weightGradientStd;
  return l.gradientStd;  // gradient_std
}

// The layers a check's `layer` names.
std::vector<const LayerStats*> selectLayers(const StatsSnapshot& s, const std::string& layer) {
  const std::vector<const LayerStats*> hidden = hiddenLayers(s);
  if (layer == "every_hidden") return hidden;
  if (layer == "first_hidden") return hidden.empty() ? hidden : std::vector{hidden.front()};
  if (layer == "last_hidden") return hidden.empty() ? hidden : std::vector{hidden.back()};
  for (const LayerStats& l : s.layers)
    if ((layer == "output" && l.kind == "output") ||
        (layer != "output" && std::to_string(l.layer) == layer))
      return {&l};
  return {};
}

struct Measurement {
  double value = kNaN;
  std::string what;  // "layer 10 std", "train accuracy", ...
};

std::string readable(const std::string& quantity) {
  std::string s = quantity;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

// A scalar quantity of one run: for "every_hidden" the layer that is worst for the claim.
Measurement measure(const LessonCheck& c, const LessonRunResult& result) {
  Measurement m;
  const StatsSnapshot& s = c.step == "initial" ? result.initial : result.final;
  const std::string when = c.step == "initial" ? " at initialization" : " after training";
  if (isAccepted(kLayerQuantities, c.quantity)) {
    const std::vector<const LayerStats*> layers = selectLayers(s, c.layer);
    if (layers.empty()) {
      m.what = "layer " + c.layer + " (not in the network)";
      return m;
    }
    // Worst layer for the claim: the largest for "<", the smallest for ">", the one furthest
    // outside (or closest to the edge of) the interval for "between".
    const LayerStats* worst = layers.front();
    double worstScore = -std::numeric_limits<double>::infinity();
    for (const LayerStats* l : layers) {
      const double v = layerQuantity(*l, c.quantity);
      double score = c.op[0] == '<' ? v : c.op[0] == '>' ? -v
                                                          : std::max(c.value - v, v - c.upper);
      if (std::isnan(v)) score = std::numeric_limits<double>::infinity();
      if (score > worstScore) worstScore = score, worst = l;
    }
    m.value = layerQuantity(*worst, c.quantity);
    m.what = "layer " + std::to_string(worst->layer) + " " + readable(c.quantity) +
             (layers.size() > 1 ? " (the worst hidden layer)" : "") + when;
  } else if (isAccepted(kNetworkQuantities, c.quantity)) {
    const std::vector<const LayerStats*> hidden = hiddenLayers(s);
    if (hidden.empty()) return m;
    if (c.quantity == "std_ratio") {
      m.value = hidden.back()->activation.std / hidden.front()->activation.std;
      m.what = "std of layer " + std::to_string(hidden.back()->layer) + " / std of layer " +
               std::to_string(hidden.front()->layer) + when;
    } else if (c.quantity == "std_spread") {
      double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
      for (const LayerStats* l : hidden) {
        lo = std::min(lo, l->activation.std);
        hi = std::max(hi, l->activation.std);
      }
      m.value = hi / lo;
      m.what = "largest / smallest hidden-layer std" + when;
    } else if (c.quantity.rfind("jacobian_", 0) == 0) {
      const JacobianSummary& j = c.step == "initial" ? result.jacobianInitial : result.jacobianFinal;
      const std::string of = " of the input-output Jacobian (" + std::to_string(j.samples) +
                             " samples x " + std::to_string(j.count) + ")" + when;
      if (j.samples == 0) {
        m.what = c.quantity + when + " (not measured)";
      } else if (c.quantity == "jacobian_near_one") {
        m.value = j.fractionNearOne;
        m.what = "share of singular values in [0.5, 2]" + of;
      } else {  // jacobian_spread
        m.value = j.min > 0 ? j.max / j.min : std::numeric_limits<double>::infinity();
        m.what = "largest / smallest singular value" + of;
      }
    } else {  // gradient_ratio
      m.value = hidden.front()->gradientStd / hidden.back()->gradientStd;
      m.what = "gradient std of layer " + std::to_string(hidden.front()->layer) +
               " / gradient std of layer " + std::to_string(hidden.back()->layer) + when;
    }
  } else {
    const RunSummary& r = result.summary;
    if (c.quantity == "train_accuracy") m.value = r.trainAccuracy;
    if (c.quantity == "validation_accuracy") m.value = r.validationAccuracy;
    if (c.quantity == "final_loss") m.value = r.finalLoss;
    if (c.quantity == "generalization_gap") m.value = r.trainAccuracy - r.validationAccuracy;
    if (c.quantity == "train_accuracy_over_chance") m.value = r.trainAccuracy - result.trainChance;
    if (c.quantity == "validation_accuracy_over_chance")
      m.value = r.validationAccuracy - result.validationChance;
    m.what = c.quantity == "final_loss" ? "training loss after training" : readable(c.quantity);
    if (c.quantity == "train_accuracy_over_chance")
      m.what = "train accuracy - chance (" + format(result.trainChance) + ")";
    if (c.quantity == "validation_accuracy_over_chance")
      m.what = "validation accuracy - chance (" + format(result.validationChance) + ")";
    if (c.quantity == "sharpness") {
      m.value = result.sharpness;
      m.what = "sharpness after training";
    }
    if (c.quantity == "sharpness_over_edge") {
      m.value = result.sharpness / result.edgeOfStability;
      m.what = "sharpness / edge of stability (" + format(result.edgeOfStability) + ") after training";
    }
    if (c.quantity == "loss_rise_fraction") {
      m.value = result.lossRiseFraction;
      m.what = "share of steps whose loss rose";
    }
  }
  return m;
}

}  // namespace

Lesson loadLesson(const std::string& path) {
  const LessonReader r(path);
  const std::string bytes = readFileBytes(path, kMaxLessonBytes);
  const Json root = parseJsonDocument(bytes, path, kMaxNesting);
  r.onlyKeys(root, "", {"id", "order", "title", "section", "text", "look_at", "histogram_mode",
                        "runs", "checks"});
  Lesson lesson;
  lesson.path = path;
  lesson.id = r.text(r.field(root, "id", ""), "id");
  const std::string stem = fs::path(path).stem().string();
  if (lesson.id != stem)
    r.fail("id", "\"" + lesson.id + "\" does not match the file name (" + stem + ".json)");
  if (root.contains("order")) lesson.order = r.integer(root["order"], "order");
  lesson.title = r.text(r.field(root, "title", ""), "title");
  lesson.section = r.text(r.field(root, "section", ""), "section");
  lesson.text = r.text(r.field(root, "text", ""), "text");

  const Json& lookAt = r.field(root, "look_at", "");
  if (!lookAt.is_array()) r.fail("look_at", "expected an array of plot names");
  for (std::size_t i = 0; i < lookAt.size(); ++i) {
    const std::string where = "look_at[" + std::to_string(i) + "]";
    const std::string plot = r.string(lookAt[i], where);
    if (const std::string problem = lookAtProblem(plot); !problem.empty()) r.fail(where, problem);
    lesson.lookAt.push_back(plot);
  }

  if (root.contains("histogram_mode")) {
    lesson.histogramMode = r.string(root["histogram_mode"], "histogram_mode");
    if (!isAccepted(histogramQuantityNames(), lesson.histogramMode))
      r.fail("histogram_mode", "unknown mode '" + lesson.histogramMode + "' (expected one of: " +
                                   acceptedList(histogramQuantityNames()) + ")");
  }

  const fs::path folder = fs::path(path).parent_path();
  const Json& runs = r.field(root, "runs", "");
  if (!runs.is_array() || runs.empty()) r.fail("runs", "expected a non-empty array of runs");
  for (std::size_t i = 0; i < runs.size(); ++i)
    lesson.runs.push_back(parseRun(r, runs[i], "runs[" + std::to_string(i) + "]", folder));

  const Json& checks = r.field(root, "checks", "");
  if (!checks.is_array() || checks.empty()) r.fail("checks", "expected a non-empty array of checks");
  for (std::size_t i = 0; i < checks.size(); ++i)
    lesson.checks.push_back(parseCheck(r, checks[i], "checks[" + std::to_string(i) + "]",
                                       static_cast<int>(lesson.runs.size())));
  for (const LessonCheck& c : lesson.checks)
    for (const int run : {c.run, c.otherRun}) {
      if (run < 0) continue;
      LessonMeasures& m = lesson.runs[run].measures;
      if (c.quantity.rfind("sharpness", 0) == 0) m.sharpness = true;
      if (c.quantity.rfind("jacobian_", 0) == 0)
        (c.step == "initial" ? m.jacobianInitial : m.jacobianFinal) = true;
    }
  return lesson;
}

namespace {

std::vector<std::string> lessonFiles(const std::string& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error))
    throw InputError(directory + ": no such lesson folder");
  std::vector<std::string> paths;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory, error))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      paths.push_back(entry.path().string());
  if (error) throw InputError(directory + ": cannot list the lesson folder (" + error.message() + ")");
  std::sort(paths.begin(), paths.end());
  return paths;
}

void sortLessons(std::vector<Lesson>& lessons) {
  std::stable_sort(lessons.begin(), lessons.end(), [](const Lesson& a, const Lesson& b) {
    return a.order != b.order ? a.order < b.order : a.id < b.id;
  });
}

}  // namespace

std::vector<Lesson> loadLessons(const std::string& directory) {
  std::vector<Lesson> lessons;
  for (const std::string& path : lessonFiles(directory)) lessons.push_back(loadLesson(path));
  sortLessons(lessons);
  return lessons;
}

LessonFolder loadLessonFolder(const std::string& directory) {
  LessonFolder folder;
  std::vector<std::string> paths;
  try {
    paths = lessonFiles(directory);
  } catch (const InputError& e) {
    folder.errors.push_back(e.what());
    return folder;
  }
  for (const std::string& path : paths) {
    try {
      folder.lessons.push_back(loadLesson(path));
    } catch (const InputError& e) {
      folder.errors.push_back(e.what());  // names the file; the other lessons still load
    }
  }
  sortLessons(folder.lessons);
  return folder;
}

std::string userLessonsDirectory() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && xdg[0] == '/') return (fs::path(xdg) / "layerscope" / "lessons").string();
  const char* home = std::getenv("HOME");
  if (!home || !home[0]) return {};
  return (fs::path(home) / ".local" / "share" / "layerscope" / "lessons").string();
}

void mergeLessons(std::vector<Lesson>& lessons, std::vector<Lesson> more) {
  for (Lesson& l : more) {
    const auto same = std::find_if(lessons.begin(), lessons.end(),
                                   [&l](const Lesson& x) { return x.id == l.id; });
    if (same != lessons.end())
      *same = std::move(l);
    else
      lessons.push_back(std::move(l));
  }
  sortLessons(lessons);
}

LessonRunResult runLessonRun(Trainer& trainer, const std::function<bool()>& cancel,
                             const std::function<void(const StatsSnapshot&)>& onSnapshot,
                             const LessonMeasures& measures) {
  LessonRunResult result;
  result.trainChance = majorityClassRate(trainer.data().train);
  result.validationChance = majorityClassRate(trainer.data().validation);
  // A run of 0 steps has one snapshot: "final" is the initial network.
  const auto jacobian = [&trainer] {
    return jacobianSpectra(trainer.network(), trainer.probeInputs(), kLessonJacobianSamples).summary;
  };
  if (measures.jacobianInitial || (measures.jacobianFinal && trainer.finished()))
    result.jacobianInitial = jacobian();
  // The checks read the first and the last snapshot; the probes in between (the run's own
  // cadence, only when someone watches) change no training state (trainer.h: probe), so the
  // verdicts do not depend on them.
  result.initial = trainer.probe();
  if (onSnapshot) onSnapshot(result.initial);
  double previousLoss = kNaN;  // the rises of the batch loss: loss_rise_fraction
  long lossSteps = 0, lossRises = 0;
  while (!trainer.finished()) {
    if (cancel && cancel()) {
      result.cancelled = true;
      break;
    }
    const double loss = trainer.trainStep().loss;
    if (std::isfinite(previousLoss)) {
      ++lossSteps;
      if (loss > previousLoss) ++lossRises;
    }
    previousLoss = loss;
    if (onSnapshot && !trainer.finished() && trainer.probeDue()) onSnapshot(trainer.probe());
  }
  if (lossSteps > 0) result.lossRiseFraction = double(lossRises) / double(lossSteps);
  result.edgeOfStability = edgeOfStability(trainer.config().train);
  if (measures.sharpness && !result.cancelled) result.sharpness = sharpness(trainer).sharpness;
  if (measures.jacobianFinal && !result.cancelled)
    result.jacobianFinal = trainer.stepsDone() > 0 ? jacobian() : result.jacobianInitial;
  result.final = trainer.stepsDone() > 0 ? trainer.probe() : result.initial;
  if (onSnapshot && trainer.stepsDone() > 0) onSnapshot(result.final);
  result.summary = trainer.summary();
  return result;
}

LessonRunResult runLessonRun(const LessonRun& run, const std::function<bool()>& cancel) {
  Trainer trainer(run.experiment);
  return runLessonRun(trainer, cancel, {}, run.measures);
}

std::vector<CheckResult> evaluateLessonChecks(const Lesson& lesson,
                                              const std::vector<LessonRunResult>& results) {
  std::vector<CheckResult> out;
  for (const LessonCheck& c : lesson.checks) {
    CheckResult r;
    const auto label = [&lesson](int run) {
      return "run " + std::to_string(run) + " (" + lesson.runs[run].label + ")";
    };
    if (c.run >= static_cast<int>(results.size()) ||
        (c.otherRun >= 0 && c.otherRun >= static_cast<int>(results.size()))) {
      r.description = label(c.run) + ": " + c.quantity + ": the run has no result";
      r.measured = kNaN;
      out.push_back(r);
      continue;
    }
    const Measurement m = measure(c, results[c.run]);
    r.measured = m.value;
    std::string claim;
    if (c.otherRun >= 0) {
      const Measurement other = measure(c, results[c.otherRun]);
      r.reference = c.factor * other.value + c.margin;
      claim = c.op + " " + (c.factor != 1.0 ? format(c.factor) + " x " : "") + label(c.otherRun) +
              "'s " + format(other.value) + (c.margin != 0 ? (c.margin > 0 ? " + " : " - ") + format(std::abs(c.margin)) : "");
      r.passed = compare(m.value, c.op, r.reference, 0.0);
    } else {
      r.reference = c.value;
      claim = c.op == "between" ? "in [" + format(c.value) + ", " + format(c.upper) + "]"
                                : c.op + " " + format(c.value);
      r.passed = compare(m.value, c.op, c.value, c.upper);
    }
    if (results[c.run].cancelled) r.passed = false;
    r.description = label(c.run) + ": " + m.what + " = " + format(m.value) + ", expected " +
                    claim + (r.passed ? ": holds" : ": FAILS");
    out.push_back(r);
  }
  return out;
}

std::vector<CheckResult> runLessonChecks(const Lesson& lesson) {
  std::vector<LessonRunResult> results;
  results.reserve(lesson.runs.size());
  for (const LessonRun& run : lesson.runs) results.push_back(runLessonRun(run));
  return evaluateLessonChecks(lesson, results);
}

}  // namespace layerscope
