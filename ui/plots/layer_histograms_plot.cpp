#include "plots/layer_histograms_plot.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "plots/chart_plot.h"
#include "training/stats.h"
#include "run/training_types.h"

namespace layerscope {

// The painted small multiples.
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
  void setData(std::vector<LayerHistogramsPlot::Panel> panels, QString valueName,
               std::vector<Overlay> overlays) {
    panels_ = std::move(panels);
    valueName_ = std::move(valueName);
    overlays_ = std::move(overlays);
    lo_ = INFINITY;
    hi_ = -INFINITY;
    for (const auto& p : panels_)
      if (std::isfinite(p.lo) && std::isfinite(p.hi) && p.hi > p.lo) {
        lo_ = std::min(lo_, p.lo);
        hi_ = std::max(hi_, p.hi);
      }
    for (const Overlay& o : overlays_)
      for (const PinnedHistogram& h : o.histograms)
        if (std::isfinite(h.lo) && std::isfinite(h.hi) && h.hi > h.lo) {
          lo_ = std::min(lo_, h.lo);
          hi_ = std::max(hi_, h.hi);
        }
    if (!(lo_ < hi_)) lo_ = -1, hi_ = 1;
    update();
  }
  void setSelected(int layer) {
    selected_ = layer;
    update();
  }
  const std::vector<LayerHistogramsPlot::Panel>& panels() const { return panels_; }
  const std::vector<LayerHistogramsPlot::HeaderLabel>& headers() const { return headers_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }

  void paintTo(QPainter& p, const QSize& size) {
    p.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    p.setRenderHint(QPainter::Antialiasing, false);
    const int n = static_cast<int>(panels_.size());
    if (n == 0) {
      p.setPen(Qt::gray);
      p.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, QObject::tr("No statistics yet"));
      return;
    }
    const int perRow = std::min(n, 10);
    const int rows = (n + perRow - 1) / perRow;
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    p.setFont(small);
    const int text = QFontMetrics(small).height();
    const int legendH = overlays_.empty() ? 0 : text + 4;
    const double cellW = double(size.width() - 8) / perRow;
    const double cellH = double(size.height() - 4 - legendH) / rows;
    rects_.assign(n, QRectF());
    headers_.clear();
    const QFontMetrics metrics(small);
    const QString loText = formatNumber(lo_), hiText = formatNumber(hi_);
    const double plotW = cellW - 6;
    const bool axisFits =
        metrics.horizontalAdvance(loText) + metrics.horizontalAdvance(hiText) + 4 <= plotW;
    const int room = headerRoom(cellW);
    bool longLayer = true, longSigma = true;
    for (const auto& panel : panels_) {
      longLayer = longLayer && metrics.horizontalAdvance(layerText(panel)) <= room;
      longSigma = longSigma &&
                  metrics.horizontalAdvance(QStringLiteral("σ %1").arg(sigmaText(panel))) <= room;
    }
    for (int i = 0; i < n; ++i) {
      const auto& panel = panels_[i];
      const QRectF cell(4 + (i % perRow) * cellW, 2 + (i / perRow) * cellH, cellW, cellH);
      // header: "layer k" and the std; footer: the shared axis' end labels
      const QRectF plot = cell.adjusted(3, 2 * text + 2, -3, -text - 3);
      rects_[i] = plot;
      const QColor color = layerColor(i, n);
      // Headers shrink with the cell ("layer 3" -> "L3", "σ 0.21" -> "0.21", then elided) so
      // neighbouring labels never overlap; the tooltip has the full text.
      // One form for the whole strip, so the panels read alike.
      const QString sigma = sigmaText(panel);
      p.setPen(Qt::black);
      drawHeader(p, metrics, cell, cell.top(),
                 longLayer ? layerText(panel) : QStringLiteral("L%1").arg(panel.layer));
      p.setPen(QColor(80, 80, 80));
      drawHeader(p, metrics, cell, cell.top() + text,
                 longSigma ? QStringLiteral("σ %1").arg(sigma) : sigma);
      p.fillRect(plot, QColor(247, 247, 247));
      std::uint64_t total = 0;
      std::uint32_t peak = 0;
      for (auto c : panel.counts) {
        total += c;
        peak = std::max(peak, c);
      }
      if (peak > 0 && panel.hi > panel.lo) {
        const double binW = (panel.hi - panel.lo) / panel.counts.size();
        for (size_t b = 0; b < panel.counts.size(); ++b) {
          if (!panel.counts[b]) continue;
          const double x0 = toX(plot, panel.lo + b * binW), x1 = toX(plot, panel.lo + (b + 1) * binW);
          const double h = plot.height() * panel.counts[b] / peak;
          // at least one pixel wide, so a collapsed layer's single narrow bin stays visible
          p.fillRect(QRectF(x0, plot.bottom() - h, std::max(1.0, x1 - x0), h), color);
        }
      }
      // pinned runs: the outline of each histogram, scaled to its own tallest bin like the bars
      p.setRenderHint(QPainter::Antialiasing, true);
      for (const Overlay& o : overlays_) {
        const auto h = std::find_if(o.histograms.begin(), o.histograms.end(),
                                    [&](const PinnedHistogram& x) { return x.layer == panel.layer; });
        if (h == o.histograms.end() || h->counts.empty() || !(h->hi > h->lo)) continue;
        const std::uint32_t top = *std::max_element(h->counts.begin(), h->counts.end());
        if (top == 0) continue;
        const double binW = (h->hi - h->lo) / h->counts.size();
        QPolygonF outline;
        outline << QPointF(toX(plot, h->lo), plot.bottom());
        for (size_t b = 0; b < h->counts.size(); ++b) {
          const double y = plot.bottom() - plot.height() * h->counts[b] / top;
          const double x0 = toX(plot, h->lo + b * binW);
          const double x1 = std::max(x0 + 1.0, toX(plot, h->lo + (b + 1) * binW));
          outline << QPointF(x0, y) << QPointF(x1, y);
        }
        outline << QPointF(outline.back().x(), plot.bottom());
        p.setPen(QPen(o.color, 1.5));
        p.drawPolyline(outline);
      }
      p.setRenderHint(QPainter::Antialiasing, false);
      // zero line and frame
      if (lo_ < 0 && hi_ > 0) {
        p.setPen(QPen(QColor(150, 150, 150), 0, Qt::DotLine));
        const double z = toX(plot, 0);
        p.drawLine(QPointF(z, plot.top()), QPointF(z, plot.bottom()));
      }
      const bool selected = panel.layer == selected_;
      p.setPen(QPen(selected ? QColor(255, 140, 0) : QColor(190, 190, 190), selected ? 3 : 1));
      p.drawRect(plot);
      if (panel.nonFinite) {
        p.setPen(QColor(176, 0, 32));
        // Wrapped: a narrow panel (ten layers side by side) shows "5293" over "NaN/Inf" instead
        // of clipping both.
        p.drawText(plot.adjusted(1, 1, -1, 0), Qt::AlignTop | Qt::AlignHCenter | Qt::TextWordWrap,
                   QObject::tr("%1 NaN/Inf").arg(panel.nonFinite));
      }
      p.setPen(QColor(80, 80, 80));
      const QRectF axis(plot.left(), plot.bottom() + 1, plot.width(), text);
      if (axisFits) {
        p.drawText(axis, Qt::AlignLeft, loText);
        p.drawText(axis, Qt::AlignRight, hiText);
      } else if (i % perRow == 0) {
        // too narrow for both end labels under each panel: one line for the whole row
        const QRectF rowAxis(4, axis.top(), size.width() - 8, text);
        const QString label = QObject::tr("each panel: %1 to %2").arg(loText, hiText);
        p.drawText(rowAxis, Qt::AlignHCenter,
                   metrics.elidedText(label, Qt::ElideRight, static_cast<int>(rowAxis.width())));
      }
    }
    if (!overlays_.empty()) {
      // legend row: the live bars, then each pinned outline
      double x = 6;
      const double y = size.height() - legendH + 2;
      auto entry = [&](const QColor& color, const QString& label, bool bar) {
        if (bar)
          p.fillRect(QRectF(x, y + 2, 14, text - 4), color);
        else
          p.fillRect(QRectF(x, y + text / 2 - 1, 14, 2.5), color);
        p.setPen(Qt::black);
        const double w = QFontMetrics(p.font()).horizontalAdvance(label);
        p.drawText(QRectF(x + 18, y, w + 2, text), Qt::AlignLeft | Qt::AlignVCenter, label);
        x += 18 + w + 14;
      };
      entry(layerColor(n / 2, n), QObject::tr("current run (bars)"), true);
      for (const Overlay& o : overlays_) entry(o.color, o.label, false);
    }
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    paintTo(p, size());
  }
  void mouseMoveEvent(QMouseEvent* e) override {
    const QPointF pos = e->position();
    for (size_t i = 0; i < rects_.size() && i < panels_.size(); ++i) {
      if (!rects_[i].contains(pos)) continue;
      const auto& panel = panels_[i];
      const double v = lo_ + (hi_ - lo_) * (pos.x() - rects_[i].left()) / rects_[i].width();
      QString text = QObject::tr("layer %1 %2: std %3").arg(panel.layer).arg(valueName_)
                         .arg(formatNumber(panel.std));
      if (panel.hi > panel.lo && !panel.counts.empty() && v >= panel.lo && v <= panel.hi) {
        const int bins = static_cast<int>(panel.counts.size());
        const int b = std::clamp(static_cast<int>((v - panel.lo) / (panel.hi - panel.lo) * bins), 0, bins - 1);
        std::uint64_t total = 0;
        for (auto c : panel.counts) total += c;
        const double w = (panel.hi - panel.lo) / bins;
        text += QObject::tr("\n[%1, %2): %3% of values")
                    .arg(formatNumber(panel.lo + b * w)).arg(formatNumber(panel.lo + (b + 1) * w))
                    .arg(total ? 100.0 * panel.counts[b] / total : 0.0, 0, 'f', 1);
      }
      if (panel.saturated > 0)
        text += QObject::tr("\nsaturated: %1%").arg(100 * panel.saturated, 0, 'f', 1);
      QToolTip::showText(e->globalPosition().toPoint(), text, this);
      return;
    }
    QToolTip::hideText();
  }
  void mousePressEvent(QMouseEvent* e) override {
    for (size_t i = 0; i < rects_.size() && i < panels_.size(); ++i)
      if (rects_[i].contains(e->position())) emit owner_->layerClicked(panels_[i].layer);
  }

 private:
  static QString layerText(const LayerHistogramsPlot::Panel& panel) {
    return QObject::tr("layer %1").arg(panel.layer);
  }
  static QString sigmaText(const LayerHistogramsPlot::Panel& panel) {
    return QString::number(panel.std, 'g', 2);
  }
  static int headerRoom(double cellWidth) {
    return std::max(0, static_cast<int>(std::floor(cellWidth)) - 4);
  }
  // Draws `label` centred in the cell, elided when even the short form does not fit.
  void drawHeader(QPainter& p, const QFontMetrics& metrics, const QRectF& cell, double top,
                  QString label) {
    const int room = headerRoom(cell.width());
    if (metrics.horizontalAdvance(label) > room)
      label = metrics.elidedText(label, Qt::ElideRight, room);
    const double w = metrics.horizontalAdvance(label);
    const QRectF box(cell.center().x() - w / 2, top, w, metrics.height());
    if (!label.isEmpty()) p.drawText(box, Qt::AlignHCenter, label);
    headers_.push_back({label, box});
  }
  double toX(const QRectF& r, double v) const { return r.left() + r.width() * (v - lo_) / (hi_ - lo_); }
  LayerHistogramsPlot* owner_;
  std::vector<LayerHistogramsPlot::Panel> panels_;
  std::vector<Overlay> overlays_;
  std::vector<QRectF> rects_;
  std::vector<LayerHistogramsPlot::HeaderLabel> headers_;
  QString valueName_;
  double lo_ = -1, hi_ = 1;
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
  modeBox_->setToolTip(tr("Post-activation: the layer's output a = f(z).\n"
                          "Pre-activation: z = W x + b (after batch norm when on), the input of f.\n"
                          "Gradient: dL/da, what back-propagation sends into the layer."));
  header->addWidget(title);
  header->addStretch(1);
  header->addWidget(modeBox_);
  layout->addLayout(header);
  strip_ = new HistogramStrip(this);
  layout->addWidget(strip_, 1);
  setContent(content);
  connect(modeBox_, &QComboBox::currentIndexChanged, this,
          [this](int index) { setMode(static_cast<Mode>(index)); });
}

void LayerHistogramsPlot::setMode(Mode mode) {
  mode_ = mode;
  if (modeBox_->currentIndex() != static_cast<int>(mode))
    modeBox_->setCurrentIndex(static_cast<int>(mode));
  rebuild();
}

const std::vector<LayerHistogramsPlot::HeaderLabel>& LayerHistogramsPlot::headerLabels() const {
  return strip_->headers();
}

const std::vector<LayerHistogramsPlot::Panel>& LayerHistogramsPlot::panels() const {
  return strip_->panels();
}
double LayerHistogramsPlot::axisLo() const { return strip_->lo(); }
double LayerHistogramsPlot::axisHi() const { return strip_->hi(); }

void LayerHistogramsPlot::clear() {
  post_.clear();
  pre_.clear();
  gradient_.clear();
  rebuild();
  setNote({});
}

void LayerHistogramsPlot::refresh(const PlotInputs& in) {
  if (!in.snapshotChanged || !in.snapshot) return;
  post_.clear();
  pre_.clear();
  gradient_.clear();
  std::uint64_t nonFinite = 0;
  for (const LayerStats& l : in.snapshot->layers) {
    if (l.kind != "hidden") continue;
    auto make = [&](const Histogram& h, double std) {
      Panel p;
      p.layer = l.layer;
      p.lo = h.lo;
      p.hi = h.hi;
      p.counts = h.counts;
      p.nonFinite = h.nonFinite;
      p.std = std;
      return p;
    };
    post_.push_back(make(l.activationHistogram, l.activation.std));
    post_.back().saturated = l.saturatedFraction;
    pre_.push_back(make(l.preActivationHistogram, l.preActivation.std));
    gradient_.push_back(make(l.gradientHistogram, l.gradientStd));
    nonFinite += l.activationHistogram.nonFinite;
  }
  setNote(nonFinite ? tr("Not drawn: %1 non-finite activations").arg(nonFinite) : QString());
  rebuild();
}

void LayerHistogramsPlot::rebuild() {
  std::vector<HistogramStrip::Overlay> overlays;
  for (const PinnedRun& run : pinned_)
    overlays.push_back({run.label, run.color,
                        mode_ == Mode::PostActivation ? run.postActivation
                        : mode_ == Mode::PreActivation ? run.preActivation
                                                       : run.gradient});
  switch (mode_) {
    case Mode::PostActivation: strip_->setData(post_, tr("post-activation"), std::move(overlays)); break;
    case Mode::PreActivation: strip_->setData(pre_, tr("pre-activation"), std::move(overlays)); break;
    case Mode::Gradient: strip_->setData(gradient_, tr("gradient"), std::move(overlays)); break;
  }
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
