#include "run/snapshot_record.h"

#include <QObject>
#include <algorithm>

namespace layerscope {

SnapshotRecord::SnapshotRecord(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 4)) {}

void SnapshotRecord::clear() {
  kept_.clear();
  lastIsExtra_ = false;
  stride_ = 1;
  seen_ = 0;
}

void SnapshotRecord::add(const StatsSnapshot& snapshot) {
  ++seen_;
  if (lastIsExtra_) kept_.pop_back();  // superseded as "the latest"
  const bool newBin = kept_.empty() || binOf(kept_.back().step) != binOf(snapshot.step);
  kept_.push_back(snapshot);
  lastIsExtra_ = !newBin;
  if (kept_.size() > capacity_) decimate();
}

void SnapshotRecord::decimate() {
  // Double the bins until the record fits: keep the first snapshot of every bin, then the
  // latest (marked extra when its bin already has a first).
  while (kept_.size() > capacity_) {
    stride_ *= 2;
    StatsSnapshot latest = std::move(kept_.back());
    kept_.pop_back();
    std::vector<StatsSnapshot> thinned;
    thinned.reserve(kept_.size() / 2 + 2);
    for (StatsSnapshot& s : kept_)
      if (thinned.empty() || binOf(thinned.back().step) != binOf(s.step))
        thinned.push_back(std::move(s));
    lastIsExtra_ = !thinned.empty() && binOf(thinned.back().step) == binOf(latest.step);
    thinned.push_back(std::move(latest));
    kept_ = std::move(thinned);
  }
}

QString SnapshotRecord::describe() const {
  if (kept_.empty()) return QObject::tr("no probes recorded");
  const long first = kept_.front().step, last = kept_.back().step;
  if (complete())
    return QObject::tr("all %1 probes of the run, steps %2 to %3").arg(seen_).arg(first).arg(last);
  return QObject::tr("%1 of %2 probes: the first in every %3 steps from step %4, and the latest "
                     "(step %5)")
      .arg(kept_.size()).arg(seen_).arg(stride_).arg(first).arg(last);
}

}  // namespace layerscope
