// One layer's distribution over training (post-activation by default; pre-activation or dL/da
// by setQuantity; dL/da's min and max are not measured, so its outer band ends at its grid) as TensorBoard-style percentile
// bands: nested shaded bands between min / max, 6.68% / 93.32%, 15.87% / 84.13% and
// 30.85% / 69.15% (the normal's +-1.5, 1, 0.5 sigma), and the median as a line. The
// percentiles come from each snapshot's fixed-grid histogram (training/histogram_percentiles.h).
#pragma once

#include <array>
#include <vector>

#include "plots/over_time_plot.h"

namespace layerscope {

class LayerPercentilesPlot : public OverTimePlot {
  Q_OBJECT
 public:
  using Bands = std::array<double, 9>;  // at kBandFractions: min .. median .. max

  explicit LayerPercentilesPlot(QWidget* parent = nullptr);

  // One entry per distinct snapshot drawn, in step order (at most one per pixel column).
  const std::vector<long>& steps() const { return steps_; }
  const std::vector<Bands>& bands() const { return bands_; }
  int layer() const { return layer_; }
  // As last painted: the plot rectangle and the value range it spans (bottom to top).
  QRectF plotRect() const { return plot_; }
  double valueLo() const { return lo_; }
  double valueHi() const { return hi_; }

 protected:
  void extract(const SnapshotRecord& record, int columns) override;
  void forget() override;
  void paintPlot(QPainter& painter, const QRectF& area) override;
  QString hoverAt(const QPointF& pos) const override;

 private:
  double xOf(long step) const;
  double yOf(double value) const;

  std::vector<long> steps_;
  std::vector<Bands> bands_;
  int layer_ = -1;
  double lo_ = 0, hi_ = 1;
  QRectF plot_;
};

}  // namespace layerscope
