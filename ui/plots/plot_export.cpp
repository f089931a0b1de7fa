#include "plot_export.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QSaveFile>
#include <QSvgGenerator>

#include "plot_view.h"

namespace layerscope {

namespace {

QString openTarget(QSaveFile& file) {
  const QFileInfo info(file.fileName());
  if (!QDir().mkpath(info.absolutePath()))
    return QObject::tr("%1: cannot create the folder").arg(info.absolutePath());
  if (!file.open(QIODevice::WriteOnly))
    return QObject::tr("%1: cannot write: %2").arg(file.fileName(), file.errorString());
  return {};
}

QString commit(QSaveFile& file) {
  if (!file.commit())
    return QObject::tr("%1: cannot write: %2").arg(file.fileName(), file.errorString());
  return {};
}

QRectF rectIn(QWidget* area, PlotView* plot) {
  if (plot == area) return QRectF(QPointF(0, 0), QSizeF(plot->size()));
  return QRectF(plot->mapTo(area, QPoint(0, 0)), QSizeF(plot->size()));
}

void drawPlots(QPainter& painter, QWidget* area, const std::vector<PlotView*>& plots) {
  painter.fillRect(QRectF(QPointF(0, 0), QSizeF(area->size())), Qt::white);
  for (PlotView* plot : plots)
    if (plot->isVisible()) plot->renderTo(painter, rectIn(area, plot));
}

}  // namespace

QString exportPng(QWidget* area, const QString& path) {
  QSaveFile file(path);
  if (QString error = openTarget(file); !error.isEmpty()) return error;
  if (!area->grab().save(&file, "PNG"))
    return QObject::tr("%1: cannot encode the PNG image").arg(path);
  return commit(file);
}

QString exportSvg(QWidget* area, const std::vector<PlotView*>& plots, const QString& path) {
  QSaveFile file(path);
  if (QString error = openTarget(file); !error.isEmpty()) return error;
  QSvgGenerator svg;
  svg.setOutputDevice(&file);
  svg.setResolution(96);  // without it the drawing comes out 4/3 too large
  svg.setSize(area->size());
  svg.setViewBox(QRect(QPoint(0, 0), area->size()));
  svg.setTitle(QStringLiteral("LayerScope"));
  {
    QPainter painter(&svg);
    drawPlots(painter, area, plots);
  }
  return commit(file);
}

QString exportPdf(QWidget* area, const std::vector<PlotView*>& plots, const QString& path) {
  QSaveFile file(path);
  if (QString error = openTarget(file); !error.isEmpty()) return error;
  {
    QPdfWriter pdf(&file);
    pdf.setResolution(96);
    pdf.setPageSize(QPageSize(QSizeF(area->size()) * 72.0 / 96.0, QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(QStringLiteral("LayerScope"));
    QPainter painter(&pdf);
    const QRect page = painter.viewport();
    painter.scale(double(page.width()) / area->width(), double(page.height()) / area->height());
    drawPlots(painter, area, plots);
  }
  return commit(file);
}

QString exportByName(QWidget* area, const std::vector<PlotView*>& plots, const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("png")) return exportPng(area, path);
  if (suffix == QLatin1String("svg")) return exportSvg(area, plots, path);
  if (suffix == QLatin1String("pdf")) return exportPdf(area, plots, path);
  return QObject::tr("%1: unknown image format (use .png, .svg or .pdf)").arg(path);
}

}  // namespace layerscope
