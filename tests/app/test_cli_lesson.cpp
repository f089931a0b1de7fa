// layerscope-cli lesson ID|FILE: every built-in lesson runs headless through the CLI with all
// its checks holding (exit 0), a failing check is exit 1, a bad lesson exit 2 naming the file,
// and --export-plot draws the lesson's figure.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace layerscope {
namespace {

using testing::CliResult;

const std::string kLessonDir = std::string(LAYERSCOPE_TEST_DATA_DIR) + "/../../resources/lessons";

std::vector<std::string> builtInLessons() {
  std::vector<std::string> ids;
  for (const auto& e : std::filesystem::directory_iterator(kLessonDir))
    if (e.path().extension() == ".json") ids.push_back(e.path().stem().string());
  std::sort(ids.begin(), ids.end());
  return ids;
}

class CliLesson : public testing::CliHarness {
 protected:
  CliLesson() : CliHarness("layerscope-cli-lesson-") {}
};

class CliBuiltInLesson : public testing::CliHarness,
                         public ::testing::WithParamInterface<std::string> {
 protected:
  CliBuiltInLesson() : CliHarness("layerscope-cli-lesson-") {}
};

// Every lesson of resources/lessons, by id, as a teacher or CI would run it. Each takes 0.1 to
// 3 s (the trained ones: batch_norm_rescue ~2.5 s, l2_regularization and dropout ~1 s).
TEST_P(CliBuiltInLesson, RunsHeadlessWithEveryCheckHolding) {
  const auto start = std::chrono::steady_clock::now();
  const CliResult r = run("lesson " + GetParam());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %.2f s\n%s", GetParam().c_str(), seconds, r.out.c_str());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("lesson " + GetParam() + ": "), std::string::npos);
  EXPECT_EQ(r.out.find("FAIL "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("checks hold"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

INSTANTIATE_TEST_SUITE_P(, CliBuiltInLesson, ::testing::ValuesIn(builtInLessons()),
                         [](const auto& info) { return info.param; });

const char* kLesson = R"({"id": "%s", "title": "t", "section": "s", "text": "words",
  "look_at": ["depth_profile"],
  "runs": [{"label": "tiny", "experiment": {"model": {"depth": 2, "width": 16},
            "data": {"validation_fraction": 0, "features": 8, "samples": 50},
            "train": {"steps": 0}}}],
  "checks": [{"run": 0, "quantity": "layer_std", "layer": "first_hidden", "step": "initial",
              "op": "%s", "value": 0}]})";

std::string lessonText(const std::string& id, const std::string& op) {
  char buffer[2048];
  std::snprintf(buffer, sizeof buffer, kLesson, id.c_str(), op.c_str());
  return buffer;
}

TEST_F(CliLesson, EachCheckIsPrintedWithItsMeasuredValueAndVerdict) {
  write("holds.json", lessonText("holds", ">"));
  const CliResult ok = run("lesson " + path("holds.json"));
  EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("PASS run 0 (tiny): layer 1 layer std at initialization = "),
            std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("1 of 1 checks hold"), std::string::npos) << ok.out;

  write("fails.json", lessonText("fails", "<"));
  const CliResult bad = run("lesson " + path("fails.json"));
  EXPECT_EQ(bad.status, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("FAIL run 0 (tiny): layer 1 layer std at initialization = "),
            std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find(": FAILS"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("0 of 1 checks hold"), std::string::npos) << bad.out;
}

TEST_F(CliLesson, ABadLessonIsExitTwoNamingTheFile) {
  write("broken.json", "{\"id\": ");
  const CliResult broken = run("lesson " + path("broken.json"));
  EXPECT_EQ(broken.status, 2);
  EXPECT_NE(broken.err.find(path("broken.json") + ":1:8"), std::string::npos) << broken.err;
  EXPECT_EQ(broken.err.find('\n'), broken.err.size() - 1) << "one line: " << broken.err;

  write("wrong.json", lessonText("wrong", "="));
  const CliResult op = run("lesson " + path("wrong.json"));
  EXPECT_EQ(op.status, 2);
  EXPECT_NE(op.err.find(path("wrong.json") + ": checks[0].op: unknown comparison '='"),
            std::string::npos) << op.err;

  const CliResult missing = run("lesson no_such_lesson");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("no lesson 'no_such_lesson'"), std::string::npos) << missing.err;

  EXPECT_EQ(run("lesson").status, 2);
  const CliResult flag = run("lesson small_random --lr 0.1");
  EXPECT_EQ(flag.status, 2);
  EXPECT_NE(flag.err.find("--lr does not apply to a lesson"), std::string::npos) << flag.err;
}

TEST_F(CliLesson, ALessonInTheUsersFolderIsFoundByItsId) {
  std::filesystem::create_directories(dir_ / "data" / "layerscope" / "lessons");
  write("data/layerscope/lessons/mine.json", lessonText("mine", ">"));
  const CliResult r = run("lesson mine");  // not found without the folder
  EXPECT_EQ(r.status, 2);
  const std::string env = "XDG_DATA_HOME=" + (dir_ / "data").string() + " ";
  const std::string out = path("stdout");
  const int raw = std::system((env + LAYERSCOPE_CLI + std::string(" lesson mine >") + out).c_str());
  EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << read(out);
  EXPECT_NE(read(out).find("1 of 1 checks hold"), std::string::npos) << read(out);
}

TEST_F(CliLesson, ExportPlotDrawsTheLessonsFigureWithTheEarlierRunPinned) {
  const CliResult r = run("lesson relu_xavier_vs_he --export-plot " + path("f.png") +
                          " --plot depth_profile,histograms");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  for (const char* name : {"f-depth_profile.png", "f-histograms.png"}) {
    const std::string png = read(dir_ / name);
    ASSERT_GT(png.size(), 1000u) << name;
    EXPECT_EQ(png.substr(1, 3), "PNG") << name;
  }
  EXPECT_NE(r.out.find("plot depth_profile -> " + path("f-depth_profile.png")), std::string::npos)
      << r.out;

  const CliResult notTwoD =
      run("lesson small_random --export-plot " + path("d.png") + " --plot decision_regions");
  EXPECT_EQ(notTwoD.status, 2);
  EXPECT_NE(notTwoD.err.find("decision_regions: only for 2-D data"), std::string::npos)
      << notTwoD.err;
}

// docs/LESSONS.md's example is a lesson a teacher may copy: it must load and hold.
TEST_F(CliLesson, TheDocumentedExampleHolds) {
  const std::string doc =
      read(std::string(LAYERSCOPE_TEST_DATA_DIR) + "/../../docs/LESSONS.md");
  const size_t example = doc.find("## Example");
  ASSERT_NE(example, std::string::npos);
  const size_t begin = doc.find("```json\n", example);
  ASSERT_NE(begin, std::string::npos);
  const size_t end = doc.find("```", begin + 8);
  write("tanh_depth.json", doc.substr(begin + 8, end - begin - 8));
  const CliResult r = run("lesson " + path("tanh_depth.json"));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("4 of 4 checks hold"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace layerscope
