// The run on screen, as one object: its curves, its newest statistics, the bounded record the
// statistics export writes, its 2-D training points, and the runs pinned beside it. MainWindow
// owns one and feeds it each frame from the worker; the plots, the findings, the exports and
// Compare read it. A new run clears everything but the pinned runs.
#pragma once

#include <QVector>
#include <limits>
#include <optional>

#include "run/snapshot_record.h"
#include "plots/pinned_run.h"
#include "plots/plot_view.h"
#include "run/run_history.h"
#include "run/training_controller.h"
#include "run/training_types.h"

namespace layerscope {

struct DisplayedRun {
  RunHistory history;
  std::optional<StatsSnapshot> latest;
  SnapshotRecord record;  // bounded: for the statistics export
  PointCloud points;      // the 2-D training data the decision regions are drawn over
  bool pointsChanged = false;
  QVector<PinnedRun> pinned;  // kept when a new run starts
  // The probe accuracy of the run's first snapshot (the findings compare against it); NaN
  // before the first snapshot arrives.
  double firstTrainAccuracy = std::numeric_limits<double>::quiet_NaN();
  bool haveFirstSnapshot = false;

  // A new run was built: its curves, statistics and points start empty.
  void startNewRun();
  void setPoints(const PointCloud& p);
  // Takes a frame's losses and snapshots; returns what the dashboard draws next.
  PlotInputs add(const TrainingFrame& frame, const ExperimentConfig& experiment);
};

}  // namespace layerscope
