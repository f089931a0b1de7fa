// The statistics history kept for File > Export statistics: every snapshot of a run while there
// are at most `capacity`, then decimated uniformly in step. The run's steps are cut into bins of
// `strideSteps()` steps and the first snapshot of each bin is kept; when the record is full the
// bins double (so the kept steps stay evenly spread over the whole run). The first snapshot
// (step 0: the freshly initialized network) and the latest one are always kept. Memory stays
// bounded by capacity + 1 snapshots, however long the run.
#pragma once

#include <QString>
#include <cstddef>
#include <vector>

#include "training/stats.h"

namespace layerscope {

class SnapshotRecord {
 public:
  explicit SnapshotRecord(std::size_t capacity = 2000);

  void clear();
  void add(const StatsSnapshot& snapshot);

  const std::vector<StatsSnapshot>& snapshots() const { return kept_; }  // in step order
  std::size_t size() const { return kept_.size(); }
  long seen() const { return seen_; }           // snapshots added since clear()
  long strideSteps() const { return stride_; }  // the bin width in steps (1 at first)
  bool complete() const { return static_cast<long>(kept_.size()) == seen_; }
  // "all 37 probes, steps 0 to 1200" or "500 of 9000 probes: the first in every 64 steps from
  // step 0 to 90000, and the latest (step 90017)": said in every export.
  QString describe() const;

 private:
  long binOf(long step) const { return step / stride_; }
  void decimate();

  std::size_t capacity_;
  std::vector<StatsSnapshot> kept_;
  bool lastIsExtra_ = false;  // the last kept snapshot is only there because it is the latest
  long stride_ = 1;
  long seen_ = 0;
};

}  // namespace layerscope
