// The Over time plots' value axes (ui/plots/over_time_painting.h): every tick label fits the room
// the plots keep for it, so none runs into the axis title, at any scale (the N(0, 0.01)
// collapse's last layer spans +-1.5e-6).
#include <gtest/gtest.h>

#include <QFont>
#include <QFontMetricsF>

#include "plots/over_time_painting.h"

namespace layerscope {

TEST(ValueAxisLabels, CompactAtEveryScale) {
  EXPECT_EQ(valueAxisLabel(-1.5e-6), QString("-1.5e-6"));
  EXPECT_EQ(valueAxisLabel(5e-7), QString("5e-7"));
  EXPECT_EQ(valueAxisLabel(2.5e5), QString("2.5e5"));
  EXPECT_EQ(valueAxisLabel(0), QString("0"));
  EXPECT_EQ(valueAxisLabel(0.25), QString("0.25"));
  EXPECT_EQ(valueAxisLabel(-0.0025), QString("-2.5e-3"));
  const QFontMetricsF fm{QFont()};
  for (double v : {-1.5e-6, -1e-6, -5e-7, 1.5e-6, -0.0025, 0.004, -0.025, -0.5, 1.0, -12.5, 340.0,
                   -2.5e-12, 9.96e-7, -4.2e8})
    EXPECT_LE(fm.horizontalAdvance(valueAxisLabel(v)), fm.horizontalAdvance(kWidestValueLabel) + 0.5)
        << valueAxisLabel(v).toStdString();
}

}  // namespace layerscope
