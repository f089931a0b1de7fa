#include "saved_run_view.h"

#include <memory>

namespace layerscope {

SavedRun savedRunOf(const DisplayedRun& shown, const ExperimentConfig& experiment,
                    bool withKeyframes) {
  SavedRun saved;
  saved.config = experiment;
  saved.snapshots = shown.record.snapshots();
  saved.losses.reserve(shown.record.losses().size());
  for (const StepLoss& l : shown.record.losses()) saved.losses.push_back({l.step, l.loss});
  saved.points.x = shown.points.x;
  saved.points.y = shown.points.y;
  saved.points.label = shown.points.label;
  saved.points.classes = shown.points.classes;
  if (withKeyframes) {
    saved.keyframes.reserve(shown.keyframes.size());
    for (const std::shared_ptr<const Keyframe>& k : shown.keyframes) saved.keyframes.push_back(*k);
  }
  return saved;
}

void showSavedRun(const SavedRun& saved, DisplayedRun& shown) {
  shown.startNewRun();
  PointCloud points;
  points.x = saved.points.x;
  points.y = saved.points.y;
  points.label = saved.points.label;
  points.classes = saved.points.classes;
  shown.setPoints(points);
  // One frame holding the whole run: DisplayedRun::add fills the curves, the record, the
  // newest snapshot, the first accuracy, the last step and the divergence marks as training
  // would have, so an opened run cannot drift from a trained one.
  TrainingFrame frame;
  frame.losses.reserve(saved.losses.size());
  for (const LossPoint& l : saved.losses) frame.losses.push_back({l.step, l.loss});
  frame.snapshots = saved.snapshots;
  shown.add(frame, saved.config);
  shown.keyframes.reserve(saved.keyframes.size());
  for (const Keyframe& k : saved.keyframes)
    shown.keyframes.push_back(std::make_shared<const Keyframe>(k));
}

}  // namespace layerscope
