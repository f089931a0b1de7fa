// One layer's histogram over training (post-activation by default; pre-activation or dL/da by
// setQuantity), as a heatmap: x = probe step, y = value,
// colour = density (the fraction of the layer's values per unit of value, log colour). Read
// from the histograms every snapshot carries on its run-long grid (training/stats.h), so a
// column's bins are the probe's own; exact zeros (Histogram::zeros, ReLU's dead outputs) are a
// point mass drawn in the row holding 0. tanh saturation shows as bright rows at -1 and +1.
#pragma once

#include <vector>

#include "plots/over_time_plot.h"

namespace layerscope {

class LayerHistogramOverTimePlot : public OverTimePlot {
  Q_OBJECT
 public:
  explicit LayerHistogramOverTimePlot(QWidget* parent = nullptr);

  // As last painted: the heatmap rectangle, its value range (bottom to top), the grid of
  // fractions of values (columns x rows, row 0 at the bottom: the lowest values), the colour
  // scale of the density.
  QRectF heatmapRect() const { return plot_; }
  double valueLo() const { return lo_; }
  double valueHi() const { return hi_; }
  int gridColumns() const { return gridColumns_; }
  int gridRows() const { return gridRows_; }
  double fractionAt(int column, int row) const;  // of that column's values in that row
  const ColourScale& scale() const { return scale_; }
  const std::vector<long>& columnSteps() const { return steps_; }

 protected:
  void extract(const SnapshotRecord& record, int columns) override;
  void forget() override;
  void paintPlot(QPainter& painter, const QRectF& area) override;
  QString hoverAt(const QPointF& pos) const override;

 private:
  struct Column {
    long step = 0;
    Histogram histogram;  // the shown layer's histogram of the shown quantity at that step
    double values = 0;    // finite values counted
  };
  void buildGrid(int rows);

  std::vector<Column> columns_;   // one per distinct snapshot drawn
  std::vector<int> columnIndex_;  // per pixel column: its entry in columns_
  std::vector<long> steps_;       // per pixel column
  int layer_ = -1;
  double lo_ = 0, hi_ = 0;
  int gridColumns_ = 0, gridRows_ = 0;
  std::vector<double> fractions_;  // [column * gridRows_ + row]
  ColourScale scale_;
  QRectF plot_, bar_;
};

}  // namespace layerscope
