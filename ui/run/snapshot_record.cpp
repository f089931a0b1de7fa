#include "run/snapshot_record.h"

#include <QObject>
#include <algorithm>

namespace layerscope {

namespace {

std::size_t histogramBytes(const Histogram& h) { return h.counts.size() * sizeof(std::uint32_t); }

}  // namespace

std::size_t SnapshotRecord::bytesOf(const StatsSnapshot& s) {
  std::size_t bytes = sizeof(StatsSnapshot) + s.divergence.size();
  for (const LayerStats& l : s.layers)
    bytes += sizeof(LayerStats) + l.kind.size() + histogramBytes(l.activationHistogram) +
             histogramBytes(l.preActivationHistogram) + histogramBytes(l.gradientHistogram) +
             histogramBytes(l.weightHistogram) + histogramBytes(l.weightGradientHistogram);
  bytes += s.decision.classIndex.size() + s.decision.confidence.size() * sizeof(float);
  return bytes;
}

SnapshotRecord::SnapshotRecord(std::size_t capacity, std::size_t budgetBytes)
    : capacity_(std::max<std::size_t>(capacity, 4)), budget_(budgetBytes) {}

void SnapshotRecord::clear() {
  kept_.clear();
  snapshotBytes_ = 0;
  lastIsExtra_ = false;
  stride_ = 1;
  seen_ = 0;
  losses_.clear();
  lossStride_ = 1;
}

void SnapshotRecord::add(const StatsSnapshot& snapshot) {
  ++seen_;
  if (lastIsExtra_) {  // superseded as "the latest"
    snapshotBytes_ -= bytesOf(kept_.back());
    kept_.pop_back();
  }
  const bool newBin = kept_.empty() || binOf(kept_.back().step) != binOf(snapshot.step);
  kept_.push_back(snapshot);
  snapshotBytes_ += bytesOf(kept_.back());
  lastIsExtra_ = !newBin;
  if (overBudget()) decimate();
}

void SnapshotRecord::addLosses(const std::vector<StepLoss>& losses) {
  for (const StepLoss& l : losses) {
    // A second report of a step (a resumed divergence) replaces the first: one loss per step.
    if (!losses_.empty() && l.step <= losses_.back().step) {
      auto it = std::lower_bound(losses_.begin(), losses_.end(), l.step,
                                 [](const StepLoss& a, long s) { return a.step < s; });
      losses_.erase(it, losses_.end());
    }
    losses_.push_back(l);
  }
  if (losses_.size() * sizeof(StepLoss) > budget_ / 4) thinLosses();
}

void SnapshotRecord::truncateTo(long step) {
  bool popped = false;
  while (!kept_.empty() && kept_.back().step > step) {
    snapshotBytes_ -= bytesOf(kept_.back());
    kept_.pop_back();
    --seen_;
    popped = true;
  }
  // Below a popped latest, every kept snapshot is the first of its bin.
  if (popped) lastIsExtra_ = false;
  while (!losses_.empty() && losses_.back().step > step) losses_.pop_back();
}

void SnapshotRecord::setBudgetBytes(std::size_t bytes) {
  budget_ = bytes;
  if (losses_.size() * sizeof(StepLoss) > budget_ / 4) thinLosses();
  if (overBudget()) decimate();
}

bool SnapshotRecord::overBudget() const {
  // The first and the latest are kept whatever the budget (a budget smaller than two snapshots
  // still shows where the run started and where it is).
  return kept_.size() > 2 &&
         (kept_.size() > capacity_ || snapshotBytes_ + losses_.size() * sizeof(StepLoss) > budget_);
}

void SnapshotRecord::decimate() {
  // Double the bins until the record fits: keep the first snapshot of every bin, then the
  // latest (marked extra when its bin already has a first).
  while (overBudget()) {
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
    snapshotBytes_ = 0;
    for (const StatsSnapshot& s : kept_) snapshotBytes_ += bytesOf(s);
  }
}

void SnapshotRecord::thinLosses() {
  // Drop every second step of the older half; the newer half stays at full resolution.
  while (losses_.size() > 64 && losses_.size() * sizeof(StepLoss) > budget_ / 4) {
    const std::size_t half = losses_.size() / 2;
    std::size_t out = 0;
    for (std::size_t i = 0; i < half; i += 2) losses_[out++] = losses_[i];
    for (std::size_t i = half; i < losses_.size(); ++i) losses_[out++] = losses_[i];
    losses_.resize(out);
    lossStride_ *= 2;
  }
}

long SnapshotRecord::indexAt(long step) const {
  if (kept_.empty()) return -1;
  auto it = std::upper_bound(kept_.begin(), kept_.end(), step,
                             [](long s, const StatsSnapshot& k) { return s < k.step; });
  if (it == kept_.begin()) return 0;
  return static_cast<long>(it - kept_.begin()) - 1;
}

const StatsSnapshot* SnapshotRecord::at(long step) const {
  const long i = indexAt(step);
  return i < 0 ? nullptr : &kept_[static_cast<std::size_t>(i)];
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
