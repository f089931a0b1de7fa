// The training worker's mailbox (ui/run/training_worker.h): requests of one kind coalesce to
// the newest (rebuilds, live settings), the ones that must all happen (steps, exports) are all
// carried out, and nothing asked after a rebuild is lost to it.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <memory>

#include "run/training_worker.h"
#include "test_helpers.h"

namespace layerscope {

using testing::blobs16d;
using testing::waitFor;

namespace {

// A worker on its own thread, as TrainingController runs it, with what it sends collected in
// the test's (GUI) thread.
struct WorkerOnThread {
  QThread thread;
  TrainingWorker* worker = new TrainingWorker;
  QObject context;  // lives in the test thread: the connections below are queued to it
  std::vector<RunInfo> built;
  std::vector<StatsSnapshot> snapshots;
  std::vector<long> pausedAt;
  QStringList exported, exportErrors, failures;

  WorkerOnThread() {
    registerTrainingMetaTypes();
    worker->moveToThread(&thread);
    QObject::connect(&thread, &QThread::started, worker, &TrainingWorker::run);
    QObject::connect(worker, &TrainingWorker::runBuilt, &context,
                     [this](const RunInfo& info) { built.push_back(info); });
    QObject::connect(worker, &TrainingWorker::snapshotReady, &context,
                     [this](const StatsSnapshot& s) { snapshots.push_back(s); });
    QObject::connect(worker, &TrainingWorker::pausedAt, &context,
                     [this](long step) { pausedAt.push_back(step); });
    QObject::connect(worker, &TrainingWorker::modelExported, &context,
                     [this](const QString& path, const QString& error) {
                       exported << path;
                       if (!error.isEmpty()) exportErrors << error;
                     });
    QObject::connect(worker, &TrainingWorker::failed, &context,
                     [this](const QString& message) { failures << message; });
  }
  ~WorkerOnThread() {
    worker->requestStop();
    thread.quit();
    thread.wait();
    delete worker;
  }
  void start() { thread.start(); }
};

ExperimentConfig withLearningRate(double lr) {
  ExperimentConfig c = blobs16d();
  c.train.learningRate = lr;
  return c;
}

}  // namespace

TEST(TrainingWorkerMailbox, RequestsMadeBeforeTheLoopLooksCoalesceAndTheLastOneWins) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  WorkerOnThread w;
  // All of this is in the mailbox before the loop first takes it: one pass sees everything.
  QStringList paths;
  for (unsigned g = 1; g <= 20; ++g) {
    w.worker->requestRebuild(withLearningRate(0.001 * g), g);
    w.worker->requestLiveSettings(withLearningRate(0.5));  // dropped by the next rebuild
    w.worker->requestRunning(true);                        // so is this
    if (g % 2 == 0) {
      paths << dir.filePath(QStringLiteral("model-%1.onnx").arg(g));
      w.worker->requestModelExport(paths.back(), {}, blobs16d(), g);
    }
  }
  for (double lr : {0.03, 0.02, 0.0456}) w.worker->requestLiveSettings(withLearningRate(lr));
  w.worker->requestRunning(true);
  for (int i = 0; i < 3; ++i) w.worker->requestStep();  // each pauses first: three single steps
  w.start();

  ASSERT_TRUE(waitFor([&] { return w.pausedAt.size() >= 3; }));
  QTest::qWait(100);  // nothing more comes: three steps, then paused
  EXPECT_TRUE(w.failures.isEmpty()) << w.failures.join('\n').toStdString();
  ASSERT_EQ(w.built.size(), 1u);  // only the newest rebuild was built
  EXPECT_EQ(w.built[0].generation, 20u);
  EXPECT_EQ(w.pausedAt, (std::vector<long>{1, 2, 3}));
  ASSERT_EQ(w.snapshots.size(), 4u);  // step 0 after the build, then one per step
  EXPECT_EQ(w.snapshots[0].step, 0);
  EXPECT_NEAR(w.snapshots[0].learningRate, 0.020, 1e-12);  // generation 20's own
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(w.snapshots[i].step, i);
    EXPECT_NEAR(w.snapshots[i].learningRate, 0.0456, 1e-12);  // the newest live settings
  }
  // Every export was answered, in order, and written (from the one network that was built).
  EXPECT_EQ(w.exported, paths);
  EXPECT_TRUE(w.exportErrors.isEmpty()) << w.exportErrors.join('\n').toStdString();
  for (const QString& p : paths) EXPECT_TRUE(QFile::exists(p)) << p.toStdString();
}

TEST(TrainingWorkerMailbox, ManyRebuildsAndLiveChangesWhileItRunsLoseNothing) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  WorkerOnThread w;
  w.start();
  QStringList paths;
  constexpr unsigned kRebuilds = 40;
  for (unsigned g = 1; g <= kRebuilds; ++g) {
    w.worker->requestRebuild(blobs16d(), g);
    w.worker->requestRunning(true);
    // Several live changes per run: only the newest has to arrive, whenever the loop looks.
    for (int k = 1; k <= 5; ++k) w.worker->requestLiveSettings(withLearningRate(0.001 * g + 1e-5 * k));
    if (g % 8 == 0) {
      paths << dir.filePath(QStringLiteral("model-%1.onnx").arg(g));
      w.worker->requestModelExport(paths.back(), {}, blobs16d(), g);
    }
    QTest::qWait(g % 3);  // sometimes before the loop looks, sometimes mid-build or mid-step
  }
  w.worker->requestStep();  // pauses, then exactly one more batch
  ASSERT_TRUE(waitFor([&] {
    return !w.pausedAt.empty() && !w.built.empty() && w.built.back().generation == kRebuilds &&
           w.exported.size() == paths.size();
  }));
  QTest::qWait(100);
  EXPECT_TRUE(w.failures.isEmpty()) << w.failures.join('\n').toStdString();
  EXPECT_LE(w.built.size(), kRebuilds);
  for (size_t i = 1; i < w.built.size(); ++i)  // in order, none twice
    EXPECT_LT(w.built[i - 1].generation, w.built[i].generation);
  // The last run: trained for a while perhaps, then one step; its newest live setting applied.
  const StatsSnapshot& last = w.snapshots.back();
  EXPECT_EQ(last.step, w.pausedAt.back());
  EXPECT_NEAR(last.learningRate, 0.001 * kRebuilds + 5e-5, 1e-12);
  EXPECT_EQ(w.exported, paths);
  EXPECT_TRUE(w.exportErrors.isEmpty()) << w.exportErrors.join('\n').toStdString();
}

TEST(TrainingWorkerMailbox, ExportsAskedBeforeAStopAreWrittenBeforeRunReturns) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  auto w = std::make_unique<WorkerOnThread>();
  w->start();
  w->worker->requestRebuild(blobs16d(), 1);
  ASSERT_TRUE(waitFor([&] { return !w->built.empty(); }));
  const QString path = dir.filePath(QStringLiteral("last.onnx"));
  w->worker->requestModelExport(path, {}, blobs16d(), 1);
  w.reset();  // stops and joins at once
  EXPECT_TRUE(QFile::exists(path));
}

}  // namespace layerscope
