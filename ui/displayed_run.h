// The run on screen, as one object: its curves, its newest statistics, the recorded history the
// timeline scrubs and the statistics export writes, its 2-D training points, the timeline's
// marks, and the runs pinned beside it. MainWindow owns one and feeds it each frame from the
// worker; the plots, the findings, the exports and Compare read it. A new run clears everything
// but the pinned runs.
#pragma once

#include <QString>
#include <QVector>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "run/snapshot_record.h"
#include "training/keyframe.h"
#include "plots/pinned_run.h"
#include "plots/plot_view.h"
#include "run/run_history.h"
#include "run/training_controller.h"
#include "run/training_types.h"
#include "widgets/timeline_bar.h"

namespace layerscope {

struct DisplayedRun {
  RunHistory history;
  std::optional<StatsSnapshot> latest;
  SnapshotRecord record;  // every probe and step loss, within the user's memory budget
  PointCloud points;      // the 2-D training data the decision regions are drawn over
  bool pointsChanged = false;
  QVector<PinnedRun> pinned;  // kept when a new run starts
  std::vector<TimelineMark> marks;  // in the order they happened
  // The run's keyframes (training/keyframe.h), taken by the worker every so many steps and on
  // demand, in step order: what a branch continues from and what a saved run may keep.
  std::vector<std::shared_ptr<const Keyframe>> keyframes;
  // The probe accuracy of the run's first snapshot (the findings compare against it); NaN
  // before the first snapshot arrives.
  double firstTrainAccuracy = std::numeric_limits<double>::quiet_NaN();
  bool haveFirstSnapshot = false;
  long lastStep = 0;  // the newest step reported (a loss or a probe)

  // A new run was built: its curves, statistics, points and marks start empty.
  void startNewRun();
  void setPoints(const PointCloud& p);
  void mark(TimelineMark::Kind kind, long step, const QString& text);
  // Takes a frame's losses and snapshots; returns what the dashboard draws next.
  PlotInputs add(const TrainingFrame& frame, const ExperimentConfig& experiment);
  // The run as it was at `step`, from the record: the newest kept probe at or before it, the
  // curves up to it (pointers into this object, valid until the next call); the over-time plots
  // get `step` as their cursor.
  PlotInputs at(long step, const ExperimentConfig& experiment);
  // What the live dashboard draws now (after scrubbing: "Live").
  PlotInputs live(const ExperimentConfig& experiment);
  // Keeps a keyframe of the run (and marks it), within a quarter of the record's budget: past
  // it, every second older keyframe goes (the first, at step 0, and the newest stay).
  void addKeyframe(KeyframePtr keyframe);
  std::size_t keyframeBytes() const;
  // The newest keyframe at or before `step`; null when none.
  KeyframePtr keyframeAt(long step) const;
  // A branch from `step`: forgets the probes, losses, marks and keyframes after it and redraws
  // the curves up to it (the pinned original keeps its whole run).
  void truncateTo(long step);
  // The step a probe at `step` +- `probes` lands on (arrow keys), clamped to the recorded ones.
  long probeStepFrom(long step, int probes) const;

 private:
  RunHistory pastHistory_;  // the curves up to the scrubbed step
  StatsSnapshot pastSnapshot_;
};

}  // namespace layerscope
