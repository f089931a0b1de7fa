#include "plots/decision_region_plot.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <cmath>

#include "plots/chart_plot.h"
#include "plots/smooth_range.h"

namespace layerscope {

QColor classColor(int label) {
  static const QColor colors[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                  QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75),
                                  QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34),
                                  QColor(23, 190, 207)};
  return colors[((label % 10) + 10) % 10];
}

namespace {

// Class colour per grid point, blended towards white by the uncertainty: a confident region is
// saturated. Row 0 of the grid is yMin: the bottom of the image.
QImage gridImage(const DecisionGrid& grid) {
  const int r = grid.resolution;
  QImage image(r, r, QImage::Format_RGB32);
  for (int row = 0; row < r; ++row)
    for (int c = 0; c < r; ++c) {
      const size_t i = static_cast<size_t>(row) * r + c;
      const QColor base = classColor(grid.classIndex[i]);
      const double k = std::clamp((grid.confidence[i] - 0.3) / 0.7, 0.0, 1.0) * 0.55 + 0.15;
      const QColor mixed = QColor::fromRgbF(1 - k * (1 - base.redF()), 1 - k * (1 - base.greenF()),
                                            1 - k * (1 - base.blueF()));
      image.setPixel(c, r - 1 - row, mixed.rgb());
    }
  return image;
}

bool validGrid(const DecisionGrid& g) {
  return g.resolution > 0 &&
         g.classIndex.size() == static_cast<size_t>(g.resolution) * g.resolution &&
         g.confidence.size() == g.classIndex.size();
}

}  // namespace

class DecisionCanvas : public QWidget {
 public:
  explicit DecisionCanvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(200, 150);
  }
  void setGrid(const DecisionGrid& grid) {
    grid_ = grid;
    image_ = gridImage(grid);
    update();
  }
  void setPoints(const PointCloud& points) {
    points_ = points;
    update();
  }
  // The regions of a pinned run, drawn to the left of the live ones (none: grid resolution 0).
  void setPinned(const DecisionGrid& grid, const PointCloud& points, const QString& label,
                 const QColor& color) {
    pinnedGrid_ = grid;
    pinnedImage_ = validGrid(grid) ? gridImage(grid) : QImage();
    pinnedPoints_ = points;
    pinnedLabel_ = label;
    pinnedColor_ = color;
    update();
  }
  void clear() {
    grid_ = DecisionGrid{};
    image_ = QImage();
    update();
  }
  const DecisionGrid& grid() const { return grid_; }
  const QImage& image() const { return image_; }
  const PointCloud& points() const { return points_; }
  bool hasPinned() const { return !pinnedImage_.isNull(); }
  const QString& pinnedLabel() const { return pinnedLabel_; }

  void paintTo(QPainter& p, const QSize& size) {
    p.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const int text = QFontMetrics(font()).height();
    p.setPen(Qt::black);
    p.drawText(QRect(0, 2, size.width(), text + 2), Qt::AlignHCenter,
               QObject::tr("Decision regions (2-D data)"));
    p.setFont(font());
    if (grid_.resolution == 0) {
      p.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, QObject::tr("No 2-D data set"));
      return;
    }
    if (!hasPinned()) {
      area_ = paintPanel(p, QRectF(0, text + 8, size.width(), size.height() - text - 8), grid_,
                         image_, points_, QString(), Qt::black);
      return;
    }
    // Side by side: the pinned run on the left, the live run on the right, on the same scale.
    const double half = size.width() / 2.0;
    const QRectF below(0, text + 6, half, size.height() - text - 6);
    paintPanel(p, below, pinnedGrid_, pinnedImage_, pinnedPoints_, pinnedLabel_, pinnedColor_);
    area_ = paintPanel(p, below.translated(half, 0), grid_, image_, points_,
                       QObject::tr("live run"), Qt::black);
  }

 private:
  // One panel in `box`: an optional caption, the square region image, the points and ticks.
  // Returns the plot area (where the tooltips look).
  QRectF paintPanel(QPainter& p, const QRectF& box, const DecisionGrid& grid, const QImage& image,
                    const PointCloud& points, const QString& caption, const QColor& captionColor) {
    const int text = QFontMetrics(font()).height();
    double top = box.top();
    if (!caption.isEmpty()) {
      p.setPen(captionColor);
      p.drawText(QRectF(box.left() + 4, top, box.width() - 8, text + 2),
                 Qt::AlignHCenter | Qt::TextSingleLine,
                 QFontMetrics(font()).elidedText(caption, Qt::ElideRight,
                                                 static_cast<int>(box.width()) - 8));
      top += text + 2;
    }
    // A square plot area, so distances look the same along both axes.
    const double side = std::max(10.0, std::min(box.width() - 60, box.bottom() - top - text - 16));
    const QRectF area(box.left() + (box.width() - side) / 2.0 + 16, top, side, side);
    const auto toScreen = [&](double x, double y) {
      return QPointF(area.left() + area.width() * (x - grid.xMin) / (grid.xMax - grid.xMin),
                     area.bottom() - area.height() * (y - grid.yMin) / (grid.yMax - grid.yMin));
    };
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(area, image);
    p.setRenderHint(QPainter::Antialiasing, true);
    for (size_t i = 0; i < points.x.size(); ++i) {
      const QPointF at = toScreen(points.x[i], points.y[i]);
      if (!area.contains(at)) continue;
      p.setPen(QPen(QColor(30, 30, 30), 0.6));
      p.setBrush(classColor(points.label[i]));
      p.drawEllipse(at, 3.0, 3.0);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QColor(120, 120, 120));
    p.drawRect(area);
    // ticks at nice numbers
    const QFont normal = p.font();
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    auto ticks = [](double lo, double hi) {
      std::vector<double> t;
      const double step = niceCeil((hi - lo) / 5);
      for (double v = std::ceil(lo / step) * step; v <= hi; v += step) t.push_back(v);
      return t;
    };
    for (double v : ticks(grid.xMin, grid.xMax)) {
      const double x = toScreen(v, grid.yMin).x();
      p.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + 4));
      p.drawText(QRectF(x - 30, area.bottom() + 4, 60, text), Qt::AlignHCenter, formatNumber(v));
    }
    for (double v : ticks(grid.yMin, grid.yMax)) {
      const double y = toScreen(grid.xMin, v).y();
      p.drawLine(QPointF(area.left() - 4, y), QPointF(area.left(), y));
      p.drawText(QRectF(area.left() - 46, y - text / 2.0, 40, text), Qt::AlignRight, formatNumber(v));
    }
    p.setFont(normal);
    return area;
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    paintTo(p, size());
  }
  void mouseMoveEvent(QMouseEvent* e) override {
    if (grid_.resolution == 0 || !area_.contains(e->position())) {
      QToolTip::hideText();
      return;
    }
    const double fx = (e->position().x() - area_.left()) / area_.width();
    const double fy = (area_.bottom() - e->position().y()) / area_.height();
    const int r = grid_.resolution;
    const int c = std::clamp(static_cast<int>(fx * r), 0, r - 1);
    const int row = std::clamp(static_cast<int>(fy * r), 0, r - 1);
    const size_t i = static_cast<size_t>(row) * r + c;
    QToolTip::showText(e->globalPosition().toPoint(),
                       QObject::tr("(%1, %2): class %3, probability %4")
                           .arg(formatNumber(grid_.xMin + fx * (grid_.xMax - grid_.xMin)))
                           .arg(formatNumber(grid_.yMin + fy * (grid_.yMax - grid_.yMin)))
                           .arg(grid_.classIndex[i]).arg(grid_.confidence[i], 0, 'f', 3),
                       this);
  }

 private:
  DecisionGrid grid_;
  QImage image_;
  PointCloud points_;
  QRectF area_;
  DecisionGrid pinnedGrid_;
  QImage pinnedImage_;
  PointCloud pinnedPoints_;
  QString pinnedLabel_;
  QColor pinnedColor_;
};

DecisionRegionPlot::DecisionRegionPlot(QWidget* parent)
    : PlotView(tr("Decision regions"), parent), canvas_(new DecisionCanvas(this)) {
  setContent(canvas_);
}

void DecisionRegionPlot::refresh(const PlotInputs& in) {
  const bool before = applicable();
  if (in.points && in.points->x.size() != canvas_->points().x.size()) canvas_->setPoints(*in.points);
  if (in.snapshotChanged && in.snapshot) {
    if (in.snapshot->decision.resolution > 0 &&
        in.snapshot->decision.classIndex.size() ==
            static_cast<size_t>(in.snapshot->decision.resolution) * in.snapshot->decision.resolution) {
      canvas_->setGrid(in.snapshot->decision);
      countRedraw();
    } else if (canvas_->grid().resolution != 0) {
      canvas_->clear();
    }
  }
  if (before != applicable()) emit applicabilityChanged(applicable());
}

void DecisionRegionPlot::clear() {
  const bool before = applicable();
  canvas_->clear();
  canvas_->setPoints(PointCloud{});
  if (before != applicable()) emit applicabilityChanged(applicable());
}

void DecisionRegionPlot::setPinned(const QVector<PinnedRun>& pinned) {
  // The newest pinned run that has regions: a lesson pins its first run, then trains the next.
  for (auto it = pinned.rbegin(); it != pinned.rend(); ++it)
    if (validGrid(it->decision)) {
      canvas_->setPinned(it->decision, it->points, it->label, it->color);
      return;
    }
  canvas_->setPinned(DecisionGrid{}, PointCloud{}, QString(), QColor());
}

bool DecisionRegionPlot::hasPinned() const { return canvas_->hasPinned(); }
QString DecisionRegionPlot::pinnedLabel() const { return canvas_->pinnedLabel(); }

bool DecisionRegionPlot::applicable() const { return canvas_->grid().resolution > 0; }
const DecisionGrid& DecisionRegionPlot::grid() const { return canvas_->grid(); }
const QImage& DecisionRegionPlot::image() const { return canvas_->image(); }
int DecisionRegionPlot::pointCount() const { return static_cast<int>(canvas_->points().x.size()); }

void DecisionRegionPlot::renderTo(QPainter& painter, const QRectF& target) {
  painter.save();
  painter.translate(target.topLeft());
  const QSize size = canvas_->size();
  painter.scale(target.width() / size.width(), target.height() / size.height());
  canvas_->paintTo(painter, size);
  painter.restore();
}

}  // namespace layerscope
