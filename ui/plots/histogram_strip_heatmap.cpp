// Painting the heatmap: one row per layer, colour = density, with layer labels thinned so none
// overlap.
#include "plots/histogram_strip.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "training/stats.h"

namespace layerscope {

using namespace histogram_strip;  // plots/histogram_strip.h

namespace {

// Heatmap colours: density 0 .. 1 from pale yellow to near-black purple (a magma-like ramp, light
// end first so an empty cell stays background); an empty cell is not painted.
QColor densityColor(double t) {
  static const QColor stops[] = {QColor(252, 240, 190), QColor(250, 180, 90), QColor(225, 90, 60),
                                 QColor(140, 30, 90), QColor(40, 10, 60)};
  t = std::clamp(t, 0.0, 1.0) * 4;
  const int i = std::min(3, static_cast<int>(t));
  const double f = t - i;
  const QColor& a = stops[i];
  const QColor& b = stops[i + 1];
  return QColor::fromRgbF(a.redF() + f * (b.redF() - a.redF()),
                          a.greenF() + f * (b.greenF() - a.greenF()),
                          a.blueF() + f * (b.blueF() - a.blueF()));
}

}  // namespace

void HistogramStrip::paintHeatmap(QPainter& p, const QFontMetrics& m, const QRectF& area) {
  const int n = static_cast<int>(panels_.size());
  const int text = m.height();
  int widest = 0;
  for (const Panel& panel : panels_)
    widest = std::max(widest, m.horizontalAdvance(QStringLiteral("L%1").arg(panel.layer)));
  const QRectF plot(area.left() + widest + 6, area.top() + 1, area.width() - widest - 8,
                    area.height() - 2 * text - 6);
  if (plot.height() < n || plot.width() < 20) return;
  const double rowH = plot.height() / n;
  const Columns c = columns(plot, std::clamp(plot.width() * 0.025, 6.0, 14.0));
  p.fillRect(plot, QColor(250, 250, 250));
  // Labels every k layers, k in 1, 2, 5, 10, 20, 50, ... so that they never overlap.
  int every = 1;
  for (int k : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000})
    if (k * rowH >= text + 1) {
      every = k;
      break;
    } else {
      every = k;
    }
  QRectF lastLabel;
  for (int i = 0; i < n; ++i) {
    const Panel& panel = panels_[i];
    const Beside& b = beside_[i];
    const QRectF row(plot.left(), plot.top() + i * rowH, plot.width(), rowH);
    rows_.push_back({panel.layer, row});
    const double y0 = row.top(), h = std::max(1.0, rowH - (rowH >= 4 ? 1 : 0));
    const std::vector<Group> cells = groups(panel, b, c.body, 2.0);
    std::uint64_t peak64 = 0;
    for (const Group& g : cells) peak64 = std::max(peak64, g.count);
    const std::uint32_t peak = peak64 ? static_cast<std::uint32_t>(std::min<std::uint64_t>(
                                            peak64, UINT32_MAX))
                                      : b.peak;
    for (const Group& g : cells) {
      if (!g.count) continue;
      double x0 = std::max(g.x0, c.body.left()), x1 = std::min(g.x1, c.body.right());
      if (x1 - x0 < 1.5) {
        const double mid = std::clamp((x0 + x1) / 2, c.body.left() + 0.75, c.body.right() - 0.75);
        x0 = mid - 0.75, x1 = mid + 0.75;
      }
      p.fillRect(QRectF(x0, y0, x1 - x0, h), densityColor(0.08 + 0.92 * scaled(g.count, peak)));
    }
    auto side = [&](const QRectF& column, std::uint64_t count, bool hatched) {
      if (column.isNull() || count == 0) return;
      const QRectF cell(column.left(), y0, column.width(), h);
      p.fillRect(cell, densityColor(0.08 + 0.92 * std::min(1.0, scaled(count, peak))));
      if (hatched) p.fillRect(cell, QBrush(QColor(255, 255, 255, 160), Qt::BDiagPattern));
    };
    if (!c.zero.isNull() && b.zeros)
      p.fillRect(QRectF(c.zero.left(), y0, c.zero.width(), h),
                 QColor::fromHsvF(0, 0, 0.85 - 0.6 * std::min(1.0, double(b.zeros) / std::max<std::uint64_t>(1, b.total))));
    side(c.under, b.under, true);
    side(c.over, b.over, true);
    if (panel.layer == selected_) {
      p.setPen(QPen(QColor(255, 140, 0), 2));
      p.drawRect(row.adjusted(-1, 0, 1, 0));
    }
    if (panel.layer == 1 || panel.layer % every == 0 || i == n - 1) {
      const QString label = QStringLiteral("L%1").arg(panel.layer);
      const double w = m.horizontalAdvance(label);
      const QRectF box(plot.left() - 4 - w, row.center().y() - text / 2.0, w, text);
      if (lastLabel.isNull() || !box.intersects(lastLabel)) {
        p.setPen(panel.layer == selected_ ? QColor(200, 100, 0) : QColor(60, 60, 60));
        drawLabel(p, m, box, Qt::AlignLeft, label);
        lastLabel = box;
      }
    }
  }
  if (lo_ < 0 && hi_ > 0) {
    p.setPen(QPen(QColor(120, 120, 120), 0, Qt::DotLine));
    const double z = toX(c.body, 0);
    p.drawLine(QPointF(z, plot.top()), QPointF(z, plot.bottom()));
  }
  p.setPen(QPen(kFrameColor, 1));
  p.drawRect(plot.adjusted(-1, -1, 1, 1));
  // The axis: ends and 0, then what the colours and the side columns mean.
  p.setPen(QColor(80, 80, 80));
  const double axisTop = plot.bottom() + 2;
  {
    const QString loText = compactNumber(dataLo_), hiText = compactNumber(dataHi_);
    const double wLo = m.horizontalAdvance(loText), wHi = m.horizontalAdvance(hiText);
    const QRectF loBox(std::max(area.left(), toX(c.body, dataLo_) - wLo / 2), axisTop, wLo, text);
    const QRectF hiBox(std::min(area.right() - wHi, toX(c.body, dataHi_) - wHi / 2), axisTop, wHi, text);
    drawLabel(p, m, loBox, Qt::AlignLeft, loText);
    if (loBox.right() + 4 <= hiBox.left()) drawLabel(p, m, hiBox, Qt::AlignLeft, hiText);
    const double w0 = m.horizontalAdvance(QStringLiteral("0"));
    const QRectF zeroBox(toX(c.body, 0) - w0 / 2, axisTop, w0, text);
    if (dataLo_ < 0 && dataHi_ > 0 && loBox.right() + 4 <= zeroBox.left() &&
        zeroBox.right() + 4 <= hiBox.left())
      drawLabel(p, m, zeroBox, Qt::AlignLeft, QStringLiteral("0"));
  }
  QStringList parts{QObject::tr("colour: share of the row's tallest bin%1")
                        .arg(log_ ? QObject::tr(" (log)") : QString())};
  if (hasZero_) parts << QObject::tr("grey column: exactly 0");
  if (hasUnder_ || hasOver_) parts << QObject::tr("hatched: beyond the axis");
  const QString legend = parts.join(QStringLiteral(" · "));
  const QRectF legendBox(area.left(), axisTop + text + 1, area.width(), text);
  if (m.horizontalAdvance(legend) <= legendBox.width())
    drawLabel(p, m, legendBox, Qt::AlignHCenter, legend);
  else
    drawLabel(p, m, legendBox, Qt::AlignHCenter, parts.front());
}

}  // namespace layerscope
