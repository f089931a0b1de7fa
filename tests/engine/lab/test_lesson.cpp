// The built-in lessons: every file parses, says what to look at, and every claim it makes holds
// when its runs are made headless with the real Trainer.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include "test_helpers.h"
#include "errors.h"
#include "lab/lesson.h"
#include "lab/plot_names.h"
#include "training/trainer.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

const std::string kLessonDir = std::string(LAYERSCOPE_RESOURCES_DIR) + "/lessons";

const std::vector<Lesson>& lessons() {
  static const std::vector<Lesson> all = loadLessons(kLessonDir);
  return all;
}

const Lesson& lesson(const std::string& id) {
  for (const Lesson& l : lessons())
    if (l.id == id) return l;
  throw std::runtime_error("no lesson " + id);
}

// Each lesson's runs are made once for the whole test program.
const std::vector<LessonRunResult>& results(const Lesson& l) {
  static std::map<std::string, std::vector<LessonRunResult>> cache;
  auto it = cache.find(l.id);
  if (it == cache.end()) {
    std::vector<LessonRunResult> runs;
    for (const LessonRun& run : l.runs) runs.push_back(runLessonRun(run));
    it = cache.emplace(l.id, std::move(runs)).first;
  }
  return it->second;
}

TEST(Lessons, EveryLessonParsesAndSaysWhatToLookAt) {
  const std::vector<std::string> expected = {
      "mean_subtraction", "normalization", "zero_init", "small_random", "large_random",
      "xavier_tanh", "relu_xavier_vs_he", "batch_norm_rescue", "l2_regularization", "dropout",
      "edge_of_stability", "dynamical_isometry"};
  std::vector<std::string> ids;
  for (const Lesson& l : lessons()) {
    ids.push_back(l.id);
    EXPECT_FALSE(l.title.empty()) << l.id;
    EXPECT_FALSE(l.section.empty()) << l.id;
    EXPECT_GT(l.text.size(), 200u) << l.id;
    EXPECT_FALSE(l.lookAt.empty()) << l.id;
    EXPECT_FALSE(l.runs.empty()) << l.id;
    EXPECT_FALSE(l.checks.empty()) << l.id;
    for (const LessonRun& run : l.runs) EXPECT_NO_THROW(validate(run.experiment)) << l.id;
  }
  EXPECT_EQ(ids, expected);  // article order
}

TEST(Lessons, EveryCheckHolds) {
  const auto start = std::chrono::steady_clock::now();
  for (const Lesson& l : lessons()) {
    const auto lessonStart = std::chrono::steady_clock::now();
    const std::vector<CheckResult> checks = evaluateLessonChecks(l, results(l));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - lessonStart).count();
    std::printf("%s (%.2f s)\n", l.id.c_str(), seconds);
    ASSERT_EQ(checks.size(), l.checks.size());
    for (const CheckResult& c : checks) {
      std::printf("  %s  [measured %.4g]\n", c.description.c_str(), c.measured);
      EXPECT_TRUE(c.passed) << l.id << ": " << c.description;
    }
  }
  std::printf("all lessons: %.2f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

TEST(Lessons, SmallRandomCollapsesBelowOneInAHundredThousand) {
  const StatsSnapshot& s = results(lesson("small_random"))[0].initial;
  ASSERT_EQ(s.layers.size(), 12u);
  EXPECT_LT(s.layers[10].activation.std, 1e-5);
}

TEST(Lessons, HeKeepsReluStdWithinAFactorOfTwo) {
  const Lesson& l = lesson("relu_xavier_vs_he");
  ASSERT_EQ(l.runs[1].experiment.model.init, "he_normal");
  const StatsSnapshot& s = results(l)[1].initial;
  double lo = 1e300, hi = 0.0;
  for (int layer = 1; layer <= 10; ++layer) {
    lo = std::min(lo, s.layers[layer].activation.std);
    hi = std::max(hi, s.layers[layer].activation.std);
  }
  EXPECT_LT(hi / lo, 2.0);
  // And Xavier's halving: (1/sqrt 2)^9 ~ 0.044 from layer 1 to layer 10.
  const StatsSnapshot& x = results(l)[0].initial;
  EXPECT_LT(x.layers[10].activation.std / x.layers[1].activation.std, 0.1);
}

TEST(Lessons, StrongL2TrainsLessAccuratelyThanWeak) {
  const Lesson& l = lesson("l2_regularization");
  ASSERT_LT(l.runs[0].experiment.train.l2, l.runs[1].experiment.train.l2);
  EXPECT_LT(results(l)[1].summary.trainAccuracy, results(l)[0].summary.trainAccuracy);
}

// The Jacobian is measured only for the runs and snapshots a check reads (it costs L products
// and an SVD per sample), on the first 16 probe samples, as analysis/jacobian.h computes it.
TEST(Lessons, JacobianIsMeasuredWhereACheckReadsIt) {
  const Lesson& l = lesson("dynamical_isometry");
  ASSERT_EQ(l.runs.size(), 4u);
  EXPECT_TRUE(l.runs[3].measures.jacobianInitial);
  EXPECT_FALSE(l.runs[3].measures.jacobianFinal);
  EXPECT_FALSE(l.runs[3].measures.sharpness);
  const LessonRunResult& orthogonal = results(l)[3];
  EXPECT_EQ(orthogonal.jacobianInitial.samples, 16);
  EXPECT_EQ(orthogonal.jacobianInitial.count, 32);
  EXPECT_EQ(orthogonal.jacobianFinal.samples, 0);
  // The same network rebuilt from the run's experiment: the numbers the checks read.
  Trainer trainer(l.runs[3].experiment);
  const JacobianSummary direct = jacobianSpectra(trainer.network(), trainer.probeInputs(), 16).summary;
  EXPECT_DOUBLE_EQ(orthogonal.jacobianInitial.fractionNearOne, direct.fractionNearOne);
  EXPECT_DOUBLE_EQ(orthogonal.jacobianInitial.max / orthogonal.jacobianInitial.min,
                   direct.max / direct.min);
  // A lesson that asks nothing of the Jacobian does not pay for it.
  EXPECT_EQ(results(lesson("xavier_tanh"))[0].jacobianInitial.samples, 0);
  EXPECT_EQ(results(lesson("xavier_tanh"))[0].jacobianFinal.samples, 0);
}

// ---- Errors name the file and the JSON path ----

class LessonFiles : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string errorOf(const std::string& path) {
    try {
      loadLesson(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }
  static std::string lessonText(const std::string& run, const std::string& check) {
    return R"({"id": "x", "title": "t", "section": "s", "text": "words", "look_at": ["loss"],
               "runs": [)" + run + R"(], "checks": [)" + check + "]}";
  }
  testing::TempDir tmp_{"layerscope-lessons"};
  std::filesystem::path dir_ = tmp_.path;
};

const char* kGoodRun = R"({"label": "a", "experiment": {"model": {"depth": 2}}})";
const char* kGoodCheck = R"({"run": 0, "quantity": "train_accuracy", "op": ">", "value": 0.5})";

TEST_F(LessonFiles, AMinimalLessonLoadsWithDefaults) {
  const Lesson l = loadLesson(write("x.json", lessonText(kGoodRun, kGoodCheck)));
  EXPECT_EQ(l.runs[0].experiment.model.depth, 2);
  EXPECT_EQ(l.runs[0].experiment.model.width, 500);  // default
  EXPECT_EQ(l.checks[0].op, ">");
}

TEST_F(LessonFiles, RelativeDataPathsAreResolvedAgainstTheLessonFolder) {
  const Lesson l = loadLesson(write(
      "x.json", lessonText(R"({"label": "a", "experiment": {"data": {"dataset": "csv:../d/f.csv"}}})",
                           kGoodCheck)));
  EXPECT_EQ(l.runs[0].experiment.data.source,
            "csv:" + (dir_ / "../d/f.csv").lexically_normal().string());
}

TEST_F(LessonFiles, ErrorsNameTheFileAndThePath) {
  const std::string bad =
      write("x.json", lessonText(R"({"label": "a", "experiment": {"model": {"depth": "ten"}}})",
                                 kGoodCheck));
  EXPECT_EQ(errorOf(bad), bad + ": runs[0].experiment.model.depth: expected an integer, found string");

  const std::string unknownKey = write(
      "x.json", lessonText(R"({"label": "a", "experiment": {"model": {"dept": 2}}})", kGoodCheck));
  EXPECT_NE(errorOf(unknownKey).find(unknownKey + ": runs[0].experiment.model.dept: unknown key"),
            std::string::npos);

  const std::string badOp = write(
      "x.json", lessonText(kGoodRun, R"({"run": 0, "quantity": "train_accuracy", "op": "=", "value": 1})"));
  EXPECT_NE(errorOf(badOp).find(badOp + ": checks[0].op: unknown comparison '='"), std::string::npos);

  const std::string badRun = write(
      "x.json", lessonText(kGoodRun, R"({"run": 3, "quantity": "train_accuracy", "op": "<", "value": 1})"));
  EXPECT_NE(errorOf(badRun).find(badRun + ": checks[0].run: no run 3"), std::string::npos);

  const std::string noLayer = write(
      "x.json", lessonText(kGoodRun, R"({"run": 0, "quantity": "layer_std", "op": "<", "value": 1})"));
  EXPECT_NE(errorOf(noLayer).find(noLayer + ": checks[0].layer: missing"), std::string::npos);

  const std::string badRange = write(
      "x.json", lessonText(R"({"label": "a", "experiment": {"model": {"dropout": 1.5}}})", kGoodCheck));
  EXPECT_NE(errorOf(badRange).find(badRange + ": runs[0].experiment: dropout"), std::string::npos);

  const std::string wrongId = write("y.json", lessonText(kGoodRun, kGoodCheck));
  EXPECT_NE(errorOf(wrongId).find(wrongId + ": id: \"x\" does not match"), std::string::npos);

  const std::string notJson = write("x.json", "{\"id\": ");
  // Unexpected end of input: named with the line and column, as an editor wants it.
  EXPECT_NE(errorOf(notJson).find(notJson + ":1:8: invalid JSON"), std::string::npos)
      << errorOf(notJson);

  EXPECT_THROW(loadLessons((dir_ / "missing").string()), InputError);
}

// look_at names the dashboard's views (lab/plot_names.h), the Over time ones with what their
// pickers show; anything else is an error naming the entry.
TEST_F(LessonFiles, LookAtNamesTheOverTimeViewsAndRejectsUnknownOnes) {
  auto withLookAt = [&](const std::string& lookAt) {
    std::string text = lessonText(kGoodRun, kGoodCheck);
    text.replace(text.find(R"(["loss"])"), 8, lookAt);
    return write("x.json", text);
  };
  const Lesson l = loadLesson(withLookAt(
      R"(["loss", "layer_heatmap:saturated_fraction", "histogram_over_time", "percentiles:gradient"])"));
  EXPECT_EQ(l.lookAt, (std::vector<std::string>{"loss", "layer_heatmap:saturated_fraction",
                                                "histogram_over_time", "percentiles:gradient"}));
  EXPECT_EQ(splitLookAt("layer_heatmap:dead_fraction").plot, "layer_heatmap");
  EXPECT_EQ(splitLookAt("layer_heatmap:dead_fraction").option, "dead_fraction");
  EXPECT_EQ(splitLookAt("loss").option, "");

  const std::string unknown = withLookAt(R"(["loss", "heatmap"])");
  EXPECT_NE(errorOf(unknown).find(unknown + ": look_at[1]: unknown plot 'heatmap' (expected one of: "
                                            "depth_profile, "),
            std::string::npos) << errorOf(unknown);
  EXPECT_NE(errorOf(unknown).find("layer_heatmap, histogram_over_time, percentiles)"),
            std::string::npos) << errorOf(unknown);
  const std::string badStatistic = withLookAt(R"(["layer_heatmap:std"])");
  EXPECT_NE(errorOf(badStatistic).find(badStatistic + ": look_at[0]: unknown statistic 'std' for "
                                                      "layer_heatmap"),
            std::string::npos) << errorOf(badStatistic);
  const std::string badQuantity = withLookAt(R"(["percentiles:weights"])");
  EXPECT_NE(errorOf(badQuantity).find(badQuantity + ": look_at[0]: unknown quantity 'weights'"),
            std::string::npos) << errorOf(badQuantity);
  const std::string noOption = withLookAt(R"(["loss:train"])");
  EXPECT_NE(errorOf(noOption).find(noOption + ": look_at[0]: 'loss' takes no ':' option"),
            std::string::npos) << errorOf(noOption);
}

TEST_F(LessonFiles, ComparisonsBetweenRunsAndTheirWording) {
  Lesson l = loadLesson(write(
      "x.json",
      lessonText(std::string(kGoodRun) + ", " + kGoodRun,
                 R"({"run": 1, "quantity": "train_accuracy", "op": "<", "other_run": 0, "margin": -0.1},
                    {"run": 0, "quantity": "layer_std", "layer": "every_hidden", "step": "initial",
                     "op": "between", "value": [0.2, 0.6]})")));
  std::vector<LessonRunResult> r(2);
  r[0].summary.trainAccuracy = 0.95;
  r[1].summary.trainAccuracy = 0.80;
  for (int layer = 0; layer <= 3; ++layer) {
    LayerStats s;
    s.layer = layer;
    s.kind = layer == 0 ? "input" : layer == 3 ? "output" : "hidden";
    s.activation.std = layer == 2 ? 0.7 : 0.4;
    r[0].initial.layers.push_back(s);
  }
  const std::vector<CheckResult> c = evaluateLessonChecks(l, r);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_TRUE(c[0].passed) << c[0].description;  // 0.80 < 0.95 - 0.1
  EXPECT_NEAR(c[0].reference, 0.85, 1e-12);
  EXPECT_FALSE(c[1].passed) << c[1].description;  // layer 2's 0.7 is outside [0.2, 0.6]
  EXPECT_DOUBLE_EQ(c[1].measured, 0.7);
  EXPECT_NE(c[1].description.find("layer 2"), std::string::npos) << c[1].description;
}

}  // namespace
}  // namespace layerscope
