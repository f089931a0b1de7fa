// A lesson's look_at shows its views (ui/lessons/lesson_views.h): the Over time tab with the
// statistic and quantity it names, or the overview; and says them in the window's words.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QTabWidget>

#include "lab/lesson.h"
#include "lessons/lesson_views.h"
#include "plots/dashboard.h"
#include "plots/layer_histogram_over_time_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_percentiles_plot.h"
#include "plots/layer_time_heatmap_plot.h"
#include "plots/over_time_page.h"

namespace layerscope {

TEST(LessonViews, OverTimeEntriesSwitchTheTabAndThePickers) {
  Dashboard d;
  Lesson lesson;
  lesson.lookAt = {"layer_heatmap:saturated_fraction", "histograms", "percentiles:gradient"};
  lesson.histogramMode = "pre_activation";
  showLessonViews(d, lesson);
  EXPECT_EQ(d.tabs()->currentWidget(), d.overTime());
  EXPECT_EQ(d.layerHeatmap()->statistic(), LayerTimeHeatmapPlot::Statistic::SaturatedFraction);
  EXPECT_EQ(d.percentiles()->quantity(), OverTimePlot::Quantity::Gradient);
  EXPECT_EQ(d.histogramOverTime()->quantity(), OverTimePlot::Quantity::Gradient);
  EXPECT_EQ(d.histograms()->mode(), LayerHistogramsPlot::Mode::PreActivation);

  // A lesson that starts with an overview plot shows the overview, its pickers still set.
  lesson.lookAt = {"depth_profile", "layer_heatmap:dead_fraction"};
  showLessonViews(d, lesson);
  EXPECT_NE(d.tabs()->currentWidget(), d.overTime());
  EXPECT_EQ(d.layerHeatmap()->statistic(), LayerTimeHeatmapPlot::Statistic::DeadFraction);
}

TEST(LessonViews, WordsNameTheStatisticAndTheTab) {
  const QString words = lookAtWords({"depth_profile", "layer_heatmap:activation_std",
                                     "histogram_over_time:pre_activation"});
  EXPECT_TRUE(words.startsWith("depth profile, ")) << words.toStdString();
  EXPECT_TRUE(words.contains("layer x step heatmap of activation std (Over time tab)"))
      << words.toStdString();
  EXPECT_TRUE(words.contains("histogram over time of the pre-activation")) << words.toStdString();
}

}  // namespace layerscope
