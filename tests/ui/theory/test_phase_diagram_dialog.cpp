// Compare > Phase diagram (ui/theory/phase_diagram_dialog.h): the experiment's initialization
// on the map, and a click turning into init normal with std = sqrt(sigma_w^2 / fan_in).
#include <gtest/gtest.h>

#include <QApplication>
#include <QCheckBox>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QSignalSpy>
#include <cmath>
#include <cstdlib>

#include "analysis/random_network_correlation.h"
#include "plots/phase_diagram_plot.h"
#include "run/training_types.h"
#include "test_helpers.h"
#include "theory/phase_diagram_dialog.h"

namespace layerscope {
namespace {

ExperimentConfig tanh4x64(const std::string& init) {
  ExperimentConfig c;
  c.model.activation = "tanh";
  c.model.depth = 4;
  c.model.width = 64;
  c.model.init = init;
  c.model.initStd = 0.25;
  return c;
}

TEST(PhaseDiagramDialog, MarksTheExperimentsInitialization) {
  // normal(0.25) with fan_in 64: sigma_w^2 = 64 x 0.0625 = 4; xavier_normal with 64 -> 64:
  // Var(W) = 2 / 128, sigma_w^2 = 1; zeros: no point.
  EXPECT_NEAR(PhaseDiagramDialog::initPoint(tanh4x64("normal"))->x(), 4.0, 1e-12);
  EXPECT_NEAR(PhaseDiagramDialog::initPoint(tanh4x64("xavier_normal"))->x(), 1.0, 1e-12);
  EXPECT_EQ(PhaseDiagramDialog::initPoint(tanh4x64("xavier_normal"))->y(), 0.0);
  EXPECT_FALSE(PhaseDiagramDialog::initPoint(tanh4x64("zeros")));

  PhaseDiagramDialog dialog(tanh4x64("xavier_normal"));
  ASSERT_TRUE(dialog.plot()->currentInit());
  EXPECT_NEAR(dialog.plot()->currentInit()->x(), 1.0, 1e-12);
  EXPECT_FALSE(dialog.plot()->data().points.empty());
}

TEST(PhaseDiagramDialog, ClickChoosesTheWeightVariance) {
  qRegisterMetaType<ExperimentConfig>();
  PhaseDiagramDialog dialog(tanh4x64("xavier_normal"));
  QSignalSpy spy(&dialog, &PhaseDiagramDialog::experimentChosen);
  emit dialog.plot()->initClicked(2.0, 0.1);
  ASSERT_EQ(spy.count(), 1);
  const ExperimentConfig chosen = spy[0][0].value<ExperimentConfig>();
  EXPECT_EQ(chosen.model.init, "normal");
  EXPECT_NEAR(chosen.model.initStd, std::sqrt(2.0 / 64), 1e-12);
  EXPECT_NEAR(dialog.plot()->currentInit()->x(), 2.0, 1e-12);
}

// "Measure random networks": the measured overlay, computed on a background thread (the check
// box returns at once), drawn as rings with theory/measured labels and a legend entry, the same
// numbers as measurePhaseOverlay's, within finite-width noise of the mean-field map; unchecked,
// it is gone. LAYERSCOPE_SCREENSHOT=FILE.png saves the dialog (look at it under Xvfb).
TEST(PhaseDiagramDialog, MeasuresRandomNetworksBesideTheTheoryInTheBackground) {
  PhaseDiagramDialog dialog(tanh4x64("xavier_normal"));
  EXPECT_TRUE(dialog.plot()->data().measured.empty());
  QSignalSpy changed(&dialog, &PhaseDiagramDialog::overlayChanged);
  dialog.measureBox()->setChecked(true);
  EXPECT_TRUE(dialog.measuring());
  ASSERT_TRUE(testing::waitFor([&] { return changed.count() > 0; }, 60000));
  const PhaseDiagramData& data = dialog.plot()->data();
  ASSERT_EQ(data.measured.size(), 5u) << dialog.status()->text().toStdString();
  EXPECT_EQ(data.depth, 20);

  // The engine's overlay of the same grid: the same points and numbers, bit for bit.
  Activation tanh;
  tanh.kind = ActivationKind::Tanh;
  const std::vector<PhaseMeasurement> direct =
      measurePhaseOverlay(tanh, data.points, data.sigmaW2, data.sigmaB2, 1.0, PhaseOverlay{});
  ASSERT_EQ(direct.size(), 5u);
  for (std::size_t k = 0; k < direct.size(); ++k) {
    const PhaseDiagramData::Measured& m = data.measured[k];
    EXPECT_EQ(m.sigmaW2, data.points[direct[k].index].sigmaW2);
    EXPECT_EQ(m.measured, direct[k].measured);
    EXPECT_EQ(m.theory, direct[k].theory);
    // Width 500 over 20 layers: within 0.06 of the map (0.035 at most measured).
    EXPECT_NEAR(m.measured, m.theory, 0.06) << "sigma_w^2 " << m.sigmaW2;
  }
  // The axis' ends and the middle row of sigma_b^2.
  EXPECT_DOUBLE_EQ(data.measured.front().sigmaW2, data.sigmaW2.lo);
  EXPECT_DOUBLE_EQ(data.measured.back().sigmaW2, data.sigmaW2.hi);
  EXPECT_DOUBLE_EQ(data.measured.front().sigmaB2, data.sigmaB2.at((data.sigmaB2.count - 1) / 2));

  // A ring is drawn where the point is: its red outline around the grid point.
  const QSize size(900, 700);
  QImage image(size, QImage::Format_RGB32);
  QPainter painter(&image);
  dialog.plot()->renderTo(painter, QRectF(QPointF(0, 0), size));
  painter.end();
  const QRectF map = PhaseDiagramPlot::mapRect(size);
  const auto [w0, w1] = std::pair(data.sigmaW2.lo - 0.5 * (data.sigmaW2.hi - data.sigmaW2.lo) / (data.sigmaW2.count - 1),
                                  data.sigmaW2.hi + 0.5 * (data.sigmaW2.hi - data.sigmaW2.lo) / (data.sigmaW2.count - 1));
  const auto [b0, b1] = std::pair(data.sigmaB2.lo - 0.5 * (data.sigmaB2.hi - data.sigmaB2.lo) / (data.sigmaB2.count - 1),
                                  data.sigmaB2.hi + 0.5 * (data.sigmaB2.hi - data.sigmaB2.lo) / (data.sigmaB2.count - 1));
  const PhaseDiagramData::Measured& mid = data.measured[2];
  const QPointF centre(map.left() + (mid.sigmaW2 - w0) / (w1 - w0) * map.width(),
                       map.bottom() - (mid.sigmaB2 - b0) / (b1 - b0) * map.height());
  int red = 0;
  for (int dx = -6; dx <= 6; ++dx)
    for (int dy = -6; dy <= 6; ++dy) {
      const QColor c = image.pixelColor((centre + QPointF(dx, dy)).toPoint());
      red += c.red() > 170 && c.green() < 110 && c.blue() < 110;
    }
  EXPECT_GT(red, 5);

  if (const char* shot = std::getenv("LAYERSCOPE_SCREENSHOT")) {
    dialog.show();
    QApplication::processEvents();
    dialog.grab().save(QString::fromLocal8Bit(shot));
  }

  dialog.measureBox()->setChecked(false);
  EXPECT_TRUE(dialog.plot()->data().measured.empty());
}

}  // namespace
}  // namespace layerscope
