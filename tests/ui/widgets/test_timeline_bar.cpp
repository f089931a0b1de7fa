// The timeline bar on its own: the cursor snaps to probes, the arrow keys move probe by probe,
// Live follows the run, replay walks the probes and catches up with the run.
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTest>

#include "widgets/timeline_bar.h"

namespace layerscope {

TEST(TimelineBar, TheCursorSnapsToTheNearestProbeAndLeavesLive) {
  TimelineBar bar;
  bar.setRecorded({0, 100, 200, 300}, 350);
  EXPECT_TRUE(bar.live());
  EXPECT_EQ(bar.cursor(), 350);
  QSignalSpy moved(&bar, &TimelineBar::cursorMoved);
  bar.setCursor(140);
  EXPECT_FALSE(bar.live());
  EXPECT_EQ(bar.cursor(), 100);
  ASSERT_EQ(moved.count(), 1);
  EXPECT_EQ(moved.last().at(0).toLongLong(), 100);
  bar.setCursor(160);
  EXPECT_EQ(bar.cursor(), 200);
  EXPECT_TRUE(bar.positionText().contains("probe 3/4")) << bar.positionText().toStdString();
}

TEST(TimelineBar, ArrowKeysMoveProbeByProbeAndEndGoesLive) {
  TimelineBar bar;
  bar.setRecorded({0, 100, 200, 300}, 300);
  QSignalSpy live(&bar, &TimelineBar::liveRequested);
  QTest::keyClick(&bar, Qt::Key_Left);  // from live: the probe before the newest
  EXPECT_EQ(bar.cursor(), 200);
  QTest::keyClick(&bar, Qt::Key_Left);
  QTest::keyClick(&bar, Qt::Key_Left);
  QTest::keyClick(&bar, Qt::Key_Left);  // clamped at the first
  EXPECT_EQ(bar.cursor(), 0);
  QTest::keyClick(&bar, Qt::Key_Right);
  EXPECT_EQ(bar.cursor(), 100);
  QTest::keyClick(&bar, Qt::Key_End);
  EXPECT_TRUE(bar.live());
  EXPECT_EQ(live.count(), 1);
}

TEST(TimelineBar, ClickingTheTrackMovesTheCursorThere) {
  TimelineBar bar;
  bar.resize(900, 40);
  bar.show();
  bar.setRecorded({0, 250, 500, 750, 1000}, 1000);
  TimelineTrack* track = bar.track();
  QTest::mouseClick(track, Qt::LeftButton, {}, QPoint(int(track->xOf(740)), track->height() / 2));
  EXPECT_EQ(bar.cursor(), 750);
}

TEST(TimelineBar, ReplayWalksTheProbesThenFollowsTheRunAgain) {
  TimelineBar bar;
  bar.setRecorded({0, 10, 20, 30, 40}, 40);
  bar.setReplayRate(50);
  QSignalSpy moved(&bar, &TimelineBar::cursorMoved);
  QSignalSpy live(&bar, &TimelineBar::liveRequested);
  bar.setPlaying(true);
  EXPECT_EQ(bar.cursor(), 0);  // from live, replay starts at the first probe
  ASSERT_TRUE(QTest::qWaitFor([&] { return live.count() == 1; }, 3000));
  EXPECT_FALSE(bar.playing());
  QList<long> steps;
  for (const auto& args : moved) steps << args.at(0).toLongLong();
  EXPECT_EQ(steps, (QList<long>{0, 10, 20, 30, 40}));
}

TEST(TimelineBar, MarksAndMemoryAreShown) {
  TimelineBar bar;
  bar.setRecorded({0, 10}, 10);
  bar.setMarks({{TimelineMark::Kind::SettingChange, 5, "lr 0.1 -> 0.01"}});
  ASSERT_EQ(bar.marks().size(), 1u);
  QSignalSpy budget(&bar, &TimelineBar::budgetChanged);
  bar.setBudgetBytes(std::size_t(512) << 20);
  ASSERT_EQ(budget.count(), 1);
  EXPECT_EQ(bar.budgetBytes(), std::size_t(512) << 20);
}

}  // namespace layerscope
