// Settings at the edges of their ranges, written once: each row is a setting, the value it is
// given and the one outcome the code has for it (it trains to finite numbers; it diverges and the
// divergence is reported; it is refused up front naming the field). The same rows run at three
// levels:
//   engine  tests/engine/training/test_extreme_settings.cpp  Trainer on the config
//   CLI     tests/app/test_cli_extremes.cpp                  layerscope-cli train with the flags
//   UI      tests/ui/test_config_panel_extremes.cpp          the configuration panel's control
// Every row starts from tinyGaussian() (tests/common/experiments.h); `also` are the other settings
// the row needs (given the same way as the row's own setting at the engine and CLI levels, loaded
// as an experiment before the edit at the UI level). The schema (engine/settings/schema.h) turns
// a row into a flag (Setting::flag()) or a panel control (its Qt property "setting").
#pragma once

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/experiments.h"
#include "config.h"
#include "settings/schema.h"

namespace layerscope::testing {

enum class Outcome {
  Trains,    // finite loss, accuracy and statistics, no divergence
  Diverges,  // the run stops on a divergence and says so ("diverged")
  Refused,   // refused before training, the message naming `names`
};

// Where a row runs. A row leaves a level out only where that level cannot express the value
// (a NaN in a spin box, a negative seed in an unsigned field, text that is not a number).
enum Level : unsigned { Engine = 1, Cli = 2, Ui = 4, AllLevels = Engine | Cli | Ui };

struct ExtremeRow {
  std::string group;    // the TEST that runs the row, at every level (e.g. "depth")
  std::string setting;  // schema path: "model.depth"
  std::string value;    // as typed on the command line
  Outcome outcome;
  std::vector<std::pair<std::string, std::string>> also = {};  // other settings: path, value
  std::string names = {};  // what a refusal names; empty: the setting's field ("depth")
  unsigned levels = AllLevels;
};

inline const std::vector<ExtremeRow>& extremeSettings() {
  using O = Outcome;
  std::string fiveThousandOnes = "1";
  for (int i = 1; i < 5000; ++i) fiveThousandOnes += ",1";
  static const std::vector<ExtremeRow> rows = {
      // Depth: one hidden layer, a hundred, none (logistic regression), past the bound.
      {"depth", "model.depth", "1", O::Trains},
      {"depth", "model.depth", "100", O::Trains, {{"model.width", "4"}}},
      {"depth0", "model.depth", "0", O::Trains},
      {"depth", "model.depth", "1001", O::Refused},
      {"depth", "model.depth", "-1", O::Refused},
      // Width: one unit, 4096 units, none.
      {"width", "model.width", "1", O::Trains, {{"model.depth", "1"}}},
      {"width", "model.width", "4096", O::Trains,
       {{"model.depth", "1"}, {"data.samples", "16"}, {"train.steps", "2"}}},
      {"width", "model.width", "0", O::Refused},
      {"width", "model.width", "99999999999999999999", O::Refused, {}, "", Cli},
      // The parameter bound: 1000 layers of 2^20 units, and 5000 layers spelled out as widths.
      {"parameters", "model.width", "1048576", O::Refused, {{"model.depth", "1000"}},
       "400 million"},
      {"widths", "model.widths", fiveThousandOnes, O::Refused, {}, "", Engine | Cli},  // no control
      // Batches larger than the data: one (whole-set) batch per epoch.
      {"batch", "train.batch_size", "100000000", O::Trains, {{"train.epochs", "3"}}},
      {"batch", "train.batch_size", "0", O::Refused},
      // Learning rates: 0 trains (and moves nothing); 100 with each optimizer, ReLU and He, 30
      // steps on this problem (measured): sgd, momentum and adam keep a large but finite loss,
      // Nesterov's look-ahead overshoots to NaN at step 6 and the run says so.
      {"lr0", "train.lr", "0", O::Trains},
      {"lr100", "train.lr", "100", O::Trains,
       {{"train.optimizer", "sgd"}, {"model.activation", "relu"}, {"model.init", "he_normal"},
        {"train.steps", "30"}}},
      {"lr100", "train.lr", "100", O::Trains,
       {{"train.optimizer", "momentum"}, {"model.activation", "relu"},
        {"model.init", "he_normal"}, {"train.steps", "30"}}},
      {"lr100", "train.lr", "100", O::Diverges,
       {{"train.optimizer", "nesterov"}, {"model.activation", "relu"},
        {"model.init", "he_normal"}, {"train.steps", "30"}},
       "", Engine | Cli},  // the UI level takes a single step; this run diverges at step 6
      {"lr100", "train.lr", "100", O::Trains,
       {{"train.optimizer", "adam"}, {"model.activation", "relu"}, {"model.init", "he_normal"},
        {"train.steps", "30"}}},
      // Non-finite, huge and negative numbers: refused by the schema's limits, by name.
      {"nonfinite", "train.lr", "nan", O::Refused, {}, "", Engine | Cli},
      {"nonfinite", "train.lr", "inf", O::Refused, {}, "", Engine | Cli},
      {"nonfinite", "train.lr", "1e400", O::Refused, {}, "", Engine | Cli},
      {"nonfinite", "train.lr", "-1", O::Refused},
      {"nonfinite", "model.dropout", "nan", O::Refused, {}, "", Engine | Cli},
      {"nonfinite", "data.noise", "-inf", O::Refused, {}, "", Engine | Cli},
      {"nonfinite", "model.init_std", "1e30", O::Refused, {{"model.init", "normal"}}, "init-std"},
      // The largest init_std the schema allows.
      {"nonfinite", "model.init_std", "1000000", O::Trains, {{"model.init", "normal"}}},
      // Dropout: none, 99 % (the probes see the dropped units too), all.
      {"dropout", "model.dropout", "0", O::Trains},
      {"dropout", "model.dropout", "0.99", O::Trains, {{"stats.probe_training_mode", "true"}}},
      {"dropout", "model.dropout", "1", O::Refused},
      // One class, one sample.
      {"classes", "data.classes", "1", O::Trains},
      {"samples", "data.samples", "1", O::Trains,
       {{"data.classes", "1"}, {"data.validation_fraction", "0"}}},
      {"samples", "data.samples", "1", O::Trains,
       {{"data.classes", "1"}, {"data.validation_fraction", "0.5"}}},
      // Batch normalization of one sample: variance 0, finite.
      {"batchnorm", "train.batch_size", "1", O::Trains, {{"model.batch_norm", "true"}}},
      // No training, the smallest statistics.
      {"zerosteps", "train.steps", "0", O::Trains,
       {{"stats.probe_size", "1"}, {"stats.histogram_bins", "1"}}},
      // Other out-of-range values.
      {"range", "train.threads", "300", O::Refused},  // 0 is "auto" (compute_threads.h)
      {"threads", "train.threads", "0", O::Trains},
      {"range", "train.seed", "-1", O::Refused, {}, "", Cli},
      {"range", "train.seed", "18446744073709551616", O::Refused, {}, "", Cli},
      {"range", "data.validation_fraction", "1", O::Refused},
      {"range", "stats.histogram_bins", "0", O::Refused},
      {"range", "stats.probe_size", "0", O::Refused},
      {"range", "model.widths", "", O::Refused, {}, "", Cli},
      {"range", "model.widths", "4,,4", O::Refused, {}, "", Cli},
  };
  return rows;
}

// The rows of one group that run at `level`.
inline std::vector<ExtremeRow> extremeRows(const std::string& group, Level level) {
  std::vector<ExtremeRow> out;
  for (const ExtremeRow& r : extremeSettings())
    if (r.group == group && (r.levels & level)) out.push_back(r);
  return out;
}

// What a row is called in a failure message: "model.depth = 100 (model.width = 4)".
inline std::string describe(const ExtremeRow& r) {
  std::string s = r.setting + " = " + r.value;
  if (!r.also.empty()) {
    s += " (";
    for (std::size_t i = 0; i < r.also.size(); ++i)
      s += (i ? ", " : "") + r.also[i].first + " = " + r.also[i].second;
    s += ")";
  }
  return s;
}

// What the refusal of `r` must name: `names`, or the setting's field ("batch-size").
inline std::string refusalNames(const ExtremeRow& r) {
  if (!r.names.empty()) return r.names;
  const Setting* s = findSetting(r.setting);
  return s ? s->field() : r.setting;
}

// The value as the engine holds it, without the schema's limits (the engine's validate() is
// what refuses it at that level): "nan" and "1e400" become doubles, "4,4" a list.
inline SettingValue rawSettingValue(const Setting& s, const std::string& text) {
  switch (s.type) {
    case SettingType::Integer: return static_cast<std::int64_t>(std::strtoll(text.c_str(), nullptr, 10));
    case SettingType::Number: return std::strtod(text.c_str(), nullptr);
    case SettingType::Flag: return text == "true";
    case SettingType::Seed: return static_cast<std::uint64_t>(std::strtoull(text.c_str(), nullptr, 10));
    case SettingType::IntegerList: {
      std::vector<int> items;
      std::stringstream in(text);
      for (std::string item; std::getline(in, item, ',');) items.push_back(std::atoi(item.c_str()));
      return items;
    }
    case SettingType::Text:
    case SettingType::Choice: break;
  }
  return text;
}

// Gives `path` the value `text` as the command line would (alsoSets included: --epochs drops a
// step count), but without the limits.
inline void applySetting(ExperimentConfig& c, const std::string& path, const std::string& text) {
  const Setting* s = findSetting(path);
  if (s == nullptr) return;
  s->set(c, rawSettingValue(*s, text));
  if (s->alsoSets) s->alsoSets(c);
}

// The experiment of a row: tinyGaussian() with `also`, then the row's own setting.
inline ExperimentConfig experimentOf(const ExtremeRow& r) {
  ExperimentConfig c = tinyGaussian();
  for (const auto& [path, value] : r.also) applySetting(c, path, value);
  applySetting(c, r.setting, r.value);
  return c;
}

// "--name value" on the command line; flags are --name / --no-name.
inline std::string flagOf(const std::string& path, const std::string& value) {
  const Setting* s = findSetting(path);
  if (s == nullptr) return "";
  if (s->type == SettingType::Flag)
    return value == "true" ? s->flag() : "--no-" + s->flag().substr(2);
  return s->flag() + " '" + value + "'";
}

// tinyGaussian() as layerscope-cli flags: every setting whose value differs from the default.
inline std::string tinyGaussianFlags() {
  const ExperimentConfig tiny = tinyGaussian(), defaults;
  std::string flags;
  for (const Setting& s : settingsSchema())
    if (s.get(tiny) != s.get(defaults))
      flags += " " + flagOf(s.path(), settingValueText(s, s.get(tiny)));
  return flags;
}

// The row as flags after tinyGaussianFlags(): `also`, then the row's own setting.
inline std::string flagsOf(const ExtremeRow& r) {
  std::string flags;
  for (const auto& [path, value] : r.also) flags += " " + flagOf(path, value);
  return flags + " " + flagOf(r.setting, r.value);
}

}  // namespace layerscope::testing
