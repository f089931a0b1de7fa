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
  // Hues at least 25 degrees from the current run's blue, red, green and orange curves and 40
  // from each other, then two greys: magenta, olive, teal, violet, grey, dark grey. (Tableau's
  // purple, pink and brown were read as shades of the current run's colours.)
  static const QColor colors[] = {QColor(200, 0, 170),   QColor(140, 140, 0),
                                  QColor(0, 160, 130),   QColor(120, 60, 220),
                                  QColor(120, 120, 120), QColor(60, 60, 60)};
  return colors[index % 6];
}

}  // namespace layerscope
