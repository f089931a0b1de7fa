// The article's second figure: one small histogram per hidden layer, side by side on one shared
// value axis, switchable between post-activation, pre-activation and back-propagated gradient.
// Drawn with QPainter (small multiples are cheaper and clearer as one widget than as a dozen
// charts). Bar heights are relative to each layer's tallest bin; the x axis is common, so a
// layer whose values collapse to 0 shows as a spike in the middle of its panel. Pinned runs
// (Compare) are outlined over the bars in their colours, with a legend row.
#pragma once

#include <QPointer>
#include <QRectF>
#include <QString>
#include <QVector>
#include <vector>

#include "plots/pinned_run.h"
#include "plots/plot_view.h"

class QComboBox;

namespace layerscope {

class HistogramStrip;

class LayerHistogramsPlot : public PlotView {
  Q_OBJECT
 public:
  enum class Mode { PostActivation, PreActivation, Gradient };

  struct Panel {
    int layer = 0;
    double lo = 0, hi = 0;            // this layer's histogram range
    std::vector<std::uint32_t> counts;
    std::uint64_t nonFinite = 0;
    double std = 0;                   // of the plotted quantity
    double saturated = 0;             // post-activation only: saturated fraction
  };

  // A panel header as last painted: the text and the box it occupies (tests check that no two
  // overlap).
  struct HeaderLabel {
    QString text;
    QRectF box;
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
  const std::vector<Panel>& panels() const;
  const std::vector<HeaderLabel>& headerLabels() const;  // two per panel: layer, then σ
  double axisLo() const;  // the shared value axis
  double axisHi() const;

 private:
  void rebuild();
  Mode mode_ = Mode::PostActivation;
  QComboBox* modeBox_;
  HistogramStrip* strip_;
  std::vector<Panel> post_, pre_, gradient_;  // from the newest snapshot
  QVector<PinnedRun> pinned_;
};

}  // namespace layerscope
