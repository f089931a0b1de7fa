#include "plots/phase_diagram_plot.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "common/number_format.h"

namespace layerscope {
namespace {

constexpr double kLogMin = 0.0, kLogMax = 3.0;  // xi_c from 1 to 1000 layers

// Edges of cell i of an axis: halfway to the neighbours.
std::pair<double, double> cellEdges(const GridAxis& a, int i) {
  if (a.count <= 1) return {a.lo - 0.5, a.lo + 0.5};
  const double step = (a.hi - a.lo) / (a.count - 1);
  return {a.at(i) - 0.5 * step, a.at(i) + 0.5 * step};
}

std::pair<double, double> axisRange(const GridAxis& a) {
  return {cellEdges(a, 0).first, cellEdges(a, std::max(0, a.count - 1)).second};
}

// "Nice" tick values (1, 2, 5 x 10^k steps) covering [lo, hi], about `target` of them.
std::vector<double> ticks(double lo, double hi, int target) {
  std::vector<double> out;
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / std::max(1, target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step)
    out.push_back(std::abs(v) < 1e-12 * step ? 0.0 : v);
  return out;
}

}  // namespace

QColor phaseColor(double xiC) {
  if (std::isnan(xiC)) return QColor(200, 200, 200);
  if (std::isinf(xiC)) return viridis(1.0);
  const double v = std::log10(std::max(xiC, 1e-300));
  return viridis((v - kLogMin) / (kLogMax - kLogMin));
}

std::vector<std::pair<QPointF, QPointF>> criticalLineSegments(const PhaseDiagramData& d) {
  std::vector<std::pair<QPointF, QPointF>> segments;
  const int nw = d.sigmaW2.count, nb = d.sigmaB2.count;
  if (d.points.size() != static_cast<size_t>(nw) * nb) return segments;
  const auto f = [&d, nb](int i, int j) { return d.points[static_cast<size_t>(i) * nb + j].chi1 - 1.0; };
  const auto at = [&d](int i, int j) { return QPointF(d.sigmaW2.at(i), d.sigmaB2.at(j)); };
  // A crossing on the edge from grid point a to b, by linear interpolation.
  const auto cross = [](QPointF a, QPointF b, double fa, double fb) {
    const double t = fa / (fa - fb);
    return a + t * (b - a);
  };
  // A line along the grid when the whole map has one phase but the boundary row or column is
  // exactly critical is left out: a segment needs a sign change.
  for (int i = 0; i + 1 < nw; ++i)
    for (int j = 0; j + 1 < nb; ++j) {
      const int ci[4] = {i, i + 1, i + 1, i};
      const int cj[4] = {j, j, j + 1, j + 1};
      std::vector<QPointF> crossings;
      for (int e = 0; e < 4; ++e) {
        const int a = e, b = (e + 1) % 4;
        const double fa = f(ci[a], cj[a]), fb = f(ci[b], cj[b]);
        if (!std::isfinite(fa) || !std::isfinite(fb)) continue;
        if ((fa < 0) != (fb < 0))
          crossings.push_back(cross(at(ci[a], cj[a]), at(ci[b], cj[b]), fa, fb));
      }
      for (size_t k = 0; k + 1 < crossings.size(); k += 2)
        segments.emplace_back(crossings[k], crossings[k + 1]);
    }
  // One row of sigma_b^2 (or of sigma_w^2): the crossing is a point; mark it as a short tick.
  if (nb == 1)
    for (int i = 0; i + 1 < nw; ++i)
      if ((f(i, 0) < 0) != (f(i + 1, 0) < 0)) {
        const QPointF p = cross(at(i, 0), at(i + 1, 0), f(i, 0), f(i + 1, 0));
        const auto [lo, hi] = axisRange(d.sigmaB2);
        segments.emplace_back(QPointF(p.x(), lo), QPointF(p.x(), hi));
      }
  return segments;
}

QRectF PhaseDiagramPlot::mapRect(const QSizeF& size) {
  constexpr double left = 62, right = 96, top = 34, bottom = 44 + 62;
  return QRectF(left, top, std::max(10.0, size.width() - left - right),
                std::max(10.0, size.height() - top - bottom));
}

class PhaseDiagramCanvas : public QWidget {
 public:
  explicit PhaseDiagramCanvas(PhaseDiagramPlot* plot) : QWidget(plot), plot_(plot) {
    setMouseTracking(true);
    setMinimumSize(420, 360);
  }

  PhaseDiagramData data;
  std::optional<QPointF> current;

  // Grid coordinates (sigma_w^2, sigma_b^2) of a point of the canvas; nullopt outside the map.
  std::optional<QPointF> valueAt(const QPointF& position, const QSizeF& size) const {
    const QRectF map = PhaseDiagramPlot::mapRect(size);
    if (!map.contains(position) || data.points.empty()) return std::nullopt;
    const auto [w0, w1] = axisRange(data.sigmaW2);
    const auto [b0, b1] = axisRange(data.sigmaB2);
    return QPointF(w0 + (position.x() - map.left()) / map.width() * (w1 - w0),
                   b0 + (map.bottom() - position.y()) / map.height() * (b1 - b0));
  }

  void paintTo(QPainter& p, const QSizeF& size) const {
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    const QRectF map = PhaseDiagramPlot::mapRect(size);
    QFont font = p.font();
    font.setPointSizeF(9);
    p.setFont(font);
    const QString title =
        data.activation.isEmpty()
            ? QObject::tr("Phase diagram")
            : QObject::tr("Phase diagram: %1%2, colour xi_c (depth scale of correlations)")
                  .arg(data.activation,
                       data.dropout > 0 ? QObject::tr(", dropout %1").arg(data.dropout) : QString());
    drawHeatmapTitle(p, size, font, title);

    const int nw = data.sigmaW2.count, nb = data.sigmaB2.count;
    const bool valid = !data.points.empty() && data.points.size() == static_cast<size_t>(nw) * nb;
    if (!valid) {
      p.drawText(map, Qt::AlignCenter, QObject::tr("no diagram computed"));
      p.restore();
      return;
    }
    const auto [w0, w1] = axisRange(data.sigmaW2);
    const auto [b0, b1] = axisRange(data.sigmaB2);
    const auto toScreen = [&map, w0 = w0, w1 = w1, b0 = b0, b1 = b1](QPointF v) {
      return QPointF(map.left() + (v.x() - w0) / (w1 - w0) * map.width(),
                     map.bottom() - (v.y() - b0) / (b1 - b0) * map.height());
    };

    // The heat map: one rectangle per grid point.
    for (int i = 0; i < nw; ++i)
      for (int j = 0; j < nb; ++j) {
        const auto [x0, x1] = cellEdges(data.sigmaW2, i);
        const auto [y0, y1] = cellEdges(data.sigmaB2, j);
        const QRectF cell(toScreen(QPointF(x0, y1)), toScreen(QPointF(x1, y0)));
        fillHeatmapCell(p, cell, phaseColor(data.points[static_cast<size_t>(i) * nb + j].xiC));
      }

    // The critical line chi_1 = 1: white under black dashes, visible on every colour.
    p.setBrush(Qt::NoBrush);
    const std::vector<std::pair<QPointF, QPointF>> segments = criticalLineSegments(data);
    for (int pass = 0; pass < 2; ++pass) {
      QPen pen(pass == 0 ? QColor(255, 255, 255) : QColor(0, 0, 0), pass == 0 ? 4.0 : 2.0);
      if (pass == 1) pen.setStyle(Qt::DashLine);
      p.setPen(pen);
      for (const auto& s : segments) p.drawLine(toScreen(s.first), toScreen(s.second));
    }

    // Measured points: a ring, labelled "theory / measured" correlation after `depth` layers.
    for (const PhaseDiagramData::Measured& m : data.measured) {
      const QPointF c = toScreen(QPointF(m.sigmaW2, m.sigmaB2));
      p.setPen(QPen(Qt::white, 3.0));
      p.drawEllipse(c, 5, 5);
      p.setPen(QPen(QColor(214, 39, 40), 1.8));
      p.drawEllipse(c, 5, 5);
      const QString label = QStringLiteral("%1/%2").arg(m.theory, 0, 'f', 2).arg(m.measured, 0, 'f', 2);
      // Kept inside the map: a point on its edge would push half the label off it.
      const double w = p.fontMetrics().horizontalAdvance(label) + 6;
      const double x = std::clamp(c.x() - w / 2, map.left() + 1, std::max(map.left() + 1, map.right() - w - 1));
      const QRectF box(x, c.y() - 24, w, 16);
      p.setPen(Qt::NoPen);
      p.setBrush(QColor(255, 255, 255, 200));
      p.drawRoundedRect(box, 3, 3);
      p.setBrush(Qt::NoBrush);
      p.setPen(QColor(20, 20, 20));
      p.drawText(box, Qt::AlignCenter, label);
    }

    // The current experiment's initialization.
    if (current) {
      const QPointF c = toScreen(*current);
      if (map.adjusted(-1, -1, 1, 1).contains(c)) {
        for (int pass = 0; pass < 2; ++pass) {
          p.setPen(QPen(pass == 0 ? Qt::white : QColor(214, 39, 40), pass == 0 ? 5.0 : 2.5));
          p.drawLine(c + QPointF(-8, -8), c + QPointF(8, 8));
          p.drawLine(c + QPointF(-8, 8), c + QPointF(8, -8));
        }
      }
    }

    // Axes.
    p.setPen(QColor(60, 60, 60));
    p.setBrush(Qt::NoBrush);
    p.drawRect(map);
    const QFontMetricsF metrics(font);
    for (double v : ticks(w0, w1, 8)) {
      const double x = toScreen(QPointF(v, b0)).x();
      p.drawLine(QPointF(x, map.bottom()), QPointF(x, map.bottom() + 4));
      p.drawText(QRectF(x - 30, map.bottom() + 5, 60, 16), Qt::AlignHCenter | Qt::AlignTop,
                 formatNumber(v));
    }
    for (double v : ticks(b0, b1, 6)) {
      const double y = toScreen(QPointF(w0, v)).y();
      p.drawLine(QPointF(map.left() - 4, y), QPointF(map.left(), y));
      p.drawText(QRectF(0, y - 8, map.left() - 7, 16), Qt::AlignRight | Qt::AlignVCenter,
                 formatNumber(v));
    }
    p.drawText(QRectF(map.left(), map.bottom() + 22, map.width(), 18), Qt::AlignCenter,
               QObject::tr("sigma_w^2 = fan_in x Var(W)"));
    drawVerticalAxisTitle(p, map, 14, QObject::tr("sigma_b^2 = Var(b)"));

    // The colour bar: log10 xi_c from 1 to 1000, inf on top.
    std::vector<ColourBarTick> barTicks;
    for (int e = 0; e <= 3; ++e)
      barTicks.push_back({(e - kLogMin) / (kLogMax - kLogMin),
                          e == 3 ? QStringLiteral(">=1000") : QString::number(std::pow(10, e))});
    drawViridisColourBar(p, map, barTicks, QObject::tr("xi_c (layers)"));

    // Legend and caption under the axes.
    QString legend = data.dropout > 0 ? QObject::tr("dashed: chi_1 = 1 (not critical with dropout)")
                                      : QObject::tr("dashed: critical line chi_1 = 1");
    if (!data.measured.empty())
      legend += QObject::tr("   rings: random networks, correlation after %1 layers, theory/measured")
                    .arg(data.depth);
    if (current) legend += QObject::tr("   cross: this experiment's initialization");
    drawLegendAndCaption(p, size, font, map.bottom() + 40, legend, data.caption);
    p.restore();
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    paintTo(painter, size());
  }
  void mouseMoveEvent(QMouseEvent* event) override {
    const std::optional<QPointF> v = valueAt(event->position(), size());
    if (!v) {
      QToolTip::hideText();
      return;
    }
    // The nearest grid point's numbers.
    const GridAxis& w = data.sigmaW2;
    const GridAxis& b = data.sigmaB2;
    const auto index = [](const GridAxis& a, double x) {
      if (a.count <= 1) return 0;
      return std::clamp(static_cast<int>(std::lround((x - a.lo) / (a.hi - a.lo) * (a.count - 1))), 0,
                        a.count - 1);
    };
    const PhasePoint& pt = data.points[static_cast<size_t>(index(w, v->x())) * b.count + index(b, v->y())];
    QToolTip::showText(event->globalPosition().toPoint(),
                       QObject::tr("sigma_w^2 %1, sigma_b^2 %2\nq* %3, chi_1 %4\nxi_q %5, xi_c %6\n"
                                   "click: use this initialization")
                           .arg(formatNumber(pt.sigmaW2), formatNumber(pt.sigmaB2),
                                formatNumber(pt.qStar), formatNumber(pt.chi1),
                                formatNumber(pt.xiQ), formatNumber(pt.xiC)),
                       this);
  }
  void mousePressEvent(QMouseEvent* event) override {
    if (event->button() != Qt::LeftButton) return;
    if (const std::optional<QPointF> v = valueAt(event->position(), size()))
      emit plot_->initClicked(std::max(0.0, v->x()), std::max(0.0, v->y()));
  }

 private:
  PhaseDiagramPlot* plot_;
};

PhaseDiagramPlot::PhaseDiagramPlot(QWidget* parent)
    : PlotView(tr("Phase diagram"), parent), canvas_(new PhaseDiagramCanvas(this)) {
  setContent(canvas_);
}

void PhaseDiagramPlot::setData(const PhaseDiagramData& data) {
  canvas_->data = data;
  countRedraw();
  canvas_->update();
}

const PhaseDiagramData& PhaseDiagramPlot::data() const { return canvas_->data; }

void PhaseDiagramPlot::setCurrentInit(std::optional<QPointF> sigmaW2SigmaB2) {
  canvas_->current = sigmaW2SigmaB2;
  canvas_->update();
}

std::optional<QPointF> PhaseDiagramPlot::currentInit() const { return canvas_->current; }

void PhaseDiagramPlot::clear() {
  canvas_->data = PhaseDiagramData{};
  canvas_->current.reset();
  canvas_->update();
}

void PhaseDiagramPlot::renderTo(QPainter& painter, const QRectF& target) {
  painter.save();
  painter.translate(target.topLeft());
  canvas_->paintTo(painter, target.size());
  painter.restore();
}

}  // namespace layerscope
