// The panel's data section: choosing a CSV file or IDX folder, reading it to show its own
// sample, feature and class counts and its summary.
#include "config_panel.h"

#include "config_panel_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSpinBox>
#include <algorithm>
#include <cmath>
#include <exception>

#include "data/csv_loader.h"
#include "data/idx_loader.h"

#include "io/experiment_file.h"
#include "settings/schema.h"

namespace layerscope {

using namespace config_panel;  // config_panel_controls.h

namespace {
// QSettings key of the folder the last data file or folder was chosen in.
const char* const kLastDataFolder = "paths/lastDataFolder";

// Whether `path` can be what `source` names: a folder (or IMAGES,LABELS) for IDX, a file for CSV.
bool pathFitsSource(const QString& path, const QString& source) {
  if (path.trimmed().isEmpty()) return false;
  const QFileInfo info(path.trimmed());
  if (source == "idx") return info.isDir() || path.contains(QLatin1Char(','));
  return !info.isDir();
}
}  // namespace

void ConfigPanel::browseForData() {
  const bool idx = value(source_) == "idx";
  // Start where the user last found data (remembered across sessions), else next to the path.
  QString start = QSettings().value(QLatin1String(kLastDataFolder)).toString();
  if (pathFitsSource(path_->text(), value(source_))) {
    const QFileInfo current(path_->text().trimmed());
    start = idx ? current.absoluteFilePath() : current.absolutePath();
  }
  QString chosen;
  if (chooser_) {
    chosen = chooser_(idx, start);
  } else {
    chosen = idx ? QFileDialog::getExistingDirectory(this, tr("IDX folder (MNIST layout)"), start)
                 : QFileDialog::getOpenFileName(this, tr("CSV file"), start,
                                                tr("CSV files (*.csv *.txt);;All files (*)"));
  }
  if (chosen.isEmpty()) return;
  const QFileInfo info(chosen);
  // The folder holding the file (or the IDX folder): where the next search most likely starts.
  QSettings().setValue(QLatin1String(kLastDataFolder), info.absolutePath());
  path_->setText(chosen);
  onEdited();
}

void ConfigPanel::onSourceActivated() {
  // Picking "CSV file..." or "IDX folder..." asks for the file or folder at once; a path of the
  // other kind (a CSV file when IDX wants a folder) is dropped rather than failing to load.
  const QString source = value(source_);
  if (source != "csv" && source != "idx") return;
  if (pathFitsSource(path_->text(), source)) return;
  if (!path_->text().isEmpty()) {
    path_->clear();
    onEdited();
  }
  browseForData();
}

QString ConfigPanel::dataSummary() const {
  return dataSummary_->text();
}

void ConfigPanel::inspectData() {
  // Reads the file the form names (again only when the path or label column changed) for its
  // own numbers, its columns and a label column that looks continuous. The run reads it again
  // on the worker thread; data sets are bounded (data/dataset.h), so this stays quick enough.
  const QString source = value(source_);
  const QString path = path_->text().trimmed();
  const bool file = (source == "csv" || source == "idx") && !path.isEmpty();
  const QString column = labelColumn_->currentData().toString();
  const QString key = file ? source + ":" + path + "\n" + (source == "csv" ? column : QString())
                           : QString();
  if (key == inspectedKey_) return;
  inspectedKey_ = key;
  haveData_ = false;
  dataSummary_->clear();
  dataSummary_->setToolTip(QString());
  dataSummary_->setStyleSheet(QString());
  dataSummary_->setVisible(file);
  if (!file) return;
  const bool was = updating_;
  updating_ = true;
  try {
    QString warning;
    Dataset data, test;
    if (source == "csv") {
      // The picker lists the file's columns (by name with a header, else by index) first, so
      // a file that does not load with this label column still offers the others.
      const std::vector<std::string> columns = readCsvColumns(path.toStdString());
      const bool header = columns.empty() || columns[0] != "column 0";
      labelColumn_->clear();
      labelColumn_->addItem(
          tr("last column (%1)").arg(QString::fromStdString(columns.empty() ? "" : columns.back())),
          QString());
      for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
        const QString name = QString::fromStdString(columns[i]);
        labelColumn_->addItem(name, header ? name : QString::number(i));
      }
      if (labelColumn_->findData(column) < 0) labelColumn_->addItem(column, column);
      selectValue(labelColumn_, column);
      CsvInfo info;
      data = loadCsv(path.toStdString(), column.toStdString(), &info);
      // Left to the default, a measurement would silently train as one class per value; a
      // column the user picked is trusted (the CLI refuses the same file: data/source.h).
      if (info.continuousLabel && column.isEmpty()) {
        warning = tr("Warning: the label column '%1' holds %2 distinct numbers: it looks "
                     "continuous (a measurement, not classes) and would train as %2 classes. "
                     "Choose the column of class labels above.")
                      .arg(QString::fromStdString(info.labelName()))
                      .arg(info.distinctLabels);
      }
    } else {
      loadIdx(path.toStdString(), data, test);
    }
    dataSamples_ = data.samples();  // IDX: the t10k test set is named apart in the summary
    dataFeatures_ = data.features();
    dataClasses_ = data.classes;
    haveData_ = true;
    QString text = tr("%1 samples · %2 features · %3 classes")
                       .arg(data.samples()).arg(data.features()).arg(data.classes);
    if (test.samples() > 0) text += tr(" · %1 test samples (t10k)").arg(test.samples());
    // The tooltip: how many samples each class has, and the feature names.
    std::vector<int> counts(static_cast<std::size_t>(std::max(data.classes, 0)), 0);
    for (int y : data.y)
      if (y >= 0 && y < data.classes) ++counts[static_cast<std::size_t>(y)];
    QStringList lines;
    lines << tr("Samples per class:");
    const int shown = std::min<int>(data.classes, 30);
    for (int k = 0; k < shown; ++k) {
      const QString name = k < static_cast<int>(data.classNames.size())
                               ? QString::fromStdString(data.classNames[k])
                               : QString::number(k);
      lines << QStringLiteral("  %1: %2").arg(name).arg(counts[k]);
    }
    if (data.classes > shown) lines << tr("  ... %1 more classes").arg(data.classes - shown);
    if (!data.featureNames.empty()) {
      QStringList names;
      for (int f = 0; f < std::min<int>(data.features(), 30); ++f)
        names << QString::fromStdString(data.featureNames[f]);
      if (data.features() > 30) names << tr("... %1 more").arg(data.features() - 30);
      lines << tr("Features: %1").arg(names.join(QStringLiteral(", ")));
    }
    dataSummary_->setToolTip(lines.join(QLatin1Char('\n')));
    if (!warning.isEmpty()) {
      text += QLatin1Char('\n') + warning;
      dataSummary_->setStyleSheet(QStringLiteral("color: #a15c00;"));
    }
    dataSummary_->setText(text);
  } catch (const std::exception& e) {
    // The run reports the same error; here it explains why there are no numbers.
    QString text = QString::fromStdString(e.what());
    if (source == "csv" && column.isEmpty() && labelColumn_->count() > 2)
      text += tr("\nIs the class label in another column? Choose it under Label column.");
    dataSummary_->setText(text);
    dataSummary_->setStyleSheet(QStringLiteral("color: #b00020;"));
  }
  updating_ = was;
}

void ConfigPanel::showDataNumbers() {
  // A loaded file's numbers replace the generator's in the (disabled) boxes; the generator's
  // come back when a generator is chosen again.
  const QString source = value(source_);
  const bool file = source == "csv" || source == "idx";
  const bool was = updating_;
  updating_ = true;
  if (file && haveData_) {
    if (!showingData_) {
      base_.data.samples = samples_->value();
      base_.data.classes = classes_->value();
      base_.data.features = features_->value();
      showingData_ = true;
    }
    // The boxes' ranges are the generator's: a larger number shows as "max+" (the summary line
    // has the exact one), not as a plausible but wrong count.
    const auto show = [](QSpinBox* box, int number) {
      box->setSuffix(number > box->maximum() ? QStringLiteral("+") : QString());
      box->setValue(number);
    };
    show(samples_, dataSamples_);
    show(classes_, dataClasses_);
    show(features_, dataFeatures_);
  } else if (showingData_) {
    for (QSpinBox* box : {samples_, classes_, features_}) box->setSuffix(QString());
    samples_->setValue(base_.data.samples);
    classes_->setValue(base_.data.classes);
    features_->setValue(base_.data.features);
    showingData_ = false;
  }
  updating_ = was;
}

}  // namespace layerscope
