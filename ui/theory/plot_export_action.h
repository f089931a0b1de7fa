// What a theory dialog's plot does on "Export" from its context menu (PlotView::exportRequested):
// asks for a file of the chosen format and writes the plot there as the dashboard's plots are
// written (plots/plot_export.h), saying why when it fails. One place for the three dialogs.
#pragma once

#include <QString>

class QWidget;

namespace layerscope {

class PlotView;

// `stem` names the suggested file ("phase-diagram" -> phase-diagram.png), `caption` the file
// dialog, `title` the exported file's embedded title ("phase diagram" -> "phase diagram -
// LayerScope").
void askAndExportPlot(QWidget* parent, PlotView* plot, const QString& format, const QString& stem,
                      const QString& caption, const QString& title);

}  // namespace layerscope
