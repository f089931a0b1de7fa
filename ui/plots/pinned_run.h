// A finished (or paused) run kept for comparison: a copy of its newest statistics and of its
// loss and accuracy curves, reduced to what the plots overlay. Plain Qt values (no Eigen, no
// pointers into the run), so a pinned run outlives the run it was taken from.
#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

#include "config.h"

#include "run/training_types.h"
#include "training/stats.h"

namespace layerscope {

class RunHistory;

struct PinnedHistogram {
  int layer = 0;
  double lo = 0.0, hi = 0.0;
  std::vector<std::uint32_t> counts;
};

struct PinnedRun {
  QString label;  // "pinned 1: relu he_normal"; the legend label of every overlaid curve
  QColor color;
  long step = 0;
  QList<QPointF> mean, std;  // (hidden layer, value), docs/ARCHITECTURE.md numbering
  std::vector<PinnedHistogram> postActivation, preActivation, gradient;  // per hidden layer
  QList<QPointF> trainLoss, validationLoss, trainAccuracy, validationAccuracy;  // (step, value)
  DecisionGrid decision;  // the snapshot's decision regions (2-D data), or empty
  PointCloud points;      // the training points drawn over them (set by the caller), or empty
  // The experiment it was trained with (set by the caller), so the run list can say what
  // differs from the current run; empty when unknown.
  std::optional<ExperimentConfig> experiment;
};

// Copies what the plots overlay. Curves are decimated to at most maxCurvePoints points.
PinnedRun makePinnedRun(const StatsSnapshot& snapshot, const RunHistory& history,
                        const QString& label, const QColor& color, int maxCurvePoints = 2000);

// Distinct from the live curves' blue and red and from the layer colours: the k-th pin's colour.
QColor pinnedColor(int index);

}  // namespace layerscope
