// Painting the full panels: one histogram per layer with its header, the zero and overflow
// bars beside the body, and the pinned runs' outlines.
#include "plots/histogram_strip.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "plots/chart_plot.h"
#include "training/stats.h"

namespace layerscope {

using namespace histogram_strip;  // plots/histogram_strip.h

void HistogramStrip::paintPanels(QPainter& p, const QFontMetrics& m, const QRectF& area,
                                 const std::vector<int>& indices) {
  const int n = static_cast<int>(indices.size());
  if (n == 0) return;
  const int text = m.height();
  // Header forms: long ("layer 3", "σ 0.21") when every panel's fits, else short ("L3",
  // "0.21"); fewer panels per row until at least the short form fits (never cut).
  auto fits = [&](double cellW, bool longForm) {
    const double room = cellW - 6;
    for (int i : indices)
      if (m.horizontalAdvance(layerText(panels_[i], longForm)) > room ||
          m.horizontalAdvance(sigmaText(panels_[i], longForm)) > room)
        return false;
    return true;
  };
  int perRow = n;
  bool longForm = true;
  for (; perRow > 1; --perRow) {
    const double cellW = area.width() / perRow;
    if (fits(cellW, true)) break;
    if (fits(cellW, false)) {
      longForm = false;
      break;
    }
  }
  const double cellW = area.width() / perRow;
  if (perRow == 1) longForm = fits(cellW, true);
  const int rows = (n + perRow - 1) / perRow;
  const double cellH = area.height() / rows;
  // The zero label's form: the longest that fits every panel.
  int thirdForm = 3;
  if (hasZero_ || hasSaturation_)
    for (int form = 0; form < 3 && thirdForm == 3; ++form) {
      bool ok = true;
      for (int i : indices) ok = ok && m.horizontalAdvance(thirdText(i, form)) <= cellW - 6;
      if (ok) thirdForm = form;
    }
  const int headerLines = 2 + (thirdForm < 3 ? 1 : 0);
  const QString loText = compactNumber(dataLo_), hiText = compactNumber(dataHi_);
  const double slot = std::clamp(cellW * 0.06, 4.0, 10.0);
  const int count = static_cast<int>(panels_.size());

  for (int j = 0; j < n; ++j) {
    const int i = indices[j];
    const Panel& panel = panels_[i];
    const Beside& b = beside_[i];
    const QRectF cell(area.left() + (j % perRow) * cellW, area.top() + (j / perRow) * cellH,
                      cellW, cellH);
    const QRectF inner = cell.adjusted(3, 0, -3, 0);
    // Header lines, the plot (its frame 1 px outside it), the axis line under it.
    const QRectF plot = cell.adjusted(4, headerLines * text + 3, -4, -text - 4);
    PaintedPanel painted;
    painted.layer = panel.layer;
    painted.plot = plot;
    painted.bars.assign(panel.counts.size(), QRectF());
    const QColor color = layerColor(i, count).darker(115);
    p.setPen(Qt::black);
    drawLabel(p, m, QRectF(inner.left(), cell.top(), inner.width(), text), Qt::AlignHCenter,
              layerText(panel, longForm), true);
    p.setPen(QColor(80, 80, 80));
    drawLabel(p, m, QRectF(inner.left(), cell.top() + text, inner.width(), text),
              Qt::AlignHCenter, sigmaText(panel, longForm), true);
    if (headerLines == 3) {
      p.setPen(hasZero_ ? kZeroColor : QColor(150, 60, 0));
      drawLabel(p, m, QRectF(inner.left(), cell.top() + 2 * text, inner.width(), text),
                Qt::AlignHCenter, thirdText(i, thirdForm));
    }
    if (plot.height() < 4 || plot.width() < 4) {
      painted_.push_back(painted);
      continue;
    }
    p.fillRect(plot, QColor(247, 247, 247));
    const Columns c = columns(plot, slot);
    painted.body = c.body;
    // Bars stop 1 px under the plot's top, so a full-height bar never touches the frame.
    const double H = plot.height() - 1;
    // Bars of at least 3 px (whole grid bins merged), heights against the tallest of them.
    const std::vector<Group> bars = groups(panel, b, c.body, 3.0);
    std::uint64_t peak64 = 0;
    for (const Group& g : bars) peak64 = std::max(peak64, g.count);
    const std::uint32_t peak = peak64 ? static_cast<std::uint32_t>(std::min<std::uint64_t>(
                                            peak64, UINT32_MAX))
                                      : b.peak;
    for (const Group& g : bars) {
      if (!g.count) continue;
      double x0 = std::max(g.x0, c.body.left()), x1 = std::min(g.x1, c.body.right());
      if (x1 - x0 < 1.5) {  // a collapsed layer's one group stays visible
        const double mid = std::clamp((x0 + x1) / 2, c.body.left() + 0.75, c.body.right() - 0.75);
        x0 = mid - 0.75, x1 = mid + 0.75;
      }
      const double h = std::max(1.5, H * scaled(g.count, peak));
      const QRectF bar(x0, plot.bottom() - h, x1 - x0, h);
      p.fillRect(bar, color);
      for (size_t k = g.b0; k < g.b1; ++k) painted.bars[k] = bar;
    }
    // The bars beside the body: exact zeros (grey), below / above the axis (hatched).
    auto sideBar = [&](const QRectF& column, std::uint64_t n, const QBrush& brush,
                       bool countLabel, int align) -> QRectF {
      if (n == 0 || column.isNull()) return {};
      const double room = countLabel ? H - text : H;
      const double f = scaled(n, peak);
      const double h = std::clamp(room * f, 2.0, std::max(2.0, room));
      const QRectF bar(column.left(), plot.bottom() - h, column.width(), h);
      p.fillRect(bar, brush);
      if (f > 1.0) {  // cut: a white break mark across the top
        p.setPen(QPen(Qt::white, 1.5));
        p.drawLine(QPointF(bar.left(), bar.top() + 5), QPointF(bar.right(), bar.top() + 2));
      }
      if (countLabel) {
        p.setPen(QColor(60, 60, 60));
        const double w = m.horizontalAdvance(compactCount(n));
        const double x = align == Qt::AlignLeft ? plot.left() + 1 : plot.right() - 1 - w;
        const QRectF box(std::max(plot.left() + 1, x), bar.top() - text, w, text);
        if (box.right() <= plot.right() && box.top() >= plot.top()) {
          bool clear = true;  // not over the other side's count in a narrow panel
          for (size_t t = countLabelsFrom_; t < texts_.size(); ++t)
            clear = clear && !texts_[t].box.intersects(box);
          if (clear) {
            p.fillRect(box.adjusted(-1, 0, 1, 0), QColor(255, 255, 255, 200));
            drawLabel(p, m, box, Qt::AlignLeft, compactCount(n));
          }
        }
      }
      return bar;
    };
    countLabelsFrom_ = texts_.size();
    painted.zeroBar = sideBar(c.zero, b.zeros, kZeroColor, false, Qt::AlignLeft);
    painted.zeroCount = b.zeros;
    const QBrush hatch(color, Qt::BDiagPattern);
    painted.underBar = sideBar(c.under, b.under, QBrush(color.lighter(160)), true, Qt::AlignLeft);
    if (!painted.underBar.isNull()) p.fillRect(painted.underBar, hatch);
    painted.underCount = b.under;
    painted.overBar = sideBar(c.over, b.over, QBrush(color.lighter(160)), true, Qt::AlignRight);
    if (!painted.overBar.isNull()) p.fillRect(painted.overBar, hatch);
    painted.overCount = b.over;

    // pinned runs: the outline of each histogram, scaled to its own tallest bin like the bars
    p.save();
    p.setClipRect(c.body);
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const Overlay& o : overlays_) {
      const auto h = std::find_if(o.histograms.begin(), o.histograms.end(),
                                  [&](const PinnedHistogram& x) { return x.layer == panel.layer; });
      if (h == o.histograms.end() || h->counts.empty() || !(h->hi > h->lo)) continue;
      const std::uint32_t top = *std::max_element(h->counts.begin(), h->counts.end());
      if (top == 0) continue;
      const double binW = (h->hi - h->lo) / h->counts.size();
      QPolygonF outline;
      outline << QPointF(toX(c.body, h->lo), plot.bottom());
      for (size_t k = 0; k < h->counts.size(); ++k) {
        const double y = plot.bottom() - H * scaled(h->counts[k], top);
        const double x0 = toX(c.body, h->lo + k * binW);
        const double x1 = std::max(x0 + 1.0, toX(c.body, h->lo + (k + 1) * binW));
        outline << QPointF(x0, y) << QPointF(x1, y);
      }
      outline << QPointF(outline.back().x(), plot.bottom());
      // Dashed over the live bars: the current run stays the solid, strong mark.
      p.setPen(QPen(o.color, 1.6, Qt::DashLine));
      p.drawPolyline(outline);
    }
    p.restore();
    // zero line, then the frame outside the plot rectangle
    if (lo_ < 0 && hi_ > 0) {
      p.setPen(QPen(QColor(150, 150, 150), 0, Qt::DotLine));
      const double z = toX(c.body, 0);
      p.drawLine(QPointF(z, plot.top()), QPointF(z, plot.bottom()));
    }
    const bool selected = panel.layer == selected_;
    p.setPen(QPen(selected ? QColor(255, 140, 0) : kFrameColor, selected ? 2 : 1));
    p.drawRect(plot.adjusted(-1, -1, 1, 1));
    if (panel.nonFinite) {
      p.setPen(QColor(176, 0, 32));
      p.drawText(plot.adjusted(1, 1, -1, 0), Qt::AlignTop | Qt::AlignHCenter | Qt::TextWordWrap,
                 QObject::tr("%1 NaN/Inf").arg(panel.nonFinite));
    }
    // The axis: each panel's own end labels when they fit, else one line for the row.
    p.setPen(QColor(80, 80, 80));
    const double axisTop = plot.bottom() + 2;
    // Each panel's own labels at the data range's ends (and 0 between them when there is
    // room), centred under their values; a row-wide line when the panels are too narrow.
    const double xLo = toX(c.body, dataLo_), xHi = toX(c.body, dataHi_);
    const double wLo = m.horizontalAdvance(loText), wHi = m.horizontalAdvance(hiText);
    const QRectF loBox(std::max(cell.left() + 1, xLo - wLo / 2), axisTop, wLo, text);
    const QRectF hiBox(std::min(cell.right() - 1 - wHi, xHi - wHi / 2), axisTop, wHi, text);
    if (loBox.right() + 4 <= hiBox.left()) {
      drawLabel(p, m, loBox, Qt::AlignLeft, loText);
      drawLabel(p, m, hiBox, Qt::AlignLeft, hiText);
      const double w0 = m.horizontalAdvance(QStringLiteral("0"));
      const QRectF zeroBox(toX(c.body, 0) - w0 / 2, axisTop, w0, text);
      if (dataLo_ < 0 && dataHi_ > 0 && loBox.right() + 4 <= zeroBox.left() &&
          zeroBox.right() + 4 <= hiBox.left())
        drawLabel(p, m, zeroBox, Qt::AlignLeft, QStringLiteral("0"));
    } else if (j % perRow == 0) {
      const QRectF rowAxis(area.left(), axisTop, area.width(), text);
      const QString label = QObject::tr("each panel: %1 to %2").arg(loText, hiText);
      drawLabel(p, m, rowAxis, Qt::AlignHCenter,
                m.horizontalAdvance(label) <= rowAxis.width() ? label
                                                              : QStringLiteral("%1 to %2").arg(loText, hiText));
    }
    painted_.push_back(std::move(painted));
  }
}

}  // namespace layerscope
