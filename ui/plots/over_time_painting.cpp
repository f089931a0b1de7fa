#include "plots/over_time_painting.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <array>
#include <cmath>

#include "common/number_format.h"
#include "plots/chart_plot.h"

namespace layerscope {

namespace {
const QColor kTextColour(30, 30, 30);
}

PaintCanvas::PaintCanvas(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setMinimumSize(160, 120);
}

void PaintCanvas::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  if (paint) paint(painter, QRectF(rect()));
}

void PaintCanvas::mouseMoveEvent(QMouseEvent* event) {
  const QString text = hoverText ? hoverText(event->position()) : QString();
  if (text.isEmpty()) QToolTip::hideText();
  else QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void PaintCanvas::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && clicked) clicked(event->position());
  QWidget::mousePressEvent(event);
}

double ColourScale::position(double value) const {
  if (!std::isfinite(value)) return std::nan("");
  double t;
  if (log) {
    if (!(value > 0.0)) return std::nan("");
    t = (std::log10(value) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  } else {
    t = (value - lo) / (hi - lo);
  }
  if (!std::isfinite(t)) t = 0.5;  // lo == hi: one colour
  return std::clamp(t, 0.0, 1.0);
}

QColor ColourScale::colour(double value) const {
  const double t = position(value);
  if (std::isnan(t)) return QColor(200, 200, 200);
  // chart_plot.h's viridis ramp, sampled finely.
  return layerColor(static_cast<int>(std::lround(t * 1000.0)), 1001);
}

QRgb ColourScale::rgb(double value) const {
  // Filling an image pixel by pixel through QColor cost ~30 ms a redraw at 700 x 400; a table
  // of the ramp and one position() per pixel cost ~2 ms.
  static const std::array<QRgb, 256> table = [] {
    std::array<QRgb, 256> t{};
    for (int i = 0; i < 256; ++i) t[std::size_t(i)] = layerColor(i, 256).rgb();
    return t;
  }();
  const double t = position(value);
  if (std::isnan(t)) return qRgb(200, 200, 200);
  return table[std::size_t(std::clamp(static_cast<int>(t * 255.0 + 0.5), 0, 255))];
}

ColourScale ColourScale::fit(const std::vector<double>& values, bool log, double maxDecades) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values) {
    if (!std::isfinite(v) || (log && !(v > 0.0))) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  ColourScale s;
  s.log = log;
  if (!(lo <= hi)) return s;  // nothing to show: [0, 1] (or [1, 10])
  if (log) {
    lo = std::max(lo, hi * std::pow(10.0, -maxDecades));
    // Whole decades: the bar's ticks then sit at its ends.
    s.lo = std::pow(10.0, std::floor(std::log10(lo)));
    s.hi = std::pow(10.0, std::ceil(std::log10(hi)));
    if (s.hi <= s.lo) s.hi = s.lo * 10.0;
  } else {
    s.lo = lo;
    s.hi = hi > lo ? hi : lo + 1.0;
    // A fraction's scale keeps 0 as its bottom, so the colour of "none" never changes.
    if (lo >= 0.0 && hi <= 1.0) s.lo = 0.0, s.hi = std::max(hi, 1e-3);
  }
  return s;
}

std::vector<double> roundTicks(double lo, double hi, int about, bool log) {
  std::vector<double> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  if (log) {
    const int a = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
    const int b = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
    const int every = std::max(1, (b - a + about - 1) / std::max(1, about));
    for (int k = a; k <= b; ++k)
      if ((k - a) % every == 0) ticks.push_back(std::pow(10.0, k));
    return ticks;
  }
  const double raw = (hi - lo) / std::max(1, about);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return ticks;
}

QString firstThatFits(const QFontMetricsF& metrics, const std::vector<QString>& choices, double width) {
  for (const QString& text : choices)
    if (metrics.horizontalAdvance(text) + 2 <= width) return text;
  return choices.empty() ? QString() : choices.back();
}

bool drawTextClear(QPainter& painter, const QPointF& at, Qt::Alignment flags, const QString& text,
                   std::vector<PaintedText>* texts) {
  const QFontMetricsF fm(painter.font());
  const QSizeF size(fm.horizontalAdvance(text) + 2, fm.height());
  QPointF topLeft = at;
  if (flags & Qt::AlignRight) topLeft.rx() -= size.width();
  else if (flags & Qt::AlignHCenter) topLeft.rx() -= size.width() / 2;
  if (flags & Qt::AlignBottom) topLeft.ry() -= size.height();
  else if (flags & Qt::AlignVCenter) topLeft.ry() -= size.height() / 2;
  const QRectF box(topLeft, size);
  if (texts) {
    for (const PaintedText& t : *texts)
      if (t.box.intersects(box)) return false;
    texts->push_back({text, box});
  }
  painter.drawText(box, Qt::AlignCenter, text);
  return true;
}

double colourBarSpace(const QFontMetricsF& fm) {
  // gap + bar + tick and gap (5) + the widest tick label + the title's line + margin (6):
  // drawColourBar puts the title's far side at bar.right() + 5 + label + height.
  return 10 + kColourBarWidth + 5 + fm.horizontalAdvance(QStringLiteral("0.0000")) + fm.height() + 6;
}

void drawColourBar(QPainter& painter, const QRectF& bar, const ColourScale& scale,
                   const QString& title, std::vector<PaintedText>* texts) {
  if (bar.height() < 4 || bar.width() < 2) return;
  const int rows = std::max(2, static_cast<int>(bar.height()));
  QImage image(1, rows, QImage::Format_RGB32);
  for (int r = 0; r < rows; ++r) {
    const double t = 1.0 - (r + 0.5) / rows;
    const double v = scale.log ? std::pow(10.0, std::log10(scale.lo) +
                                                    t * (std::log10(scale.hi) - std::log10(scale.lo)))
                               : scale.lo + t * (scale.hi - scale.lo);
    image.setPixelColor(0, r, scale.colour(v));
  }
  painter.drawImage(bar, image);
  painter.setPen(QColor(120, 120, 120));
  painter.drawRect(bar);
  painter.setPen(kTextColour);
  const QFontMetricsF fm(painter.font());
  const int about = std::max(2, static_cast<int>(bar.height() / (2.5 * fm.height())));
  for (double v : roundTicks(scale.lo, scale.hi, about, scale.log)) {
    const double t = scale.position(v);
    const double y = bar.bottom() - t * bar.height();
    painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y));
    // Powers of ten as 1e-4, not 1.00e-04.
    const double k = std::log10(v);
    const QString text = scale.log && (v < 1e-3 || v >= 1e5) && std::abs(k - std::round(k)) < 1e-9
                             ? QStringLiteral("1e%1").arg(std::lround(k))
                             : formatNumber(v);
    drawTextClear(painter, QPointF(bar.right() + 5, y), Qt::AlignLeft | Qt::AlignVCenter, text, texts);
  }
  if (!title.isEmpty()) {
    // The title runs up the bar's right side, clear of the tick labels.
    painter.save();
    painter.translate(bar.right() + 5 + fm.horizontalAdvance(QStringLiteral("0.0000")) + fm.height(),
                      bar.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-bar.height() / 2, -fm.height(), bar.height(), fm.height()),
                     Qt::AlignCenter, title);
    painter.restore();
  }
}

void drawStepAxis(QPainter& painter, const QRectF& plot, double firstStep, double lastStep,
                  std::vector<PaintedText>* texts) {
  const QFontMetricsF fm(painter.font());
  painter.setPen(kTextColour);
  if (!(lastStep > firstStep)) {
    drawTextClear(painter, QPointF(plot.center().x(), plot.bottom() + 3), Qt::AlignHCenter | Qt::AlignTop,
                  QObject::tr("step %1").arg(static_cast<long>(firstStep)), texts);
    return;
  }
  const int about = std::max(2, static_cast<int>(plot.width() / (fm.horizontalAdvance(QStringLiteral("000000")) * 2)));
  for (double s : roundTicks(firstStep, lastStep, about)) {
    const double x = plot.left() + (s - firstStep) / (lastStep - firstStep) * plot.width();
    painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3));
    drawTextClear(painter, QPointF(x, plot.bottom() + 3), Qt::AlignHCenter | Qt::AlignTop,
                  QString::number(static_cast<long long>(std::llround(s))), texts);
  }
  drawTextClear(painter, QPointF(plot.right(), plot.bottom() + 3 + fm.height()),
                Qt::AlignRight | Qt::AlignTop, QObject::tr("step"), texts);
}

QString valueAxisLabel(double v) {
  const double a = std::abs(v);
  if (a == 0 || !std::isfinite(v) || (a >= 1e-2 && a < 1e5)) return formatNumber(v);
  int k = static_cast<int>(std::floor(std::log10(a)));
  double m = v / std::pow(10.0, k);
  if (std::abs(std::round(m * 10) / 10) >= 10) m /= 10, ++k;  // 9.96e-7 -> 1e-6
  return QStringLiteral("%1e%2").arg(QString::number(m, 'g', 2)).arg(k);
}

void drawValueAxis(QPainter& painter, const QRectF& plot, double lo, double hi,
                   const QString& title, std::vector<PaintedText>* texts) {
  const QFontMetricsF fm(painter.font());
  painter.setPen(kTextColour);
  if (hi > lo) {
    const int about = std::max(2, static_cast<int>(plot.height() / (2.5 * fm.height())));
    for (double v : roundTicks(lo, hi, about)) {
      const double y = plot.bottom() - (v - lo) / (hi - lo) * plot.height();
      painter.drawLine(QPointF(plot.left() - 3, y), QPointF(plot.left(), y));
      // Kept within the plot's height, so the end labels leave the step axis' room.
      const double at = std::clamp(y, plot.top() + fm.height() / 2, plot.bottom() - fm.height() / 2);
      drawTextClear(painter, QPointF(plot.left() - 4, at), Qt::AlignRight | Qt::AlignVCenter,
                    valueAxisLabel(v), texts);
    }
  }
  painter.save();
  painter.translate(plot.left() - fm.horizontalAdvance(kWidestValueLabel) - 8 - fm.height(),
                    plot.center().y());
  painter.rotate(-90);
  painter.drawText(QRectF(-plot.height() / 2, 0, plot.height(), fm.height()), Qt::AlignCenter, title);
  painter.restore();
}

std::vector<int> snapshotPerColumn(const std::vector<long>& steps, int columns) {
  std::vector<int> out;
  if (steps.empty() || columns <= 0) return out;
  out.resize(static_cast<std::size_t>(columns));
  const double a = double(steps.front()), b = double(steps.back());
  for (int c = 0; c < columns; ++c) {
    // The snapshot nearest the column's middle step.
    const double mid = a + (c + 0.5) / columns * (b - a);
    const auto it = std::lower_bound(steps.begin(), steps.end(), mid,
                                     [](long s, double m) { return double(s) < m; });
    std::size_t i = static_cast<std::size_t>(it - steps.begin());
    if (i == steps.size() || (i > 0 && mid - double(steps[i - 1]) <= double(steps[i]) - mid)) --i;
    out[static_cast<std::size_t>(c)] = static_cast<int>(i);
  }
  return out;
}

}  // namespace layerscope
