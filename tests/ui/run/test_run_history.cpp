#include <gtest/gtest.h>

#include <cmath>

#include "plots/decimate.h"
#include "plots/smooth_range.h"
#include "run/run_history.h"

namespace layerscope {

TEST(BoundedSeries, KeepsRecentPointsExactlyAndBoundsTheTotal) {
  BoundedSeries s(100, 50);
  for (int i = 0; i < 100000; ++i) s.append(i, i * 2.0);
  EXPECT_LE(s.size(), 150u);
  const auto points = s.points();
  // The newest 100 are the original points.
  for (int k = 0; k < 100; ++k) {
    const SeriesPoint& p = points[points.size() - 100 + k];
    EXPECT_DOUBLE_EQ(p.x, 99900 + k);
    EXPECT_DOUBLE_EQ(p.y, 2.0 * (99900 + k));
  }
  // Older points are averages of a linear function: still on the line, x increasing.
  for (size_t i = 1; i < points.size(); ++i) {
    EXPECT_LT(points[i - 1].x, points[i].x);
    EXPECT_NEAR(points[i].y, 2 * points[i].x, 1e-6);
  }
  EXPECT_LT(points.front().x, 2000);  // the beginning of the run is still represented
  EXPECT_GT(s.olderStride(), 1u);
}

TEST(BoundedSeries, MemoryIsFlatOverALongRun) {
  BoundedSeries s(64, 64);
  for (int i = 0; i < 10000; ++i) s.append(i, 1.0);
  const size_t after10k = s.bytes();
  for (int i = 10000; i < 1000000; ++i) s.append(i, 1.0);
  EXPECT_LE(s.bytes(), after10k + 64 * sizeof(SeriesPoint));
}

TEST(BoundedSeries, ASecondProbeOfTheSameStepReplacesTheFirst) {
  // A wide net's light step-0 probe, then its full one; a pause's probe after a regular one.
  BoundedSeries s(16, 16);
  s.append(0, 1.0);
  s.append(0, 2.0);
  s.append(5, 3.0);
  s.append(5, 4.0);
  const std::vector<SeriesPoint> points = s.points();
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].y, 2.0);
  EXPECT_EQ(points[1].y, 4.0);
}

TEST(BoundedSeries, NonFiniteValuesAreCountedNotStored) {
  BoundedSeries s;
  s.append(0, 1.0);
  s.append(1, NAN);
  s.append(2, INFINITY);
  s.append(3, 2.0);
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.nonFinite(), 2);
}

TEST(RunHistory, RecordsPerLayerCurvesFromSnapshots) {
  RunHistory h;
  for (int step = 0; step < 5; ++step) {
    StatsSnapshot s;
    s.step = step * 10;
    for (int l = 0; l < 4; ++l) {
      LayerStats ls;
      ls.layer = l;
      ls.activation.std = 0.1 * (l + 1) + step;
      s.layers.push_back(ls);
    }
    h.addSnapshot(s);
  }
  ASSERT_EQ(h.layerCount(), 4);
  const auto p = h.layer(2, RunHistory::ActivationStd).points();
  ASSERT_EQ(p.size(), 5u);
  EXPECT_DOUBLE_EQ(p[3].x, 30);
  EXPECT_DOUBLE_EQ(p[3].y, 0.3 + 3);
}

TEST(Decimate, KeepsSpikesAndBoundsThePointCount) {
  std::vector<SeriesPoint> points;
  for (int i = 0; i < 100000; ++i) points.push_back({double(i), i == 54321 ? 100.0 : 1.0});
  const QList<QPointF> out = decimateToPixels(points, 500);
  EXPECT_LE(out.size(), 1000);
  double top = 0;
  for (const QPointF& p : out) top = std::max(top, p.y());
  EXPECT_EQ(top, 100.0);
  for (qsizetype i = 1; i < out.size(); ++i) EXPECT_LE(out[i - 1].x(), out[i].x());
}

TEST(Decimate, ShortSeriesUnchangedAndLogAxesSkipNonPositive) {
  std::vector<SeriesPoint> points = {{0, 1}, {1, 0}, {2, -1}, {3, 2}};
  EXPECT_EQ(decimateToPixels(points, 100).size(), 4);
  EXPECT_EQ(decimateToPixels(points, 100, true).size(), 2);
}

TEST(SmoothRange, GrowsAtOnceShrinksOnlyWhenDataFillsAQuarter) {
  SmoothRange r;
  ASSERT_TRUE(r.fit(0, 1));
  const double lo = r.lo(), hi = r.hi();
  EXPECT_LE(lo, 0);
  EXPECT_GE(hi, 1);
  EXPECT_FALSE(r.fit(0.1, 0.9));  // inside: no change, no jitter
  EXPECT_TRUE(r.fit(0, 3));       // outside: grows at once
  EXPECT_GE(r.hi(), 3);
  EXPECT_FALSE(r.fit(0, 1.5));    // half of the axis: keep
  EXPECT_TRUE(r.fit(0, 0.2));     // under a quarter: shrink
  EXPECT_LT(r.hi(), 1);
}

TEST(SmoothRange, LogRangesUseWholeDecades) {
  SmoothRange r(true);
  ASSERT_TRUE(r.fit(3e-4, 0.2));
  EXPECT_DOUBLE_EQ(r.lo(), 1e-4);
  EXPECT_DOUBLE_EQ(r.hi(), 1);
  EXPECT_FALSE(r.fit(5e-4, 0.5));
  EXPECT_FALSE(r.fit(0, 1));  // a log axis cannot take 0
}

}  // namespace layerscope
