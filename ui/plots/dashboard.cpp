#include "plots/dashboard.h"

#include <QGridLayout>
#include <QTabWidget>
#include <QVBoxLayout>

#include "plots/decision_region_plot.h"
#include "plots/depth_profile_plot.h"
#include "plots/gradient_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "plots/over_time_page.h"
#include "common/number_format.h"
#include "plots/run_list.h"
#include "run/run_history.h"
#include "settings/schema.h"

namespace layerscope {

Dashboard::Dashboard(QWidget* parent)
    : QWidget(parent),
      tabs_(new QTabWidget(this)),
      grid_(new QGridLayout(new QWidget(tabs_))),
      depth_(new DepthProfilePlot(this)),
      histograms_(new LayerHistogramsPlot(this)),
      stdOverTime_(new LayerStdOverTimePlot(this)),
      gradients_(new GradientPlot(this)),
      loss_(new LossAccuracyPlot(this)),
      decision_(new DecisionRegionPlot(this)),
      runList_(new RunList(this)),
      overTime_(new OverTimePage(tabs_)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(tabs_);
  tabs_->setDocumentMode(true);
  tabs_->addTab(grid_->parentWidget(), tr("Overview"));
  tabs_->addTab(overTime_, tr("Over time"));
  tabs_->setTabToolTip(1, tr("Each layer's statistics over training: a layer x step heatmap, "
                             "and one layer's histogram and percentile bands over steps"));
  grid_->setContentsMargins(2, 2, 2, 2);
  grid_->setSpacing(4);
  for (PlotView* plot : plots()) {
    connect(plot, &PlotView::layerClicked, this, [this](int layer) {
      setSelectedLayer(layer == selectedLayer_ ? -1 : layer);  // a second click deselects
      emit layerSelected(selectedLayer_);
    });
    connect(plot, &PlotView::exportRequested, this, &Dashboard::exportRequested);
  }
  connect(runList_, &RunList::visibilityChanged, this, [this](int index, bool shown) {
    if (index < 0 || index >= int(pinnedShown_.size())) return;
    pinnedShown_[index] = shown;
    showPinned();
  });
  connect(decision_, &DecisionRegionPlot::applicabilityChanged, this, &Dashboard::arrange);
  connect(overTime_, &OverTimePage::layerPicked, this, [this](int layer) {
    setSelectedLayer(layer);
    emit layerSelected(selectedLayer_);
  });
  arrange();
}

LayerTimeHeatmapPlot* Dashboard::layerHeatmap() const { return overTime_->heatmap(); }
LayerHistogramOverTimePlot* Dashboard::histogramOverTime() const {
  return overTime_->histogramOverTime();
}
LayerPercentilesPlot* Dashboard::percentiles() const { return overTime_->percentiles(); }

void Dashboard::showOverTime(bool shown) { tabs_->setCurrentWidget(shown ? overTime_ : grid_->parentWidget()); }

std::vector<PlotView*> Dashboard::plots() const {
  std::vector<PlotView*> all = {depth_, histograms_, stdOverTime_, gradients_, loss_, decision_};
  for (PlotView* plot : overTime_->plots()) all.push_back(plot);
  return all;
}

void Dashboard::arrange() {
  for (PlotView* plot : {static_cast<PlotView*>(depth_), static_cast<PlotView*>(histograms_),
                         static_cast<PlotView*>(stdOverTime_), static_cast<PlotView*>(gradients_),
                         static_cast<PlotView*>(loss_), static_cast<PlotView*>(decision_)})
    grid_->removeWidget(plot);
  grid_->addWidget(depth_, 0, 0);
  grid_->addWidget(histograms_, 0, 1);
  grid_->addWidget(stdOverTime_, 1, 0);
  grid_->addWidget(gradients_, 1, 1);
  if (decision_->applicable()) {
    grid_->addWidget(loss_, 2, 0);
    grid_->addWidget(decision_, 2, 1);
    decision_->show();
  } else {
    grid_->addWidget(loss_, 2, 0, 1, 2);
    decision_->hide();
  }
  grid_->addWidget(runList_, 3, 0, 1, 2);  // only as tall as its rows
  for (int c = 0; c < 2; ++c) grid_->setColumnStretch(c, 1);
  for (int r = 0; r < 3; ++r) grid_->setRowStretch(r, 1);
  grid_->setRowStretch(3, 0);
}

void Dashboard::setPinned(const QVector<PinnedRun>& pinned,
                          const std::optional<ExperimentConfig>& current) {
  // A run keeps its shown / hidden state by label when the list changes (another pin).
  std::vector<bool> shown;
  for (const PinnedRun& run : pinned) {
    bool on = true;
    for (int i = 0; i < pinned_.size(); ++i)
      if (pinned_[i].label == run.label && i < int(pinnedShown_.size())) on = pinnedShown_[i];
    shown.push_back(on);
  }
  pinned_ = pinned;
  pinnedShown_ = shown;
  if (current) current_ = current;
  runList_->setRuns(current_, pinned_);
  for (int i = 0; i < pinned_.size(); ++i) runList_->setRunVisible(i + 1, pinnedShown_[i]);
  showPinned();
}

void Dashboard::showPinned() {
  QVector<PinnedRun> shown;
  for (int i = 0; i < pinned_.size(); ++i)
    if (pinnedShown_[i]) shown.append(pinned_[i]);
  depth_->setPinned(shown);
  histograms_->setPinned(shown);
  loss_->setPinned(shown);
  decision_->setPinned(shown);
}

void Dashboard::refreshOverTime(const PlotInputs& inputs) {
  for (PlotView* plot : overTime_->plots()) plot->refresh(inputs);
  overTime_->refresh(inputs);
}

void Dashboard::refresh(const PlotInputs& inputs) {
  for (PlotView* plot : plots()) plot->refresh(inputs);
  overTime_->refresh(inputs);
  if (inputs.experiment && !pinned_.isEmpty() &&
      (!current_ || !sameExperiment(*current_, *inputs.experiment))) {
    current_ = *inputs.experiment;  // the settings changed since the pin: compare again
    runList_->setRuns(current_, pinned_);
  }
  if (inputs.history && !pinned_.isEmpty()) {
    const RunHistory& h = *inputs.history;
    QStringList parts;
    if (!h.trainLoss().empty()) parts << tr("loss %1").arg(formatNumber(h.trainLoss().last().y));
    if (!h.validationAccuracy().empty())
      parts << tr("val. acc. %1").arg(formatNumber(h.validationAccuracy().last().y));
    runList_->setCurrentMetrics(parts.join(QStringLiteral(", ")));
  }
}

void Dashboard::clear() {
  for (PlotView* plot : plots()) plot->clear();
}

void Dashboard::setSelectedLayer(int layer) {
  selectedLayer_ = layer;
  for (PlotView* plot : plots()) plot->setSelectedLayer(layer);
  overTime_->setSelectedLayer(layer);
}

}  // namespace layerscope
