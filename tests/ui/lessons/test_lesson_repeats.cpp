// Lessons in the window, run to completion many times in a row: a race between the live runs'
// end and the checks thread's end once left a lesson "running" (Stop enabled, Run disabled,
// fixed in ui/lessons/lesson_sequencer.cpp with ui/common/background_job.h). Every run here must
// end with the lesson idle, every check shown and holding. Also: the user's lesson folder, a
// broken lesson file named without hiding the others, the histogram mode a lesson asks for, and
// a pinned run's decision regions beside the live ones.
#include <gtest/gtest.h>

#include <QDir>
#include <QPushButton>
#include <QTemporaryDir>
#include <cstdio>

#include "lessons/lesson_library.h"
#include "lessons/lesson_panel.h"
#include "lessons/lesson_sequencer.h"
#include "main_window.h"
#include "plots/dashboard.h"
#include "plots/decision_region_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/pinned_run.h"
#include "test_helpers.h"

namespace layerscope {

using testing::fresh;
using testing::waitFor;

namespace {

// How many rounds: LAYERSCOPE_LESSON_REPEATS (default 3), so a hunt for a rare race can ask for
// hundreds without changing the test.
int repeats() {
  const int n = qEnvironmentVariableIntValue("LAYERSCOPE_LESSON_REPEATS");
  return n > 0 ? n : 3;
}

// Runs `id` in `w` and waits for the whole lesson (live runs and checks) to end; then the panel
// must be idle with every check shown and holding.
void runToCompletion(MainWindow& w, const QString& id, int round) {
  SCOPED_TRACE(id.toStdString() + ", round " + std::to_string(round));
  auto* stop = w.findChild<QPushButton*>(QStringLiteral("stopLesson"));
  ASSERT_NE(stop, nullptr);
  int ready = 0;
  const QMetaObject::Connection c = QObject::connect(
      w.lessonSequencer(), &LessonSequencer::checksReady, [&ready] { ++ready; });
  ASSERT_EQ(w.runLesson(id), QString());
  const bool ended = waitFor([&] { return !w.lessonSequencer()->running(); }, 180000);
  QObject::disconnect(c);
  ASSERT_TRUE(ended) << "still running";
  // The panel follows: not left "running" after the sequencer is done.
  EXPECT_TRUE(waitFor([&] { return !stop->isEnabled(); }, 2000));
  EXPECT_TRUE(w.lessonPanel()->runButton()->isEnabled());
  EXPECT_EQ(ready, 1);
  const QStringList checks = w.lessonPanel()->checkTexts();
  ASSERT_EQ(checks.size(), static_cast<int>(w.lessonPanel()->currentLesson()->checks.size()))
      << checks.join("\n").toStdString();
  for (const QString& text : checks)
    EXPECT_TRUE(text.startsWith(QStringLiteral("✓ "))) << text.toStdString();
}

}  // namespace

// The lessons of 0 steps end fastest, where the live runs and the checks finish closest
// together: the race's window. Each runs `repeats()` times in a row in one window.
TEST(LessonRepeats, FastLessonsRunToCompletionManyTimesInARow) {
  MainWindow w(fresh());
  w.show();
  const QStringList fast = {QStringLiteral("small_random"), QStringLiteral("large_random"),
                            QStringLiteral("xavier_tanh"), QStringLiteral("relu_xavier_vs_he")};
  for (int round = 0; round < repeats(); ++round)
    for (const QString& id : fast) {
      runToCompletion(w, id, round);
      if (::testing::Test::HasFatalFailure()) return;
    }
}

// Every built-in lesson once, back to back in one window (the trained ones included).
TEST(LessonRepeats, EveryLessonRunsToCompletionBackToBack) {
  MainWindow w(fresh());
  w.show();
  const QStringList ids = w.lessonPanel()->lessonIds();
  ASSERT_GE(ids.size(), 10);
  for (const QString& id : ids) {
    runToCompletion(w, id, 0);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// The next lesson starts from inside the previous one's checksReady, before the window's own
// handlers have seen the end: the sequencer must still end each one cleanly.
TEST(LessonRepeats, ALessonStartedFromTheLastOnesVerdictEndsToo) {
  MainWindow w(fresh());
  w.show();
  const int total = 2 * repeats();
  int started = 1, finished = 0;
  QObject::connect(w.lessonSequencer(), &LessonSequencer::checksReady, &w, [&] {
    ++finished;
    if (started < total) {
      ++started;
      QMetaObject::invokeMethod(&w, [&w] { w.runLesson(QStringLiteral("small_random")); },
                                Qt::QueuedConnection);
    }
  });
  ASSERT_EQ(w.runLesson(QStringLiteral("small_random")), QString());
  ASSERT_TRUE(waitFor([&] { return finished == total && !w.lessonSequencer()->running(); },
                      60000 * total))
      << finished << " of " << total;
  EXPECT_TRUE(w.lessonPanel()->runButton()->isEnabled());
}

TEST(LessonViews, ALessonSwitchesTheHistogramsToTheQuantityItTalksAbout) {
  MainWindow w(fresh());
  w.show();
  LayerHistogramsPlot* h = w.dashboard()->histograms();
  h->setMode(LayerHistogramsPlot::Mode::Gradient);  // the user looked at gradients last
  ASSERT_EQ(w.runLesson(QStringLiteral("large_random")), QString());
  EXPECT_EQ(h->mode(), LayerHistogramsPlot::Mode::PostActivation);
  ASSERT_TRUE(waitFor([&] { return !w.lessonSequencer()->running(); }, 60000));
  // What the text says: about 90% of each layer at |a| > 0.99, std ~0.98.
  ASSERT_EQ(h->panels().size(), 10u);
  for (const LayerHistogramsPlot::Panel& p : h->panels()) {
    EXPECT_GT(p.saturated, 0.85) << "layer " << p.layer;
    EXPECT_NEAR(p.std, 0.98, 0.02) << "layer " << p.layer;
  }
}

TEST(LessonViews, APinnedRunsDecisionRegionsAreDrawnBesideTheLiveOnes) {
  DecisionRegionPlot plot;
  plot.resize(800, 400);
  PinnedRun pinned;
  pinned.label = QStringLiteral("pinned 1: weak L2 (lambda 0)");
  pinned.color = pinnedColor(0);
  pinned.decision.resolution = 2;
  pinned.decision.xMax = pinned.decision.yMax = 1;
  pinned.decision.classIndex = {0, 1, 1, 0};
  pinned.decision.confidence = {0.9f, 0.9f, 0.9f, 0.9f};
  EXPECT_FALSE(plot.hasPinned());
  plot.setPinned({pinned});
  EXPECT_TRUE(plot.hasPinned());
  EXPECT_EQ(plot.pinnedLabel(), pinned.label);
  PinnedRun noRegions;  // a run on non-2-D data: nothing to draw beside
  plot.setPinned({noRegions});
  EXPECT_FALSE(plot.hasPinned());
  plot.setPinned({pinned, noRegions});  // the newest pin that has regions
  EXPECT_TRUE(plot.hasPinned());
  plot.setPinned({});
  EXPECT_FALSE(plot.hasPinned());
}

// The user's folder: its lessons join the list; a broken file is named once, above the list,
// and hides nothing else.
TEST(LessonLibraryFolders, UserLessonsLoadAndABrokenFileIsNamedWithoutHidingTheOthers) {
  QTemporaryDir home;
  ASSERT_TRUE(home.isValid());
  const QString folder = home.path() + QStringLiteral("/layerscope/lessons");
  ASSERT_TRUE(QDir().mkpath(folder));
  ASSERT_TRUE(testing::writeBytes(folder + QStringLiteral("/my_lesson.json"), R"({
    "id": "my_lesson", "order": 50, "title": "My lesson", "section": "mine",
    "text": "A two-layer network at initialization.", "look_at": ["depth_profile"],
    "runs": [{"label": "a", "experiment": {"model": {"depth": 2, "width": 16},
              "data": {"validation_fraction": 0, "features": 8, "samples": 50},
              "train": {"steps": 0}}}],
    "checks": [{"run": 0, "quantity": "layer_std", "layer": "first_hidden", "step": "initial",
                "op": ">", "value": 0}]})"));
  ASSERT_TRUE(testing::writeBytes(folder + QStringLiteral("/broken.json"), "{\"id\": "));

  const LessonLibrary library = loadLessonLibrary(folder);
  EXPECT_TRUE(library.error.isEmpty()) << library.error.toStdString();
  ASSERT_EQ(library.problems.size(), 1) << library.problems.join("\n").toStdString();
  EXPECT_TRUE(library.problems[0].contains(folder + QStringLiteral("/broken.json")))
      << library.problems[0].toStdString();
  QStringList ids;
  for (const Lesson& l : library.lessons) ids << QString::fromStdString(l.id);
  EXPECT_TRUE(ids.contains(QStringLiteral("my_lesson")));
  EXPECT_TRUE(ids.contains(QStringLiteral("small_random")));  // the built-in ones are all there
  EXPECT_GE(ids.size(), 11);

  // The window reads $XDG_DATA_HOME/layerscope/lessons at start and shows the problem.
  const QByteArray before = qgetenv("XDG_DATA_HOME");
  qputenv("XDG_DATA_HOME", home.path().toUtf8());
  {
    MainWindow w(fresh());
    EXPECT_TRUE(w.lessonPanel()->lessonIds().contains(QStringLiteral("my_lesson")));
    EXPECT_TRUE(w.lessonPanel()->loadProblemsText().contains(QStringLiteral("broken.json")))
        << w.lessonPanel()->loadProblemsText().toStdString();
  }
  if (before.isEmpty())
    qunsetenv("XDG_DATA_HOME");
  else
    qputenv("XDG_DATA_HOME", before);
}

}  // namespace layerscope
