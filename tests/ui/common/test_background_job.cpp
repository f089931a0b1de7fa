// BackgroundJob (ui/common/background_job.h): the thread pattern of sweeps and lesson checks.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "common/background_job.h"
#include "test_helpers.h"

namespace layerscope {

using testing::waitFor;

namespace {
void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Works until cancelled, reporting progress every millisecond or so.
BackgroundJob::Work untilCancelled(std::atomic<bool>* returned = nullptr) {
  return [returned](const BackgroundJob::Context& job) {
    for (int i = 0; !job.cancelled(); ++i) {
      job.progress(i, -1);
      sleepMs(1);
    }
    if (returned) *returned = true;
  };
}
}  // namespace

TEST(BackgroundJob, DeliversWhatItPostsThenFinishedWhenItIsNoLongerRunning) {
  BackgroundJob job(QStringLiteral("test-job"));
  std::vector<int> got;
  bool runningWhenFinished = true;
  std::vector<int> gotWhenFinished;
  QObject::connect(&job, &BackgroundJob::finished, [&](bool cancelled) {
    EXPECT_FALSE(cancelled);
    runningWhenFinished = job.running();
    gotWhenFinished = got;
  });
  QSignalSpy finished(&job, &BackgroundJob::finished);
  QSignalSpy progress(&job, &BackgroundJob::progress);
  job.start([&got](const BackgroundJob::Context& c) {
    for (int i = 0; i < 5; ++i) {
      c.post([&got, i] { got.push_back(i); });  // runs in this (the test's) thread
      c.progress(i + 1, 5);
    }
  });
  EXPECT_TRUE(job.running());
  ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }));
  EXPECT_FALSE(runningWhenFinished);  // the whole job is over when finished is heard
  EXPECT_EQ(gotWhenFinished, (std::vector<int>{0, 1, 2, 3, 4}));  // posts first, in order
  ASSERT_EQ(progress.count(), 5);
  EXPECT_EQ(progress.last().at(0).toInt(), 5);
  EXPECT_EQ(job.threads(), 0);  // joined and deleted
}

TEST(BackgroundJob, CancelWhileRunningEndsWithFinishedCancelled) {
  BackgroundJob job(QStringLiteral("test-job"));
  QSignalSpy finished(&job, &BackgroundJob::finished);
  QSignalSpy progress(&job, &BackgroundJob::progress);
  job.start(untilCancelled());
  ASSERT_TRUE(waitFor([&] { return progress.count() >= 3; }));
  job.cancel();
  EXPECT_TRUE(job.running());  // asked, not yet stopped
  ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }));
  EXPECT_TRUE(finished.at(0).at(0).toBool());
  EXPECT_FALSE(job.running());
  QTest::qWait(20);
  EXPECT_EQ(finished.count(), 1);
}

TEST(BackgroundJob, DestroyedWhileRunningCancelsJoinsAndSaysNothing) {
  std::atomic<bool> returned{false};
  int delivered = 0;
  QElapsedTimer timer;
  {
    BackgroundJob job(QStringLiteral("test-job"));
    QObject::connect(&job, &BackgroundJob::finished, [&] { ++delivered; });
    QObject::connect(&job, &BackgroundJob::progress, [&] { ++delivered; });
    job.start(untilCancelled(&returned));
    sleepMs(20);  // progress posted, not delivered: no event loop ran
    timer.start();
  }  // ~BackgroundJob
  EXPECT_LT(timer.elapsed(), 500);  // cancelled: the function returned at its next check
  EXPECT_TRUE(returned);  // joined: the function had returned when the destructor did
  QTest::qWait(20);       // what it had posted died with it
  EXPECT_EQ(delivered, 0);
}

TEST(BackgroundJob, DestroyedWhileAFunctionIgnoresCancelWaitsForIt) {
  std::atomic<bool> returned{false};
  auto job = std::make_unique<BackgroundJob>(QStringLiteral("test-job"));
  job->start([&returned](const BackgroundJob::Context&) {
    sleepMs(150);  // a build or probe that cannot be interrupted
    returned = true;
  });
  sleepMs(10);
  job.reset();
  EXPECT_TRUE(returned);
}

TEST(BackgroundJob, StartingAgainRetiresTheRunningOneWithoutWaiting) {
  BackgroundJob job(QStringLiteral("test-job"));
  QSignalSpy finished(&job, &BackgroundJob::finished);
  std::atomic<bool> firstReturned{false};
  std::vector<int> got;
  job.start([&](const BackgroundJob::Context& c) {
    sleepMs(200);  // does not look at cancelled() for a while
    c.post([&got] { got.push_back(1); });
    firstReturned = true;
  });
  QElapsedTimer timer;
  timer.start();
  job.start([&](const BackgroundJob::Context& c) { c.post([&got] { got.push_back(2); }); });
  EXPECT_LT(timer.elapsed(), 100);  // did not wait for the first
  EXPECT_EQ(job.threads(), 2);
  ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }));
  EXPECT_FALSE(finished.at(0).at(0).toBool());  // the second run's, not cancelled
  ASSERT_TRUE(waitFor([&] { return firstReturned && job.threads() == 0; }));
  QTest::qWait(20);
  EXPECT_EQ(finished.count(), 1);             // the retired run says nothing
  EXPECT_EQ(got, (std::vector<int>{2}));      // and what it posted is dropped
}

}  // namespace layerscope
