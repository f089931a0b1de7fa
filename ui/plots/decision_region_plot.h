// For 2-D data sets: the class the current network predicts over the plane (lighter where it
// is less confident) under the training points. Inapplicable (and hidden) for other data.
// With a pinned run that has regions (Compare > Pin, or a lesson's earlier run), the newest
// such pin is drawn on the left, in its colour's caption, and the live run on the right, so
// two runs' regions compare side by side (the L2 lesson: weak against strong lambda).
#pragma once

#include <QImage>
#include <QVector>

#include "plots/pinned_run.h"

#include "plots/plot_view.h"
#include "training/stats.h"
#include "run/training_types.h"

namespace layerscope {

class DecisionCanvas;

class DecisionRegionPlot : public PlotView {
  Q_OBJECT
 public:
  explicit DecisionRegionPlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs& inputs) override;
  void setSelectedLayer(int) override {}
  void clear() override;
  void renderTo(QPainter& painter, const QRectF& target) override;
  bool applicable() const override;

  void setPinned(const QVector<PinnedRun>& pinned);
  bool hasPinned() const;     // a pinned run's regions are drawn beside the live ones
  QString pinnedLabel() const;

  const DecisionGrid& grid() const;
  const QImage& image() const;
  int pointCount() const;

 signals:
  void applicabilityChanged(bool applicable);

 private:
  DecisionCanvas* canvas_;
};

// tab10: one color per class (cycled beyond ten).
QColor classColor(int label);

}  // namespace layerscope
