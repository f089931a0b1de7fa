#include "sweep/sweep_plot.h"

#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "plots/pinned_run.h"

namespace layerscope {

namespace {

bool logScaleFor(const QString& parameter, const QVector<SweepCurvePoint>& points) {
  if (parameter != "init_std" && parameter != "l2" && parameter != "lr") return false;
  for (const SweepCurvePoint& p : points)
    if (!(p.value > 0)) return false;  // l2 = 0 has no place on a log axis
  return true;
}

// Log-axis bounds on whole decades around [lo, hi].
void decades(double& lo, double& hi) {
  lo = std::pow(10.0, std::floor(std::log10(lo)));
  hi = std::pow(10.0, std::ceil(std::log10(hi)));
  if (hi <= lo) hi = lo * 10;
}

}  // namespace

SweepPlot::SweepPlot(QWidget* parent) : ChartPlot(tr("Sweep"), parent) {
  view()->setMinimumSize(420, 300);
  resetChart();
}

void SweepPlot::clear() { resetChart(); }

void SweepPlot::resetChart() {
  chart()->removeAllSeries();
  for (QAbstractAxis* a : chart()->axes()) {
    chart()->removeAxis(a);
    delete a;
  }
  updateLegend();
}

QAbstractAxis* SweepPlot::axisFor(Qt::Alignment alignment, const QString& title, bool log,
                                  double lo, double hi) {
  if (log) {
    decades(lo, hi);
    QLogValueAxis* a = addLogAxis(alignment, title);
    setLogRange(a, lo, hi);
    return a;
  }
  QValueAxis* a = addValueAxis(alignment, title);
  if (!(hi > lo)) hi = lo + 1;
  const double pad = 0.05 * (hi - lo);
  a->setRange(lo - pad, hi + pad);
  return a;
}

void SweepPlot::setSweep(const QString& parameter, const QVector<SweepCurvePoint>& points) {
  resetChart();
  countRedraw();
  if (points.isEmpty()) return;
  const bool names = parameter == "init" || parameter == "activation";
  const bool accuracy = parameter == "l2" || parameter == "dropout" || parameter == "lr";

  if (names) {
    chart()->setTitle(tr("Std per layer at initialization, one curve per %1").arg(parameter));
    double lo = INFINITY, hi = -INFINITY;
    int layers = 1;
    for (const SweepCurvePoint& p : points) {
      layers = std::max(layers, static_cast<int>(p.layerStd.size()));
      for (double v : p.layerStd + p.theoryStd)
        if (v > 0 && std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    if (!(lo <= hi)) lo = 1e-3, hi = 1;
    QAbstractAxis* x = axisFor(Qt::AlignBottom, tr("hidden layer"), false, 1, layers);
    static_cast<QValueAxis*>(x)->setLabelFormat(QStringLiteral("%d"));
    QAbstractAxis* y = axisFor(Qt::AlignLeft, tr("activation std (log)"), true, lo, hi);
    for (int i = 0; i < points.size(); ++i) {
      const SweepCurvePoint& p = points[i];
      const QColor color = i == 0 ? QColor(31, 119, 180) : i == 1 ? QColor(214, 39, 40)
                           : i == 2 ? QColor(44, 160, 44) : pinnedColor(i - 3);
      QList<QPointF> measured, theory;
      for (int l = 0; l < p.layerStd.size(); ++l)
        if (p.layerStd[l] > 0) measured.append(QPointF(l + 1, p.layerStd[l]));
      for (int l = 0; l < p.theoryStd.size(); ++l)
        if (p.theoryStd[l] > 0) theory.append(QPointF(l + 1, p.theoryStd[l]));
      QLineSeries* m = addLine(p.valueText, color, x, y, 2.0);
      m->setPointsVisible(true);
      m->replace(measured);
      QLineSeries* t =
          addLine(profileTheorySeriesName(p.valueText), color, x, y, 1.4, Qt::DashLine);
      t->replace(theory);
      hideFromLegend(t);
      const QString name = p.valueText;
      attachHover(m, [name](const QPointF& q) {
        return tr("%1, layer %2: std %3").arg(name).arg(std::lround(q.x())).arg(formatNumber(q.y()));
      });
    }
    return;
  }

  const bool logX = logScaleFor(parameter, points);
  double xlo = INFINITY, xhi = -INFINITY;
  for (const SweepCurvePoint& p : points) xlo = std::min(xlo, p.value), xhi = std::max(xhi, p.value);
  QAbstractAxis* x = axisFor(Qt::AlignBottom, logX ? tr("%1 (log)").arg(parameter) : parameter,
                             logX, xlo, xhi);

  if (accuracy) {
    chart()->setTitle(tr("Accuracy after training against %1").arg(parameter));
    QValueAxis* y = addValueAxis(Qt::AlignLeft, tr("accuracy"));
    y->setRange(0, 1.02);
    QList<QPointF> train, validation;
    for (const SweepCurvePoint& p : points) {
      if (std::isfinite(p.trainAccuracy)) train.append(QPointF(p.value, p.trainAccuracy));
      if (std::isfinite(p.validationAccuracy)) validation.append(QPointF(p.value, p.validationAccuracy));
    }
    QLineSeries* t = addLine(trainAccuracySeriesName(), QColor(44, 160, 44), x, y, 2.0);
    t->setPointsVisible(true);
    t->replace(train);
    QLineSeries* v = addLine(validationAccuracySeriesName(), QColor(255, 127, 14), x, y, 2.0);
    v->setPointsVisible(true);
    v->replace(validation);
    for (QLineSeries* s : {t, v}) {
      const QString name = s->name();
      attachHover(s, [name, parameter](const QPointF& q) {
        return tr("%1 = %2: %3 %4").arg(parameter, formatNumber(q.x()), name, formatNumber(q.y()));
      });
    }
    return;
  }

  chart()->setTitle(tr("Last hidden layer's std at initialization against %1").arg(parameter));
  QList<QPointF> measured, theory;
  double lo = INFINITY, hi = -INFINITY;
  for (const SweepCurvePoint& p : points) {
    if (!p.layerStd.isEmpty() && p.layerStd.back() > 0) {
      measured.append(QPointF(p.value, p.layerStd.back()));
      lo = std::min(lo, p.layerStd.back());
      hi = std::max(hi, p.layerStd.back());
    }
    if (!p.theoryStd.isEmpty() && p.theoryStd.back() > 0) {
      theory.append(QPointF(p.value, p.theoryStd.back()));
      lo = std::min(lo, p.theoryStd.back());
      hi = std::max(hi, p.theoryStd.back());
    }
  }
  if (!(lo <= hi)) lo = 1e-3, hi = 1;
  QAbstractAxis* y = axisFor(Qt::AlignLeft, tr("last hidden std (log)"), true, lo, hi);
  QLineSeries* m = addLine(measuredSeriesName(), QColor(214, 39, 40), x, y, 2.2);
  m->setPointsVisible(true);
  m->replace(measured);
  QLineSeries* t = addLine(theorySeriesName(), QColor(60, 60, 60), x, y, 1.6, Qt::DashLine);
  t->replace(theory);
  for (QLineSeries* s : {m, t}) {
    const QString name = s->name();
    attachHover(s, [name, parameter](const QPointF& q) {
      return tr("%1 = %2: %3 %4").arg(parameter, formatNumber(q.x()), name, formatNumber(q.y()));
    });
  }
}

}  // namespace layerscope
