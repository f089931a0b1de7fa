// The whole dashboard as figures: File > Export dashboard and `layerscope-cli --plot dashboard`
// write both tabs, the "Overview" into the file named and the "Over time" tab (layer x step
// heatmap, a layer's histogram over time and its percentile bands) next to it, named
// NAME-over-time.EXT, in the same format and at the same size (ui/plots/plot_export.h).
#pragma once

#include <QString>
#include <QStringList>

#include "plots/plot_export.h"

namespace layerscope {

class Dashboard;

// "figs/dash.png" -> "figs/dash-over-time.png": where the "Over time" tab goes.
QString overTimeExportPath(const QString& path);

// Writes the overview to `path` and the over-time tab to overTimeExportPath(path). Each tab is
// shown for the moment it is drawn (a hidden tab has no layout) and the tab on screen comes
// back before the event loop paints. Returns an empty string, or the first file's error; on
// success `written` (when given) lists the files in order.
QString exportDashboardTabs(Dashboard* dashboard, const QString& path, ExportOptions options,
                            QStringList* written = nullptr);

}  // namespace layerscope
