#include "plots/plot_export.h"

#include <QApplication>
#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

#include "common/atomic_save.h"
#include "plots/layer_histograms_plot.h"
#include "plots/plot_view.h"

namespace layerscope {

namespace {

// Gives `area` the export size for the lifetime of this object. Resize events and layouts run
// synchronously for a visible widget, so the plots are laid out at the new size when render()
// runs; the old size comes back before the event loop paints anything.
class TemporarySize {
 public:
  TemporarySize(QWidget* area, QSize size) : area_(area), old_(area->size()) {
    if (!size.isValid() || size == old_) return;
    changed_ = true;
    apply(size);
  }
  ~TemporarySize() {
    if (changed_) apply(old_);
  }

 private:
  void apply(QSize size) {
    area_->resize(size);
    if (area_->layout()) area_->layout()->activate();
    // Qt Charts lays its charts out on posted LayoutRequest events.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
  }
  QWidget* area_;
  QSize old_;
  bool changed_ = false;
};

QRectF rectIn(QWidget* area, PlotView* plot) {
  if (plot == area) return QRectF(QPointF(0, 0), QSizeF(plot->size()));
  return QRectF(plot->mapTo(area, QPoint(0, 0)), QSizeF(plot->size()));
}

// The histogram strip renders only its panels: on screen its title and quantity are widgets
// above it. An exported figure must say what it shows, so draw them as a header.
QRectF drawHistogramHeader(QPainter& painter, LayerHistogramsPlot* plot, QRectF rect) {
  static const char* const quantities[] = {"post-activation value", "pre-activation value",
                                           "gradient dL/da"};
  const QString quantity =
      QObject::tr(quantities[std::clamp(int(plot->mode()), 0, 2)]);
  QFont font = plot->font();
  font.setBold(true);
  font.setPointSizeF(font.pointSizeF() * 1.05);
  const QString text = QObject::tr("%1: %2 (x) per hidden layer; bars: counts on the probe batch")
                           .arg(plot->title(), quantity);
  // Wrapped at word boundaries onto as many lines as the plot's width needs, and the header
  // made that tall: a fixed one-line header cut the title at the dashboard's default size.
  const QFontMetricsF metrics(font);
  const qreal width = std::max<qreal>(1, rect.width() - 8);
  const QRectF needed = metrics.boundingRect(QRectF(0, 0, width, 1e6),
                                             Qt::AlignHCenter | Qt::TextWordWrap, text);
  const qreal height = needed.height() + metrics.height() * 0.6;
  const QRectF header(rect.left() + 4, rect.top(), width, height);
  painter.save();
  painter.setPen(QColor(50, 50, 50));
  painter.setFont(font);
  painter.drawText(header, Qt::AlignCenter | Qt::TextWordWrap, text);
  painter.restore();
  return rect.adjusted(0, height, 0, 0);
}

// Draws into a page of `page` logical pixels. When the area could not take that size (its
// plots' minimum sizes), it is drawn at its own size and scaled to fit.
void drawPlots(QPainter& painter, QWidget* area, const std::vector<PlotView*>& plots, QSize page) {
  painter.fillRect(QRectF(QPointF(0, 0), QSizeF(page)), Qt::white);
  if (page != area->size())
    painter.scale(double(page.width()) / area->width(), double(page.height()) / area->height());
  for (PlotView* plot : plots) {
    if (plot != area && !plot->isVisibleTo(area)) continue;
    QRectF rect = rectIn(area, plot);
    if (auto* histograms = qobject_cast<LayerHistogramsPlot*>(plot))
      rect = drawHistogramHeader(painter, histograms, rect);
    plot->renderTo(painter, rect);
  }
}

QString writePng(QIODevice& device, QWidget* area, const std::vector<PlotView*>& plots,
                 QSize page, const ExportOptions& options) {
  const double dpi = options.dpi > 0 ? options.dpi : 96.0 * area->devicePixelRatioF();
  const double ratio = dpi / 96.0;
  const QSize pixels(std::max(1, int(std::lround(page.width() * ratio))),
                     std::max(1, int(std::lround(page.height() * ratio))));
  if (qint64(pixels.width()) * pixels.height() > 400'000'000LL)
    return QObject::tr("the image would be %1 x %2 pixels: choose a smaller size or DPI")
        .arg(pixels.width()).arg(pixels.height());
  QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
  if (image.isNull()) return QObject::tr("not enough memory for a %1 x %2 image")
                                 .arg(pixels.width()).arg(pixels.height());
  image.setDevicePixelRatio(ratio);
  const int dotsPerMeter = int(std::lround(dpi / 0.0254));
  image.setDotsPerMeterX(dotsPerMeter);
  image.setDotsPerMeterY(dotsPerMeter);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    drawPlots(painter, area, plots, page);
  }
  image.setText(QStringLiteral("Title"), options.title);
  image.setText(QStringLiteral("Software"), QStringLiteral("LayerScope"));
  if (!options.experimentJson.isEmpty())
    image.setText(QString::fromLatin1(kExportExperimentKey), options.experimentJson);
  QImageWriter writer(&device, "png");
  if (!writer.write(image)) return writer.errorString();
  return {};
}

QString writeSvg(QIODevice& device, QWidget* area, const std::vector<PlotView*>& plots,
                 QSize page, const ExportOptions& options) {
  QSvgGenerator svg;
  svg.setOutputDevice(&device);
  svg.setResolution(96);  // without it the drawing comes out 4/3 too large
  svg.setSize(page);
  svg.setViewBox(QRect(QPoint(0, 0), page));
  svg.setTitle(options.title);
  // QSvgGenerator writes the description, XML-escaped, as the document's <desc>.
  svg.setDescription(options.experimentJson);
  QPainter painter;
  if (!painter.begin(&svg)) return QObject::tr("cannot start the SVG drawing");
  drawPlots(painter, area, plots, page);
  painter.end();
  return {};
}

// XMP (ISO 16684-1) packet: the title, the creator and the experiment. Qt 6.4's QPdfWriter has
// no subject or keywords setter, but takes a whole XMP packet; the experiment goes into
// dc:description (what PDF readers show as the subject) and into its own element.
QByteArray xmpPacket(const ExportOptions& options) {
  const QString title = options.title.toHtmlEscaped();
  const QString json = options.experimentJson.toHtmlEscaped();
  QString xmp = QStringLiteral(
      "<?xpacket begin=\"%1\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "  <rdf:Description rdf:about=\"\"\n"
      "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
      "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
      "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
      "    xmlns:layerscope=\"https://layerscope.org/ns/export/1.0/\">\n"
      "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%2</rdf:li></rdf:Alt></dc:title>\n"
      "   <xmp:CreatorTool>LayerScope</xmp:CreatorTool>\n"
      "   <pdf:Producer>LayerScope (Qt %3)</pdf:Producer>\n")
                    .arg(QChar(0xFEFF), title, QString::fromLatin1(qVersion()));
  if (!json.isEmpty())
    xmp += QStringLiteral(
               "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%1</rdf:li></rdf:Alt>"
               "</dc:description>\n"
               "   <layerscope:experiment>%1</layerscope:experiment>\n")
               .arg(json);
  xmp += QStringLiteral("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
  return xmp.toUtf8();
}

QString writePdf(QIODevice& device, QWidget* area, const std::vector<PlotView*>& plots,
                 QSize page, const ExportOptions& options) {
  QPdfWriter pdf(&device);
  pdf.setResolution(96);
  pdf.setPageSize(QPageSize(QSizeF(page) * 72.0 / 96.0, QPageSize::Point));
  pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
  pdf.setTitle(options.title);
  pdf.setCreator(QStringLiteral("LayerScope"));
  pdf.setDocumentXmpMetadata(xmpPacket(options));
  QPainter painter;
  if (!painter.begin(&pdf)) return QObject::tr("cannot start the PDF document");
  const QRect viewport = painter.viewport();
  painter.scale(double(viewport.width()) / page.width(), double(viewport.height()) / page.height());
  drawPlots(painter, area, plots, page);
  painter.end();
  return {};
}

}  // namespace

QImage renderPlotsImage(QWidget* area, const std::vector<PlotView*>& plots, QSize size) {
  if (!size.isValid() || size.isEmpty()) return {};
  const TemporarySize resized(area, size);
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  if (image.isNull()) return {};
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  drawPlots(painter, area, plots, size);
  painter.end();
  return image;
}

QString exportPlots(QWidget* area, const std::vector<PlotView*>& plots, const QString& path,
                    const ExportOptions& options) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  using Writer = QString (*)(QIODevice&, QWidget*, const std::vector<PlotView*>&, QSize,
                             const ExportOptions&);
  Writer writer = nullptr;
  if (suffix == QLatin1String("png")) writer = writePng;
  if (suffix == QLatin1String("svg")) writer = writeSvg;
  if (suffix == QLatin1String("pdf")) writer = writePdf;
  if (!writer) return QObject::tr("%1: unknown image format (use .png, .svg or .pdf)").arg(path);
  if (options.size.isValid() && (options.size.width() < 50 || options.size.height() < 50 ||
                                 options.size.width() > 20000 || options.size.height() > 20000))
    return QObject::tr("%1: size %2 x %3 is out of range (50 to 20000 pixels)")
        .arg(path).arg(options.size.width()).arg(options.size.height());
  const TemporarySize resized(area, options.size);
  const QSize page = options.size.isValid() ? options.size : area->size();
  return saveAtomically(path, [&](QIODevice& device) {
    return writer(device, area, plots, page, options);
  });
}

}  // namespace layerscope
