#include "plots/loss_accuracy_plot.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QFontMetrics>
#include <QLabel>
#include <QSlider>
#include <algorithm>
#include <cmath>

#include "plots/decimate.h"
#include "plots/ema_smoothing.h"
#include "run/run_history.h"

namespace layerscope {

LossAccuracyPlot::LossAccuracyPlot(QWidget* parent)
    : ChartPlot(tr("Loss and accuracy"), parent) {
  x_ = addValueAxis(Qt::AlignBottom, tr("step"));
  loss_ = addValueAxis(Qt::AlignLeft, tr("loss (cross-entropy)"));
  accuracy_ = addValueAxis(Qt::AlignRight, tr("accuracy"));
  accuracy_->setRange(0, 1);
  accuracy_->setLabelFormat(QStringLiteral("%.1f"));
  accuracy_->setTickCount(6);  // 0.0 0.2 ... 1.0: with 5 ticks "%.1f" rounds 0.25 to "0.2"
  lossRange_.setFloor(0);
  // Raw per-step losses faint behind their smoothing, as TensorBoard draws them.
  trainLoss_ = addLine(trainLossName(), QColor(31, 119, 180, 70), x_, loss_, 1.0);
  smoothedLoss_ = addLine(smoothedTrainLossName(), QColor(31, 119, 180), x_, loss_, 2.0);
  validationLoss_ = addLine(validationLossName(), QColor(214, 39, 40), x_, loss_, 2.0);
  trainAccuracy_ = addLine(trainAccuracyName(), QColor(44, 160, 44), x_, accuracy_, 2.0);
  validationAccuracy_ = addLine(validationAccuracyName(), QColor(255, 127, 14), x_, accuracy_,
                                2.0, Qt::DashLine);
  for (QLineSeries* s : {trainLoss_, smoothedLoss_, validationLoss_, trainAccuracy_,
                         validationAccuracy_}) {
    const QString name = s->name();
    attachHover(s, [name](const QPointF& p) {
      return tr("step %1: %2 = %3").arg(std::llround(p.x())).arg(name).arg(formatNumber(p.y()));
    });
  }
  setIntegerAxisRange(x_, 10);
  setRangeWithRoundTicks(loss_, 0, 1);
  enableNavigation();

  // The newest numbers: on screen in the header above the chart; drawn off screen
  // (layerscope-cli --export-plot) inside the chart, under the legend.
  numbers_ = new QGraphicsSimpleTextItem(chart());
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  numbers_->setFont(f);
  numbers_->setBrush(QColor(40, 40, 40));
  numbers_->setZValue(20);
  numbersMargin_ = 2 * QFontMetrics(f).height() + 6;  // two lines of room under the legend
  connect(chart(), &QChart::plotAreaChanged, this, [this] { placeNumbers(); });

  auto* header = new QWidget;
  header->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);  // the chart takes the rest
  auto* row = new QHBoxLayout(header);
  row->setContentsMargins(6, 2, 6, 0);
  numbersLabel_ = new QLabel;
  numbersLabel_->setObjectName(QStringLiteral("lossNumbers"));
  numbersLabel_->setFont(f);
  numbersLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // Narrow plots cut the numbers, never the slider.
  numbersLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  numbersLabel_->setMinimumWidth(0);
  // Two lines from the start: the header never changes height (which would re-lay out the
  // dashboard's grid when the first numbers arrive).
  numbersLabel_->setFixedHeight(2 * QFontMetrics(f).lineSpacing() + 2);
  row->addWidget(numbersLabel_);
  sliderLabel_ = new QLabel;
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setObjectName(QStringLiteral("lossSmoothing"));
  slider_->setRange(0, 99);
  slider_->setMaximumWidth(160);
  slider_->setMinimumWidth(70);
  slider_->setToolTip(tr("Smoothing of the training loss (TensorBoard's): an exponential moving "
                         "average s_i = w s_(i-1) + (1 - w) loss_i, divided by 1 - w^i so it "
                         "starts unbiased. 0: raw; 0.99: about the last 100 steps."));
  row->setStretch(0, 1);
  sliderLabel_->setFont(f);
  row->addWidget(sliderLabel_);
  row->addWidget(slider_);
  setContent(header);
  placeNumbers();
  connect(slider_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
  slider_->setValue(static_cast<int>(std::lround(smoothing_ * 100)));
  sliderLabel_->setText(tr("smoothing %1").arg(smoothing_, 0, 'f', 2));
}

void LossAccuracyPlot::setSmoothing(double weight) {
  weight = std::clamp(weight, 0.0, 0.99);
  if (weight == smoothing_) return;
  smoothing_ = weight;
  sliderLabel_->setText(tr("smoothing %1").arg(smoothing_, 0, 'f', 2));
  const int v = static_cast<int>(std::lround(weight * 100));
  if (slider_->value() != v) slider_->setValue(v);
  revision_ = 0;  // redraw at the next refresh
  if (lastHistory_) refresh(PlotInputs{nullptr, lastHistory_, nullptr, false, true});
}

void LossAccuracyPlot::zoomWasReset() {
  xRange_.reset();
  lossRange_.reset();
  revision_ = 0;
  if (lastHistory_) refresh(PlotInputs{nullptr, lastHistory_, nullptr, false, true});
}

void LossAccuracyPlot::showEvent(QShowEvent* event) {
  ChartPlot::showEvent(event);
  placeNumbers();
}

void LossAccuracyPlot::placeNumbers() {
  const bool inChart = !isVisible();
  const int bottom = inChart ? numbersMargin_ : 2;
  setBottomReserve(bottom);  // the numbers go under the legend
  numbers_->setVisible(inChart);
  const QRectF area = chart()->plotArea();
  const QRectF whole = chart()->rect();
  numbers_->setPos(area.left(), whole.bottom() - numbers_->boundingRect().height() - 3);
}

QString LossAccuracyPlot::numbersText() const { return numbers_->text(); }

void LossAccuracyPlot::clear() {
  for (QLineSeries* s : {trainLoss_, smoothedLoss_, validationLoss_, trainAccuracy_,
                         validationAccuracy_})
    s->clear();
  numbers_->setText({});
  numbersLabel_->clear();
  lastHistory_ = nullptr;
  xRange_.reset();
  lossRange_.reset();
  revision_ = 0;
  setNote({});
}

void LossAccuracyPlot::setPinned(const QVector<PinnedRun>& pinned) {
  for (QLineSeries* s : pinnedSeries_) {
    chart()->removeSeries(s);
    delete s;
  }
  pinnedSeries_.clear();
  pinnedLossLo_ = INFINITY;
  pinnedLossHi_ = -INFINITY;
  pinnedStepMax_ = 0;
  for (const PinnedRun& run : pinned) {
    // Pinned: thinner and dashed (accuracy dotted), under the current run's solid curves.
    QLineSeries* loss = addLine(run.label, run.color, x_, loss_, 1.4, Qt::DashLine);
    loss->replace(run.trainLoss);
    QLineSeries* accuracy = addLine(pinnedAccuracySeriesName(run.label), run.color, x_,
                                    accuracy_, 1.2, Qt::DotLine);
    accuracy->replace(run.validationAccuracy.isEmpty() ? run.trainAccuracy : run.validationAccuracy);
    hideFromLegend(accuracy);
    for (const QPointF& p : run.trainLoss) {
      pinnedLossLo_ = std::min(pinnedLossLo_, p.y());
      pinnedLossHi_ = std::max(pinnedLossHi_, p.y());
      pinnedStepMax_ = std::max(pinnedStepMax_, p.x());
    }
    const QString label = run.label;
    attachHover(loss, [label](const QPointF& p) {
      return tr("%1, step %2: training loss = %3").arg(label).arg(std::llround(p.x())).arg(formatNumber(p.y()));
    });
    attachHover(accuracy, [label](const QPointF& p) {
      return tr("%1, step %2: accuracy = %3").arg(label).arg(std::llround(p.x())).arg(formatNumber(p.y()));
    });
    pinnedSeries_ << loss << accuracy;
  }
  // The current run on top: series added later are drawn over earlier ones.
  for (QLineSeries* s : {trainLoss_, smoothedLoss_, validationLoss_, trainAccuracy_,
                         validationAccuracy_})
    raiseSeries(s);
  updateLegend();
  revision_ = 0;  // the next refresh fits the axes to the live and the pinned curves
  if (pinnedStepMax_ > 0 && xRange_.fit(0, pinnedStepMax_)) {
    setIntegerAxisRange(x_, xRange_.hi());
  }
  if (pinnedLossHi_ >= pinnedLossLo_ && lossRange_.fit(std::max(0.0, pinnedLossLo_), pinnedLossHi_))
    setRangeWithRoundTicks(loss_, lossRange_.lo(), lossRange_.hi());
  countRedraw();
}

void LossAccuracyPlot::refresh(const PlotInputs& in) {
  if (!in.history || in.history->revision() == revision_) return;
  revision_ = in.history->revision();
  lastHistory_ = in.history;
  const RunHistory& h = *in.history;
  const int columns = plotColumns();
  double lo = pinnedLossLo_, hi = pinnedLossHi_, xMax = std::max(1.0, pinnedStepMax_);
  auto draw = [&](QLineSeries* s, const BoundedSeries& data, bool isLoss) {
    const auto points = data.points();
    const QList<QPointF> drawn = decimateToPixels(points, columns);
    if (isLoss)
      for (const QPointF& p : drawn) {
        lo = std::min(lo, p.y());
        hi = std::max(hi, p.y());
      }
    if (!points.empty()) xMax = std::max(xMax, points.back().x);
    s->replace(drawn);
  };
  draw(trainLoss_, h.trainLoss(), true);
  // Smoothed over every stored step (the older ones are averages of `olderStride` steps), then
  // decimated like the others.
  std::vector<SeriesPoint> loss = h.trainLoss().points();
  std::vector<double> y(loss.size());
  for (std::size_t i = 0; i < loss.size(); ++i) y[i] = loss[i].y;
  y = emaSmooth(y, smoothing_);
  for (std::size_t i = 0; i < loss.size(); ++i) loss[i].y = y[i];
  smoothedLoss_->replace(decimateToPixels(loss, columns));
  draw(validationLoss_, h.validationLoss(), true);
  draw(trainAccuracy_, h.trainAccuracy(), false);
  draw(validationAccuracy_, h.validationAccuracy(), false);
  if (!userZoomed()) {  // a zoomed or panned view keeps the user's range
    if (xRange_.fit(0, xMax)) setIntegerAxisRange(x_, xRange_.hi());  // whole, round steps
    if (hi >= lo && lossRange_.fit(std::max(0.0, lo), hi))
      setRangeWithRoundTicks(loss_, lossRange_.lo(), lossRange_.hi());
  }
  // The newest numbers: what the curves end at.
  const auto latest = [](const BoundedSeries& b) {
    return b.empty() ? QStringLiteral("-") : formatNumber(b.last().y);
  };
  QString text = tr("train loss %1 (smoothed %2)")
                     .arg(latest(h.trainLoss()))
                     .arg(y.empty() ? QStringLiteral("-") : formatNumber(y.back()));
  if (!h.validationLoss().empty()) text += tr("   validation loss %1").arg(latest(h.validationLoss()));
  text += tr("\naccuracy: train %1").arg(latest(h.trainAccuracy()));
  if (!h.validationAccuracy().empty())
    text += tr(", validation %1").arg(latest(h.validationAccuracy()));
  numbers_->setText(text);
  numbersLabel_->setText(text);
  numbersLabel_->setToolTip(text);
  placeNumbers();
  // A diverging run's probe can see non-finite validation losses a step before the training
  // loss itself overflows: say so for both.
  const long bad = h.trainLoss().nonFinite();
  const long badValidation = h.validationLoss().nonFinite();
  QStringList notDrawn;
  if (bad) notDrawn << tr("%1 non-finite training losses").arg(bad);
  if (badValidation) notDrawn << tr("%1 non-finite validation losses").arg(badValidation);
  setNote(notDrawn.isEmpty() ? QString() : tr("Not drawn: %1").arg(notDrawn.join(tr(", "))));
  countRedraw();
}

}  // namespace layerscope
