// The small dialog before a plot export: width x height (logical pixels, 1/96 inch, the unit of
// SVG and of PDF's page at 72 points per 96 pixels) and, for PNG, the resolution in DPI.
#pragma once

#include <QDialog>
#include <QSize>

class QSpinBox;

namespace layerscope {

class ExportSizeDialog : public QDialog {
  Q_OBJECT
 public:
  // `format` is "png", "svg" or "pdf"; the DPI field is shown for PNG only.
  ExportSizeDialog(const QString& format, QSize initial, double initialDpi,
                   QWidget* parent = nullptr);

  QSize chosenSize() const;
  double chosenDpi() const;

 private:
  QSpinBox* width_;
  QSpinBox* height_;
  QSpinBox* dpi_;
};

}  // namespace layerscope
