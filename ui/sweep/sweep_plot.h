// The result of a parameter sweep. What it draws depends on the parameter:
//   init_std, depth, width: the last hidden layer's std of the freshly initialized network
//     against the value (log-log for init_std), with the theory's prediction dashed;
//   init, activation (names): one std-per-layer profile per value, log std axis, with dashed
//     theory curves in the same colours;
//   l2, dropout, lr: training and validation accuracy after training against the value.
#pragma once

#include <QVector>

#include "sweep/sweep_runner.h"
#include "plots/chart_plot.h"

namespace layerscope {

class SweepPlot : public ChartPlot {
  Q_OBJECT
 public:
  explicit SweepPlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs&) override {}
  void setSelectedLayer(int) override {}
  void clear() override;

  void setSweep(const QString& parameter, const QVector<SweepCurvePoint>& points);

  static QString measuredSeriesName() { return QStringLiteral("last hidden std (measured)"); }
  static QString theorySeriesName() { return QStringLiteral("last hidden std (theory, dashed)"); }
  static QString trainAccuracySeriesName() { return QStringLiteral("train accuracy"); }
  static QString validationAccuracySeriesName() { return QStringLiteral("validation accuracy"); }
  static QString profileTheorySeriesName(const QString& value) { return value + QStringLiteral(" (theory)"); }

 private:
  void resetChart();
  QAbstractAxis* axisFor(Qt::Alignment alignment, const QString& title, bool log, double lo,
                         double hi);
};

}  // namespace layerscope
