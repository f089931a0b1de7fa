#include "plots/sweep_heatmap_plot.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <optional>

#include "common/number_format.h"
#include "plots/heatmap_painting.h"

namespace layerscope {

QString sweepMetricName(SweepMetric metric) {
  switch (metric) {
    case SweepMetric::TrainAccuracy: return QObject::tr("final training accuracy");
    case SweepMetric::ValidationAccuracy: return QObject::tr("validation accuracy");
    case SweepMetric::FinalLoss: return QObject::tr("final training loss");
  }
  return {};
}

QString sweepMetricKey(SweepMetric metric) {
  switch (metric) {
    case SweepMetric::TrainAccuracy: return QStringLiteral("train_accuracy");
    case SweepMetric::ValidationAccuracy: return QStringLiteral("validation_accuracy");
    case SweepMetric::FinalLoss: return QStringLiteral("final_loss");
  }
  return {};
}

bool parseSweepMetric(const QString& key, SweepMetric* metric) {
  for (SweepMetric m : {SweepMetric::TrainAccuracy, SweepMetric::ValidationAccuracy, SweepMetric::FinalLoss})
    if (sweepMetricKey(m) == key) {
      *metric = m;
      return true;
    }
  return false;
}

double sweepMetricValue(const RunSummary& s, SweepMetric metric) {
  switch (metric) {
    case SweepMetric::TrainAccuracy: return s.trainAccuracy;
    case SweepMetric::ValidationAccuracy: return s.validationAccuracy;
    case SweepMetric::FinalLoss: return s.finalLoss;
  }
  return std::nan("");
}

QColor sweepPendingColor() { return QColor(228, 228, 228); }
QColor sweepDivergedColor() { return QColor(25, 25, 25); }
QColor trainableCurveColor() { return QColor(230, 30, 30); }

QRectF SweepHeatmapPlot::mapRect(const QSizeF& size) {
  constexpr double left = 78, right = 110, top = 34, bottom = 62 + 70;
  return QRectF(left, top, std::max(10.0, size.width() - left - right),
                std::max(10.0, size.height() - top - bottom));
}

class SweepHeatmapCanvas : public QWidget {
 public:
  explicit SweepHeatmapCanvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(420, 360);
  }

  SweepPlan plan;
  std::vector<std::optional<SweepCell>> cells;  // by index
  SweepMetric metric = SweepMetric::TrainAccuracy;
  std::vector<QPointF> curve;
  QString curveLegend, caption;
  std::vector<double> sigmaW2;
  bool sigmaW2OnY = false;

  int nx() const { return std::max<int>(1, static_cast<int>(plan.x.values.size())); }
  int ny() const { return plan.y.setting.empty() ? 1 : std::max<int>(1, static_cast<int>(plan.y.values.size())); }

  // The colour scale: accuracy linear over [0, 1]; the loss over log10 of its finished range.
  bool logScale() const { return metric == SweepMetric::FinalLoss; }
  std::pair<double, double> range() const {
    if (!logScale()) return {0.0, 1.0};
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& c : cells) {
      if (!c) continue;
      const double v = sweepMetricValue(c->summary, metric);
      if (std::isfinite(v) && v > 0) {
        lo = std::min(lo, std::log10(v));
        hi = std::max(hi, std::log10(v));
      }
    }
    if (!(hi >= lo)) return {-2.0, 1.0};
    if (hi - lo < 1e-9) return {lo - 0.5, hi + 0.5};
    return {lo, hi};
  }
  QColor colorOf(double v) const {
    if (!std::isfinite(v) || (logScale() && v <= 0)) return QColor();
    const auto [lo, hi] = range();
    const double x = logScale() ? std::log10(v) : v;
    return viridis((x - lo) / (hi - lo));
  }

  QPointF toScreen(QPointF c, const QSizeF& size) const {
    const QRectF map = SweepHeatmapPlot::mapRect(size);
    return QPointF(map.left() + (c.x() + 0.5) / nx() * map.width(),
                   map.bottom() - (c.y() + 0.5) / ny() * map.height());
  }
  QRectF cellRect(int i, int j, const QSizeF& size) const {
    return QRectF(toScreen(QPointF(i - 0.5, j + 0.5), size), toScreen(QPointF(i + 0.5, j - 0.5), size));
  }

  void paintTo(QPainter& p, const QSizeF& size) const {
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    const QRectF map = SweepHeatmapPlot::mapRect(size);
    QFont font = p.font();
    font.setPointSizeF(9);
    const ExperimentConfig& base = plan.base;
    const QString title =
        plan.x.setting.empty()
            ? QObject::tr("Trainability map")
            : QObject::tr("Trainability map: %1, colour %2 after %3")
                  .arg(QString::fromStdString(base.model.activation), sweepMetricName(metric),
                       base.train.steps >= 0 ? QObject::tr("%1 steps").arg(base.train.steps)
                                             : QObject::tr("%1 epochs").arg(base.train.epochs));
    drawHeatmapTitle(p, size, font, title);
    if (plan.x.setting.empty()) {
      p.drawText(map, Qt::AlignCenter, QObject::tr("no sweep yet"));
      p.restore();
      return;
    }

    // The cells.
    bool anyPending = false, anyDiverged = false, anyMissingValue = false;
    for (int j = 0; j < ny(); ++j)
      for (int i = 0; i < nx(); ++i) {
        const QRectF r = cellRect(i, j, size);
        const std::size_t index = static_cast<std::size_t>(j) * nx() + i;
        const std::optional<SweepCell>& c = index < cells.size() ? cells[index] : std::nullopt;
        if (!c) {
          anyPending = true;
          fillHeatmapCell(p, r, sweepPendingColor());
          continue;
        }
        const double v = sweepMetricValue(c->summary, metric);
        const QColor colour = colorOf(v);
        if (c->summary.diverged && !colour.isValid()) {
          anyDiverged = true;
          fillHeatmapCell(p, r, sweepDivergedColor());
          const QPointF m = r.center();
          const double s = std::min(r.width(), r.height()) * 0.18;
          p.setPen(QPen(Qt::white, 1.6));
          p.drawLine(m + QPointF(-s, -s), m + QPointF(s, s));
          p.drawLine(m + QPointF(-s, s), m + QPointF(s, -s));
        } else if (!colour.isValid()) {
          anyMissingValue = true;
          p.setPen(Qt::NoPen);
          p.setBrush(QBrush(QColor(160, 160, 160), Qt::BDiagPattern));
          p.drawRect(r);
        } else {
          fillHeatmapCell(p, r, colour);
        }
      }
    // Thin white lines between cells: the map is categorical.
    p.setPen(QPen(Qt::white, 1.0));
    for (int i = 1; i < nx(); ++i)
      p.drawLine(toScreen(QPointF(i - 0.5, -0.5), size), toScreen(QPointF(i - 0.5, ny() - 0.5), size));
    for (int j = 1; j < ny(); ++j)
      p.drawLine(toScreen(QPointF(-0.5, j - 0.5), size), toScreen(QPointF(nx() - 0.5, j - 0.5), size));

    // The theory curve, clipped to the map: a white halo under a red line.
    if (curve.size() >= 2) {
      p.save();
      p.setClipRect(map);
      QPainterPath path;
      bool open = false;
      for (const QPointF& c : curve) {
        if (!std::isfinite(c.x()) || !std::isfinite(c.y())) {
          open = false;
          continue;
        }
        // Far-off points (an infinite depth scale) are pulled in to just past the edge so the
        // painter's clipping never sees huge coordinates.
        QPointF s = toScreen(c, size);
        s.setX(std::clamp(s.x(), map.left() - 50, map.right() + 50));
        s.setY(std::clamp(s.y(), map.top() - 50, map.bottom() + 50));
        if (open) path.lineTo(s);
        else path.moveTo(s);
        open = true;
      }
      p.setBrush(Qt::NoBrush);
      p.setPen(QPen(Qt::white, 5.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
      p.drawPath(path);
      p.setPen(QPen(trainableCurveColor(), 2.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
      p.drawPath(path);
      p.restore();
    }

    // Axes: each value under its column / beside its row; sigma_w^2 in grey under it.
    p.setPen(QColor(60, 60, 60));
    p.setBrush(Qt::NoBrush);
    p.drawRect(map);
    const bool sigmaOnX = !sigmaW2.empty() && !sigmaW2OnY;
    const bool sigmaOnYAxis = !sigmaW2.empty() && sigmaW2OnY;
    for (int i = 0; i < nx(); ++i) {
      const double x = toScreen(QPointF(i, 0), size).x();
      p.setPen(QColor(60, 60, 60));
      p.drawLine(QPointF(x, map.bottom()), QPointF(x, map.bottom() + 4));
      p.drawText(QRectF(x - 40, map.bottom() + 5, 80, 16), Qt::AlignHCenter | Qt::AlignTop,
                 QString::fromStdString(plan.x.values[i]));
      if (sigmaOnX && i < static_cast<int>(sigmaW2.size())) {
        p.setPen(QColor(120, 120, 120));
        p.drawText(QRectF(x - 40, map.bottom() + 19, 80, 16), Qt::AlignHCenter | Qt::AlignTop,
                   formatNumber(sigmaW2[i]));
      }
    }
    for (int j = 0; j < ny() && !plan.y.setting.empty(); ++j) {
      const double y = toScreen(QPointF(0, j), size).y();
      p.setPen(QColor(60, 60, 60));
      p.drawLine(QPointF(map.left() - 4, y), QPointF(map.left(), y));
      const QString label = QString::fromStdString(plan.y.values[j]);
      if (sigmaOnYAxis && j < static_cast<int>(sigmaW2.size())) {
        p.drawText(QRectF(0, y - 16, map.left() - 7, 16), Qt::AlignRight | Qt::AlignVCenter, label);
        p.setPen(QColor(120, 120, 120));
        p.drawText(QRectF(0, y, map.left() - 7, 16), Qt::AlignRight | Qt::AlignVCenter,
                   formatNumber(sigmaW2[j]));
      } else {
        p.drawText(QRectF(0, y - 8, map.left() - 7, 16), Qt::AlignRight | Qt::AlignVCenter, label);
      }
    }
    p.setPen(QColor(40, 40, 40));
    const QString sigmaNote = QObject::tr("  (grey: sigma_w^2 = fan_in x Var(W))");
    p.drawText(QRectF(map.left(), map.bottom() + (sigmaOnX ? 36 : 22), map.width(), 18), Qt::AlignCenter,
               QString::fromStdString(plan.x.setting) + (sigmaOnX ? sigmaNote : QString()));
    if (!plan.y.setting.empty()) {
      drawVerticalAxisTitle(p, map, 12,
                            QString::fromStdString(plan.y.setting) + (sigmaOnYAxis ? sigmaNote : QString()));
    }

    // The colour bar.
    const auto [lo, hi] = range();
    std::vector<ColourBarTick> barTicks;
    for (int k = 0; k <= 4; ++k) {
      const double t = k / 4.0;
      const double v = lo + t * (hi - lo);
      barTicks.push_back({t, formatNumber(logScale() ? std::pow(10.0, v) : v)});
    }
    drawViridisColourBar(p, map, barTicks,
                         logScale() ? QObject::tr("loss (log)") : QObject::tr("accuracy"));

    // Legend and caption.
    QStringList legend;
    if (!curve.empty()) legend << QObject::tr("red line: %1").arg(curveLegend);
    if (anyPending) legend << QObject::tr("light grey: not finished yet");
    if (anyDiverged) legend << QObject::tr("black with x: diverged (loss NaN or inf)");
    if (anyMissingValue) legend << QObject::tr("hatched: no value (e.g. no validation split)");
    drawLegendAndCaption(p, size, font, map.bottom() + 58, legend.join(QStringLiteral("   ")), caption);
    p.restore();
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    paintTo(painter, size());
  }
  void mouseMoveEvent(QMouseEvent* event) override {
    const QRectF map = SweepHeatmapPlot::mapRect(size());
    if (plan.x.setting.empty() || !map.contains(event->position())) {
      QToolTip::hideText();
      return;
    }
    const int i = std::clamp(static_cast<int>((event->position().x() - map.left()) / map.width() * nx()), 0, nx() - 1);
    const int j = std::clamp(static_cast<int>((map.bottom() - event->position().y()) / map.height() * ny()), 0, ny() - 1);
    QString text = QStringLiteral("%1 = %2").arg(QString::fromStdString(plan.x.setting),
                                                  QString::fromStdString(plan.x.values[i]));
    if (!plan.y.setting.empty())
      text += QStringLiteral(", %1 = %2").arg(QString::fromStdString(plan.y.setting),
                                               QString::fromStdString(plan.y.values[j]));
    const std::size_t index = static_cast<std::size_t>(j) * nx() + i;
    if (index >= cells.size() || !cells[index]) {
      text += QObject::tr("\nnot finished yet");
    } else {
      const RunSummary& s = cells[index]->summary;
      text += QObject::tr("\n%1: %2\ndiverged: %3")
                  .arg(sweepMetricName(metric), formatNumber(sweepMetricValue(s, metric)),
                       s.diverged ? QObject::tr("yes (%1)").arg(QString::fromStdString(s.divergence))
                                  : QObject::tr("no"));
    }
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
  }
};

SweepHeatmapPlot::SweepHeatmapPlot(QWidget* parent)
    : PlotView(tr("Trainability map"), parent), canvas_(new SweepHeatmapCanvas(this)) {
  setContent(canvas_);
}

void SweepHeatmapPlot::setPlan(const SweepPlan& plan) {
  canvas_->plan = plan;
  canvas_->cells.assign(static_cast<std::size_t>(sweepCellCount(plan)), std::nullopt);
  countRedraw();
  canvas_->update();
}

const SweepPlan& SweepHeatmapPlot::plan() const { return canvas_->plan; }

void SweepHeatmapPlot::setCells(const std::vector<SweepCell>& cells) {
  canvas_->cells.assign(canvas_->cells.size(), std::nullopt);
  for (const SweepCell& c : cells) addCell(c);
}

void SweepHeatmapPlot::addCell(const SweepCell& cell) {
  if (cell.index < 0 || cell.index >= static_cast<int>(canvas_->cells.size())) return;
  canvas_->cells[static_cast<std::size_t>(cell.index)] = cell;
  countRedraw();
  canvas_->update();
}

int SweepHeatmapPlot::finishedCells() const {
  return static_cast<int>(std::count_if(canvas_->cells.begin(), canvas_->cells.end(),
                                        [](const std::optional<SweepCell>& c) { return c.has_value(); }));
}

void SweepHeatmapPlot::setMetric(SweepMetric metric) {
  canvas_->metric = metric;
  canvas_->update();
}

SweepMetric SweepHeatmapPlot::metric() const { return canvas_->metric; }

void SweepHeatmapPlot::setCurve(const std::vector<QPointF>& points, const QString& legend,
                                const std::vector<double>& sigmaW2, bool sigmaW2OnY,
                                const QString& caption) {
  canvas_->curve = points;
  canvas_->curveLegend = legend;
  canvas_->sigmaW2 = sigmaW2;
  canvas_->sigmaW2OnY = sigmaW2OnY;
  canvas_->caption = caption;
  canvas_->update();
}

QColor SweepHeatmapPlot::colorOf(double value) const { return canvas_->colorOf(value); }

void SweepHeatmapPlot::clear() {
  canvas_->plan = SweepPlan{};
  canvas_->cells.clear();
  canvas_->curve.clear();
  canvas_->sigmaW2.clear();
  canvas_->caption.clear();
  canvas_->update();
}

void SweepHeatmapPlot::renderTo(QPainter& painter, const QRectF& target) {
  painter.save();
  painter.translate(target.topLeft());
  canvas_->paintTo(painter, target.size());
  painter.restore();
}

QRectF SweepHeatmapPlot::cellRect(int xIndex, int yIndex, const QSizeF& size) const {
  return canvas_->cellRect(xIndex, yIndex, size);
}

QPointF SweepHeatmapPlot::toScreen(QPointF c, const QSizeF& size) const { return canvas_->toScreen(c, size); }

}  // namespace layerscope
