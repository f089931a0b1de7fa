// The article's second figure: the distribution of one quantity (post-activation, pre-activation,
// dL/da, the weights W or their gradient dL/dW) in every hidden layer. Drawn with QPainter (small
// multiples are cheaper and clearer as one widget than as a dozen charts).
//
// Two views. Up to a dozen layers: one panel per layer, side by side on one shared value axis,
// bar heights relative to each layer's tallest bin (linear or log counts), so a layer whose
// values collapse to 0 shows as a spike in the middle of its panel and tanh saturation as two
// tall bars at -1 and +1. Beyond that (or when asked): a heatmap, one row per layer, x = value,
// colour = density relative to the row's tallest bin, above full panels of the layers the user
// picks.
//
// What makes the bars honest (training/stats.h, binOnGrid): the x-range of an unbounded quantity
// is the union of the layers' robust ranges (0.5% .. 99.5% quantiles), not their extremes; the
// mass outside it is drawn as hatched overflow bars at the ends, with their counts; values
// exactly 0 (ReLU's dead outputs) are their own grey bar, labelled with their fraction; every
// bar lies inside its plot rectangle, never on its frame. Pinned runs (Compare) are outlined
// over the bars in their colours, with a legend row.
#pragma once

#include <QPointer>
#include <QRectF>
#include <QString>
#include <QVector>
#include <vector>

#include "plots/pinned_run.h"
#include "plots/plot_view.h"

class QAction;
class QComboBox;
class QLineEdit;

namespace layerscope {

class HistogramStrip;

class LayerHistogramsPlot : public PlotView {
  Q_OBJECT
 public:
  enum class Mode { PostActivation, PreActivation, Gradient, Weight, WeightGradient };
  enum class View { Auto, Panels, Heatmap };  // Auto: heatmap beyond kMaxPanels layers
  static constexpr int kMaxPanels = 12;

  struct Panel {
    int layer = 0;
    double lo = 0, hi = 0;            // this layer's histogram grid range
    long first = 0;                   // grid index of counts[0] (training/stats.h, Histogram)
    std::vector<std::uint32_t> counts;
    std::uint64_t nonFinite = 0;
    std::uint64_t underflow = 0, overflow = 0, zeros = 0;  // off the grid (training/stats.h)
    double robustLo = 0, robustHi = 0;  // 0.5% and 99.5% quantiles (NaN: unknown)
    bool fixedRange = false;          // a bounded function's range: the axis shows all of it
    double std = 0;                   // of the plotted quantity
    double saturated = 0;             // post-activation only: saturated fraction
  };

  // A text as last painted and the box it occupies (tests check that no two overlap).
  struct HeaderLabel {
    QString text;
    QRectF box;
  };

  // Painted geometry of one full panel, for tests and hit testing.
  struct PaintedPanel {
    int layer = 0;
    QRectF plot;                // the plot rectangle; its frame is drawn just outside it
    QRectF body;                // where the bins are; zero and overflow bars sit beside it
    std::vector<QRectF> bars;   // per bin of counts (empty: not drawn, count 0 or off the axis)
    QRectF zeroBar, underBar, overBar;  // empty when there is nothing to show
    std::uint64_t zeroCount = 0, underCount = 0, overCount = 0;  // what those bars stand for
  };
  // One heatmap row.
  struct PaintedRow {
    int layer = 0;
    QRectF row;
  };

  explicit LayerHistogramsPlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs& inputs) override;
  void setSelectedLayer(int layer) override;
  void clear() override;
  void renderTo(QPainter& painter, const QRectF& target) override;

  // Pinned runs draw their histograms as outlines, in their colours, over the live bars.
  void setPinned(const QVector<PinnedRun>& pinned);
  int pinnedCount() const { return pinned_.size(); }

  void setMode(Mode mode);
  Mode mode() const { return mode_; }
  void setView(View view);
  View view() const { return view_; }
  void setLogCounts(bool log);
  bool logCounts() const;
  // The layers drawn as full panels under the heatmap; empty: first, a third, two thirds, last.
  void setDetailLayers(const std::vector<int>& layers);
  std::vector<int> detailLayers() const;

  const std::vector<Panel>& panels() const;              // every hidden layer's data
  const std::vector<HeaderLabel>& headerLabels() const;  // two per full panel: layer, then σ
  const std::vector<HeaderLabel>& texts() const;         // every text painted, headers included
  const std::vector<PaintedPanel>& paintedPanels() const;
  const std::vector<PaintedRow>& heatmapRows() const;    // empty unless the heatmap is shown
  bool heatmapShown() const;
  double axisLo() const;  // the shared value axis' data range (drawn with a small margin)
  double axisHi() const;

 private:
  void rebuild();
  Mode mode_ = Mode::PostActivation;
  View view_ = View::Auto;
  QComboBox* modeBox_;
  QAction* viewActions_[3];  // auto, panels, heatmap (the "view" button's menu)
  QAction* logAction_;
  QLineEdit* detailEdit_;
  HistogramStrip* strip_;
  std::vector<Panel> post_, pre_, gradient_, weight_, weightGradient_;  // newest snapshot
  QVector<PinnedRun> pinned_;
};

}  // namespace layerscope
