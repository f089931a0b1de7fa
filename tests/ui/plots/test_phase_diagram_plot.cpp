// The phase diagram plot (ui/plots/phase_diagram_plot.h) against the engine's numbers: the
// critical line where chi_1 crosses 1, the log colour scale, clicks mapped back to
// (sigma_w^2, sigma_b^2), and drawing without data.
#include <gtest/gtest.h>

#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

#include "analysis/mean_field.h"
#include "plots/phase_diagram_plot.h"

namespace layerscope {
namespace {

PhaseDiagramData tanhDiagram() {
  Activation tanh;
  PhaseDiagramData d;
  d.activation = QStringLiteral("tanh");
  d.sigmaW2 = {0.5, 3.0, 26};
  d.sigmaB2 = {0.0, 0.2, 11};
  d.points = phaseDiagram(tanh, d.sigmaW2, d.sigmaB2);
  return d;
}

TEST(PhaseDiagramPlot, CriticalLineStartsAtSigmaW2OneForTanhWithoutBias) {
  const PhaseDiagramData d = tanhDiagram();
  const auto segments = criticalLineSegments(d);
  ASSERT_FALSE(segments.empty());
  // The segment on the sigma_b^2 = 0 edge crosses it at sigma_w^2 = 1.
  double nearest = 1e9;
  for (const auto& s : segments)
    for (const QPointF& p : {s.first, s.second})
      if (std::abs(p.y()) < 1e-12) nearest = std::min(nearest, std::abs(p.x() - 1.0));
  EXPECT_LT(nearest, 0.02);
  // Every point of the line has chi_1 ~ 1 (the grid is coarse: within its interpolation).
  Activation tanh;
  for (const auto& s : segments) {
    const double chi1 = phasePoint(tanh, {s.first.x(), s.first.y()}).chi1;
    EXPECT_NEAR(chi1, 1.0, 0.03) << s.first.x() << " " << s.first.y();
  }
}

TEST(PhaseDiagramPlot, ColourScaleIsLogarithmicWithInfinityOnTop) {
  EXPECT_EQ(phaseColor(std::numeric_limits<double>::infinity()), phaseColor(1000.0));
  EXPECT_EQ(phaseColor(1e6), phaseColor(1000.0));
  EXPECT_NE(phaseColor(10.0), phaseColor(100.0));
  EXPECT_EQ(phaseColor(0.5), phaseColor(1.0));
}

TEST(PhaseDiagramPlot, ClickGivesTheInitializationUnderTheMouse) {
  PhaseDiagramPlot plot;
  plot.setData(tanhDiagram());
  plot.resize(700, 600);
  plot.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&plot));
  QSignalSpy spy(&plot, &PhaseDiagramPlot::initClicked);
  QWidget* canvas = plot.findChild<QWidget*>();
  ASSERT_NE(canvas, nullptr);
  // Find the canvas (the child that is not a label) and click the middle of its map.
  for (QWidget* child : plot.findChildren<QWidget*>())
    if (!child->inherits("QLabel")) canvas = child;
  const QRectF map = PhaseDiagramPlot::mapRect(canvas->size());
  QTest::mouseClick(canvas, Qt::LeftButton, {}, map.center().toPoint());
  ASSERT_EQ(spy.count(), 1);
  // The map spans the cells' edges: sigma_w^2 from 0.45 to 3.05, sigma_b^2 from -0.01 to 0.21.
  EXPECT_NEAR(spy[0][0].toDouble(), 1.75, 0.02);
  EXPECT_NEAR(spy[0][1].toDouble(), 0.10, 0.005);
}

TEST(PhaseDiagramPlot, RendersWithAndWithoutData) {
  PhaseDiagramPlot plot;
  QImage empty(400, 300, QImage::Format_ARGB32);
  {
    QPainter p(&empty);
    plot.renderTo(p, QRectF(0, 0, 400, 300));
  }
  PhaseDiagramData d = tanhDiagram();
  d.measured.push_back({1.0, 0.1, 0.9, 0.88});
  plot.setData(d);
  plot.setCurrentInit(QPointF(1.0, 0.0));
  QImage image(700, 600, QImage::Format_ARGB32);
  image.fill(Qt::black);
  {
    QPainter p(&image);
    plot.renderTo(p, QRectF(0, 0, 700, 600));
  }
  // The map's middle is painted with a colour of the scale, not left black.
  const QRectF map = PhaseDiagramPlot::mapRect(QSizeF(700, 600));
  EXPECT_NE(image.pixelColor(map.center().toPoint()), QColor(Qt::black));
  EXPECT_EQ(plot.currentInit(), QPointF(1.0, 0.0));
}

}  // namespace
}  // namespace layerscope
