// HistogramStrip: the painted part of the histograms plot (plots/layer_histograms_plot.h),
// either one small panel per layer or, beyond a dozen layers, a heatmap with a row per layer and
// full panels for the layers picked. Its files, one job each: histogram_strip.cpp (the shared
// axis, bins grouped to bars, hover and clicks), histogram_strip_layout.cpp (where the panels,
// heatmap, key and legend go, and the legend), histogram_strip_panels.cpp (painting the panels),
// histogram_strip_heatmap.cpp (painting the heatmap), histogram_strip_labels.cpp (the panel
// headers' texts, drawn only when they fit).
#pragma once

#include <QColor>
#include <QFontMetrics>
#include <QPainter>
#include <QString>
#include <QWidget>
#include <cstdint>
#include <utility>
#include <vector>

#include "plots/layer_histograms_plot.h"
#include "plots/pinned_run.h"

class QMouseEvent;
class QPaintEvent;

namespace layerscope {

namespace histogram_strip {

// A number in at most 6 characters, so a panel header always has room for it: "0.21", "12",
// "340", "3.0e-7", "1.2e5". A 2-significant-digit mantissa is what the header needs to tell
// layers apart; the tooltip has the full value.
QString compactNumber(double x);
// A count in at most 4 characters: "37", "4.2k", "12k", "1.3M".
QString compactCount(std::uint64_t n);
// "62%", "0.4%".
QString percent(double fraction);

inline const QColor kZeroColor(110, 110, 110);   // the bar of exact zeros
inline const QColor kFrameColor(190, 190, 190);  // panel and heatmap frames

}  // namespace histogram_strip

class HistogramStrip : public QWidget {
 public:
  using Panel = LayerHistogramsPlot::Panel;
  using PaintedPanel = LayerHistogramsPlot::PaintedPanel;
  using PaintedRow = LayerHistogramsPlot::PaintedRow;
  using Label = LayerHistogramsPlot::HeaderLabel;

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
  std::vector<int> detailIndices() const;

  const std::vector<Panel>& panels() const { return panels_; }
  const std::vector<Label>& headers() const { return headers_; }
  const std::vector<Label>& texts() const { return texts_; }
  const std::vector<PaintedPanel>& painted() const { return painted_; }
  const std::vector<PaintedRow>& rows() const { return rows_; }
  bool heatmapShown() const { return heatmapShown_; }
  double dataLo() const { return dataLo_; }
  double dataHi() const { return dataHi_; }

  void paintTo(QPainter& p, const QSize& size);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseDoubleClickEvent(QMouseEvent* e) override;

 private:
  // Per panel, the mass beside the body: exact zeros, and below / above the axis (the grid's
  // underflow / overflow plus the bins whose centre lies off the axis).
  struct Beside {
    std::uint64_t zeros = 0, under = 0, over = 0, total = 0;
    size_t firstBin = 0, endBin = 0;  // bins [firstBin, endBin) are on the axis
    std::uint32_t peak = 0;           // tallest bin on the axis
  };

  // The 0.5% .. 99.5% range of a pinned histogram's bins (its bin edges), or (1, 0) if empty.
  static std::pair<double, double> pinnedRange(const PinnedHistogram& h);

  void computeAxis();

  // The 1% .. 99% quantiles of a panel's non-zero values, read off its bins (the lower edge of
  // the bin where the cumulative count passes 1%, the upper edge where it passes 99%), or its
  // robust range where that much lies off the grid. The shared axis is the union of these: a
  // layer's body then spans most of its panel unless the layers' scales really differ, and at
  // most 1% of a layer's values on each side go to the overflow bars.
  static std::pair<double, double> displayRange(const Panel& p);

  // Height fraction of a count against its panel's tallest bin: linear or log10(1 + count). May
  // exceed 1 for the zero and overflow bars (then drawn cut, with a break mark).
  double scaled(std::uint64_t count, std::uint32_t peak) const;

  // The columns of a plot rectangle: [zero][under][body][over], the side slots only when some
  // layer needs them, so every panel's body spans the same x.
  struct Columns {
    QRectF zero, under, body, over;
  };
  Columns columns(const QRectF& plot, double slot) const;

  double toX(const QRectF& body, double v) const;

  // Adjacent grid bins drawn as one bar so that every bar is at least `minPx` wide: groups of g
  // bins by grid index (floor((first + b) / g)), so a group is a union of whole run-grid bins and
  // its edges are grid edges.
  struct Group {
    size_t b0 = 0, b1 = 0;  // bins [b0, b1) of counts
    double x0 = 0, x1 = 0;
    std::uint64_t count = 0;
  };
  std::vector<Group> groups(const Panel& panel, const Beside& b, const QRectF& body,
                            double minPx) const;

  static QString layerText(const Panel& panel, bool longForm);
  static QString sigmaText(const Panel& panel, bool longForm);
  // The third header line: the share of exact zeros when some layer has them (ReLU), else the
  // saturated share (tanh, sigmoid post-activation); long, short and bare forms.
  QString thirdText(size_t i, int form) const;

  // Records a text and draws it when it fits its room; a text that does not fit is not drawn
  // (the tooltip has it) rather than cut.
  void drawLabel(QPainter& p, const QFontMetrics& m, const QRectF& box, int align,
                 const QString& label, bool header = false);

  // Full panels for panels_[indices] in `area`: as many per row as their headers allow (one row
  // when they fit: layers side by side compare best).
  void paintPanels(QPainter& p, const QFontMetrics& m, const QRectF& area,
                   const std::vector<int>& indices);

  // One row per layer (layer 1 at the top), x the shared axis, colour the density relative to
  // the row's tallest bin; the zero and overflow columns beside it on the same scale.
  void paintHeatmap(QPainter& p, const QFontMetrics& m, const QRectF& area);

  // The legend's entries: the live bars, then each pinned outline (dashed, as its curves are).
  struct LegendEntry {
    QColor color;
    QString label;
    bool bar;
  };
  std::vector<LegendEntry> legendEntries() const;
  static constexpr double kSwatch = 18, kGap = 14;
  // Lays the entries out left to right, wrapping before an entry that would pass the right
  // edge; calls place(entry, x, row) for each and returns the number of rows.
  template <typename Place>
  int layoutLegend(const QFontMetrics& m, int width, Place place) const;
  int legendRows(const QFontMetrics& m, int width) const;

  void paintLegend(QPainter& p, const QFontMetrics& m, const QSize& size, int legendH);

  int hit(const QPointF& pos) const;
  int indexOf(int layer) const;
  QString tooltip(int i, const QPointF& pos) const;

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

}  // namespace layerscope
