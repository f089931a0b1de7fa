#include "plots/dashboard.h"

#include <QGridLayout>

#include "plots/decision_region_plot.h"
#include "plots/depth_profile_plot.h"
#include "plots/gradient_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/loss_accuracy_plot.h"

namespace layerscope {

Dashboard::Dashboard(QWidget* parent)
    : QWidget(parent),
      grid_(new QGridLayout(this)),
      depth_(new DepthProfilePlot(this)),
      histograms_(new LayerHistogramsPlot(this)),
      stdOverTime_(new LayerStdOverTimePlot(this)),
      gradients_(new GradientPlot(this)),
      loss_(new LossAccuracyPlot(this)),
      decision_(new DecisionRegionPlot(this)) {
  grid_->setContentsMargins(2, 2, 2, 2);
  grid_->setSpacing(4);
  for (PlotView* plot : plots()) {
    connect(plot, &PlotView::layerClicked, this, [this](int layer) {
      setSelectedLayer(layer == selectedLayer_ ? -1 : layer);  // a second click deselects
      emit layerSelected(selectedLayer_);
    });
    connect(plot, &PlotView::exportRequested, this, &Dashboard::exportRequested);
  }
  connect(decision_, &DecisionRegionPlot::applicabilityChanged, this, &Dashboard::arrange);
  arrange();
}

std::vector<PlotView*> Dashboard::plots() const {
  return {depth_, histograms_, stdOverTime_, gradients_, loss_, decision_};
}

void Dashboard::arrange() {
  for (PlotView* plot : plots()) grid_->removeWidget(plot);
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
  for (int c = 0; c < 2; ++c) grid_->setColumnStretch(c, 1);
  for (int r = 0; r < 3; ++r) grid_->setRowStretch(r, 1);
}

void Dashboard::refresh(const PlotInputs& inputs) {
  for (PlotView* plot : plots()) plot->refresh(inputs);
}

void Dashboard::clear() {
  for (PlotView* plot : plots()) plot->clear();
}

void Dashboard::setSelectedLayer(int layer) {
  selectedLayer_ = layer;
  for (PlotView* plot : plots()) plot->setSelectedLayer(layer);
}

}  // namespace layerscope
