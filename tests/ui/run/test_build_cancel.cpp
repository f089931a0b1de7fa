// Building a big net shows its progress and can be cancelled (TrainingController::working,
// cancel(); the window's progress bar and Cancel button): the cancel ends the build within a
// bounded time, keeps nothing of it, says so on the status line, and the app then builds and
// trains a small net as if nothing had happened.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QToolButton>

#include "test_helpers.h"
#include "run/training_controller.h"
#include "widgets/work_progress.h"

namespace layerscope {
namespace {

using testing::blobs16d;
using testing::waitFor;
using State = TrainingController::State;

// ~46 M weights (11 layers of 2048 x 2048): drawing them takes a good fraction of a second
// even on several cores, long enough to be cancelled in the middle.
ExperimentConfig bigNet() {
  ExperimentConfig c = blobs16d();
  c.model.depth = 12;
  c.model.width = 2048;
  return c;
}

bool drawingReported(const QSignalSpy& working) {
  for (const QList<QVariant>& args : working)
    if (args.at(0).toString().startsWith(QStringLiteral("Drawing weights"))) return true;
  return false;
}

TEST(BuildCancel, CancellingABigBuildStopsItAndTheNextRunTrains) {
  TrainingController c;
  QSignalSpy working(&c, &TrainingController::working);
  QSignalSpy built(&c, &TrainingController::runBuilt);
  c.setExperiment(bigNet());
  ASSERT_TRUE(waitFor([&] { return drawingReported(working); }, 60000));
  QElapsedTimer clock;
  clock.start();
  c.cancel();
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Cancelled; }, 5000));
  EXPECT_LT(clock.elapsed(), 2000);  // the next layer boundary, not the end of the build
  EXPECT_TRUE(c.lastMessage().contains(QStringLiteral("Cancelled"))) << c.lastMessage().toStdString();
  EXPECT_TRUE(built.isEmpty());  // no run was built
  // The work's end was reported (an empty phase): the progress bar goes back to the steps.
  ASSERT_TRUE(waitFor([&] { return working.last().at(0).toString().isEmpty(); }, 1000));
  // Train does nothing without a run.
  c.train();
  EXPECT_EQ(c.state(), State::Cancelled);

  // A small net next: built and trained as usual.
  c.setExperiment(blobs16d());
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Ready; }, 10000));
  c.train();
  ASSERT_TRUE(waitFor([&] { return c.stepsDone() >= 20; }, 10000));
  c.pause();
}

TEST(BuildCancel, PauseWhileBuildingCancelsTheBuild) {
  TrainingController c;
  QSignalSpy working(&c, &TrainingController::working);
  c.setExperiment(bigNet());
  ASSERT_TRUE(waitFor([&] { return drawingReported(working); }, 60000));
  c.pause();  // the toolbar's Pause (the app's Stop) while building
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Cancelled; }, 5000));
}

TEST(BuildCancel, ANewerExperimentCancelsTheBuildItReplaces) {
  TrainingController c;
  QSignalSpy working(&c, &TrainingController::working);
  c.setExperiment(bigNet());
  ASSERT_TRUE(waitFor([&] { return drawingReported(working); }, 60000));
  QElapsedTimer clock;
  clock.start();
  c.setExperiment(blobs16d());  // the user changed a setting: the big build is wasted work
  ASSERT_TRUE(waitFor([&] { return c.state() == State::Ready; }, 10000));
  EXPECT_LT(clock.elapsed(), 3000);
  EXPECT_EQ(c.runInfo().inputs, 16);
}

TEST(BuildCancel, WindowShowsThePhaseInTheProgressBarAndCancelsFromItsButton) {
  MainWindow w(testing::fresh());
  w.resize(1200, 800);
  w.show();
  auto* bar = testing::child<QProgressBar>(w, "progress");
  auto* cancel = testing::child<QToolButton>(w, "cancelWork");
  auto* status = testing::child<QLabel>(w, "status");
  ASSERT_TRUE(bar && cancel && status);
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }, 30000));
  EXPECT_FALSE(cancel->isVisible());
  testing::useExperiment(w, bigNet());
  ASSERT_TRUE(waitFor([&] { return bar->text().startsWith(QStringLiteral("Drawing weights, layer")); },
                      60000)) << bar->text().toStdString();
  EXPECT_TRUE(bar->text().contains(QStringLiteral("/13"))) << bar->text().toStdString();
  EXPECT_TRUE(cancel->isVisible());
  cancel->click();
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Cancelled; }, 5000));
  ASSERT_TRUE(waitFor([&] { return !cancel->isVisible(); }, 1000));
  EXPECT_TRUE(status->text().contains(QStringLiteral("Cancelled"))) << status->text().toStdString();
  EXPECT_FALSE(bar->text().startsWith(QStringLiteral("Drawing")));
  // Usable: a small experiment builds and trains from the toolbar.
  testing::useExperiment(w, blobs16d());
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }, 10000));
  w.trainAction()->trigger();
  ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() >= 20; }, 10000));
}

TEST(WorkProgressWidget, LendsTheBarToTheWorkAndGivesItBack) {
  QProgressBar bar;
  bar.setRange(0, 500);
  bar.setValue(120);
  bar.setFormat(QStringLiteral("step 120 / 500"));
  WorkProgress work(&bar);
  QSignalSpy cancelled(&work, &WorkProgress::cancelRequested);
  work.show(QStringLiteral("Loading Fashion-MNIST train images"), 0.34);
  EXPECT_TRUE(work.active());
  EXPECT_EQ(bar.text(), QStringLiteral("Loading Fashion-MNIST train images 34%"));
  work.show(QStringLiteral("Final evaluation"), 1.0);
  EXPECT_EQ(bar.text(), QStringLiteral("Final evaluation 100%"));
  work.cancelButton()->click();
  EXPECT_EQ(cancelled.count(), 1);
  EXPECT_FALSE(work.cancelButton()->isEnabled());  // once
  work.show(QString(), 1.0);
  EXPECT_FALSE(work.active());
  EXPECT_EQ(bar.maximum(), 500);
  EXPECT_EQ(bar.value(), 120);
  EXPECT_EQ(bar.text(), QStringLiteral("step 120 / 500"));
}

}  // namespace
}  // namespace layerscope
