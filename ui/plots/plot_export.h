// Export of plots and of the whole dashboard: PNG (a grab of the widgets as shown), SVG and
// PDF (vectors: each plot renders itself into its rectangle, see TOOLCHAIN.md). Every write is
// atomic (QSaveFile: a temporary file in the same folder, renamed over the target on success),
// and the target folder is created first.
#pragma once

#include <QString>
#include <vector>

class QWidget;

namespace layerscope {

class PlotView;

// `plots` are drawn at their positions inside `area` (the dashboard, or a single plot).
// Returns an empty string on success, else a message naming the file and the reason.
QString exportPng(QWidget* area, const QString& path);
QString exportSvg(QWidget* area, const std::vector<PlotView*>& plots, const QString& path);
QString exportPdf(QWidget* area, const std::vector<PlotView*>& plots, const QString& path);
// By the file name's suffix (png, svg, pdf).
QString exportByName(QWidget* area, const std::vector<PlotView*>& plots, const QString& path);

}  // namespace layerscope
