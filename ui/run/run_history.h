// The curves of one run over training steps, bounded so memory stays flat over hours:
// every series keeps its newest points at full resolution and the older ones decimated
// (pairs averaged, the stride doubling whenever the old part fills up).
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

#include "run/training_types.h"

namespace layerscope {

struct SeriesPoint {
  double x = 0.0, y = 0.0;
};

class BoundedSeries {
 public:
  // At most recentCapacity + olderCapacity points are ever stored.
  explicit BoundedSeries(std::size_t recentCapacity = 4096, std::size_t olderCapacity = 4096);

  // A non-finite y is counted in nonFinite() and not stored (it could not be drawn); an x equal
  // to the last point's replaces its y (one point per step).
  void append(double x, double y);
  void clear();

  std::size_t size() const { return older_.size() + recent_.size(); }
  bool empty() const { return size() == 0; }
  long nonFinite() const { return nonFinite_; }
  long appended() const { return appended_; }
  // Points in increasing x: the decimated older part, then the recent part.
  std::vector<SeriesPoint> points() const;
  SeriesPoint last() const;
  std::size_t olderStride() const { return stride_; }  // original points per older point
  std::size_t bytes() const;

 private:
  void pushOlder(const SeriesPoint& p);

  std::size_t recentCapacity_, olderCapacity_;
  std::deque<SeriesPoint> recent_;
  std::vector<SeriesPoint> older_;
  std::size_t stride_ = 1;
  SeriesPoint accumulator_{};
  std::size_t accumulated_ = 0;
  long nonFinite_ = 0;
  long appended_ = 0;
};

// Per-layer curves and the loss and accuracy curves of the current run.
class RunHistory {
 public:
  enum LayerMetric { ActivationMean, ActivationStd, GradientStd, WeightGradientStd, UpdateRatio,
                     kLayerMetrics };

  RunHistory();
  void clear();
  void addLosses(const std::vector<StepLoss>& losses);
  void addSnapshot(const StatsSnapshot& snapshot);

  const BoundedSeries& trainLoss() const { return trainLoss_; }  // every step
  const BoundedSeries& validationLoss() const { return validationLoss_; }
  const BoundedSeries& trainAccuracy() const { return trainAccuracy_; }  // probe batch
  const BoundedSeries& validationAccuracy() const { return validationAccuracy_; }
  int layerCount() const { return static_cast<int>(layers_.size()); }
  const BoundedSeries& layer(int index, LayerMetric metric) const;
  long snapshots() const { return snapshots_; }
  // Bumped by every change, so a plot can skip a redraw when nothing is new.
  unsigned long revision() const { return revision_; }
  std::size_t bytes() const;

 private:
  BoundedSeries trainLoss_, validationLoss_, trainAccuracy_, validationAccuracy_;
  std::vector<std::vector<BoundedSeries>> layers_;  // [layer][metric]
  long snapshots_ = 0;
  unsigned long revision_ = 0;
};

}  // namespace layerscope
