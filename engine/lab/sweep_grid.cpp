#include "lab/sweep_grid.h"

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>

#include "data/data_paths.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/experiment_file.h"
#include "io/json_document.h"
#include "lab/sweep.h"
#include "settings/schema.h"
#include "training/trainer.h"

namespace layerscope {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxNesting = 64;
constexpr std::size_t kMaxPlanBytes = 16u << 20;
constexpr std::size_t kMaxCellBytes = 1u << 20;
constexpr int kMaxCells = 1000000;
constexpr int kMaxValues = 100000;

int axisSize(const SweepAxis& axis) { return axis.setting.empty() ? 1 : int(axis.values.size()); }

[[noreturn]] void fail(const std::string& source, const std::string& what) {
  throw InputError(source + ": " + what);
}

const Json& member(const Json& object, const char* key, const std::string& source) {
  if (!object.is_object() || !object.contains(key)) fail(source, std::string("missing \"") + key + "\"");
  return object.at(key);
}

std::string text(const Json& v, const std::string& source, const std::string& path) {
  if (!v.is_string()) fail(source, path + ": expected a string");
  return v.get<std::string>();
}

SweepAxis axisFromJson(const Json& v, const std::string& source, const std::string& name) {
  SweepAxis axis;
  if (!v.is_object()) fail(source, name + ": expected an object {\"setting\": ..., \"values\": [...]}");
  axis.setting = text(member(v, "setting", source), source, name + ".setting");
  const Json& values = member(v, "values", source);
  if (!values.is_array() || values.empty())
    fail(source, name + ".values: expected a non-empty list of values");
  if (values.size() > std::size_t(kMaxValues))
    fail(source, name + ".values: more than " + std::to_string(kMaxValues) + " values");
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Json& value = values[i];
    const std::string path = name + ".values[" + std::to_string(i) + "]";
    if (value.is_string()) axis.values.push_back(value.get<std::string>());
    else if (value.is_number()) axis.values.push_back(value.dump());
    else fail(source, path + ": expected a number or a name");
  }
  return axis;
}

Json axisToJson(const SweepAxis& axis) {
  return Json{{"setting", axis.setting}, {"values", axis.values}};
}

double number(const Json& v, const std::string& source, const std::string& path) {
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();  // JSON has no NaN
  if (!v.is_number()) fail(source, path + ": expected a number");
  return v.get<double>();
}

Json finiteOrNull(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

std::string csvNumber(double x) {
  if (std::isnan(x)) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

}  // namespace

int sweepCellCount(const SweepPlan& plan) { return axisSize(plan.x) * axisSize(plan.y); }

ExperimentConfig sweepCellExperiment(const SweepPlan& plan, int index) {
  const int nx = axisSize(plan.x);
  if (index < 0 || index >= sweepCellCount(plan))
    throw InputError("sweep: cell " + std::to_string(index) + " is not in the plan (0.." +
                     std::to_string(sweepCellCount(plan) - 1) + ")");
  ExperimentConfig c = plan.base;
  // y first, then x: with depth on x and an explicit widths list cleared by it, x wins.
  if (!plan.y.setting.empty()) applySweepValue(c, plan.y.setting, plan.y.values[index / nx]);
  applySweepValue(c, plan.x.setting, plan.x.values[index % nx]);
  c.train.threads = 1;  // a cell runs on one core; the grid spreads cells over the cores
  return c;
}

void checkSweepPlan(const SweepPlan& plan) {
  if (plan.x.setting.empty()) throw InputError("sweep plan: \"x\" names no setting");
  for (const SweepAxis* axis : {&plan.x, &plan.y}) {
    if (axis->setting.empty()) continue;
    if (axis->values.empty()) throw InputError("sweep plan: " + axis->setting + " has no values");
  }
  if (double(axisSize(plan.x)) * axisSize(plan.y) > kMaxCells)
    throw InputError("sweep plan: more than " + std::to_string(kMaxCells) + " cells");
  for (int i = 0; i < sweepCellCount(plan); ++i) {
    const int nx = axisSize(plan.x);
    const std::string where = plan.x.setting + " = " + plan.x.values[i % nx] +
                              (plan.y.setting.empty() ? "" : ", " + plan.y.setting + " = " +
                                                                 plan.y.values[i / nx]);
    try {
      validate(sweepCellExperiment(plan, i));
    } catch (const InputError& error) {
      throw InputError("sweep: " + where + ": " + error.what());
    }
  }
}

std::string sweepPlanToJson(const SweepPlan& plan) {
  Json root{{"format", "layerscope-sweep-plan"},
            {"version", 1},
            {"experiment", Json::parse(experimentToJson(plan.base))},
            {"x", axisToJson(plan.x)}};
  if (!plan.y.setting.empty()) root["y"] = axisToJson(plan.y);
  return root.dump(2) + "\n";
}

SweepPlan sweepPlanFromJson(const std::string& textIn, const std::string& source) {
  const Json root = parseJsonDocument(textIn, source, kMaxNesting);
  if (!root.is_object() || !root.contains("format") ||
      root["format"] != "layerscope-sweep-plan")
    fail(source, "not a sweep plan (expected \"format\": \"layerscope-sweep-plan\")");
  const Json& version = member(root, "version", source);
  if (!version.is_number_integer() || version.get<long>() != 1)
    fail(source, "version: expected 1 (this LayerScope reads sweep plans of version 1)");
  SweepPlan plan;
  plan.base = experimentFromJson(member(root, "experiment", source).dump(), source + ": experiment");
  plan.x = axisFromJson(member(root, "x", source), source, "x");
  if (root.contains("y")) plan.y = axisFromJson(root["y"], source, "y");
  for (const auto& item : root.items())
    if (item.key() != "format" && item.key() != "version" && item.key() != "experiment" &&
        item.key() != "x" && item.key() != "y")
      fail(source, "unknown key \"" + item.key() + "\" (expected format, version, experiment, x, y)");
  checkSweepPlan(plan);
  return plan;
}

SweepPlan readSweepPlan(const std::string& path) {
  SweepPlan plan = sweepPlanFromJson(readFileBytes(path, kMaxPlanBytes), path);
  // Data named relative to the plan, or bundled data by its stable name (data/data_paths.h).
  plan.base.data.source =
      resolveDataSource(plan.base.data.source, fs::path(path).parent_path().string());
  return plan;
}

void writeSweepPlan(const std::string& path, const SweepPlan& plan) {
  SweepPlan portable = plan;
  portable.base.data.source =
      portableDataSource(plan.base.data.source, fs::path(path).parent_path().string());
  writeFileAtomically(path, sweepPlanToJson(portable));
}

std::string sweepPlanDigest(const SweepPlan& plan) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits
  for (const unsigned char ch : sweepPlanToJson(plan)) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016" PRIx64, h);
  return buffer;
}

SweepCell runSweepCell(const SweepPlan& plan, int index, const std::function<bool()>& cancel) {
  const int nx = axisSize(plan.x);
  SweepCell cell;
  cell.index = index;
  cell.x = plan.x.values.at(index % nx);
  if (!plan.y.setting.empty()) cell.y = plan.y.values.at(index / nx);
  Trainer trainer(sweepCellExperiment(plan, index));
  while (!trainer.finished()) {
    if (cancel && cancel()) break;
    trainer.trainStep();
  }
  cell.summary = trainer.summary();
  return cell;
}

std::string sweepCellToJson(const SweepCell& cell, const std::string& planDigest) {
  const RunSummary& s = cell.summary;
  Json root{{"format", "layerscope-sweep-cell"},
            {"version", 1},
            {"plan", planDigest},
            {"index", cell.index},
            {"x", cell.x},
            {"y", cell.y},
            {"summary",
             {{"steps", s.steps},
              {"final_loss", finiteOrNull(s.finalLoss)},
              {"train_accuracy", finiteOrNull(s.trainAccuracy)},
              {"validation_accuracy", finiteOrNull(s.validationAccuracy)},
              {"test_accuracy", finiteOrNull(s.testAccuracy)},
              {"diverged", s.diverged},
              {"divergence", s.divergence},
              {"train_seconds", s.trainSeconds}}}};
  // Every double printed so that it reads back to the same bits (nlohmann prints 17 digits).
  return root.dump(2) + "\n";
}

SweepCell sweepCellFromJson(const std::string& textIn, const std::string& source,
                            const std::string& planDigest) {
  const Json root = parseJsonDocument(textIn, source, kMaxNesting);
  if (!root.is_object() || !root.contains("format") || root["format"] != "layerscope-sweep-cell")
    fail(source, "not a sweep cell (expected \"format\": \"layerscope-sweep-cell\")");
  if (text(member(root, "plan", source), source, "plan") != planDigest)
    fail(source, "belongs to another plan (its digest differs): remove it or use its plan");
  SweepCell cell;
  const Json& index = member(root, "index", source);
  if (!index.is_number_integer()) fail(source, "index: expected an integer");
  cell.index = index.get<int>();
  cell.x = text(member(root, "x", source), source, "x");
  cell.y = text(member(root, "y", source), source, "y");
  const Json& s = member(root, "summary", source);
  const Json& steps = member(s, "steps", source);
  if (!steps.is_number_integer()) fail(source, "summary.steps: expected an integer");
  cell.summary.steps = steps.get<long>();
  cell.summary.finalLoss = number(member(s, "final_loss", source), source, "summary.final_loss");
  cell.summary.trainAccuracy = number(member(s, "train_accuracy", source), source, "summary.train_accuracy");
  cell.summary.validationAccuracy =
      number(member(s, "validation_accuracy", source), source, "summary.validation_accuracy");
  cell.summary.testAccuracy = number(member(s, "test_accuracy", source), source, "summary.test_accuracy");
  const Json& diverged = member(s, "diverged", source);
  if (!diverged.is_boolean()) fail(source, "summary.diverged: expected true or false");
  cell.summary.diverged = diverged.get<bool>();
  cell.summary.divergence = text(member(s, "divergence", source), source, "summary.divergence");
  cell.summary.trainSeconds = number(member(s, "train_seconds", source), source, "summary.train_seconds");
  return cell;
}

std::string sweepCellPath(const std::string& dir, int index) {
  return (fs::path(dir) / ("cell-" + std::to_string(index) + ".json")).string();
}

std::vector<SweepCell> readSweepCells(const SweepPlan& plan, const std::string& dir) {
  const std::string digest = sweepPlanDigest(plan);
  std::vector<SweepCell> cells;
  for (int i = 0; i < sweepCellCount(plan); ++i) {
    const std::string path = sweepCellPath(dir, i);
    std::error_code error;
    if (!fs::is_regular_file(path, error)) continue;
    SweepCell cell = sweepCellFromJson(readFileBytes(path, kMaxCellBytes), path, digest);
    if (cell.index != i) fail(path, "index " + std::to_string(cell.index) + " in the file named for cell " + std::to_string(i));
    cells.push_back(std::move(cell));
  }
  return cells;
}

std::vector<SweepCell> runSweepGrid(const SweepPlan& plan, const std::string& dir, int workers,
                                    const std::function<void(const SweepCell&, int, int)>& progress,
                                    const std::function<bool()>& cancel) {
  checkSweepPlan(plan);
  fs::create_directories(dir);
  const int total = sweepCellCount(plan);
  std::vector<bool> have(total, false);
  std::vector<SweepCell> done = readSweepCells(plan, dir);  // resume: finished cells are kept
  for (const SweepCell& c : done) have[c.index] = true;
  std::vector<int> todo;
  for (int i = 0; i < total; ++i)
    if (!have[i]) todo.push_back(i);

  const std::string digest = sweepPlanDigest(plan);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::string firstError;
  auto work = [&] {
    while (!stop) {
      const std::size_t k = next++;
      if (k >= todo.size()) return;
      try {
        SweepCell cell = runSweepCell(plan, todo[k], [&] { return stop || (cancel && cancel()); });
        if (cancel && cancel()) return;  // a half-trained cell is not kept
        writeFileAtomically(sweepCellPath(dir, cell.index), sweepCellToJson(cell, digest));
        std::lock_guard<std::mutex> lock(mutex);
        done.push_back(cell);
        if (progress) progress(cell, int(done.size()), total);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mutex);
        if (firstError.empty()) firstError = e.what();
        stop = true;
      }
    }
  };
  const int n = std::max(1, std::min<int>(workers, int(todo.size())));
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (!firstError.empty()) throw InputError("sweep: " + firstError);
  std::sort(done.begin(), done.end(),
            [](const SweepCell& a, const SweepCell& b) { return a.index < b.index; });
  return done;
}

std::vector<SweepCell> mergeSweepCells(const SweepPlan& plan, const std::string& dir) {
  std::vector<SweepCell> cells = readSweepCells(plan, dir);
  if (int(cells.size()) != sweepCellCount(plan)) {
    std::string missing;
    int shown = 0, count = 0;
    std::vector<bool> have(sweepCellCount(plan), false);
    for (const SweepCell& c : cells) have[c.index] = true;
    for (int i = 0; i < sweepCellCount(plan); ++i) {
      if (have[i]) continue;
      ++count;
      if (shown++ < 10) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
    }
    throw InputError("sweep --merge: " + dir + ": " + std::to_string(count) + " of " +
                     std::to_string(sweepCellCount(plan)) + " cells missing (" + missing +
                     (count > 10 ? ", ..." : "") + "): run their jobs first");
  }
  return cells;
}

std::string sweepCellsToCsv(const SweepPlan& plan, const std::vector<SweepCell>& cells) {
  std::string out = plan.x.setting + (plan.y.setting.empty() ? "" : "," + plan.y.setting) +
                    ",steps,final_loss,train_accuracy,validation_accuracy,test_accuracy,diverged\n";
  for (const SweepCell& c : cells) {
    const RunSummary& s = c.summary;
    out += c.x + (plan.y.setting.empty() ? "" : "," + c.y) + "," + std::to_string(s.steps) + "," +
           csvNumber(s.finalLoss) + "," + csvNumber(s.trainAccuracy) + "," +
           csvNumber(s.validationAccuracy) + "," + csvNumber(s.testAccuracy) + "," +
           (s.diverged ? "1" : "0") + "\n";
  }
  return out;
}

}  // namespace layerscope
