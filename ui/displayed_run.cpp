#include "displayed_run.h"

#include <QObject>
#include <algorithm>

namespace layerscope {

void DisplayedRun::startNewRun() {
  history.clear();
  latest.reset();
  firstTrainAccuracy = std::numeric_limits<double>::quiet_NaN();
  haveFirstSnapshot = false;
  record.clear();
  points = PointCloud{};
  pointsChanged = true;
  marks.clear();
  keyframes.clear();
  lastStep = 0;
}

void DisplayedRun::setPoints(const PointCloud& p) {
  points = p;
  pointsChanged = true;
}

void DisplayedRun::mark(TimelineMark::Kind kind, long step, const QString& text) {
  marks.push_back({kind, step, text});
}

PlotInputs DisplayedRun::add(const TrainingFrame& frame, const ExperimentConfig& experiment) {
  history.addLosses(frame.losses);
  record.addLosses(frame.losses);
  if (!frame.losses.empty()) lastStep = std::max(lastStep, frame.losses.back().step);
  for (const StatsSnapshot& s : frame.snapshots) {
    history.addSnapshot(s);
    record.add(s);
    lastStep = std::max(lastStep, s.step);
    if (s.diverged) mark(TimelineMark::Kind::Divergence, s.step, QString::fromStdString(s.divergence));
  }
  if (!frame.snapshots.empty()) {
    if (!haveFirstSnapshot) {
      firstTrainAccuracy = frame.snapshots.front().probeAccuracy;
      haveFirstSnapshot = true;
    }
    latest = frame.snapshots.back();
  }
  PlotInputs inputs = live(experiment);
  inputs.snapshotChanged = !frame.snapshots.empty() || pointsChanged;
  pointsChanged = false;
  return inputs;
}

PlotInputs DisplayedRun::live(const ExperimentConfig& experiment) {
  PlotInputs inputs;
  inputs.snapshot = latest ? &*latest : nullptr;
  inputs.history = &history;
  inputs.points = &points;
  inputs.snapshotChanged = true;
  inputs.historyChanged = true;
  inputs.experiment = &experiment;
  inputs.record = &record;
  return inputs;
}

PlotInputs DisplayedRun::at(long step, const ExperimentConfig& experiment) {
  // Rebuilt from the record each time: the record thins itself as the run grows, and a
  // rebuild of a 10 x 500 run's ~2000 probes and 100,000 losses takes a few milliseconds.
  pastHistory_.clear();
  const std::vector<StepLoss>& losses = record.losses();
  const auto lossEnd = std::upper_bound(losses.begin(), losses.end(), step,
                                        [](long s, const StepLoss& l) { return s < l.step; });
  pastHistory_.addLosses(std::vector<StepLoss>(losses.begin(), lossEnd));
  for (const StatsSnapshot& s : record.snapshots()) {
    if (s.step > step) break;
    pastHistory_.addSnapshot(s);
  }
  const StatsSnapshot* shown = record.at(step);
  if (shown) {
    pastSnapshot_ = *shown;
    // Light probes carry no decision grid: show the newest full probe's regions, so the plot
    // does not vanish (and the dashboard re-flow) between full probes.
    if (pastSnapshot_.decision.resolution == 0 && points.x.size() > 0) {
      for (long i = record.indexAt(step); i >= 0; --i) {
        const StatsSnapshot& s = record.snapshots()[std::size_t(i)];
        if (s.decision.resolution > 0) {
          pastSnapshot_.decision = s.decision;
          break;
        }
      }
    }
  }
  PlotInputs inputs;
  inputs.snapshot = shown ? &pastSnapshot_ : nullptr;
  inputs.history = &pastHistory_;
  inputs.points = &points;
  inputs.snapshotChanged = true;
  inputs.historyChanged = true;
  inputs.experiment = &experiment;
  inputs.record = &record;
  inputs.cursorStep = step;
  return inputs;
}

void DisplayedRun::addKeyframe(KeyframePtr keyframe) {
  if (!keyframe) return;
  mark(TimelineMark::Kind::Keyframe, keyframe->step,
       QObject::tr("keyframe (%1 MB): Branch continues from here")
           .arg(double(keyframe->bytes()) / double(1 << 20), 0, 'f', 1));
  keyframes.push_back(std::move(keyframe));
  while (keyframes.size() > 2 && keyframeBytes() > record.budgetBytes() / 4) {
    std::vector<KeyframePtr> kept;
    for (std::size_t i = 0; i + 1 < keyframes.size(); i += 2) kept.push_back(keyframes[i]);
    kept.push_back(keyframes.back());
    keyframes = std::move(kept);
  }
  // The marks follow: a keyframe thinned away is no longer a place to branch from.
  marks.erase(std::remove_if(marks.begin(), marks.end(),
                             [this](const TimelineMark& m) {
                               return m.kind == TimelineMark::Kind::Keyframe &&
                                      std::none_of(keyframes.begin(), keyframes.end(),
                                                   [&](const KeyframePtr& k) { return k->step == m.step; });
                             }),
              marks.end());
}

std::size_t DisplayedRun::keyframeBytes() const {
  std::size_t bytes = 0;
  for (const KeyframePtr& k : keyframes) bytes += k->bytes();
  return bytes;
}

KeyframePtr DisplayedRun::keyframeAt(long step) const {
  KeyframePtr found;
  for (const KeyframePtr& k : keyframes)
    if (k->step <= step) found = k;
  return found;
}

void DisplayedRun::truncateTo(long step) {
  record.truncateTo(step);
  keyframes.erase(std::remove_if(keyframes.begin(), keyframes.end(),
                                 [step](const KeyframePtr& k) { return k->step > step; }),
                  keyframes.end());
  marks.erase(std::remove_if(marks.begin(), marks.end(),
                             [step](const TimelineMark& m) { return m.step > step; }),
              marks.end());
  history.clear();
  history.addLosses(record.losses());
  for (const StatsSnapshot& s : record.snapshots()) history.addSnapshot(s);
  if (const StatsSnapshot* s = record.at(step)) latest = *s;
  lastStep = step;
}

long DisplayedRun::probeStepFrom(long step, int probes) const {
  const std::vector<StatsSnapshot>& kept = record.snapshots();
  if (kept.empty()) return step;
  long i = record.indexAt(step);
  // From between two probes, "back one" lands on the probe before.
  if (probes < 0 && kept[static_cast<std::size_t>(i)].step < step) ++probes;
  i = std::clamp<long>(i + probes, 0, static_cast<long>(kept.size()) - 1);
  return kept[static_cast<std::size_t>(i)].step;
}

}  // namespace layerscope
