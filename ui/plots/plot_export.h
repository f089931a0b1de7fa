// Export of plots and of the whole dashboard: PNG, SVG and PDF, at a chosen size, with the
// experiment's settings embedded (PNG text chunk, SVG <desc>, PDF XMP metadata) so a figure says
// how it was made. Every format is drawn the same way: each plot renders its scene into its
// rectangle (docs/TOOLCHAIN.md: rendering the QChartView widget into a PDF drops legend markers),
// so SVG and PDF stay vectors and PNG is those vectors rasterized at the chosen DPI. Every write is
// atomic (ui/common/atomic_save.h): a failed export leaves the old file intact.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <vector>

class QWidget;

namespace layerscope {

class PlotView;

// The metadata key (PNG text chunk, and the XMP element name in PDF).
inline constexpr const char* kExportExperimentKey = "layerscope.experiment";

struct ExportOptions {
  QSize size;                // logical pixels (1/96 inch); empty: the area's size on screen
  double dpi = 0.0;          // PNG only: pixels = size * dpi / 96; 0: the screen's (96 x ratio)
  QString experimentJson;    // experimentToJson(...) of the run shown; empty: none embedded
  QString title = QStringLiteral("LayerScope");
};

// `plots` are drawn at their positions inside `area` (the dashboard, or a single plot), with
// `area` temporarily resized to options.size. The format comes from the suffix (png, svg, pdf).
// Returns an empty string on success, else a message naming the file and the reason.
QString exportPlots(QWidget* area, const std::vector<PlotView*>& plots, const QString& path,
                    const ExportOptions& options = {});

// The same drawing as a PNG export, at 1 pixel per logical pixel and without writing a file:
// one frame of an animation (ui/export/animation_export.h). A null image when `size` is
// invalid or the image cannot be allocated.
QImage renderPlotsImage(QWidget* area, const std::vector<PlotView*>& plots, QSize size);

// Kept for callers that need no options.
inline QString exportByName(QWidget* area, const std::vector<PlotView*>& plots,
                            const QString& path) {
  return exportPlots(area, plots, path);
}

}  // namespace layerscope
