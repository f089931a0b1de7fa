#include "plots/layer_histograms_plot.h"

#include <QActionGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "common/number_format.h"
#include "plots/chart_plot.h"
#include "training/stats.h"
#include "run/training_types.h"

namespace layerscope {

namespace {

using Panel = LayerHistogramsPlot::Panel;
using PaintedPanel = LayerHistogramsPlot::PaintedPanel;
using PaintedRow = LayerHistogramsPlot::PaintedRow;
using Label = LayerHistogramsPlot::HeaderLabel;

// A number in at most 6 characters, so a panel header always has room for it: "0.21", "12",
// "340", "3.0e-7", "1.2e5". A 2-significant-digit mantissa is what the header needs to tell
// layers apart; the tooltip has the full value.
QString compactNumber(double x) {
  if (std::isnan(x)) return QStringLiteral("NaN");
  if (std::isinf(x)) return x > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
  const double a = std::abs(x);
  if (a == 0) return QStringLiteral("0");
  if (a >= 0.01 && a < 100) return QString::number(x, 'g', 2);
  if (a >= 100 && a < 10000) return QString::number(x, 'f', 0);
  int exponent = static_cast<int>(std::floor(std::log10(a)));
  double mantissa = x / std::pow(10.0, exponent);
  if (std::abs(std::round(mantissa * 10) / 10) >= 10) mantissa /= 10, ++exponent;  // 9.96 -> 1.0e+1
  return QStringLiteral("%1e%2").arg(mantissa, 0, 'f', 1).arg(exponent);
}

// A count in at most 4 characters: "37", "4.2k", "12k", "1.3M".
QString compactCount(std::uint64_t n) {
  if (n < 1000) return QString::number(n);
  if (n < 10000) return QString::number(n / 1e3, 'f', 1) + QLatin1Char('k');
  if (n < 1000000) return QString::number(std::llround(n / 1e3)) + QLatin1Char('k');
  return QString::number(n / 1e6, 'f', 1) + QLatin1Char('M');
}

QString percent(double fraction) {
  const double pct = 100.0 * fraction;
  if (pct >= 1.0 || pct == 0.0) return QString::number(std::lround(pct)) + QLatin1Char('%');
  return QString::number(pct, 'g', 1) + QLatin1Char('%');
}

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

const QColor kZeroColor(110, 110, 110);
const QColor kFrameColor(190, 190, 190);

}  // namespace

// The painted small multiples and the heatmap.
class HistogramStrip : public QWidget {
 public:
  explicit HistogramStrip(LayerHistogramsPlot* owner) : QWidget(owner), owner_(owner) {
    setMouseTracking(true);
    setMinimumSize(240, 150);
  }
  struct Overlay {
    QString label;
    QColor color;
    std::vector<PinnedHistogram> histograms;
  };

  void setData(std::vector<Panel> panels, QString valueName, std::vector<Overlay> overlays) {
    panels_ = std::move(panels);
    valueName_ = std::move(valueName);
    overlays_ = std::move(overlays);
    computeAxis();
    update();
  }
  void setSelected(int layer) {
    selected_ = layer;
    update();
  }
  void setView(LayerHistogramsPlot::View view) {
    view_ = view;
    update();
  }
  void setLog(bool log) {
    log_ = log;
    update();
  }
  void setDetail(std::vector<int> layers) {
    detail_ = std::move(layers);
    update();
  }
  const std::vector<int>& detail() const { return detail_; }
  bool heatmapWanted() const {
    return view_ == LayerHistogramsPlot::View::Heatmap ||
           (view_ == LayerHistogramsPlot::View::Auto &&
            panels_.size() > size_t(LayerHistogramsPlot::kMaxPanels));
  }
  // The layers with full panels under the heatmap: the user's pick, else first, a third, two
  // thirds and last.
  std::vector<int> detailIndices() const {
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

  const std::vector<Panel>& panels() const { return panels_; }
  const std::vector<Label>& headers() const { return headers_; }
  const std::vector<Label>& texts() const { return texts_; }
  const std::vector<PaintedPanel>& painted() const { return painted_; }
  const std::vector<PaintedRow>& rows() const { return rows_; }
  bool heatmapShown() const { return heatmapShown_; }
  double dataLo() const { return dataLo_; }
  double dataHi() const { return dataHi_; }

  void paintTo(QPainter& p, const QSize& size) {
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

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    paintTo(p, size());
  }
  void mouseMoveEvent(QMouseEvent* e) override {
    const QPointF pos = e->position();
    const int i = hit(pos);
    if (i < 0) {
      QToolTip::hideText();
      return;
    }
    QToolTip::showText(e->globalPosition().toPoint(), tooltip(i, pos), this);
  }
  void mousePressEvent(QMouseEvent* e) override {
    const int i = hit(e->position());
    if (i >= 0) emit owner_->layerClicked(panels_[i].layer);
  }
  void mouseDoubleClickEvent(QMouseEvent* e) override {
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

 private:
  // Per panel, the mass beside the body: exact zeros, and below / above the axis (the grid's
  // underflow / overflow plus the bins whose centre lies off the axis).
  struct Beside {
    std::uint64_t zeros = 0, under = 0, over = 0, total = 0;
    size_t firstBin = 0, endBin = 0;  // bins [firstBin, endBin) are on the axis
    std::uint32_t peak = 0;           // tallest bin on the axis
  };

  // The 0.5% .. 99.5% range of a pinned histogram's bins (its bin edges), or (1, 0) if empty.
  static std::pair<double, double> pinnedRange(const PinnedHistogram& h) {
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

  void computeAxis() {
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

  // The 1% .. 99% quantiles of a panel's non-zero values, read off its bins (the lower edge of
  // the bin where the cumulative count passes 1%, the upper edge where it passes 99%), or its
  // robust range where that much lies off the grid. The shared axis is the union of these: a
  // layer's body then spans most of its panel unless the layers' scales really differ, and at
  // most 1% of a layer's values on each side go to the overflow bars.
  static std::pair<double, double> displayRange(const Panel& p) {
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

  // Height fraction of a count against its panel's tallest bin: linear or log10(1 + count). May
  // exceed 1 for the zero and overflow bars (then drawn cut, with a break mark).
  double scaled(std::uint64_t count, std::uint32_t peak) const {
    if (count == 0 || peak == 0) return 0.0;
    if (log_) return std::log1p(double(count)) / std::log1p(double(peak));
    return double(count) / double(peak);
  }

  // The columns of a plot rectangle: [zero][under][body][over], the side slots only when some
  // layer needs them, so every panel's body spans the same x.
  struct Columns {
    QRectF zero, under, body, over;
  };
  Columns columns(const QRectF& plot, double slot) const {
    Columns c;
    double left = plot.left() + 1, right = plot.right() - 1;
    if (hasZero_) c.zero = QRectF(left, plot.top(), slot, plot.height()), left += slot + 2;
    if (hasUnder_) c.under = QRectF(left, plot.top(), slot, plot.height()), left += slot + 1;
    if (hasOver_) c.over = QRectF(right - slot, plot.top(), slot, plot.height()), right -= slot + 1;
    c.body = QRectF(left, plot.top(), std::max(1.0, right - left), plot.height());
    return c;
  }

  double toX(const QRectF& body, double v) const {
    return body.left() + body.width() * (v - lo_) / (hi_ - lo_);
  }

  // Adjacent grid bins drawn as one bar so that every bar is at least `minPx` wide: groups of g
  // bins by grid index (floor((first + b) / g)), so a group is a union of whole run-grid bins and
  // its edges are grid edges.
  struct Group {
    size_t b0 = 0, b1 = 0;  // bins [b0, b1) of counts
    double x0 = 0, x1 = 0;
    std::uint64_t count = 0;
  };
  std::vector<Group> groups(const Panel& panel, const Beside& b, const QRectF& body,
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

  static QString layerText(const Panel& panel, bool longForm) {
    return longForm ? QObject::tr("layer %1").arg(panel.layer)
                    : QStringLiteral("L%1").arg(panel.layer);
  }
  static QString sigmaText(const Panel& panel, bool longForm) {
    const QString v = compactNumber(panel.std);
    return longForm ? QStringLiteral("σ %1").arg(v) : v;
  }
  // The third header line: the share of exact zeros when some layer has them (ReLU), else the
  // saturated share (tanh, sigmoid post-activation); long, short and bare forms.
  QString thirdText(size_t i, int form) const {
    const Beside& b = beside_[i];
    if (hasZero_) {
      if (b.zeros == 0 || b.total == 0) return {};
      const QString pct = percent(double(b.zeros) / double(b.total));
      if (form == 0) return QObject::tr("%1 exactly 0").arg(pct);
      if (form == 1) return QObject::tr("%1 =0").arg(pct);
      return pct;
    }
    if (!hasSaturation_ || panels_[i].saturated <= 0) return {};
    const QString pct = percent(panels_[i].saturated);
    if (form == 0) return QObject::tr("%1 saturated").arg(pct);
    if (form == 1) return QObject::tr("%1 sat.").arg(pct);
    return pct;
  }

  // Records a text and draws it when it fits its room; a text that does not fit is not drawn
  // (the tooltip has it) rather than cut.
  void drawLabel(QPainter& p, const QFontMetrics& m, const QRectF& box, int align,
                 const QString& label, bool header = false) {
    if (label.isEmpty()) return;
    const double w = m.horizontalAdvance(label);
    if (w > box.width() + 0.5) return;
    double x = box.left();
    if (align & Qt::AlignHCenter) x = box.center().x() - w / 2;
    else if (align & Qt::AlignRight) x = box.right() - w;
    const QRectF tight(x, box.top(), w, m.height());
    p.drawText(tight, Qt::AlignLeft | Qt::AlignTop, label);
    texts_.push_back({label, tight});
    if (header) headers_.push_back({label, tight});
  }

  // Full panels for panels_[indices] in `area`: as many per row as their headers allow (one row
  // when they fit: layers side by side compare best).
  void paintPanels(QPainter& p, const QFontMetrics& m, const QRectF& area,
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

  // One row per layer (layer 1 at the top), x the shared axis, colour the density relative to
  // the row's tallest bin; the zero and overflow columns beside it on the same scale.
  void paintHeatmap(QPainter& p, const QFontMetrics& m, const QRectF& area) {
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

  // The legend's entries: the live bars, then each pinned outline (dashed, as its curves are).
  struct LegendEntry {
    QColor color;
    QString label;
    bool bar;
  };
  std::vector<LegendEntry> legendEntries() const {
    const int n = static_cast<int>(panels_.size());
    std::vector<LegendEntry> entries{{layerColor(n / 2, n), QObject::tr("current run (bars)"), true}};
    for (const Overlay& o : overlays_) entries.push_back({o.color, o.label, false});
    return entries;
  }
  static constexpr double kSwatch = 18, kGap = 14;
  // Lays the entries out left to right, wrapping before an entry that would pass the right
  // edge; calls place(entry, x, row) for each and returns the number of rows.
  template <typename Place>
  int layoutLegend(const QFontMetrics& m, int width, Place place) const {
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
  int legendRows(const QFontMetrics& m, int width) const {
    return layoutLegend(m, width, [](const LegendEntry&, double, int) {});
  }

  void paintLegend(QPainter& p, const QFontMetrics& m, const QSize& size, int legendH) {
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

  int hit(const QPointF& pos) const {
    for (const PaintedPanel& pp : painted_)
      if (pp.plot.adjusted(-1, -1, 1, 1).contains(pos)) return indexOf(pp.layer);
    for (const PaintedRow& r : rows_)
      if (r.row.contains(pos)) return indexOf(r.layer);
    return -1;
  }
  int indexOf(int layer) const {
    for (size_t i = 0; i < panels_.size(); ++i)
      if (panels_[i].layer == layer) return static_cast<int>(i);
    return -1;
  }
  QString tooltip(int i, const QPointF& pos) const {
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

  LayerHistogramsPlot* owner_;
  std::vector<Panel> panels_;
  std::vector<Beside> beside_;
  std::vector<Overlay> overlays_;
  std::vector<Label> headers_, texts_;
  std::vector<PaintedPanel> painted_;
  std::vector<PaintedRow> rows_;
  std::vector<int> detail_;
  size_t countLabelsFrom_ = 0;
  QString valueName_;
  double lo_ = -1, hi_ = 1;          // the drawn axis: the data's range and a margin
  double dataLo_ = -1, dataHi_ = 1;  // the data's range (robust, or a bounded function's)
  bool hasZero_ = false, hasSaturation_ = false, hasUnder_ = false, hasOver_ = false;
  bool log_ = false, heatmapShown_ = false;
  LayerHistogramsPlot::View view_ = LayerHistogramsPlot::View::Auto;
  int selected_ = -1;
};

LayerHistogramsPlot::LayerHistogramsPlot(QWidget* parent)
    : PlotView(tr("Histograms per layer"), parent) {
  auto* content = new QWidget(this);
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(4, 2, 4, 2);
  layout->setSpacing(2);
  auto* header = new QHBoxLayout;
  auto* title = new QLabel(tr("<b>Histograms per layer</b>"), content);
  modeBox_ = new QComboBox(content);
  modeBox_->addItem(tr("post-activation"));
  modeBox_->addItem(tr("pre-activation"));
  modeBox_->addItem(tr("gradient dL/da"));
  modeBox_->addItem(tr("weights W"));
  modeBox_->addItem(tr("weight gradient dL/dW"));
  modeBox_->setToolTip(tr("Post-activation: the layer's output a = f(z).\n"
                          "Pre-activation: z = W x + b (after batch norm when on), the input of f.\n"
                          "Gradient: dL/da, what back-propagation sends into the layer.\n"
                          "Weights: the incoming W; weight gradient: dL/dW on the probe batch."));
  // View and log counts sit in one small menu button, so the header stays as narrow as it was
  // (the dashboard's columns must not widen).
  auto* viewButton = new QToolButton(content);
  viewButton->setText(tr("view"));
  viewButton->setPopupMode(QToolButton::InstantPopup);
  viewButton->setToolTip(tr("Panels: one histogram per layer.\nHeatmap: one row per layer, colour = "
                            "density; full panels below for the layers you pick.\nAuto: panels up "
                            "to %1 layers, the heatmap beyond.\nLog counts: bar heights (heatmap "
                            "colours) as log(1 + count), so thin tails show next to a tall peak.")
                             .arg(kMaxPanels));
  auto* menu = new QMenu(viewButton);
  auto* group = new QActionGroup(menu);
  const QString viewNames[] = {tr("auto: heatmap beyond %1 layers").arg(kMaxPanels),
                               tr("panels"), tr("heatmap")};
  for (int v = 0; v < 3; ++v) {
    viewActions_[v] = menu->addAction(viewNames[v]);
    viewActions_[v]->setCheckable(true);
    group->addAction(viewActions_[v]);
    connect(viewActions_[v], &QAction::triggered, this, [this, v] { setView(static_cast<View>(v)); });
  }
  viewActions_[0]->setChecked(true);
  menu->addSeparator();
  logAction_ = menu->addAction(tr("log counts"));
  logAction_->setCheckable(true);
  connect(logAction_, &QAction::toggled, this, [this](bool on) { setLogCounts(on); });
  viewButton->setMenu(menu);
  detailEdit_ = new QLineEdit(content);
  detailEdit_->setPlaceholderText(tr("panels: 1, 50, 100"));
  detailEdit_->setToolTip(tr("Layers drawn as full panels under the heatmap (up to %1), e.g. "
                             "\"1, 50, 100\". Double-click a heatmap row to add or remove it.")
                              .arg(kMaxPanels));
  detailEdit_->setMinimumWidth(40);
  detailEdit_->setMaximumWidth(130);
  // The mode box's minimum width is a few characters, whatever its longest item, and the title
  // may shrink to nothing.
  modeBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  modeBox_->setMinimumContentsLength(8);
  title->setMinimumWidth(0);
  title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  header->addWidget(title, 1);
  header->addWidget(detailEdit_);
  header->addWidget(viewButton);
  header->addWidget(modeBox_);
  layout->addLayout(header);
  strip_ = new HistogramStrip(this);
  layout->addWidget(strip_, 1);
  setContent(content);
  connect(modeBox_, &QComboBox::currentIndexChanged, this,
          [this](int index) { setMode(static_cast<Mode>(index)); });
  connect(detailEdit_, &QLineEdit::editingFinished, this, [this] {
    std::vector<int> layers;
    const QStringList parts =
        detailEdit_->text().split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString& part : parts) {
      bool ok = false;
      const int layer = part.toInt(&ok);
      if (ok) layers.push_back(layer);
    }
    setDetailLayers(layers);
  });
}

void LayerHistogramsPlot::setMode(Mode mode) {
  mode_ = mode;
  if (modeBox_->currentIndex() != static_cast<int>(mode))
    modeBox_->setCurrentIndex(static_cast<int>(mode));
  rebuild();
}

void LayerHistogramsPlot::setView(View view) {
  view_ = view;
  if (!viewActions_[static_cast<int>(view)]->isChecked())
    viewActions_[static_cast<int>(view)]->setChecked(true);
  strip_->setView(view);
  rebuild();
}

void LayerHistogramsPlot::setLogCounts(bool log) {
  if (logAction_->isChecked() != log) logAction_->setChecked(log);
  strip_->setLog(log);
  countRedraw();
}

bool LayerHistogramsPlot::logCounts() const { return logAction_->isChecked(); }

void LayerHistogramsPlot::setDetailLayers(const std::vector<int>& layers) {
  std::vector<int> sorted = layers;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.size() > size_t(kMaxPanels)) sorted.resize(kMaxPanels);
  strip_->setDetail(sorted);
  QStringList text;
  for (int l : sorted) text << QString::number(l);
  if (detailEdit_->text() != text.join(QStringLiteral(", ")))
    detailEdit_->setText(text.join(QStringLiteral(", ")));
  countRedraw();
}

std::vector<int> LayerHistogramsPlot::detailLayers() const {
  std::vector<int> out;
  for (int i : strip_->detailIndices()) out.push_back(strip_->panels()[i].layer);
  return out;
}

const std::vector<LayerHistogramsPlot::HeaderLabel>& LayerHistogramsPlot::headerLabels() const {
  return strip_->headers();
}
const std::vector<LayerHistogramsPlot::HeaderLabel>& LayerHistogramsPlot::texts() const {
  return strip_->texts();
}
const std::vector<LayerHistogramsPlot::PaintedPanel>& LayerHistogramsPlot::paintedPanels() const {
  return strip_->painted();
}
const std::vector<LayerHistogramsPlot::PaintedRow>& LayerHistogramsPlot::heatmapRows() const {
  return strip_->rows();
}
bool LayerHistogramsPlot::heatmapShown() const { return strip_->heatmapShown(); }

const std::vector<LayerHistogramsPlot::Panel>& LayerHistogramsPlot::panels() const {
  return strip_->panels();
}
double LayerHistogramsPlot::axisLo() const { return strip_->dataLo(); }
double LayerHistogramsPlot::axisHi() const { return strip_->dataHi(); }

void LayerHistogramsPlot::clear() {
  post_.clear();
  pre_.clear();
  gradient_.clear();
  weight_.clear();
  weightGradient_.clear();
  rebuild();
  setNote({});
}

void LayerHistogramsPlot::refresh(const PlotInputs& in) {
  if (!in.snapshotChanged || !in.snapshot) return;
  post_.clear();
  pre_.clear();
  gradient_.clear();
  weight_.clear();
  weightGradient_.clear();
  std::uint64_t nonFinite = 0;
  for (const LayerStats& l : in.snapshot->layers) {
    if (l.kind != "hidden") continue;
    auto make = [&](const Histogram& h, double std) {
      Panel p;
      p.layer = l.layer;
      p.lo = h.lo;
      p.hi = h.hi;
      p.first = h.first;
      p.counts = h.counts;
      p.nonFinite = h.nonFinite;
      p.underflow = h.underflow;
      p.overflow = h.overflow;
      p.zeros = h.zeros;
      p.robustLo = h.robustLo;
      p.robustHi = h.robustHi;
      p.fixedRange = h.fixedRange;
      p.std = std;
      return p;
    };
    post_.push_back(make(l.activationHistogram, l.activation.std));
    post_.back().saturated = l.saturatedFraction;
    pre_.push_back(make(l.preActivationHistogram, l.preActivation.std));
    gradient_.push_back(make(l.gradientHistogram, l.gradientStd));
    weight_.push_back(make(l.weightHistogram, l.weightStd));
    weightGradient_.push_back(make(l.weightGradientHistogram, l.weightGradientStd));
    nonFinite += l.activationHistogram.nonFinite;
  }
  setNote(nonFinite ? tr("Not drawn: %1 non-finite activations").arg(nonFinite) : QString());
  rebuild();
}

void LayerHistogramsPlot::rebuild() {
  std::vector<HistogramStrip::Overlay> overlays;
  const bool pinnable =
      mode_ == Mode::PostActivation || mode_ == Mode::PreActivation || mode_ == Mode::Gradient;
  if (pinnable)
    for (const PinnedRun& run : pinned_)
      overlays.push_back({run.label, run.color,
                          mode_ == Mode::PostActivation ? run.postActivation
                          : mode_ == Mode::PreActivation ? run.preActivation
                                                         : run.gradient});
  switch (mode_) {
    case Mode::PostActivation: strip_->setData(post_, tr("post-activation"), std::move(overlays)); break;
    case Mode::PreActivation: strip_->setData(pre_, tr("pre-activation"), std::move(overlays)); break;
    case Mode::Gradient: strip_->setData(gradient_, tr("gradient"), std::move(overlays)); break;
    case Mode::Weight: strip_->setData(weight_, tr("weights"), std::move(overlays)); break;
    case Mode::WeightGradient:
      strip_->setData(weightGradient_, tr("weight gradient"), std::move(overlays));
      break;
  }
  detailEdit_->setVisible(strip_->heatmapWanted());
  countRedraw();
}

void LayerHistogramsPlot::setPinned(const QVector<PinnedRun>& pinned) {
  pinned_ = pinned;
  rebuild();
}

void LayerHistogramsPlot::setSelectedLayer(int layer) { strip_->setSelected(layer); }

void LayerHistogramsPlot::renderTo(QPainter& painter, const QRectF& target) {
  painter.save();
  painter.translate(target.topLeft());
  const QSize size = strip_->size();
  painter.scale(target.width() / size.width(), target.height() / size.height());
  strip_->paintTo(painter, size);
  painter.restore();
}

}  // namespace layerscope
