#include "export/export_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <cmath>

namespace layerscope {

ExportSizeDialog::ExportSizeDialog(const QString& format, QSize initial, double initialDpi,
                                   QWidget* parent)
    : QDialog(parent), width_(new QSpinBox), height_(new QSpinBox), dpi_(new QSpinBox) {
  setWindowTitle(tr("Export as %1").arg(format.toUpper()));
  width_->setObjectName(QStringLiteral("exportWidth"));
  height_->setObjectName(QStringLiteral("exportHeight"));
  dpi_->setObjectName(QStringLiteral("exportDpi"));
  for (QSpinBox* box : {width_, height_}) {
    box->setRange(50, 20000);
    box->setSuffix(tr(" px"));
  }
  width_->setValue(initial.width());
  height_->setValue(initial.height());
  dpi_->setRange(24, 1200);
  dpi_->setSuffix(tr(" dpi"));
  dpi_->setValue(static_cast<int>(std::lround(initialDpi)));
  auto* size = new QHBoxLayout;
  size->addWidget(width_);
  size->addWidget(new QLabel(QStringLiteral("x")));
  size->addWidget(height_);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Size (1 px = 1/96 inch):"), size);
  if (format == QLatin1String("png")) {
    form->addRow(tr("Resolution:"), dpi_);
    auto* pixels = new QLabel;
    const auto update = [this, pixels] {
      const double r = dpi_->value() / 96.0;
      pixels->setText(tr("%1 x %2 pixels").arg(std::lround(width_->value() * r))
                          .arg(std::lround(height_->value() * r)));
    };
    for (QSpinBox* box : {width_, height_, dpi_}) connect(box, &QSpinBox::valueChanged, this, update);
    update();
    form->addRow(QString(), pixels);
  } else {
    dpi_->hide();
    form->addRow(QString(), new QLabel(tr("%1 stays vector: text and lines scale without loss.")
                                           .arg(format.toUpper())));
  }
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  form->addRow(buttons);
}

QSize ExportSizeDialog::chosenSize() const { return QSize(width_->value(), height_->value()); }
double ExportSizeDialog::chosenDpi() const { return dpi_->value(); }

}  // namespace layerscope
