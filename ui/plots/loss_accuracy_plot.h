// Loss (left axis) and accuracy (right axis) on training and validation data over the steps:
// a training curve that keeps falling while validation turns up is over-fitting; both high and
// flat is under-fitting. Pinned runs (Compare) overlay their curves in their colours.
// The training loss of every step is drawn faint, with its TensorBoard-style smoothing on top
// (ema_smoothing.h; the slider above the plot sets the weight), and the newest numbers are
// written in the plot's corner. Wheel / drag / double-click zoom, pan and reset (ChartPlot).
#pragma once

#include <cmath>

#include <QVector>

class QSlider;
class QLabel;
class QGraphicsSimpleTextItem;

#include "plots/chart_plot.h"
#include "plots/pinned_run.h"
#include "plots/smooth_range.h"

namespace layerscope {

class LossAccuracyPlot : public ChartPlot {
  Q_OBJECT
 public:
  explicit LossAccuracyPlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs& inputs) override;
  void setSelectedLayer(int) override {}
  void clear() override;
  // Overlays each pinned run's training loss (named by its label) and validation accuracy
  // (dashed) in its colour.
  void setPinned(const QVector<PinnedRun>& pinned);
  static QString pinnedAccuracySeriesName(const QString& label) {
    return label + QStringLiteral(" (validation accuracy)");
  }

  static QString trainLossName() { return QStringLiteral("train loss"); }
  static QString smoothedTrainLossName() { return QStringLiteral("train loss (smoothed)"); }
  // The smoothing weight w in [0, 0.99] (0: none); the default is TensorBoard's 0.6.
  void setSmoothing(double weight);
  double smoothing() const { return smoothing_; }
  // The newest values, as written in the plot's corner.
  QString numbersText() const;
  static QString validationLossName() { return QStringLiteral("validation loss"); }
  static QString trainAccuracyName() { return QStringLiteral("train accuracy"); }
  static QString validationAccuracyName() { return QStringLiteral("validation accuracy"); }

 private:
  QValueAxis* x_;
  QValueAxis* loss_;
  QValueAxis* accuracy_;
  void zoomWasReset() override;
  void placeNumbers();
  void showEvent(QShowEvent* event) override;
  QLabel* numbersLabel_;
  int numbersMargin_ = 0;
  QLineSeries* trainLoss_;
  QLineSeries* smoothedLoss_;
  QSlider* slider_;
  QLabel* sliderLabel_;
  QGraphicsSimpleTextItem* numbers_;
  double smoothing_ = 0.6;
  QLineSeries* validationLoss_;
  QLineSeries* trainAccuracy_;
  QLineSeries* validationAccuracy_;
  QList<QLineSeries*> pinnedSeries_;
  double pinnedLossLo_ = INFINITY, pinnedLossHi_ = -INFINITY, pinnedStepMax_ = 0;
  SmoothRange xRange_, lossRange_;
  unsigned long revision_ = 0;
  const RunHistory* lastHistory_ = nullptr;  // owned by the window; valid while it shows a run
};

}  // namespace layerscope
