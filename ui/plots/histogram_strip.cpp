// The strip's data: the shared axis, the bins grouped into bars, what lies beside the axis,
// and hover, clicks and double clicks.
#include "plots/histogram_strip.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <set>

#include "common/number_format.h"
#include "training/stats.h"

namespace layerscope {

using namespace histogram_strip;  // plots/histogram_strip.h

std::vector<int> HistogramStrip::detailIndices() const {
  std::vector<int> out;
  const int n = static_cast<int>(panels_.size());
  for (int layer : detail_)
    for (int i = 0; i < n; ++i)
      if (panels_[i].layer == layer && out.size() < size_t(LayerHistogramsPlot::kMaxPanels))
        out.push_back(i);
  if (out.empty() && n > 0) {
    std::set<int> picks = {0, n / 3, (2 * n) / 3, n - 1};
    out.assign(picks.begin(), picks.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void HistogramStrip::paintEvent(QPaintEvent*) {
  QPainter p(this);
  paintTo(p, size());
}

void HistogramStrip::mouseMoveEvent(QMouseEvent* e) {
  const QPointF pos = e->position();
  const int i = hit(pos);
  if (i < 0) {
    QToolTip::hideText();
    return;
  }
  QToolTip::showText(e->globalPosition().toPoint(), tooltip(i, pos), this);
}

void HistogramStrip::mousePressEvent(QMouseEvent* e) {
  const int i = hit(e->position());
  if (i >= 0) emit owner_->layerClicked(panels_[i].layer);
}

void HistogramStrip::mouseDoubleClickEvent(QMouseEvent* e) {
  // A double click on a heatmap row adds its layer to the full panels, or takes it away.
  for (const PaintedRow& r : rows_)
    if (r.row.contains(e->position())) {
      std::vector<int> layers;
      for (int i : detailIndices()) layers.push_back(panels_[i].layer);
      const auto it = std::find(layers.begin(), layers.end(), r.layer);
      if (it != layers.end()) layers.erase(it);
      else layers.push_back(r.layer);
      std::sort(layers.begin(), layers.end());
      owner_->setDetailLayers(layers);
      return;
    }
}

std::pair<double, double> HistogramStrip::pinnedRange(const PinnedHistogram& h) {
  if (h.counts.empty() || !(h.hi > h.lo) || !std::isfinite(h.lo) || !std::isfinite(h.hi))
    return {1.0, 0.0};
  std::uint64_t total = 0;
  for (std::uint32_t c : h.counts) total += c;
  if (total == 0) return {1.0, 0.0};
  const double binW = (h.hi - h.lo) / h.counts.size();
  const double cut = 0.005 * total;
  std::uint64_t seen = 0;
  size_t first = 0, last = h.counts.size() - 1;
  for (size_t k = 0; k < h.counts.size(); ++k)
    if ((seen += h.counts[k]) > cut) { first = k; break; }
  seen = 0;
  for (size_t k = h.counts.size(); k-- > 0;)
    if ((seen += h.counts[k]) > cut) { last = k; break; }
  return {h.lo + first * binW, h.lo + (last + 1) * binW};
}

void HistogramStrip::computeAxis() {
  // Bounded functions show their whole range; otherwise the union of the layers' robust
  // ranges (0.5% .. 99.5% quantiles), so one outlier layer or value cannot squeeze the rest.
  bool allFixed = true, any = false;
  double lo = INFINITY, hi = -INFINITY;
  for (const Panel& p : panels_) {
    if (p.counts.empty()) continue;
    any = true;
    allFixed = allFixed && p.fixedRange;
  }
  for (const Panel& p : panels_) {
    if (p.counts.empty()) continue;
    if (any && allFixed) {
      lo = std::min(lo, p.lo), hi = std::max(hi, p.hi);
    } else if (const auto [qLo, qHi] = displayRange(p); qLo <= qHi) {
      lo = std::min(lo, qLo), hi = std::max(hi, qHi);
    }
  }
  // Pinned runs' histograms widen the axis to their own robust range: squeezed into the
  // current run's range, a pinned run with larger values would show only its clipped middle.
  for (const Overlay& o : overlays_)
    for (const PinnedHistogram& h : o.histograms)
      if (const auto [qLo, qHi] = pinnedRange(h); qLo <= qHi) {
        if (!any || !allFixed) lo = std::min(lo, qLo), hi = std::max(hi, qHi);
      }
  if (!(lo <= hi))
    for (const Panel& p : panels_)
      if (!p.counts.empty() && std::isfinite(p.lo) && std::isfinite(p.hi))
        lo = std::min(lo, p.lo), hi = std::max(hi, p.hi);
  if (!(lo <= hi)) lo = -1, hi = 1;
  if (!(hi - lo > 1e-12 * std::max(std::abs(lo), std::abs(hi))) || !(hi > lo)) {
    const double pad = std::max(1e-30, std::abs(lo) * 1e-3);
    lo -= pad, hi += pad;
  }
  // A one-signed range that nearly reaches 0 (ReLU's positive values) starts at 0.
  if (lo > 0 && lo < 0.05 * (hi - lo)) lo = 0;
  if (hi < 0 && -hi < 0.05 * (hi - lo)) hi = 0;
  dataLo_ = lo;
  dataHi_ = hi;
  // A margin each side so the bins at the ends stand clear of the frame: 4% for a bounded
  // function, whose ends hold the spikes of saturation (tanh's -1 and +1); 1% otherwise.
  const double margin = (any && allFixed ? 0.04 : 0.01) * (hi - lo);
  lo_ = lo - margin;
  hi_ = hi + margin;

  beside_.assign(panels_.size(), Beside());
  for (size_t i = 0; i < panels_.size(); ++i) {
    const Panel& p = panels_[i];
    Beside& b = beside_[i];
    b.zeros = p.zeros;
    b.under = p.underflow;
    b.over = p.overflow;
    b.total = p.zeros + p.underflow + p.overflow + p.nonFinite;
    const size_t bins = p.counts.size();
    b.firstBin = bins;
    b.endBin = 0;
    const double w = bins ? (p.hi - p.lo) / double(bins) : 0.0;
    for (size_t k = 0; k < bins; ++k) {
      b.total += p.counts[k];
      const double centre = p.lo + (double(k) + 0.5) * w;
      if (centre < lo_) {
        b.under += p.counts[k];
      } else if (centre > hi_) {
        b.over += p.counts[k];
      } else {
        b.firstBin = std::min(b.firstBin, k);
        b.endBin = k + 1;
        b.peak = std::max(b.peak, p.counts[k]);
      }
    }
    if (b.firstBin > b.endBin) b.firstBin = b.endBin;
    // No body at all (every value 0, say): the zero bar sets the scale.
    if (b.peak == 0) b.peak = static_cast<std::uint32_t>(std::min<std::uint64_t>(
                         UINT32_MAX, std::max({b.zeros, b.under, b.over})));
  }
  hasZero_ = hasUnder_ = hasOver_ = hasSaturation_ = false;
  for (const Panel& p : panels_) hasSaturation_ = hasSaturation_ || p.saturated >= 0.005;
  for (const Beside& b : beside_) {
    hasZero_ = hasZero_ || b.zeros > 0;
    hasUnder_ = hasUnder_ || b.under > 0;
    hasOver_ = hasOver_ || b.over > 0;
  }
}

std::pair<double, double> HistogramStrip::displayRange(const Panel& p) {
  constexpr double kTail = 0.01;
  const size_t bins = p.counts.size();
  if (bins == 0 || !(p.hi > p.lo)) return {p.robustLo, p.robustHi};
  std::uint64_t total = p.underflow + p.overflow;
  for (auto c : p.counts) total += c;
  if (total == 0) return {NAN, NAN};
  const double w = (p.hi - p.lo) / double(bins);
  const double cut = kTail * double(total);
  double lo = std::isfinite(p.robustLo) ? std::min(p.robustLo, p.lo) : p.lo;
  double hi = std::isfinite(p.robustHi) ? std::max(p.robustHi, p.hi) : p.hi;
  std::uint64_t seen = p.underflow;
  if (double(seen) < cut)
    for (size_t k = 0; k < bins; ++k) {
      seen += p.counts[k];
      if (double(seen) > cut) {
        lo = p.lo + double(k) * w;
        break;
      }
    }
  seen = p.overflow;
  if (double(seen) < cut)
    for (size_t k = bins; k-- > 0;) {
      seen += p.counts[k];
      if (double(seen) > cut) {
        hi = p.lo + double(k + 1) * w;
        break;
      }
    }
  return {lo, hi};
}

double HistogramStrip::scaled(std::uint64_t count, std::uint32_t peak) const {
  if (count == 0 || peak == 0) return 0.0;
  if (log_) return std::log1p(double(count)) / std::log1p(double(peak));
  return double(count) / double(peak);
}

HistogramStrip::Columns HistogramStrip::columns(const QRectF& plot, double slot) const {
  Columns c;
  double left = plot.left() + 1, right = plot.right() - 1;
  if (hasZero_) c.zero = QRectF(left, plot.top(), slot, plot.height()), left += slot + 2;
  if (hasUnder_) c.under = QRectF(left, plot.top(), slot, plot.height()), left += slot + 1;
  if (hasOver_) c.over = QRectF(right - slot, plot.top(), slot, plot.height()), right -= slot + 1;
  c.body = QRectF(left, plot.top(), std::max(1.0, right - left), plot.height());
  return c;
}

double HistogramStrip::toX(const QRectF& body, double v) const {
  return body.left() + body.width() * (v - lo_) / (hi_ - lo_);
}

std::vector<HistogramStrip::Group> HistogramStrip::groups(const Panel& panel, const Beside& b, const QRectF& body,
                                                          double minPx) const {
  std::vector<Group> out;
  if (panel.counts.empty() || !(panel.hi > panel.lo) || b.endBin <= b.firstBin) return out;
  const double binW = (panel.hi - panel.lo) / panel.counts.size();
  const double binPx = body.width() * binW / (hi_ - lo_);
  long g = std::max<long>(1, static_cast<long>(std::ceil(minPx / std::max(1e-9, binPx))));
  // A bounded function's grid (first = 0) in groups that divide it, so both ends (tanh's -1
  // and +1) get bars of the same width.
  const long n = static_cast<long>(panel.counts.size());
  if (panel.fixedRange && panel.first == 0)
    for (long d = g; d <= std::min(n, 2 * g); ++d)
      if (n % d == 0) {
        g = d;
        break;
      }
  auto key = [&](size_t k) {
    const long index = panel.first + static_cast<long>(k);
    return index >= 0 ? index / g : -((-index + g - 1) / g);
  };
  for (size_t k = b.firstBin; k < b.endBin; ++k) {
    if (out.empty() || key(k) != key(out.back().b0)) {
      Group group;
      group.b0 = k;
      group.x0 = toX(body, panel.lo + k * binW);
      out.push_back(group);
    }
    Group& group = out.back();
    group.b1 = k + 1;
    group.x1 = toX(body, panel.lo + (k + 1) * binW);
    group.count += panel.counts[k];
  }
  return out;
}

int HistogramStrip::hit(const QPointF& pos) const {
  for (const PaintedPanel& pp : painted_)
    if (pp.plot.adjusted(-1, -1, 1, 1).contains(pos)) return indexOf(pp.layer);
  for (const PaintedRow& r : rows_)
    if (r.row.contains(pos)) return indexOf(r.layer);
  return -1;
}

int HistogramStrip::indexOf(int layer) const {
  for (size_t i = 0; i < panels_.size(); ++i)
    if (panels_[i].layer == layer) return static_cast<int>(i);
  return -1;
}

QString HistogramStrip::tooltip(int i, const QPointF& pos) const {
  const Panel& panel = panels_[i];
  const Beside& b = beside_[i];
  QString text = QObject::tr("layer %1 %2: std %3").arg(panel.layer).arg(valueName_)
                     .arg(formatNumber(panel.std));
  QRectF body;
  for (const PaintedPanel& pp : painted_)
    if (pp.layer == panel.layer && pp.plot.contains(pos)) body = pp.body;
  if (body.isNull())
    for (const PaintedRow& r : rows_)
      if (r.layer == panel.layer) body = columns(r.row, 0).body;
  const double v = lo_ + (hi_ - lo_) * (pos.x() - body.left()) / std::max(1.0, body.width());
  if (!body.isNull() && panel.hi > panel.lo && !panel.counts.empty() && v >= panel.lo &&
      v <= panel.hi && pos.x() >= body.left()) {
    const int bins = static_cast<int>(panel.counts.size());
    const int k = std::clamp(static_cast<int>((v - panel.lo) / (panel.hi - panel.lo) * bins), 0, bins - 1);
    const double w = (panel.hi - panel.lo) / bins;
    text += QObject::tr("\n[%1, %2): %3% of values")
                .arg(formatNumber(panel.lo + k * w)).arg(formatNumber(panel.lo + (k + 1) * w))
                .arg(b.total ? 100.0 * panel.counts[k] / b.total : 0.0, 0, 'f', 1);
  }
  if (b.total) {
    if (b.zeros)
      text += QObject::tr("\nexactly 0: %1 (%2)").arg(b.zeros).arg(percent(double(b.zeros) / b.total));
    if (b.under)
      text += QObject::tr("\nbelow %1: %2 values").arg(formatNumber(lo_)).arg(b.under);
    if (b.over)
      text += QObject::tr("\nabove %1: %2 values").arg(formatNumber(hi_)).arg(b.over);
  }
  if (panel.saturated > 0)
    text += QObject::tr("\nsaturated: %1%").arg(100 * panel.saturated, 0, 'f', 1);
  if (!rows_.empty()) text += QObject::tr("\ndouble-click: full panel on / off");
  return text;
}

}  // namespace layerscope
