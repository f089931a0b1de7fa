#include "plots/heatmap_painting.h"

#include <QPainter>
#include <algorithm>

namespace layerscope {

// viridis (matplotlib's), sampled at 9 stops and interpolated linearly.
QColor viridis(double t) {
  static const QColor stops[] = {QColor(68, 1, 84),    QColor(71, 44, 122),  QColor(59, 81, 139),
                                 QColor(44, 113, 142), QColor(33, 144, 141), QColor(39, 173, 129),
                                 QColor(92, 200, 99),  QColor(170, 220, 50), QColor(253, 231, 37)};
  t = std::clamp(t, 0.0, 1.0) * 8.0;
  const int i = std::min(7, static_cast<int>(t));
  const double f = t - i;
  const QColor& a = stops[i];
  const QColor& b = stops[i + 1];
  return QColor::fromRgbF(a.redF() + f * (b.redF() - a.redF()), a.greenF() + f * (b.greenF() - a.greenF()),
                          a.blueF() + f * (b.blueF() - a.blueF()));
}

void drawHeatmapTitle(QPainter& p, const QSizeF& size, const QFont& font, const QString& title) {
  QFont bold = font;
  bold.setBold(true);
  bold.setPointSizeF(10);
  p.setFont(bold);
  p.setPen(QColor(40, 40, 40));
  p.drawText(QRectF(0, 4, size.width(), 24), Qt::AlignCenter, title);
  p.setFont(font);
}

void fillHeatmapCell(QPainter& p, const QRectF& cell, const QColor& color) {
  p.setPen(Qt::NoPen);
  p.setBrush(color);
  p.drawRect(cell.adjusted(-0.3, -0.3, 0.3, 0.3));
}

void drawVerticalAxisTitle(QPainter& p, const QRectF& map, double x, const QString& title) {
  p.save();
  p.translate(x, map.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-map.height() / 2, -9, map.height(), 18), Qt::AlignCenter, title);
  p.restore();
}

void drawViridisColourBar(QPainter& p, const QRectF& map, const std::vector<ColourBarTick>& ticks,
                          const QString& title) {
  // Below the title's line (26 px), as tall as the rest of the map.
  const QRectF bar(map.right() + 16, map.top() + 26, 14, map.height() - 26);
  for (int k = 0; k < 64; ++k) {
    const double t0 = k / 64.0, t1 = (k + 1) / 64.0;
    p.setPen(Qt::NoPen);
    p.setBrush(viridis(0.5 * (t0 + t1)));
    // Half a pixel taller, so the antialiased steps leave no light seams between them.
    p.drawRect(QRectF(bar.left(), bar.bottom() - t1 * bar.height(), bar.width(),
                      (t1 - t0) * bar.height() + 0.5));
  }
  p.setBrush(Qt::NoBrush);
  p.setPen(QColor(60, 60, 60));
  p.drawRect(bar);
  for (const ColourBarTick& tick : ticks) {
    const double y = bar.bottom() - tick.t * bar.height();
    p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
    p.drawText(QRectF(bar.right() + 6, y - 8, 70, 16), Qt::AlignLeft | Qt::AlignVCenter, tick.label);
  }
  p.drawText(QRectF(bar.left() - 12, map.top(), 100, 16), Qt::AlignLeft | Qt::AlignVCenter, title);
}

void drawLegendAndCaption(QPainter& p, const QSizeF& size, const QFont& font, double legendTop,
                          const QString& legend, const QString& caption) {
  QFont small = font;
  small.setPointSizeF(8);
  p.setFont(small);
  p.setPen(QColor(40, 40, 40));
  const QRectF legendBox(8, legendTop, size.width() - 16, 14);
  p.drawText(legendBox, Qt::AlignLeft | Qt::AlignVCenter, legend);
  p.setPen(QColor(85, 85, 85));
  p.drawText(QRectF(8, legendBox.bottom() + 2, size.width() - 16, size.height() - legendBox.bottom() - 4),
             Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, caption);
}

}  // namespace layerscope
