// The Jacobian spectrum plot (ui/plots/jacobian_spectrum_plot.h): the density of log10 sigma
// integrates to 1, the x range covers the data and sigma = 1, and export draws it.
#include <gtest/gtest.h>

#include <QImage>
#include <QPainter>
#include <cmath>
#include <numeric>

#include "plots/jacobian_spectrum_plot.h"

namespace layerscope {
namespace {

TEST(JacobianSpectrumPlot, DensityOfLogSingularValuesIntegratesToOne) {
  const std::vector<double> values = {0.01, 0.1, 1.0, 1.0, 10.0, 0.0 /* left out */};
  const std::vector<double> d = logDensity(values, -3.0, 2.0, 5);
  ASSERT_EQ(d.size(), 5u);
  EXPECT_NEAR(std::accumulate(d.begin(), d.end(), 0.0) * 1.0, 1.0, 1e-12);  // bin width 1
  EXPECT_DOUBLE_EQ(d[1], 0.2);  // 0.01: log10 = -2
  EXPECT_DOUBLE_EQ(d[3], 0.4);  // 1, 1
  EXPECT_DOUBLE_EQ(d[0], 0.0);
}

TEST(JacobianSpectrumPlot, RangeCoversTheDataAndOne) {
  JacobianSpectrumData data;
  data.series.push_back({QStringLiteral("a"), Qt::blue, {0.002, 0.5}, 0.1, 4.0});
  const auto [lo, hi] = logRange(data);
  EXPECT_LE(lo, std::log10(0.002));
  EXPECT_GE(hi, std::log10(2.0));  // sqrt of the prediction 4
  EXPECT_EQ(lo, std::floor(lo));

  JacobianSpectrumPlot plot;
  plot.setData(data);
  QImage image(600, 400, QImage::Format_ARGB32);
  image.fill(Qt::transparent);
  QPainter painter(&image);
  plot.renderTo(painter, QRectF(0, 0, 600, 400));
  painter.end();
  EXPECT_EQ(image.pixelColor(300, 200).alpha(), 255);
}

}  // namespace
}  // namespace layerscope
