#include "run/run_history.h"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace layerscope {

namespace {
constexpr std::size_t kLayerPoints = 2048;  // per layer curve: recent and older each

// Revisions are unique across every RunHistory of the process, so a plot that switches between
// two histories (the live run and the timeline's history at a past step) never mistakes one
// for the other.
std::atomic<unsigned long> lastRevision{0};
unsigned long nextRevision() { return ++lastRevision; }
}

BoundedSeries::BoundedSeries(std::size_t recentCapacity, std::size_t olderCapacity)
    : recentCapacity_(std::max<std::size_t>(recentCapacity, 1)),
      olderCapacity_(std::max<std::size_t>(olderCapacity, 2)) {}

void BoundedSeries::append(double x, double y) {
  ++appended_;
  if (!std::isfinite(y) || !std::isfinite(x)) {
    ++nonFinite_;
    return;
  }
  // A second probe of the same step (the full probe after a wide net's light first one, a
  // pause's probe after a regular one) supersedes the first: one point per step.
  if (!recent_.empty() && recent_.back().x == x) {
    recent_.back().y = y;
    return;
  }
  recent_.push_back({x, y});
  if (recent_.size() > recentCapacity_) {
    pushOlder(recent_.front());
    recent_.pop_front();
  }
}

void BoundedSeries::pushOlder(const SeriesPoint& p) {
  // Average `stride_` consecutive points into one, so every older point covers the same span.
  accumulator_.x += p.x;
  accumulator_.y += p.y;
  if (++accumulated_ < stride_) return;
  older_.push_back({accumulator_.x / accumulated_, accumulator_.y / accumulated_});
  accumulator_ = {};
  accumulated_ = 0;
  if (older_.size() >= olderCapacity_) {
    // Full: halve the resolution of the old part (pairs averaged) and double the stride.
    std::size_t out = 0;
    for (std::size_t i = 0; i + 1 < older_.size(); i += 2)
      older_[out++] = {(older_[i].x + older_[i + 1].x) / 2, (older_[i].y + older_[i + 1].y) / 2};
    if (older_.size() % 2) older_[out++] = older_.back();
    older_.resize(out);
    stride_ *= 2;
  }
}

void BoundedSeries::clear() {
  recent_.clear();
  older_.clear();
  stride_ = 1;
  accumulator_ = {};
  accumulated_ = 0;
  nonFinite_ = 0;
  appended_ = 0;
}

std::vector<SeriesPoint> BoundedSeries::points() const {
  std::vector<SeriesPoint> all;
  all.reserve(size());
  all.insert(all.end(), older_.begin(), older_.end());
  all.insert(all.end(), recent_.begin(), recent_.end());
  return all;
}

SeriesPoint BoundedSeries::last() const {
  if (!recent_.empty()) return recent_.back();
  if (!older_.empty()) return older_.back();
  return {};
}

std::size_t BoundedSeries::bytes() const {
  return sizeof(*this) + older_.capacity() * sizeof(SeriesPoint) +
         recent_.size() * sizeof(SeriesPoint);
}

RunHistory::RunHistory() { clear(); }

void RunHistory::clear() {
  trainLoss_.clear();
  validationLoss_.clear();
  trainAccuracy_.clear();
  validationAccuracy_.clear();
  layers_.clear();
  snapshots_ = 0;
  revision_ = nextRevision();
}

void RunHistory::addLosses(const std::vector<StepLoss>& losses) {
  for (const StepLoss& l : losses) trainLoss_.append(static_cast<double>(l.step), l.loss);
  if (!losses.empty()) revision_ = nextRevision();
}

void RunHistory::addSnapshot(const StatsSnapshot& s) {
  const double x = static_cast<double>(s.step);
  trainAccuracy_.append(x, s.probeAccuracy);
  // Repeated validation numbers (StatsSnapshot::validationRepeated) are not a measurement: the
  // curve shows the steps where validation was measured.
  if (!s.validationRepeated) {
    validationLoss_.append(x, s.validationLoss);
    validationAccuracy_.append(x, s.validationAccuracy);
  }
  if (layers_.size() != s.layers.size()) {
    layers_.assign(s.layers.size(), std::vector<BoundedSeries>(
                                        kLayerMetrics, BoundedSeries(kLayerPoints, kLayerPoints)));
  }
  for (std::size_t i = 0; i < s.layers.size(); ++i) {
    const LayerStats& l = s.layers[i];
    layers_[i][ActivationMean].append(x, l.activation.mean);
    layers_[i][ActivationStd].append(x, l.activation.std);
    layers_[i][GradientStd].append(x, l.gradientStd);
    layers_[i][WeightGradientStd].append(x, l.weightGradientStd);
    layers_[i][UpdateRatio].append(x, l.updateRatio);
  }
  ++snapshots_;
  revision_ = nextRevision();
}

const BoundedSeries& RunHistory::layer(int index, LayerMetric metric) const {
  return layers_.at(static_cast<std::size_t>(index)).at(metric);
}

std::size_t RunHistory::bytes() const {
  std::size_t total = sizeof(*this) + trainLoss_.bytes() + validationLoss_.bytes() +
                      trainAccuracy_.bytes() + validationAccuracy_.bytes();
  for (const auto& layer : layers_)
    for (const auto& series : layer) total += series.bytes();
  return total;
}

}  // namespace layerscope
