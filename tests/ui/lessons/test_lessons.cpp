// The Lessons panel: every lesson file is listed; running one loads its experiment into the
// configuration panel, pins each run, and shows the engine's verdict on each check.
#include <gtest/gtest.h>

#include <QDir>
#include <QPushButton>
#include <algorithm>

#include "config_panel.h"
#include "plots/dashboard.h"
#include "common/temp_dir.h"
#include "io/experiment_file.h"
#include "lessons/lesson_library.h"
#include "lessons/lesson_panel.h"
#include "lessons/lesson_sequencer.h"
#include "main_window.h"
#include "plots/depth_profile_plot.h"
#include "test_helpers.h"

namespace layerscope {

using testing::fresh;
using testing::waitFor;

namespace {
QStringList sourceLessonIds() {
  QStringList ids;
  for (const QString& f : QDir(QStringLiteral(LAYERSCOPE_RESOURCES_DIR "/lessons"))
                              .entryList({QStringLiteral("*.json")}, QDir::Files))
    ids << f.chopped(5);
  ids.sort();
  return ids;
}
}  // namespace

TEST(Lessons, EveryLessonFileIsCompiledInAndListed) {
  const QStringList expected = sourceLessonIds();
  ASSERT_GE(expected.size(), 10);
  QStringList embedded;
  for (const QString& f : embeddedLessonFiles()) embedded << f.chopped(5);
  EXPECT_EQ(embedded, expected);

  MainWindow w(fresh());
  QStringList listed = w.lessonPanel()->lessonIds();
  // Article order: mean subtraction (section 1) first, dropout (section 4) last of the
  // article's, then the edge of stability (training dynamics) and dynamical isometry (after the
  // article).
  EXPECT_EQ(listed.front(), "mean_subtraction");
  EXPECT_EQ(listed.back(), "dynamical_isometry");
  EXPECT_EQ(listed.at(listed.size() - 2), "edge_of_stability");
  EXPECT_EQ(listed.at(listed.size() - 3), "dropout");
  listed.sort();
  EXPECT_EQ(listed, expected);
}

TEST(Lessons, LessonsThatReadDataFilesFindThemInTheExtractedResources) {
  const LessonLibrary library = loadBuiltInLessons();
  ASSERT_TRUE(library.error.isEmpty()) << library.error.toStdString();
  const auto it = std::find_if(library.lessons.begin(), library.lessons.end(),
                               [](const Lesson& l) { return l.id == "mean_subtraction"; });
  ASSERT_NE(it, library.lessons.end());
  const std::string source = it->runs.at(0).experiment.data.source;
  ASSERT_EQ(source.rfind("csv:", 0), 0u) << source;
  EXPECT_TRUE(QFile::exists(QString::fromStdString(source.substr(4)))) << source;
}

TEST(Lessons, AnExperimentSavedWithALessonsDataNamesItStablyAndReopens) {
  // The extracted resources' folder is gone after a restart: the file must not name it.
  const LessonLibrary library = loadBuiltInLessons();
  const auto it = std::find_if(library.lessons.begin(), library.lessons.end(),
                               [](const Lesson& l) { return l.id == "mean_subtraction"; });
  ASSERT_NE(it, library.lessons.end());
  const ExperimentConfig config = it->runs.at(0).experiment;
  testing::TempDir dir;
  writeExperimentFile(dir.file("exp.json"), config);
  QFile file(QString::fromStdString(dir.file("exp.json")));
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QString text = QString::fromUtf8(file.readAll());
  EXPECT_TRUE(text.contains(QStringLiteral("\"csv:@layerscope/positive_clouds.csv\""))) << text.toStdString();
  EXPECT_FALSE(text.contains(library.directory)) << text.toStdString();
  const ExperimentConfig reopened = readExperimentFile(dir.file("exp.json"));
  EXPECT_EQ(reopened.data.source, config.data.source);
  EXPECT_TRUE(QFile::exists(QString::fromStdString(reopened.data.source.substr(4))));
}

TEST(Lessons, RunningALessonLoadsItsExperimentPinsItAndShowsTheChecks) {
  MainWindow w(fresh());
  w.show();
  ASSERT_EQ(w.runLesson(QStringLiteral("small_random")), QString());
  // Loaded into the configuration panel as a user would have set it: N(0, 0.01^2) weights.
  const ExperimentConfig shown = w.configPanel()->config();
  EXPECT_EQ(shown.model.init, "normal");
  EXPECT_DOUBLE_EQ(shown.model.initStd, 0.01);
  EXPECT_EQ(shown.model.depth, 10);
  EXPECT_EQ(w.controller()->experiment().model.init, "normal");
  EXPECT_FALSE(w.lessonPanel()->runButton()->isEnabled());

  ASSERT_TRUE(waitFor([&] { return !w.lessonSequencer()->running(); }, 60000));
  EXPECT_TRUE(w.pinnedRuns().isEmpty());  // one run: it stays live, nothing to overlay
  // The article's numbers, on screen: layer 1 ~0.21, layer 10 collapsed below 1e-5.
  const QList<QPointF> live = w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName());
  ASSERT_EQ(live.size(), 10);
  EXPECT_NEAR(live.front().y(), 0.21, 0.02);
  EXPECT_LT(live.back().y(), 1e-5);

  const QStringList checks = w.lessonPanel()->checkTexts();
  ASSERT_EQ(checks.size(), static_cast<int>(w.lessonPanel()->currentLesson()->checks.size()))
      << checks.join("\n").toStdString();
  for (const QString& c : checks) EXPECT_TRUE(c.startsWith(QStringLiteral("✓ "))) << c.toStdString();
  EXPECT_TRUE(checks.join("\n").contains("layer 10 layer std at initialization = 2.94e-07")) << checks.join("\n").toStdString();
  EXPECT_TRUE(w.lessonPanel()->runButton()->isEnabled());
}

TEST(Lessons, MultiRunLessonPinsEachRunSoTheNextOverlaysIt) {
  MainWindow w(fresh());
  w.show();
  ASSERT_EQ(w.runLesson(QStringLiteral("relu_xavier_vs_he")), QString());
  ASSERT_TRUE(waitFor([&] { return !w.lessonSequencer()->running(); }, 90000));
  ASSERT_EQ(w.pinnedRuns().size(), 1);  // xavier pinned; he, the last run, stays live
  EXPECT_EQ(w.pinnedRuns()[0].label, "pinned 1: relu, xavier_normal");
  const QList<QPointF> pinned = w.dashboard()->depthProfile()->seriesPoints("pinned 1: relu, xavier_normal");
  const QList<QPointF> live = w.dashboard()->depthProfile()->seriesPoints(DepthProfilePlot::stdSeriesName());
  ASSERT_EQ(pinned.size(), 10);
  ASSERT_EQ(live.size(), 10);
  // Xavier halves the variance per ReLU layer, He keeps it: by layer 10 they differ ~20x.
  EXPECT_GT(live.back().y() / pinned.back().y(), 10.0);
  EXPECT_NEAR(live.back().y() / live.front().y(), 1.0, 0.5);
  EXPECT_EQ(w.configPanel()->config().model.init, "he_normal");  // the last run stays loaded
  const QStringList checks = w.lessonPanel()->checkTexts();
  ASSERT_EQ(checks.size(), static_cast<int>(w.lessonPanel()->currentLesson()->checks.size()))
      << checks.join("\n").toStdString();
  for (const QString& c : checks) EXPECT_TRUE(c.startsWith(QStringLiteral("✓ "))) << c.toStdString();
}

TEST(Lessons, ChecksArriveOnlyWhenTheirThreadHasEndedSoTheLessonEnds) {
  // Once the checks were emitted from the checks thread's last message, while it still ran:
  // the window asked running(), heard "yes", and nothing asked again. The lesson stayed
  // "running" (Stop enabled, Run disabled), and Stop then replaced the verdicts with "Stopped.".
  MainWindow w(fresh());
  w.show();
  bool checksRunningWhenReady = true;
  int ready = 0;
  QObject::connect(w.lessonSequencer(), &LessonSequencer::checksReady, [&] {
    ++ready;
    checksRunningWhenReady = w.lessonSequencer()->checksRunning();
  });
  auto* stop = w.findChild<QPushButton*>(QStringLiteral("stopLesson"));
  ASSERT_NE(stop, nullptr);
  ASSERT_EQ(w.runLesson(QStringLiteral("small_random")), QString());
  EXPECT_TRUE(stop->isEnabled());
  ASSERT_TRUE(waitFor([&] { return ready == 1 && !w.lessonSequencer()->running(); }, 60000));
  EXPECT_FALSE(checksRunningWhenReady);
  EXPECT_FALSE(stop->isEnabled());
  EXPECT_TRUE(w.lessonPanel()->runButton()->isEnabled());
  const QStringList checks = w.lessonPanel()->checkTexts();
  ASSERT_EQ(checks.size(), static_cast<int>(w.lessonPanel()->currentLesson()->checks.size()))
      << checks.join("\n").toStdString();
  for (const QString& c : checks) EXPECT_TRUE(c.startsWith(QStringLiteral("✓ "))) << c.toStdString();
}

TEST(Lessons, StopThenRunAgainShowsOnlyTheNewRunsChecks) {
  MainWindow w(fresh());
  w.show();
  int ready = 0;
  QObject::connect(w.lessonSequencer(), &LessonSequencer::checksReady, [&] { ++ready; });
  auto* stop = w.findChild<QPushButton*>(QStringLiteral("stopLesson"));
  ASSERT_EQ(w.runLesson(QStringLiteral("relu_xavier_vs_he")), QString());
  QTest::qWait(50);
  stop->click();  // the checks thread is retired, not waited for
  EXPECT_EQ(w.lessonPanel()->checkTexts(), QStringList{QStringLiteral("Stopped.")});
  ASSERT_EQ(w.runLesson(QStringLiteral("small_random")), QString());
  ASSERT_TRUE(waitFor([&] { return !w.lessonSequencer()->running(); }, 60000));
  EXPECT_EQ(ready, 1);  // the stopped lesson's checks never arrive
  EXPECT_EQ(w.lessonPanel()->checkTexts().size(),
            static_cast<int>(w.lessonPanel()->currentLesson()->checks.size()));
}

TEST(Lessons, UnknownLessonIsAMessageNotACrash) {
  MainWindow w(fresh());
  EXPECT_TRUE(w.runLesson(QStringLiteral("no_such_lesson")).contains("no_such_lesson"));
}

}  // namespace layerscope
