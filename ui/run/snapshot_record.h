// What a run leaves behind for the timeline, the statistics export and the "Over time" plots:
// every probe's whole snapshot and every step's training loss, within a memory budget the user
// sees and sets (default kDefaultBudgetBytes).
//
// Snapshots: every one while they fit, then decimated uniformly in step. The run's steps are cut
// into bins of `strideSteps()` steps and the first snapshot of each bin is kept; when the record
// is over its budget (or its count capacity) the bins double, so the kept steps stay evenly
// spread over the whole run. The first snapshot (step 0: the freshly initialized network) and
// the latest one are always kept, so the newest probe is never thinned away.
//
// Losses: every step's, 16 bytes each, so a million steps cost 16 MB. They may use at most a
// quarter of the budget; beyond it the older half is thinned (every second step of it dropped),
// the newest steps stay whole. The thinning is said by lossStride().
#pragma once

#include <QString>
#include <cstddef>
#include <vector>

#include "run/training_types.h"
#include "training/stats.h"

namespace layerscope {

class SnapshotRecord {
 public:
  static constexpr std::size_t kDefaultBudgetBytes = std::size_t(256) << 20;
  static constexpr std::size_t kNoCountLimit = std::size_t(1) << 30;

  // At most `capacity` snapshots and `budgetBytes` of snapshots and losses together.
  explicit SnapshotRecord(std::size_t capacity = kNoCountLimit,
                          std::size_t budgetBytes = kDefaultBudgetBytes);

  void clear();
  void add(const StatsSnapshot& snapshot);
  void addLosses(const std::vector<StepLoss>& losses);
  // Forgets the snapshots and losses after `step` (a branch from it).
  void truncateTo(long step);
  // A smaller budget thins what is kept now; a larger one keeps more from now on.
  void setBudgetBytes(std::size_t bytes);
  std::size_t budgetBytes() const { return budget_; }
  // Memory held: the snapshots' (their vectors' contents included) and the losses'.
  std::size_t bytes() const { return snapshotBytes_ + losses_.size() * sizeof(StepLoss); }

  const std::vector<StatsSnapshot>& snapshots() const { return kept_; }  // in step order
  std::size_t size() const { return kept_.size(); }
  long seen() const { return seen_; }           // snapshots added since clear()
  long strideSteps() const { return stride_; }  // the bin width in steps (1 at first)
  bool complete() const { return static_cast<long>(kept_.size()) == seen_; }
  // The kept snapshot shown at `step`: the newest at or before it (the first when `step`
  // precedes it); nullptr when the record is empty.
  const StatsSnapshot* at(long step) const;
  // The index in snapshots() of at(step); -1 when empty.
  long indexAt(long step) const;

  // Every step's training loss in step order (thinned in its older part past a quarter of the
  // budget: lossStride() > 1 says so).
  const std::vector<StepLoss>& losses() const { return losses_; }
  long lossStride() const { return lossStride_; }

  // "all 37 probes, steps 0 to 1200" or "500 of 9000 probes: the first in every 64 steps from
  // step 0 to 90000, and the latest (step 90017)": said in every export.
  QString describe() const;

  // What one snapshot holds in memory: the struct and its vectors' elements.
  static std::size_t bytesOf(const StatsSnapshot& snapshot);

 private:
  long binOf(long step) const { return step / stride_; }
  bool overBudget() const;
  void decimate();
  void thinLosses();

  std::size_t capacity_, budget_;
  std::vector<StatsSnapshot> kept_;
  std::size_t snapshotBytes_ = 0;
  bool lastIsExtra_ = false;  // the last kept snapshot is only there because it is the latest
  long stride_ = 1;
  long seen_ = 0;
  std::vector<StepLoss> losses_;
  long lossStride_ = 1;
};

}  // namespace layerscope
