// The article's figure: mean and standard deviation of every hidden layer's activations on the
// probe batch, against the layer index. Collapse (std falling geometrically towards 0) and
// saturation (std near 1 for tanh) are visible at a glance. Next to the measured std, dashed,
// the std the mean-field theory predicts (theory_curve.h); pinned runs overlay their own mean
// and std in their colours (Compare).
#pragma once

#include <QVector>

#include "plots/chart_plot.h"
#include "plots/pinned_run.h"
#include "plots/smooth_range.h"

namespace layerscope {

class DepthProfilePlot : public ChartPlot {
  Q_OBJECT
 public:
  explicit DepthProfilePlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs& inputs) override;
  void setSelectedLayer(int layer) override;
  void clear() override;

  // The predicted std per hidden layer, drawn dashed; `caveat` is shown under the plot when the
  // theory does not describe this run (training has started, batch norm...). Empty: none.
  void setTheory(const QList<QPointF>& std, const QString& caveat);
  // Overlays: each pinned run's std (solid, named by its label) and mean (dotted).
  void setPinned(const QVector<PinnedRun>& pinned);

  static QString meanSeriesName() { return QStringLiteral("mean"); }
  static QString stdSeriesName() { return QStringLiteral("std"); }
  static QString theorySeriesName() { return QStringLiteral("theory std"); }
  static QString pinnedMeanSeriesName(const QString& label) { return label + QStringLiteral(" (mean)"); }

 private:
  void updateSelection();
  void updateRanges();

  QValueAxis* x_;
  QValueAxis* y_;
  QLineSeries* mean_;
  QLineSeries* std_;
  QLineSeries* theory_;
  QScatterSeries* meanPoints_;
  QScatterSeries* stdPoints_;
  QScatterSeries* selected_;
  QList<QLineSeries*> pinnedSeries_;
  SmoothRange yRange_, xRange_;
  int selectedLayer_ = -1;
  int layers_ = 0;
};

}  // namespace layerscope
