#include "plots/decimate.h"

#include <algorithm>

namespace layerscope {

QList<QPointF> decimateToPixels(const std::vector<SeriesPoint>& points, int columns,
                                bool positiveOnly) {
  QList<QPointF> out;
  columns = std::max(columns, 1);
  std::size_t usable = points.size();
  if (positiveOnly)
    usable = std::count_if(points.begin(), points.end(), [](const SeriesPoint& p) { return p.y > 0; });
  if (usable <= 2 * static_cast<std::size_t>(columns)) {
    out.reserve(static_cast<qsizetype>(usable));
    for (const SeriesPoint& p : points)
      if (!positiveOnly || p.y > 0) out.append(QPointF(p.x, p.y));
    return out;
  }
  out.reserve(2 * columns + 2);
  const double x0 = points.front().x, x1 = points.back().x;
  const double scale = x1 > x0 ? columns / (x1 - x0) : 0.0;
  int column = -1;
  const SeriesPoint* lo = nullptr;
  const SeriesPoint* hi = nullptr;
  auto flush = [&] {
    if (!lo) return;
    // In x order, so the line goes through both extremes of the column.
    if (lo == hi) {
      out.append(QPointF(lo->x, lo->y));
    } else if (lo->x <= hi->x) {
      out.append(QPointF(lo->x, lo->y));
      out.append(QPointF(hi->x, hi->y));
    } else {
      out.append(QPointF(hi->x, hi->y));
      out.append(QPointF(lo->x, lo->y));
    }
  };
  for (const SeriesPoint& p : points) {
    if (positiveOnly && !(p.y > 0)) continue;
    const int c = std::min(columns - 1, static_cast<int>((p.x - x0) * scale));
    if (c != column) {
      flush();
      column = c;
      lo = hi = &p;
    } else {
      if (p.y < lo->y) lo = &p;
      if (p.y > hi->y) hi = &p;
    }
  }
  flush();
  return out;
}

}  // namespace layerscope
