#include "sweep/trainable_depth.h"

#include <QObject>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

#include "analysis/mean_field.h"
#include "model/activation.h"
#include "plots/sweep_heatmap_plot.h"

namespace layerscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool strictlyMonotone(const std::vector<double>& v) {
  bool up = true, down = true;
  for (std::size_t i = 1; i < v.size(); ++i) {
    up = up && v[i] > v[i - 1];
    down = down && v[i] < v[i - 1];
  }
  return up || down;
}

// The segment [k, k + 1] of the centres that `logValue` falls in (or the nearest end segment).
int segmentOf(const std::vector<double>& logs, double logValue) {
  const int n = static_cast<int>(logs.size());
  const bool up = logs.back() > logs.front();
  for (int k = 0; k + 1 < n; ++k) {
    const double hi = logs[k + 1];
    if (up ? logValue <= hi : logValue >= hi) return k;
  }
  return n - 2;
}

}  // namespace

double axisPosition(const std::vector<double>& values, double value) {
  if (values.empty() || !(value > 0)) return kNaN;
  if (values.size() == 1) return value == values[0] ? 0.0 : kNaN;
  std::vector<double> logs;
  for (double v : values) logs.push_back(std::log(v));
  const double lv = std::log(value);
  const int k = segmentOf(logs, lv);
  return k + (lv - logs[k]) / (logs[k + 1] - logs[k]);
}

double axisValue(const std::vector<double>& values, double position) {
  if (values.empty()) return kNaN;
  if (values.size() == 1) return values[0];
  const int n = static_cast<int>(values.size());
  const int k = std::clamp(static_cast<int>(std::floor(position)), 0, n - 2);
  const double t = position - k;
  return std::exp((1 - t) * std::log(values[k]) + t * std::log(values[k + 1]));
}

TrainableDepthCurve trainableDepthCurve(const SweepPlan& plan, int samplesPerCell) {
  TrainableDepthCurve curve;
  const bool xDepth = plan.x.setting == "depth", yDepth = plan.y.setting == "depth";
  const auto noCurve = [&curve](const QString& why) {
    curve.points.clear();
    curve.why = why;
    return curve;
  };
  if (plan.y.setting.empty() || xDepth == yDepth)
    return noCurve(QObject::tr("No theory curve: the trainable depth 6 xi_c is drawn over depth "
                               "x a setting of the initialization (init_std, init, init_bound); "
                               "this map sweeps %1%2.")
                       .arg(QString::fromStdString(plan.x.setting),
                            plan.y.setting.empty()
                                ? QString()
                                : QStringLiteral(" x ") + QString::fromStdString(plan.y.setting)));
  curve.depthOnX = xDepth;
  const SweepAxis& depthAxis = xDepth ? plan.x : plan.y;
  const SweepAxis& initAxis = xDepth ? plan.y : plan.x;
  const int nx = static_cast<int>(plan.x.values.size());

  // sigma_w^2 of each value of the other axis, read off the cell's experiment at the first depth
  // (a hidden layer's fan_in is the width, whatever the depth).
  std::vector<double> sigmaW2;
  for (int i = 0; i < static_cast<int>(initAxis.values.size()); ++i) {
    const int index = xDepth ? i * nx : i;
    const std::optional<double> point = initWeightVariance(sweepCellExperiment(plan, index));
    if (!point)
      return noCurve(QObject::tr("No theory curve: at %1 = %2 the weights are not random (the "
                                 "mean-field theory does not apply).")
                         .arg(QString::fromStdString(initAxis.setting),
                              QString::fromStdString(initAxis.values[i])));
    sigmaW2.push_back(*point);
  }
  bool positive = true;
  for (double s : sigmaW2) positive = positive && s > 0;
  if (!positive || !strictlyMonotone(sigmaW2))
    return noCurve(QObject::tr("No theory curve: sigma_w^2 = fan_in x Var(W) does not change "
                               "steadily along %1 (it must rise or fall from value to value).")
                       .arg(QString::fromStdString(initAxis.setting)));
  curve.sigmaW2 = sigmaW2;

  std::vector<double> depths;
  for (const std::string& d : depthAxis.values) depths.push_back(std::atof(d.c_str()));
  bool depthsPositive = depths.size() >= 2;
  for (double d : depths) depthsPositive = depthsPositive && d > 0;
  if (!depthsPositive || !strictlyMonotone(depths))
    return noCurve(QObject::tr("No theory curve: it needs at least two depths above 0, rising or "
                               "falling."));

  Activation phi;
  const ModelConfig& m = plan.base.model;
  try {
    phi.kind = parseActivation(m.activation);
  } catch (const std::exception& e) {
    return noCurve(QString::fromStdString(e.what()));
  }
  phi.leakySlope = m.leakySlope;
  phi.eluAlpha = m.eluAlpha;
  const double keep = 1.0 - m.dropout;

  // From the outer edge of the first cell to that of the last, in cell coordinates.
  const int cells = static_cast<int>(sigmaW2.size());
  const int samples = std::max(2, samplesPerCell * cells);
  const double top = 1e6;  // an infinite depth scale: far past the plot's edge, which clips it
  for (int k = 0; k <= samples; ++k) {
    const double along = -0.5 + static_cast<double>(cells) * k / samples;
    const double s = axisValue(sigmaW2, along);
    const PhasePoint p = phasePoint(phi, {s, 0.0, keep});
    double across = kNaN;
    if (std::isinf(p.xiC)) across = depths.back() > depths.front() ? top : -top;
    else if (std::isfinite(p.xiC) && p.xiC > 0) across = axisPosition(depths, kTrainableXiC * p.xiC);
    across = std::clamp(across, -top, top);
    curve.points.push_back(xDepth ? QPointF(across, along) : QPointF(along, across));
  }
  return curve;
}

void showTrainableDepth(SweepHeatmapPlot& plot, const SweepPlan& plan) {
  const TrainableDepthCurve curve = trainableDepthCurve(plan);
  const ModelConfig& m = plan.base.model;
  const QString caption =
      curve.points.empty()
          ? curve.why
          : QObject::tr("Red line: depth = 6 xi_c(sigma_w^2), the depth scale of correlations "
                        "from mean-field theory for %1, sigma_b^2 = 0%2: nets much deeper than "
                        "it do not train (Schoenholz et al. 2017, figure 5; docs/THEORY.md).")
                .arg(QString::fromStdString(m.activation),
                     m.dropout > 0 ? QObject::tr(", dropout %1").arg(m.dropout) : QString());
  plot.setCurve(curve.points, QObject::tr("trainable depth ~ 6 xi_c (mean-field theory)"),
                curve.sigmaW2, curve.depthOnX, caption);
}

}  // namespace layerscope
