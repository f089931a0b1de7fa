#include "plots/over_time_page.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <algorithm>

#include "plots/layer_histogram_over_time_plot.h"
#include "plots/layer_percentiles_plot.h"
#include "plots/layer_time_heatmap_plot.h"
#include "training/stats.h"

namespace layerscope {

OverTimePage::OverTimePage(QWidget* parent)
    : QWidget(parent),
      statistic_(new QComboBox(this)),
      layer_(new QComboBox(this)),
      quantity_(new QComboBox(this)),
      heatmap_(new LayerTimeHeatmapPlot(this)),
      histogram_(new LayerHistogramOverTimePlot(this)),
      percentiles_(new LayerPercentilesPlot(this)) {
  statistic_->setObjectName(QStringLiteral("overTimeStatistic"));
  layer_->setObjectName(QStringLiteral("overTimeLayer"));
  quantity_->setObjectName(QStringLiteral("overTimeQuantity"));
  for (int i = 0; i < OverTimePlot::kQuantities; ++i)
    quantity_->addItem(OverTimePlot::quantityName(OverTimePlot::Quantity(i)), i);
  quantity_->setToolTip(tr("What the layer's histogram and percentiles show: its output, the input "
                           "of its activation, or the gradient dL/da of the loss at its output"));
  using Statistic = LayerTimeHeatmapPlot::Statistic;
  for (int i = 0; i < LayerTimeHeatmapPlot::kStatistics; ++i)
    statistic_->addItem(LayerTimeHeatmapPlot::statisticName(Statistic(i)), i);
  statistic_->setToolTip(tr("The statistic the heatmap colours: one row per layer, one column per "
                            "probe step. Stds and the update ratio on a log scale, fractions 0..1."));
  layer_->setToolTip(tr("The layer whose histogram and percentiles are shown on the right (or "
                        "click a heatmap row)"));
  fillLayers(0);
  // The pickers may shrink to a few characters: the tab must not widen the window's minimum
  // (the overview's plots set it).
  // The statistic box asks for the width of its common names ("saturated fraction"), not of
  // its longest ("effective rank / min(units, samples - 1)"), which left the layer and quantity
  // boxes cut ("post-activatio") in the window's default layout; its list shows every name whole.
  statistic_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  statistic_->setMinimumContentsLength(20);
  statistic_->view()->setMinimumWidth(statistic_->view()->sizeHintForColumn(0) + 24);
  for (QComboBox* box : {statistic_, layer_, quantity_}) {
    box->setMinimumWidth(60);  // shown at full width (sizeHint) whenever there is room
    box->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  }

  auto* top = new QHBoxLayout;
  top->setContentsMargins(6, 2, 6, 2);
  top->addWidget(new QLabel(tr("Heatmap statistic:"), this));
  top->addWidget(statistic_);
  top->addSpacing(16);
  top->addWidget(new QLabel(tr("Layer:"), this));
  top->addWidget(layer_);
  top->addWidget(quantity_);
  top->addStretch(1);
  auto* grid = new QGridLayout;
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setSpacing(4);
  grid->addWidget(heatmap_, 0, 0, 2, 1);
  grid->addWidget(histogram_, 0, 1);
  grid->addWidget(percentiles_, 1, 1);
  grid->setColumnStretch(0, 1);
  grid->setColumnStretch(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(top);
  layout->addLayout(grid, 1);

  connect(statistic_, &QComboBox::currentIndexChanged, this, [this] {
    heatmap_->setStatistic(Statistic(statistic_->currentData().toInt()));
  });
  connect(quantity_, &QComboBox::currentIndexChanged, this, [this] {
    const auto q = OverTimePlot::Quantity(quantity_->currentData().toInt());
    histogram_->setQuantity(q);
    percentiles_->setQuantity(q);
  });
  connect(layer_, &QComboBox::currentIndexChanged, this, [this] {
    const int layer = layer_->currentData().toInt();
    if (layer != selected_) emit layerPicked(layer);
  });
}

std::vector<PlotView*> OverTimePage::plots() const { return {heatmap_, histogram_, percentiles_}; }

void OverTimePage::fillLayers(int layerCount) {
  layerCount_ = layerCount;
  const QSignalBlocker block(layer_);
  layer_->clear();
  layer_->addItem(tr("last hidden (auto)"), -1);
  for (int l = 0; l < layerCount; ++l) {
    const QString what = l == 0 ? tr(" (input)") : l == layerCount - 1 ? tr(" (logits)") : QString();
    layer_->addItem(tr("layer %1%2").arg(l).arg(what), l);
  }
  layer_->setCurrentIndex(std::max(0, layer_->findData(selected_)));
}

void OverTimePage::refresh(const PlotInputs& inputs) {
  if (inputs.snapshot && int(inputs.snapshot->layers.size()) != layerCount_)
    fillLayers(static_cast<int>(inputs.snapshot->layers.size()));
}

void OverTimePage::setSelectedLayer(int layer) {
  selected_ = layer;
  const QSignalBlocker block(layer_);
  layer_->setCurrentIndex(std::max(0, layer_->findData(layer)));
}

}  // namespace layerscope
