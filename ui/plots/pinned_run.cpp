#include "plots/pinned_run.h"

#include <cmath>

#include "plots/decimate.h"
#include "run/run_history.h"
#include "training/stats.h"

namespace layerscope {

namespace {

QList<QPointF> curve(const BoundedSeries& series, int maxPoints) {
  const std::vector<SeriesPoint> points = series.points();
  return decimateToPixels(points, maxPoints / 2);  // min and max per column: 2 points each
}

PinnedHistogram pinHistogram(int layer, const Histogram& h) {
  PinnedHistogram p;
  p.layer = layer;
  p.lo = h.lo;
  p.hi = h.hi;
  p.counts = h.counts;
  return p;
}

}  // namespace

PinnedRun makePinnedRun(const StatsSnapshot& snapshot, const RunHistory& history,
                        const QString& label, const QColor& color, int maxCurvePoints) {
  PinnedRun run;
  run.label = label;
  run.color = color;
  run.step = snapshot.step;
  for (const LayerStats& l : snapshot.layers) {
    if (l.kind != "hidden") continue;
    if (std::isfinite(l.activation.mean) && std::isfinite(l.activation.std)) {
      run.mean.append(QPointF(l.layer, l.activation.mean));
      run.std.append(QPointF(l.layer, l.activation.std));
    }
    run.postActivation.push_back(pinHistogram(l.layer, l.activationHistogram));
    run.preActivation.push_back(pinHistogram(l.layer, l.preActivationHistogram));
    run.gradient.push_back(pinHistogram(l.layer, l.gradientHistogram));
  }
  run.decision = snapshot.decision;
  run.trainLoss = curve(history.trainLoss(), maxCurvePoints);
  run.validationLoss = curve(history.validationLoss(), maxCurvePoints);
  run.trainAccuracy = curve(history.trainAccuracy(), maxCurvePoints);
  run.validationAccuracy = curve(history.validationAccuracy(), maxCurvePoints);
  return run;
}

QColor pinnedColor(int index) {
  // Tableau's purple, brown, pink, olive, cyan, grey: none is the live mean (blue) or std (red).
  static const QColor colors[] = {QColor(148, 103, 189), QColor(140, 86, 75),
                                  QColor(227, 119, 194), QColor(188, 189, 34),
                                  QColor(23, 190, 207),  QColor(127, 127, 127)};
  return colors[index % 6];
}

}  // namespace layerscope
