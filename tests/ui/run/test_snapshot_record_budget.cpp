// The recorded history stays inside its memory budget: older probes thinned evenly, the first
// and the newest always kept, every step's loss kept while it fits.
#include <gtest/gtest.h>

#include <set>

#include "run/snapshot_record.h"

namespace layerscope {
namespace {

// A snapshot the size of a 10-layer net's: 12 layers, five 64-bin histograms each.
StatsSnapshot sizedSnapshot(long step) {
  StatsSnapshot s;
  s.step = step;
  s.layers.resize(12);
  for (LayerStats& l : s.layers) {
    l.activationHistogram.counts.assign(64, 1);
    l.preActivationHistogram.counts.assign(64, 1);
    l.gradientHistogram.counts.assign(64, 1);
    l.weightHistogram.counts.assign(64, 1);
    l.weightGradientHistogram.counts.assign(64, 1);
  }
  return s;
}

}  // namespace

TEST(SnapshotRecordBudget, StaysWithinItsBudgetThinningEvenlyAndKeepingTheNewest) {
  const std::size_t one = SnapshotRecord::bytesOf(sizedSnapshot(0));
  const std::size_t budget = 100 * one;
  SnapshotRecord record(SnapshotRecord::kNoCountLimit, budget);
  for (long i = 0; i <= 1000; ++i) {
    record.add(sizedSnapshot(i * 10));
    ASSERT_LE(record.bytes(), budget) << "after step " << i * 10;
  }
  const auto& kept = record.snapshots();
  EXPECT_GT(kept.size(), 40u);  // the budget is used, not wasted
  EXPECT_EQ(kept.front().step, 0);
  EXPECT_EQ(kept.back().step, 10000);  // the newest is never thinned away
  // Evenly: one kept probe in every bin of strideSteps() steps, none skipped.
  const long stride = record.strideSteps();
  for (std::size_t i = 1; i + 1 < kept.size(); ++i)
    EXPECT_EQ(kept[i].step / stride, kept[i - 1].step / stride + 1) << i;
  EXPECT_FALSE(record.complete());
}

TEST(SnapshotRecordBudget, ASmallerBudgetThinsWhatIsKeptNow) {
  SnapshotRecord record;
  for (long i = 0; i < 300; ++i) record.add(sizedSnapshot(i));
  EXPECT_EQ(record.size(), 300u);
  const std::size_t smaller = record.bytes() / 4;
  record.setBudgetBytes(smaller);
  EXPECT_LE(record.bytes(), smaller);
  EXPECT_EQ(record.snapshots().back().step, 299);
  EXPECT_EQ(record.budgetBytes(), smaller);
}

TEST(SnapshotRecordBudget, KeepsEveryStepsLossWhileItFitsThenThinsTheOlderHalf) {
  SnapshotRecord record(SnapshotRecord::kNoCountLimit, 64 << 20);
  std::vector<StepLoss> losses;
  for (long s = 1; s <= 100000; ++s) losses.push_back({s, 1.0 / double(s)});
  record.addLosses(losses);
  ASSERT_EQ(record.losses().size(), 100000u);  // 1.6 MB: well inside a quarter of 64 MB
  EXPECT_EQ(record.lossStride(), 1);
  EXPECT_EQ(record.losses()[41].step, 42);

  SnapshotRecord tight(SnapshotRecord::kNoCountLimit, 4 * 16 * 1000);  // room for 1000 losses
  tight.addLosses(losses);
  EXPECT_LE(tight.losses().size() * sizeof(StepLoss), tight.budgetBytes() / 4);
  EXPECT_GT(tight.lossStride(), 1);
  // The newest steps stay whole.
  const auto& kept = tight.losses();
  EXPECT_EQ(kept.back().step, 100000);
  EXPECT_EQ(kept[kept.size() - 2].step, 99999);
  for (std::size_t i = 1; i < kept.size(); ++i) ASSERT_LT(kept[i - 1].step, kept[i].step);
}

TEST(SnapshotRecordBudget, AtFindsTheNewestProbeAtOrBeforeAStep) {
  SnapshotRecord record;
  for (long s : {0L, 10L, 20L, 30L}) record.add(sizedSnapshot(s));
  EXPECT_EQ(record.at(0)->step, 0);
  EXPECT_EQ(record.at(19)->step, 10);
  EXPECT_EQ(record.at(20)->step, 20);
  EXPECT_EQ(record.at(1000)->step, 30);
  EXPECT_EQ(record.at(-5)->step, 0);
  EXPECT_EQ(SnapshotRecord().at(5), nullptr);
}

}  // namespace layerscope
