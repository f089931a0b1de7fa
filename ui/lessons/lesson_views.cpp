#include "lessons/lesson_views.h"

#include <QComboBox>
#include <QObject>
#include <QStringList>

#include "lab/lesson.h"
#include "lab/plot_names.h"
#include "plots/dashboard.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_time_heatmap_plot.h"
#include "plots/over_time_page.h"
#include "plots/over_time_plot.h"

namespace layerscope {

namespace {

// The index of `name` in histogramQuantityNames(), which is OverTimePlot::Quantity's order.
int quantityIndex(const std::string& name) {
  const std::vector<std::string>& names = histogramQuantityNames();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return 0;
}

void pick(QComboBox* box, int data) {
  if (const int index = box->findData(data); index >= 0) box->setCurrentIndex(index);
}

}  // namespace

QString lookAtWords(const std::vector<std::string>& lookAt) {
  QStringList words;
  for (const std::string& entry : lookAt) {
    const LookAtView v = splitLookAt(entry);
    const QString k = QString::fromStdString(v.plot);
    const QString quantity = v.option.empty()
        ? QString()
        : QObject::tr(" of the %1").arg(OverTimePlot::quantityName(
              OverTimePlot::Quantity(quantityIndex(v.option))));
    if (k == "depth_profile") words << QObject::tr("depth profile");
    else if (k == "histograms") words << QObject::tr("histograms");
    else if (k == "std_over_time") words << QObject::tr("std over time");
    else if (k == "gradients") words << QObject::tr("gradients");
    else if (k == "loss") words << QObject::tr("loss and accuracy");
    else if (k == "decision_regions") words << QObject::tr("decision regions");
    else if (k == "layer_heatmap") {
      const auto s = LayerTimeHeatmapPlot::statisticFromKey(QString::fromStdString(v.option))
                         .value_or(LayerTimeHeatmapPlot::Statistic::ActivationStd);
      words << QObject::tr("the layer x step heatmap of %1 (Over time tab)")
                   .arg(LayerTimeHeatmapPlot::statisticName(s));
    } else if (k == "histogram_over_time") {
      words << QObject::tr("the histogram over time%1 (Over time tab)").arg(quantity);
    } else if (k == "percentiles") {
      words << QObject::tr("the percentile bands%1 (Over time tab)").arg(quantity);
    } else {
      words << k;
    }
  }
  return words.join(QStringLiteral(", "));
}

void showLessonViews(Dashboard& dashboard, const Lesson& lesson) {
  // The histograms show the quantity the lesson names (post-activation unless it says
  // otherwise), whatever the user last chose, so the text and the picture agree.
  using Mode = LayerHistogramsPlot::Mode;
  const std::string& mode = lesson.histogramMode;
  dashboard.histograms()->setMode(mode == "pre_activation" ? Mode::PreActivation
                                  : mode == "gradient"     ? Mode::Gradient
                                                           : Mode::PostActivation);
  OverTimePage* page = dashboard.overTime();
  for (const std::string& entry : lesson.lookAt) {
    const LookAtView v = splitLookAt(entry);
    if (v.option.empty()) continue;
    if (v.plot == "layer_heatmap") {
      if (const auto s = LayerTimeHeatmapPlot::statisticFromKey(QString::fromStdString(v.option)))
        pick(page->statisticPicker(), static_cast<int>(*s));
    } else if (v.plot == "histogram_over_time" || v.plot == "percentiles") {
      // One picker serves both plots of the layer: the last entry that names a quantity wins.
      pick(page->quantityPicker(), quantityIndex(v.option));
    }
  }
  if (!lesson.lookAt.empty())
    dashboard.showOverTime(isOverTimePlot(splitLookAt(lesson.lookAt.front()).plot));
}

}  // namespace layerscope
