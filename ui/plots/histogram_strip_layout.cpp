// Where the strip's parts go: the panels, or the heatmap with full panels under it, the key
// line, and the legend of the pinned runs, wrapped onto as many rows as it needs.
#include "plots/histogram_strip.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "plots/chart_plot.h"
#include "training/stats.h"

namespace layerscope {

using namespace histogram_strip;  // plots/histogram_strip.h

void HistogramStrip::paintTo(QPainter& p, const QSize& size) {
  p.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  p.setRenderHint(QPainter::Antialiasing, false);
  headers_.clear();
  texts_.clear();
  painted_.clear();
  rows_.clear();
  heatmapShown_ = false;
  const int n = static_cast<int>(panels_.size());
  if (n == 0) {
    p.setPen(Qt::gray);
    p.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, QObject::tr("No statistics yet"));
    return;
  }
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.8);
  p.setFont(small);
  const QFontMetrics metrics(small);
  const int text = metrics.height();
  // The legend wraps onto as many rows as its entries need: a label is never cut.
  const int legendH = overlays_.empty() ? 0 : legendRows(metrics, size.width()) * text + 4;
  const QRectF area(4, 2, size.width() - 8, size.height() - 4 - legendH);
  if (heatmapWanted()) {
    heatmapShown_ = true;
    // The heatmap keeps at least 3 px per layer; the detail panels get what is left, up to
    // a third of the height, and are left out when they would be too small to read.
    const double need = 3.0 * n + 2 * text + 6;
    const double panelsH = std::min(area.height() * 0.33, area.height() - need);
    if (panelsH >= 5 * text) {
      paintHeatmap(p, metrics, QRectF(area.left(), area.top(), area.width(),
                                      area.height() - panelsH - 4));
      paintPanels(p, metrics, QRectF(area.left(), area.bottom() - panelsH, area.width(), panelsH),
                  detailIndices());
    } else {
      paintHeatmap(p, metrics, area);
    }
  } else {
    std::vector<int> all(n);
    for (int i = 0; i < n; ++i) all[i] = i;
    // A key line under the panels for the bars that are not bins.
    QStringList key;
    if (hasZero_) key << QObject::tr("grey bar: values exactly 0");
    if (hasUnder_ || hasOver_) key << QObject::tr("hatched bars: values beyond the axis (count)");
    const QString keyText = key.join(QStringLiteral(" · "));
    const bool withKey = !key.isEmpty() && metrics.horizontalAdvance(keyText) <= area.width();
    paintPanels(p, metrics, withKey ? area.adjusted(0, 0, 0, -text - 1) : area, all);
    if (withKey) {
      p.setPen(QColor(90, 90, 90));
      drawLabel(p, metrics, QRectF(area.left(), area.bottom() - text, area.width(), text),
                Qt::AlignHCenter, keyText);
    }
  }
  if (!overlays_.empty()) paintLegend(p, metrics, size, legendH);
}

std::vector<HistogramStrip::LegendEntry> HistogramStrip::legendEntries() const {
  const int n = static_cast<int>(panels_.size());
  std::vector<LegendEntry> entries{{layerColor(n / 2, n), QObject::tr("current run (bars)"), true}};
  for (const Overlay& o : overlays_) entries.push_back({o.color, o.label, false});
  return entries;
}

template <typename Place>
int HistogramStrip::layoutLegend(const QFontMetrics& m, int width, Place place) const {
  double x = 6;
  int row = 0;
  for (const LegendEntry& e : legendEntries()) {
    const double w = kSwatch + m.horizontalAdvance(e.label) + 2;
    if (x > 6 && x + w > width - 4) x = 6, ++row;
    place(e, x, row);
    x += w + kGap;
  }
  return row + 1;
}

int HistogramStrip::legendRows(const QFontMetrics& m, int width) const {
  return layoutLegend(m, width, [](const LegendEntry&, double, int) {});
}

void HistogramStrip::paintLegend(QPainter& p, const QFontMetrics& m, const QSize& size, int legendH) {
  const int text = m.height();
  const double top = size.height() - legendH + 2;
  layoutLegend(m, size.width(), [&](const LegendEntry& e, double x, int row) {
    const double y = top + row * text;
    if (e.bar) {
      p.fillRect(QRectF(x, y + 2, 14, text - 4), e.color);
    } else {
      p.save();
      p.setPen(QPen(e.color, 2.0, Qt::DashLine));
      p.drawLine(QPointF(x, y + text / 2.0), QPointF(x + 14, y + text / 2.0));
      p.restore();
    }
    p.setPen(Qt::black);
    const double w = m.horizontalAdvance(e.label);
    p.drawText(QRectF(x + kSwatch, y, w + 2, text), Qt::AlignLeft | Qt::AlignVCenter, e.label);
  });
}

}  // namespace layerscope
