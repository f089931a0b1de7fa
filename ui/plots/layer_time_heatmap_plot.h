// One statistic of every layer over training as a heatmap: a row per layer (input at the top,
// the logits at the bottom), x = probe step, colour = the value, with a colour bar. A log
// colour scale for the statistics that span decades (stds, the update ratio, gradient SNR), a
// linear 0..1 scale for fractions (and the normalized effective rank). At depth 100 rows are a few pixels tall; their labels are thinned to
// every k-th layer (k = 1, 2, 5, 10, ...) so none overlap. Clicking a row selects its layer.
#pragma once

#include <optional>
#include <vector>

#include "plots/over_time_plot.h"

namespace layerscope {

struct LayerStats;

class LayerTimeHeatmapPlot : public OverTimePlot {
  Q_OBJECT
 public:
  // EffectiveRank shows the normalized effective rank (a fraction of the directions a layer
  // can use: comparable across widths and probe sizes); GradientSnr is training/layer_health.h's.
  enum class Statistic {
    ActivationStd, SaturatedFraction, DeadFraction, UpdateRatio, GradientStd, EffectiveRank,
    GradientSnr
  };
  static constexpr int kStatistics = 7;
  static QString statisticName(Statistic s);  // "activation std", ...
  // The statistic's name in files and flags (layerscope-cli --heatmap-statistic):
  // "activation_std", ..., "effective_rank", "gradient_snr"; and back (nullopt: unknown).
  static QString statisticKey(Statistic s);
  static std::optional<Statistic> statisticFromKey(const QString& key);
  static bool logScale(Statistic s);
  static double value(const LayerStats& layer, Statistic s);

  struct PaintedRow {
    int layer = 0;
    QRectF row;
  };

  explicit LayerTimeHeatmapPlot(QWidget* parent = nullptr);
  void setStatistic(Statistic s);
  Statistic statistic() const { return statistic_; }

  // As last painted: one row per layer, the layer labels drawn, the heatmap and colour bar
  // rectangles, and the colour scale.
  const std::vector<PaintedRow>& rows() const { return rows_; }
  const std::vector<PaintedText>& layerLabels() const { return labels_; }
  QRectF heatmapRect() const { return plot_; }
  QRectF colourBarRect() const { return bar_; }
  const ColourScale& scale() const { return scale_; }
  // The value shown for row `row` (0 = top: layer 0) at column `column`; the columns' steps.
  double valueAt(int row, int column) const;
  const std::vector<long>& columnSteps() const { return steps_; }

 protected:
  void extract(const SnapshotRecord& record, int columns) override;
  void forget() override;
  void paintPlot(QPainter& painter, const QRectF& area) override;
  QString hoverAt(const QPointF& pos) const override;
  void clickAt(const QPointF& pos) override;

 private:
  int rowAt(const QPointF& pos) const;
  int columnAt(const QPointF& pos) const;

  Statistic statistic_ = Statistic::ActivationStd;
  std::vector<int> layers_;      // the layer number of each row
  std::vector<long> steps_;      // per column
  std::vector<double> values_;   // row-major: values_[row * columns + column]
  ColourScale scale_;
  std::vector<PaintedRow> rows_;
  std::vector<PaintedText> labels_;
  QRectF plot_, bar_;
};

}  // namespace layerscope
