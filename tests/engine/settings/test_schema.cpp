// The settings schema (settings/schema.h) against the struct it describes and the code that
// derives from it: every field of ExperimentConfig has exactly one row, the experiment file
// round-trips through the table, limits and choices are enforced, and the live / structural
// distinction is the one the Trainer applies.
#include <gtest/gtest.h>

#include "common/experiments.h"

#include <cmath>
#include <set>
#include <type_traits>
#include <utility>

#include "compute_threads.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "model/activation.h"
#include "model/initializer.h"
#include "settings/schema.h"
#include "training/optimizer.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

// The number of members of an aggregate, counted by how many initializers T{...} accepts: a
// field added to a config struct changes the count, and the test below asks for its row.
struct AnyField {
  template <typename T>
  operator T() const;  // declared only: used in unevaluated contexts
};

template <typename T, typename... A>
constexpr auto bracesWith(int) -> decltype(T{std::declval<A>()...}, true) {
  return true;
}
template <typename T, typename... A>
constexpr bool bracesWith(...) {
  return false;
}
template <typename T, typename... A>
constexpr size_t fieldCount() {
  if constexpr (bracesWith<T, A..., AnyField>(0))
    return fieldCount<T, A..., AnyField>();
  else
    return sizeof...(A);
}

size_t rowsIn(const std::string& section) {
  size_t n = 0;
  for (const Setting& s : settingsSchema()) n += s.section == section;
  return n;
}

// A valid value of `s` that differs from its default.
SettingValue otherValue(const Setting& s) {
  const SettingValue current = s.get(ExperimentConfig{});
  switch (s.type) {
    case SettingType::Text: return std::get<std::string>(current) + "_changed";
    case SettingType::Choice:
      for (const std::string& c : s.choices)
        if (c != std::get<std::string>(current)) return c;
      break;
    case SettingType::Integer: {
      const std::int64_t v = std::get<std::int64_t>(current);
      return v + 1 <= s.max ? v + 1 : v - 1;
    }
    case SettingType::Number: {
      const double v = std::get<double>(current);
      const double candidate = s.min + (std::min(s.max, s.min + 10.0) - s.min) * 0.37;
      return candidate != v ? candidate : candidate * 0.5;
    }
    case SettingType::Flag: return !std::get<bool>(current);
    case SettingType::Seed: return std::get<std::uint64_t>(current) + 7;
    case SettingType::IntegerList: return std::vector<int>{3, 5};
  }
  ADD_FAILURE() << s.path() << ": no other value";
  return current;
}

TEST(SettingsSchema, EveryFieldOfTheConfigHasARow) {
  // A failure here means a field was added to config.h without a row in settings/schema.cpp
  // (or the other way round): add the row, and the CLI, the file and the panel know it.
  EXPECT_EQ(fieldCount<ExperimentConfig>(), 5u) << "name, data, model, train, stats";
  EXPECT_EQ(fieldCount<DataConfig>(), rowsIn("data"));
  EXPECT_EQ(fieldCount<ModelConfig>(), rowsIn("model"));
  EXPECT_EQ(fieldCount<TrainConfig>(), rowsIn("train"));
  EXPECT_EQ(fieldCount<StatsConfig>(), rowsIn("stats"));
  EXPECT_EQ(rowsIn(""), 1u);  // name
}

TEST(SettingsSchema, EachRowReadsAndWritesItsOwnField) {
  // With the counts above, rows that each touch a different field cover every field.
  const ExperimentConfig defaults;
  for (const Setting& row : settingsSchema()) {
    ExperimentConfig c;
    row.set(c, otherValue(row));
    const auto changed = changedSettings(defaults, c);
    ASSERT_EQ(changed.size(), 1u) << row.path();
    EXPECT_EQ(changed.front(), &row) << row.path();
  }
}

TEST(SettingsSchema, NamesFlagsAndPathsAreUnique) {
  std::set<std::string> paths, flags;
  for (const Setting& s : settingsSchema()) {
    EXPECT_TRUE(paths.insert(s.path()).second) << s.path();
    EXPECT_TRUE(flags.insert(s.flag()).second) << s.flag();
    for (const std::string& alias : s.aliases) EXPECT_TRUE(flags.insert(alias).second) << alias;
    EXPECT_EQ(findSetting(s.path()), &s);
    EXPECT_EQ(findSetting(s.flag()), &s);
    EXPECT_FALSE(s.help.empty()) << s.path();
  }
  EXPECT_EQ(findSetting("--probe-train-mode"), findSetting("stats.probe_training_mode"));
  EXPECT_EQ(findSetting("train.lr")->flag(), "--lr");
  EXPECT_EQ(findSetting("stats.probe_training_mode")->flag(), "--probe-training-mode");
}

TEST(SettingsSchema, TheDefaultsAreValid) { EXPECT_NO_THROW(validate(ExperimentConfig{})); }

TEST(SettingsSchema, EveryRowRoundTripsThroughTheExperimentFile) {
  for (const Setting& row : settingsSchema()) {
    ExperimentConfig c;
    row.set(c, otherValue(row));
    const ExperimentConfig back = experimentFromJson(experimentToJson(c), "round-trip.json");
    EXPECT_TRUE(sameExperiment(c, back)) << row.path() << "\n" << experimentToJson(c);
  }
}

TEST(SettingsSchema, EveryRowRoundTripsThroughItsText) {
  for (const Setting& row : settingsSchema()) {
    if (row.type == SettingType::Flag) continue;  // --NAME / --no-NAME, no text
    const SettingValue v = otherValue(row);
    EXPECT_EQ(parseSettingValue(row, settingValueText(row, v), row.flag()), v) << row.path();
  }
}

TEST(SettingsSchema, LimitsAreEnforcedWithTheFieldNamed) {
  const Setting& dropout = *findSetting("model.dropout");
  EXPECT_NO_THROW(checkSettingLimits(dropout, 0.0));
  EXPECT_NO_THROW(checkSettingLimits(dropout, 0.99));
  try {
    checkSettingLimits(dropout, 1.0);
    ADD_FAILURE() << "dropout 1 accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "dropout: 1 is out of range [0, 1)");
  }
  EXPECT_THROW(checkSettingLimits(*findSetting("train.epsilon"), 0.0), InputError);  // (0, 1]
  EXPECT_THROW(checkSettingLimits(*findSetting("train.lr"), std::nan("")), InputError);
  EXPECT_THROW(checkSettingLimits(*findSetting("data.classes"), std::int64_t{256}), InputError);
  EXPECT_THROW(parseSettingValue(*findSetting("model.activation"), "tahn", "--activation"),
               InputError);
  try {
    parseSettingValue(*findSetting("train.batch_size"), "0", "--batch-size");
    ADD_FAILURE() << "batch size 0 accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--batch-size: 0 is out of range [1, 100000000]");
  }
  EXPECT_EQ(std::get<std::int64_t>(parseSettingValue(*findSetting("stats.stats_every"), "auto", "x")),
            -1);
  // validate() walks every row: a value outside its row's limits is refused by name.
  for (const Setting& row : settingsSchema()) {
    if (row.type != SettingType::Number && row.type != SettingType::Integer) continue;
    ExperimentConfig c;
    if (row.type == SettingType::Number) row.set(c, row.max + (row.maxOpen ? 0.0 : 1.0));
    else row.set(c, static_cast<std::int64_t>(row.max) + 1);
    try {
      validate(c);
      ADD_FAILURE() << row.path() << " above its maximum accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(row.field() + ":", 0), 0u) << e.what();
    }
  }
}

TEST(SettingsSchema, ChoicesAreTheNamesTheEngineUnderstands) {
  for (const std::string& name : findSetting("model.activation")->choices)
    EXPECT_EQ(activationName(parseActivation(name)), name);
  for (const std::string& name : findSetting("model.init")->choices) {
    InitializerSpec spec;
    spec.name = name;
    EXPECT_NO_THROW(initializerStd(spec, 10, 10)) << name;
  }
  for (const std::string& name : findSetting("train.optimizer")->choices) {
    TrainConfig t;
    t.optimizer = name;
    EXPECT_NE(makeOptimizer(t, 4), nullptr) << name;
  }
  EXPECT_STREQ(activationNames(), "tanh|sigmoid|relu|leaky_relu|elu|selu|gelu|linear");
}

TEST(SettingsSchema, LiveSettingsAreWhatTheTrainerApplies) {
  std::set<std::string> live;
  for (const Setting& s : settingsSchema())
    if (s.effect != SettingEffect::Structural) live.insert(s.path());
  EXPECT_EQ(live, (std::set<std::string>{"model.dropout", "train.lr", "train.l2", "train.l1",
                                         "train.epochs", "train.steps",
                                         "train.threads"}));

  ExperimentConfig c;
  testing::withData(c, "gaussian", 64, 4, 2);
  c.model.depth = 2;
  c.model.width = 6;
  c.model.dropout = 0.2;
  c.train.steps = 3;
  Trainer trainer(c);
  ExperimentConfig next = c;
  next.train.learningRate = 0.5;
  next.train.l2 = 0.01;
  next.train.l1 = 0.002;
  next.model.dropout = 0.4;
  next.train.steps = 7;  // SettingEffect::Extends
  next.train.threads = 2;
  EXPECT_FALSE(needsRestart(c, next));
  trainer.applyLiveSettings(next);
  EXPECT_TRUE(sameExperiment(trainer.config(), next));
  EXPECT_EQ(computeThreadsInUse(), 2);

  ExperimentConfig zeroDropout = next;
  zeroDropout.model.dropout = 0.0;  // the dropout layers would have to go
  EXPECT_TRUE(needsRestart(next, zeroDropout));
  EXPECT_THROW(trainer.applyLiveSettings(zeroDropout), InputError);
  ExperimentConfig deeper = next;
  deeper.model.depth = 3;
  EXPECT_TRUE(needsRestart(next, deeper));
  ExperimentConfig longer = next;
  longer.train.epochs = 30;  // SettingEffect::Extends: the trainer raises its planned steps
  EXPECT_FALSE(needsRestart(next, longer));
  trainer.applyLiveSettings(longer);
  EXPECT_TRUE(sameExperiment(trainer.config(), longer));
}

TEST(SettingsSchema, SettingOneExplicitlyAlsoSetsWhatItImplies) {
  ExperimentConfig c;
  c.model.widths = {4, 4};
  c.train.steps = 10;
  const Setting& depth = *findSetting("model.depth");
  depth.set(c, std::int64_t{3});
  depth.alsoSets(c);
  EXPECT_TRUE(c.model.widths.empty());
  const Setting& epochs = *findSetting("train.epochs");
  epochs.set(c, std::int64_t{2});
  epochs.alsoSets(c);
  EXPECT_EQ(c.train.steps, -1);
}

}  // namespace
}  // namespace layerscope
