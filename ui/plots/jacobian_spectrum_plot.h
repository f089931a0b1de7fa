// The singular-value spectrum of the input-output Jacobian (engine/analysis/jacobian.h,
// docs/THEORY.md): the density of log10 sigma, every sample's singular values pooled, one
// outline per series (an initialization, a training step) on a log x axis, with the theory's
// references as vertical lines: sigma = 1 (dynamical isometry; a deep linear orthogonal network
// has every sigma there) and, per series, the mean field's root mean square singular value
// sqrt(prod_l chi_l) (= sqrt(chi_1^L) at the fixed point). Drawn with QPainter, as vectors in SVG
// and PDF.
#pragma once

#include <QColor>
#include <QString>
#include <vector>

#include "plots/plot_view.h"

namespace layerscope {

class JacobianSpectrumCanvas;

struct JacobianSpectrumSeries {
  QString label;
  QColor color;
  std::vector<double> singularValues;  // every sample's, pooled
  double meanSquared = 0.0;            // measured mean of sigma^2
  double predictedMeanSquared = -1.0;  // the mean field's prod_l chi_l; < 0: no prediction
};

struct JacobianSpectrumData {
  std::vector<JacobianSpectrumSeries> series;
  QString caption;  // the grey line under the plot
};

// Density of log10(values) on `bins` equal bins over [lo, hi] (log10 units): counts / (total x
// bin width), so each series integrates to 1 whatever its size. Values outside are clamped into
// the end bins; non-positive values are left out.
std::vector<double> logDensity(const std::vector<double>& values, double lo, double hi, int bins);

// The x range (log10 sigma) covering every series and sigma = 1, whole decades, at most 12 wide.
std::pair<double, double> logRange(const JacobianSpectrumData& data);

class JacobianSpectrumPlot : public PlotView {
  Q_OBJECT
 public:
  explicit JacobianSpectrumPlot(QWidget* parent = nullptr);

  void setData(const JacobianSpectrumData& data);
  const JacobianSpectrumData& data() const;

  // PlotView: the spectrum does not follow the run's statistics.
  void refresh(const PlotInputs&) override {}
  void setSelectedLayer(int) override {}
  void clear() override;
  void renderTo(QPainter& painter, const QRectF& target) override;

 private:
  JacobianSpectrumCanvas* canvas_;
};

}  // namespace layerscope
