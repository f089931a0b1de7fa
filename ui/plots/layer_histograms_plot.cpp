#include "plots/layer_histograms_plot.h"

#include "plots/histogram_strip.h"

#include <QActionGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QRegularExpression>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <utility>

#include "training/stats.h"
#include "run/training_types.h"

namespace layerscope {

LayerHistogramsPlot::LayerHistogramsPlot(QWidget* parent)
    : PlotView(tr("Histograms per layer"), parent) {
  auto* content = new QWidget(this);
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(4, 2, 4, 2);
  layout->setSpacing(2);
  auto* header = new QHBoxLayout;
  // "Histograms" on screen: the panels' L1, L2, ... headers say "per layer", and at the
  // window's default width the full title was cut beside the view and mode buttons. Exports
  // draw the full title (plot_export.cpp).
  auto* title = new QLabel(tr("<b>Histograms</b>"), content);
  title->setToolTip(tr("Histograms per layer"));
  modeBox_ = new QComboBox(content);
  modeBox_->addItem(tr("post-activation"));
  modeBox_->addItem(tr("pre-activation"));
  modeBox_->addItem(tr("gradient dL/da"));
  modeBox_->addItem(tr("weights W"));
  modeBox_->addItem(tr("weight gradient dL/dW"));
  modeBox_->setToolTip(tr("Post-activation: the layer's output a = f(z).\n"
                          "Pre-activation: z = W x + b (after batch norm when on), the input of f.\n"
                          "Gradient: dL/da, what back-propagation sends into the layer.\n"
                          "Weights: the incoming W; weight gradient: dL/dW on the probe batch."));
  // View and log counts sit in one small menu button, so the header stays as narrow as it was
  // (the dashboard's columns must not widen).
  auto* viewButton = new QToolButton(content);
  viewButton->setText(tr("view"));
  viewButton->setPopupMode(QToolButton::InstantPopup);
  viewButton->setToolTip(tr("Panels: one histogram per layer.\nHeatmap: one row per layer, colour = "
                            "density; full panels below for the layers you pick.\nAuto: panels up "
                            "to %1 layers, the heatmap beyond.\nLog counts: bar heights (heatmap "
                            "colours) as log(1 + count), so thin tails show next to a tall peak.")
                             .arg(kMaxPanels));
  auto* menu = new QMenu(viewButton);
  auto* group = new QActionGroup(menu);
  const QString viewNames[] = {tr("auto: heatmap beyond %1 layers").arg(kMaxPanels),
                               tr("panels"), tr("heatmap")};
  for (int v = 0; v < 3; ++v) {
    viewActions_[v] = menu->addAction(viewNames[v]);
    viewActions_[v]->setCheckable(true);
    group->addAction(viewActions_[v]);
    connect(viewActions_[v], &QAction::triggered, this, [this, v] { setView(static_cast<View>(v)); });
  }
  viewActions_[0]->setChecked(true);
  menu->addSeparator();
  logAction_ = menu->addAction(tr("log counts"));
  logAction_->setCheckable(true);
  connect(logAction_, &QAction::toggled, this, [this](bool on) { setLogCounts(on); });
  viewButton->setMenu(menu);
  detailEdit_ = new QLineEdit(content);
  detailEdit_->setPlaceholderText(tr("panels: 1, 50, 100"));
  detailEdit_->setToolTip(tr("Layers drawn as full panels under the heatmap (up to %1), e.g. "
                             "\"1, 50, 100\". Double-click a heatmap row to add or remove it.")
                              .arg(kMaxPanels));
  detailEdit_->setMinimumWidth(40);
  detailEdit_->setMaximumWidth(130);
  // The mode box asks for room for "post-activation" (at 8 characters it was cut in the
  // window's default layout; at its longest item's width it cut the title instead) and may
  // shrink to a few characters when there is none; the title may shrink to nothing.
  modeBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  modeBox_->setMinimumContentsLength(15);
  modeBox_->setMinimumWidth(60);
  title->setMinimumWidth(0);
  title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  header->addWidget(title, 1);
  header->addWidget(detailEdit_);
  header->addWidget(viewButton);
  header->addWidget(modeBox_);
  layout->addLayout(header);
  strip_ = new HistogramStrip(this);
  layout->addWidget(strip_, 1);
  setContent(content);
  connect(modeBox_, &QComboBox::currentIndexChanged, this,
          [this](int index) { setMode(static_cast<Mode>(index)); });
  connect(detailEdit_, &QLineEdit::editingFinished, this, [this] {
    std::vector<int> layers;
    const QStringList parts =
        detailEdit_->text().split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString& part : parts) {
      bool ok = false;
      const int layer = part.toInt(&ok);
      if (ok) layers.push_back(layer);
    }
    setDetailLayers(layers);
  });
}

void LayerHistogramsPlot::setMode(Mode mode) {
  mode_ = mode;
  if (modeBox_->currentIndex() != static_cast<int>(mode))
    modeBox_->setCurrentIndex(static_cast<int>(mode));
  rebuild();
}

void LayerHistogramsPlot::setView(View view) {
  view_ = view;
  if (!viewActions_[static_cast<int>(view)]->isChecked())
    viewActions_[static_cast<int>(view)]->setChecked(true);
  strip_->setView(view);
  rebuild();
}

void LayerHistogramsPlot::setLogCounts(bool log) {
  if (logAction_->isChecked() != log) logAction_->setChecked(log);
  strip_->setLog(log);
  countRedraw();
}

bool LayerHistogramsPlot::logCounts() const { return logAction_->isChecked(); }

void LayerHistogramsPlot::setDetailLayers(const std::vector<int>& layers) {
  std::vector<int> sorted = layers;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.size() > size_t(kMaxPanels)) sorted.resize(kMaxPanels);
  strip_->setDetail(sorted);
  QStringList text;
  for (int l : sorted) text << QString::number(l);
  if (detailEdit_->text() != text.join(QStringLiteral(", ")))
    detailEdit_->setText(text.join(QStringLiteral(", ")));
  countRedraw();
}

std::vector<int> LayerHistogramsPlot::detailLayers() const {
  std::vector<int> out;
  for (int i : strip_->detailIndices()) out.push_back(strip_->panels()[i].layer);
  return out;
}

const std::vector<LayerHistogramsPlot::HeaderLabel>& LayerHistogramsPlot::headerLabels() const {
  return strip_->headers();
}
const std::vector<LayerHistogramsPlot::HeaderLabel>& LayerHistogramsPlot::texts() const {
  return strip_->texts();
}
const std::vector<LayerHistogramsPlot::PaintedPanel>& LayerHistogramsPlot::paintedPanels() const {
  return strip_->painted();
}
const std::vector<LayerHistogramsPlot::PaintedRow>& LayerHistogramsPlot::heatmapRows() const {
  return strip_->rows();
}
bool LayerHistogramsPlot::heatmapShown() const { return strip_->heatmapShown(); }

const std::vector<LayerHistogramsPlot::Panel>& LayerHistogramsPlot::panels() const {
  return strip_->panels();
}
double LayerHistogramsPlot::axisLo() const { return strip_->dataLo(); }
double LayerHistogramsPlot::axisHi() const { return strip_->dataHi(); }

void LayerHistogramsPlot::clear() {
  post_.clear();
  pre_.clear();
  gradient_.clear();
  weight_.clear();
  weightGradient_.clear();
  rebuild();
  setNote({});
}

void LayerHistogramsPlot::refresh(const PlotInputs& in) {
  if (!in.snapshotChanged || !in.snapshot) return;
  post_.clear();
  pre_.clear();
  gradient_.clear();
  weight_.clear();
  weightGradient_.clear();
  std::uint64_t nonFinite = 0;
  for (const LayerStats& l : in.snapshot->layers) {
    if (l.kind != "hidden") continue;
    auto make = [&](const Histogram& h, double std) {
      Panel p;
      p.layer = l.layer;
      p.lo = h.lo;
      p.hi = h.hi;
      p.first = h.first;
      p.counts = h.counts;
      p.nonFinite = h.nonFinite;
      p.underflow = h.underflow;
      p.overflow = h.overflow;
      p.zeros = h.zeros;
      p.robustLo = h.robustLo;
      p.robustHi = h.robustHi;
      p.fixedRange = h.fixedRange;
      p.std = std;
      return p;
    };
    post_.push_back(make(l.activationHistogram, l.activation.std));
    post_.back().saturated = l.saturatedFraction;
    pre_.push_back(make(l.preActivationHistogram, l.preActivation.std));
    gradient_.push_back(make(l.gradientHistogram, l.gradientStd));
    weight_.push_back(make(l.weightHistogram, l.weightStd));
    weightGradient_.push_back(make(l.weightGradientHistogram, l.weightGradientStd));
    nonFinite += l.activationHistogram.nonFinite;
  }
  setNote(nonFinite ? tr("Not drawn: %1 non-finite activations").arg(nonFinite) : QString());
  rebuild();
}

void LayerHistogramsPlot::rebuild() {
  std::vector<HistogramStrip::Overlay> overlays;
  const bool pinnable =
      mode_ == Mode::PostActivation || mode_ == Mode::PreActivation || mode_ == Mode::Gradient;
  if (pinnable)
    for (const PinnedRun& run : pinned_)
      overlays.push_back({run.label, run.color,
                          mode_ == Mode::PostActivation ? run.postActivation
                          : mode_ == Mode::PreActivation ? run.preActivation
                                                         : run.gradient});
  switch (mode_) {
    case Mode::PostActivation: strip_->setData(post_, tr("post-activation"), std::move(overlays)); break;
    case Mode::PreActivation: strip_->setData(pre_, tr("pre-activation"), std::move(overlays)); break;
    case Mode::Gradient: strip_->setData(gradient_, tr("gradient"), std::move(overlays)); break;
    case Mode::Weight: strip_->setData(weight_, tr("weights"), std::move(overlays)); break;
    case Mode::WeightGradient:
      strip_->setData(weightGradient_, tr("weight gradient"), std::move(overlays));
      break;
  }
  detailEdit_->setVisible(strip_->heatmapWanted());
  countRedraw();
}

void LayerHistogramsPlot::setPinned(const QVector<PinnedRun>& pinned) {
  pinned_ = pinned;
  rebuild();
}

void LayerHistogramsPlot::setSelectedLayer(int layer) { strip_->setSelected(layer); }

void LayerHistogramsPlot::renderTo(QPainter& painter, const QRectF& target) {
  painter.save();
  painter.translate(target.topLeft());
  const QSize size = strip_->size();
  painter.scale(target.width() / size.width(), target.height() / size.height());
  strip_->paintTo(painter, size);
  painter.restore();
}

}  // namespace layerscope
