// A trainability map: the heat map of a two-setting sweep (engine/lab/sweep_grid.h), one cell
// per (x value, y value), coloured by the final training accuracy, the validation accuracy or
// the final loss (log scale), with its colour bar. Cells not finished yet are light grey (the
// map fills in as a sweep runs), diverged cells black with a white cross, finished cells
// without the value (no validation split) hatched. An optional curve in cell coordinates (the
// theory's trainable depth, sweep/trainable_depth.h) is drawn over it, clipped to the map.
// Drawn with QPainter, as vectors in SVG and PDF, like the phase diagram.
#pragma once

#include <QPointF>
#include <QString>
#include <vector>

#include "lab/sweep_grid.h"
#include "plots/plot_view.h"

namespace layerscope {

class SweepHeatmapCanvas;

enum class SweepMetric { TrainAccuracy, ValidationAccuracy, FinalLoss };

QString sweepMetricName(SweepMetric metric);
// "train_accuracy" | "validation_accuracy" | "final_loss" (the CSV's and the CLI's words)
QString sweepMetricKey(SweepMetric metric);
bool parseSweepMetric(const QString& key, SweepMetric* metric);
double sweepMetricValue(const RunSummary& summary, SweepMetric metric);

// Colours of the cells that carry no value (tests sample them).
QColor sweepPendingColor();   // not finished yet
QColor sweepDivergedColor();  // loss NaN or inf
QColor trainableCurveColor(); // the theory curve

class SweepHeatmapPlot : public PlotView {
  Q_OBJECT
 public:
  explicit SweepHeatmapPlot(QWidget* parent = nullptr);

  // A new map: every cell pending.
  void setPlan(const SweepPlan& plan);
  const SweepPlan& plan() const;
  void setCells(const std::vector<SweepCell>& cells);
  void addCell(const SweepCell& cell);
  int finishedCells() const;
  void setMetric(SweepMetric metric);
  SweepMetric metric() const;
  // The curve in cell coordinates (x = 0 the first column's centre, ...), NaN between pieces;
  // `legend` names it; `sigmaW2` labels the ticks of the axis that sets it (empty: none);
  // `caption`: the grey line under the map (why no curve, or what it is).
  void setCurve(const std::vector<QPointF>& points, const QString& legend,
                const std::vector<double>& sigmaW2, bool sigmaW2OnY, const QString& caption);
  // The colour a value of the current metric gets (the scale adapts to the data for the loss).
  QColor colorOf(double value) const;

  void refresh(const PlotInputs&) override {}
  void setSelectedLayer(int) override {}
  void clear() override;
  void renderTo(QPainter& painter, const QRectF& target) override;

  // Where things are inside a widget or export of `size` (tests sample pixels there).
  static QRectF mapRect(const QSizeF& size);
  QRectF cellRect(int xIndex, int yIndex, const QSizeF& size) const;
  QPointF toScreen(QPointF cellCoordinates, const QSizeF& size) const;

 private:
  SweepHeatmapCanvas* canvas_;
};

}  // namespace layerscope
