#include "theory/plot_export_action.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QObject>

#include "plots/plot_export.h"
#include "plots/plot_view.h"

namespace layerscope {

void askAndExportPlot(QWidget* parent, PlotView* plot, const QString& format, const QString& stem,
                      const QString& caption, const QString& title) {
  const QString path = QFileDialog::getSaveFileName(parent, caption, stem + "." + format,
                                                    QObject::tr("Images (*.png *.svg *.pdf)"));
  if (path.isEmpty()) return;
  ExportOptions options;
  options.title = title + QStringLiteral(" - LayerScope");
  const QString error = exportPlots(plot, {plot}, path, options);
  if (!error.isEmpty()) QMessageBox::warning(parent, QObject::tr("Export failed"), error);
}

}  // namespace layerscope
