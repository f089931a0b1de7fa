// The settings schema: one row per experiment setting, the single place a setting is declared.
//
// A row says where the setting lives in the experiment file (section and key: "train.lr"), the
// command-line flag named after the key ("--lr"; snake_case keys become kebab-case flags), its
// type and limits, the names a choice accepts, its help text, whether a change applies to a
// running experiment (live) or needs a new one (structural), and how to read and write it in an
// ExperimentConfig. Everything else is derived from the table:
//   - layerscope-cli's flags and --help          (app/cli_options.cpp)
//   - the experiment file's reader and writer     (io/experiment_file.cpp)
//   - range validation, the same limits everywhere (validate(), settings/validate.cpp), and the
//     limits of the app's spin boxes              (ui/config_panel.cpp)
//   - sweeps over any numeric or named setting    (lab/sweep.cpp)
//   - equality of two experiments and the live / structural distinction (below)
// Defaults are not repeated here: they are the member initializers of config.h, read through
// the accessors. docs/ARCHITECTURE.md ("Adding a setting") walks through adding one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "config.h"

namespace layerscope {

enum class SettingType {
  Text,         // free text: a name, a data source, a CSV column
  Choice,       // one of `choices`
  Integer,      // a whole number in [min, max]
  Number,       // a finite real number in [min, max] (bounds open where minOpen / maxOpen say)
  Flag,         // true / false; on the command line --NAME and --no-NAME
  Seed,         // an unsigned 64-bit integer
  IntegerList,  // comma-separated whole numbers, each in [min, max]
};

// What a change to a running experiment needs.
enum class SettingEffect {
  Live,         // applied between two steps (Trainer::applyLiveSettings)
  LiveNonZero,  // live between two non-zero values; to or from 0 needs a new network (dropout
                // layers exist only when the network is built with p > 0)
  Extends,      // the length of the plan (epochs, steps): a run that is done continues when
                // it is raised (Trainer::setPlannedSteps); lowered below the steps done, the
                // run ends there. The steps done are never redone: a 100-step run extended to
                // 200 equals a 200-step run, bit for bit.
  Structural,   // a new network or data: the run restarts
};

// A setting's value, typed by SettingType: Text and Choice hold std::string, Integer
// std::int64_t, Number double, Flag bool, Seed std::uint64_t, IntegerList std::vector<int>.
using SettingValue =
    std::variant<std::string, std::int64_t, double, bool, std::uint64_t, std::vector<int>>;

struct Setting {
  std::string section;  // "data" | "model" | "train" | "stats"; "" for a top-level key
  std::string key;      // the experiment file's key within its section, e.g. "batch_size"
  SettingType type = SettingType::Text;
  double min = 0, max = 0;              // Integer, Number, IntegerList (each item), Seed
  bool minOpen = false, maxOpen = false;  // Number: (min, ...] / [..., max)
  std::vector<std::string> choices;     // Choice: the accepted names, in display order
  std::string valueName;                // the placeholder in --help: "N", "R", "NAME"
  std::string help;                     // one sentence; '\n' starts a continuation line
  SettingEffect effect = SettingEffect::Structural;
  bool sweepable = false;               // offered by the sweep dialog and `sweep` parameters
  std::vector<std::string> aliases;     // other accepted flags, e.g. "--probe-train-mode"
  // A value with a name of its own: -1 steps is "by epochs", -1 stats_every is "auto".
  std::int64_t specialValue = 0;
  std::string specialName;              // empty: no special value
  // What setting this one explicitly (command line, sweep) also does to others: --depth and
  // --width drop a `widths` list, --epochs drops a `steps` count. Not applied when a file is
  // read: a file says every value itself.
  std::function<void(ExperimentConfig&)> alsoSets;

  std::function<SettingValue(const ExperimentConfig&)> get;
  std::function<void(ExperimentConfig&, const SettingValue&)> set;

  std::string path() const { return section.empty() ? key : section + "." + key; }
  std::string flag() const;   // "--" + key with '_' -> '-': "--batch-size"
  std::string field() const;  // how messages name it: the flag without "--": "batch-size"
};

// Every setting, grouped by section in file order: top level, data, model, train, stats.
const std::vector<Setting>& settingsSchema();
// By path ("train.lr"), by bare key ("lr", when unique) or by flag ("--lr" or an alias);
// nullptr when none.
const Setting* findSetting(const std::string& nameOrFlag);
// The sections in file order, with their titles: {"", "Experiment"}, {"data", "Data"}, ...
const std::vector<std::pair<std::string, std::string>>& settingSections();

// Parses a setting's text as typed on the command line or in a sweep ("0.01", "auto", "true",
// "500,500"). `where` starts the message of the InputError thrown for a bad value ("--lr",
// "sweep lr"). Checks the type and the limits.
SettingValue parseSettingValue(const Setting& setting, const std::string& text,
                               const std::string& where);
// The value as text that parseSettingValue reads back exactly ("0.01", "by epochs" -> "-1").
std::string settingValueText(const Setting& setting, const SettingValue& value);
// Throws InputError "FIELD: must be in [0, 1)" when the value breaks the row's limits or is
// not one of its choices.
void checkSettingLimits(const Setting& setting, const SettingValue& value);
// The limits in words: "[0, 1)", "[1, 255]", "tanh|sigmoid|..."; empty for free text.
std::string settingLimitsText(const Setting& setting);

// "tanh|sigmoid|relu|..." for the Choice setting at `path`: how messages list the names.
std::string choiceNames(const std::string& path);

// The settings whose values differ between `a` and `b`.
std::vector<const Setting*> changedSettings(const ExperimentConfig& a, const ExperimentConfig& b);
// True when every setting is equal.
bool sameExperiment(const ExperimentConfig& a, const ExperimentConfig& b);
// True when going from `before` to `after` needs a new network or data (the run restarts);
// false when only live settings changed (learning rate, L2, L1, dropout between non-zero
// values) or the plan's length (epochs, steps: SettingEffect::Extends), which
// Trainer::applyLiveSettings applies between two steps.
bool needsRestart(const ExperimentConfig& before, const ExperimentConfig& after);

// Range, choice and consistency checks of a whole experiment. Throws InputError naming the
// field at fault ("dropout: must be in [0, 1)"). settings/validate.cpp.
void validate(const ExperimentConfig& config);

}  // namespace layerscope
