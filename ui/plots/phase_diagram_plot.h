// The phase diagram of signal propagation (docs/THEORY.md, engine/analysis/mean_field.h): a
// heat map of the correlation depth scale xi_c over (sigma_w^2, sigma_b^2) on a log colour
// scale with its colour bar, the critical line chi_1 = 1, the grid points measured on random
// networks, and the current experiment's initialization. Drawn with QPainter, as vectors in
// SVG and PDF. Clicking a point of the map emits initClicked with its (sigma_w^2, sigma_b^2).
#pragma once

#include <QPointF>
#include <QString>
#include <optional>
#include <vector>

#include "analysis/mean_field.h"
#include "plots/heatmap_painting.h"
#include "plots/plot_view.h"

namespace layerscope {

class PhaseDiagramCanvas;

struct PhaseDiagramData {
  QString activation;
  double dropout = 0.0;
  GridAxis sigmaW2, sigmaB2;
  std::vector<PhasePoint> points;  // phaseDiagram order: sigma_w^2 outer
  struct Measured {
    double sigmaW2 = 0, sigmaB2 = 0;
    double theory = 0, measured = 0;  // correlation after `depth` layers
  };
  std::vector<Measured> measured;
  int depth = 0;
  QString caption;  // the grey line under the map
};

// The colour of xi_c on the map's scale (log10 from 1 to 1000; inf is the top colour).
QColor phaseColor(double xiC);

// Where chi_1 - 1 changes sign inside the grid, as line segments in (sigma_w^2, sigma_b^2)
// (marching squares on the grid's cells).
std::vector<std::pair<QPointF, QPointF>> criticalLineSegments(const PhaseDiagramData& data);

class PhaseDiagramPlot : public PlotView {
  Q_OBJECT
 public:
  explicit PhaseDiagramPlot(QWidget* parent = nullptr);

  void setData(const PhaseDiagramData& data);
  const PhaseDiagramData& data() const;
  // The current experiment's initialization, marked with a cross (none: nullopt).
  void setCurrentInit(std::optional<QPointF> sigmaW2SigmaB2);
  std::optional<QPointF> currentInit() const;

  // PlotView: the diagram does not follow the run's statistics.
  void refresh(const PlotInputs&) override {}
  void setSelectedLayer(int) override {}
  void clear() override;
  void renderTo(QPainter& painter, const QRectF& target) override;

  // The map's rectangle inside a widget or export of `size` (tests click into it).
  static QRectF mapRect(const QSizeF& size);

 signals:
  void initClicked(double sigmaW2, double sigmaB2);

 private:
  PhaseDiagramCanvas* canvas_;
};

}  // namespace layerscope
