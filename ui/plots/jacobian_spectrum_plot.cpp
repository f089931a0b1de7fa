#include "plots/jacobian_spectrum_plot.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "common/number_format.h"

namespace layerscope {
namespace {

constexpr int kBins = 60;

}  // namespace

std::vector<double> logDensity(const std::vector<double>& values, double lo, double hi, int bins) {
  std::vector<double> density(static_cast<size_t>(std::max(0, bins)), 0.0);
  if (bins <= 0 || !(hi > lo)) return density;
  const double width = (hi - lo) / bins;
  long total = 0;
  for (double v : values) {
    if (!(v > 0.0) || !std::isfinite(v)) continue;
    const int b = std::clamp(static_cast<int>(std::floor((std::log10(v) - lo) / width)), 0, bins - 1);
    density[static_cast<size_t>(b)] += 1.0;
    ++total;
  }
  if (total > 0)
    for (double& d : density) d /= static_cast<double>(total) * width;
  return density;
}

std::pair<double, double> logRange(const JacobianSpectrumData& data) {
  double lo = 0.0, hi = 0.0;  // sigma = 1 always in view
  for (const JacobianSpectrumSeries& s : data.series) {
    for (double v : s.singularValues)
      if (v > 0.0 && std::isfinite(v)) {
        lo = std::min(lo, std::log10(v));
        hi = std::max(hi, std::log10(v));
      }
    if (s.predictedMeanSquared > 0.0) {
      const double r = 0.5 * std::log10(s.predictedMeanSquared);
      lo = std::min(lo, r);
      hi = std::max(hi, r);
    }
  }
  lo = std::floor(lo - 0.25);
  hi = std::ceil(hi + 0.25);
  if (hi - lo > 12.0) lo = hi - 12.0;  // a spectrum down to 1e-300 would flatten the rest
  return {lo, hi};
}

class JacobianSpectrumCanvas : public QWidget {
 public:
  explicit JacobianSpectrumCanvas(QWidget* parent) : QWidget(parent) { setMinimumSize(480, 320); }

  JacobianSpectrumData data;

  void paintTo(QPainter& p, const QSizeF& size) const {
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    const QFontMetricsF fm(p.font());
    const double line = fm.height();
    const double captionHeight =
        data.caption.isEmpty()
            ? 0.0
            : fm.boundingRect(QRectF(0, 0, size.width() - 16, 1e6), Qt::AlignLeft | Qt::TextWordWrap,
                              data.caption)
                      .height() +
                  4.0;
    const double legendHeight = (static_cast<double>(data.series.size()) + 1.0) * line + 6.0;
    const QRectF plot(QPointF(62, 12 + legendHeight),
                      QPointF(size.width() - 16, size.height() - 44 - captionHeight));
    if (plot.width() < 20 || plot.height() < 20) {
      p.restore();
      return;
    }
    // Named variables, not a structured binding: C++17 lambdas may not capture those (clang).
    const auto range = logRange(data);
    const double lo = range.first, hi = range.second;
    std::vector<std::vector<double>> densities;
    double top = 0.0;
    for (const JacobianSpectrumSeries& s : data.series) {
      densities.push_back(logDensity(s.singularValues, lo, hi, kBins));
      for (double d : densities.back()) top = std::max(top, d);
    }
    top = top > 0.0 ? 1.08 * top : 1.0;
    const auto xOf = [&](double logSigma) {
      return plot.left() + (logSigma - lo) / (hi - lo) * plot.width();
    };
    const auto yOf = [&](double d) { return plot.bottom() - d / top * plot.height(); };

    // Axes, ticks at whole decades.
    p.setPen(QPen(QColor(90, 90, 90), 1));
    p.drawRect(plot);
    // Values below the axis (a product of many Gaussian matrices reaches rounding, ~1e-16 of
    // the largest) are counted in the first bin: its label says so.
    bool below = false;
    for (const JacobianSpectrumSeries& s : data.series)
      for (double v : s.singularValues) below = below || !(v >= std::pow(10.0, lo));
    const int step = hi - lo > 8 ? 2 : 1;
    for (int k = static_cast<int>(lo); k <= static_cast<int>(hi); k += step) {
      const double x = xOf(k);
      p.setPen(QPen(QColor(225, 225, 225), 1));
      p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
      p.setPen(QColor(60, 60, 60));
      QString label = k == 0 ? QStringLiteral("1") : QStringLiteral("1e%1").arg(k);
      if (below && k == static_cast<int>(lo)) label.prepend(QStringLiteral("<= "));
      p.drawText(QRectF(x - 40, plot.bottom() + 3, 80, line), Qt::AlignCenter, label);
    }
    for (int i = 0; i <= 4; ++i) {
      const double d = top / 1.08 * i / 4.0;
      p.drawText(QRectF(0, yOf(d) - line / 2, plot.left() - 6, line), Qt::AlignRight | Qt::AlignVCenter,
                 formatNumber(d));
    }
    p.drawText(QRectF(plot.left(), plot.bottom() + line + 4, plot.width(), line), Qt::AlignCenter,
               QObject::tr("singular value sigma of the input-output Jacobian (log scale)"));
    p.save();
    p.translate(14, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -line / 2, plot.height(), line), Qt::AlignCenter,
               QObject::tr("density per decade"));
    p.restore();

    // sigma = 1: dynamical isometry.
    p.setPen(QPen(QColor(40, 40, 40), 1.5, Qt::DotLine));
    p.drawLine(QPointF(xOf(0), plot.top()), QPointF(xOf(0), plot.bottom()));

    const double binWidth = (hi - lo) / kBins;
    for (size_t i = 0; i < data.series.size(); ++i) {
      const JacobianSpectrumSeries& s = data.series[i];
      QPainterPath outline(QPointF(xOf(lo), yOf(0)));
      for (int b = 0; b < kBins; ++b) {
        const double y = yOf(densities[i][static_cast<size_t>(b)]);
        outline.lineTo(xOf(lo + b * binWidth), y);
        outline.lineTo(xOf(lo + (b + 1) * binWidth), y);
      }
      outline.lineTo(xOf(hi), yOf(0));
      QColor fill = s.color;
      fill.setAlphaF(0.18);
      p.fillPath(outline, fill);
      p.setPen(QPen(s.color, 1.6));
      p.drawPath(outline);
      if (s.predictedMeanSquared > 0.0) {
        // The mean field's RMS singular value, sqrt(prod_l chi_l).
        const double x = xOf(0.5 * std::log10(s.predictedMeanSquared));
        p.setPen(QPen(s.color, 1.6, Qt::DashLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
      }
    }

    // Legend above the plot.
    double y = 6;
    for (const JacobianSpectrumSeries& s : data.series) {
      p.fillRect(QRectF(plot.left(), y + line * 0.3, 18, line * 0.4), s.color);
      p.setPen(QColor(30, 30, 30));
      QString text = QObject::tr("%1: mean sigma^2 %2").arg(s.label, formatNumber(s.meanSquared));
      if (s.predictedMeanSquared > 0.0)
        text += QObject::tr(", theory prod chi_l %1 (dashed: its root)").arg(formatNumber(s.predictedMeanSquared));
      p.drawText(QRectF(plot.left() + 24, y, plot.width() - 24, line), Qt::AlignLeft | Qt::AlignVCenter,
                 text);
      y += line;
    }
    p.setPen(QColor(30, 30, 30));
    p.drawText(QRectF(plot.left() + 24, y, plot.width() - 24, line), Qt::AlignLeft | Qt::AlignVCenter,
               QObject::tr("dotted: sigma = 1, dynamical isometry (a deep linear orthogonal net has every sigma there)"));
    if (!data.caption.isEmpty()) {
      p.setPen(QColor(110, 110, 110));
      p.drawText(QRectF(8, size.height() - captionHeight - 4, size.width() - 16, captionHeight),
                 Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, data.caption);
    }
    p.restore();
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    paintTo(painter, size());
  }
};

JacobianSpectrumPlot::JacobianSpectrumPlot(QWidget* parent)
    : PlotView(tr("Jacobian spectrum"), parent), canvas_(new JacobianSpectrumCanvas(this)) {
  setContent(canvas_);
}

void JacobianSpectrumPlot::setData(const JacobianSpectrumData& data) {
  canvas_->data = data;
  countRedraw();
  canvas_->update();
}

const JacobianSpectrumData& JacobianSpectrumPlot::data() const { return canvas_->data; }

void JacobianSpectrumPlot::clear() {
  canvas_->data = JacobianSpectrumData{};
  canvas_->update();
}

void JacobianSpectrumPlot::renderTo(QPainter& painter, const QRectF& target) {
  painter.save();
  painter.translate(target.topLeft());
  canvas_->paintTo(painter, target.size());
  painter.restore();
}

}  // namespace layerscope
