// Drag and drop of files onto the main window: an event filter, so the window only says what
// a dropped file means (.json: open experiment, .onnx: open model, .csv: use as the data set).
#pragma once

#include <QObject>
#include <QStringList>

class QMimeData;
class QWidget;

namespace layerscope {

class FileDropFilter : public QObject {
  Q_OBJECT
 public:
  // Accepts drops on `target` of local files whose suffix is in `suffixes` (lower case).
  FileDropFilter(QWidget* target, QStringList suffixes);

 signals:
  void fileDropped(const QString& path);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QString acceptedPath(const QMimeData* mime) const;
  QStringList suffixes_;
};

}  // namespace layerscope
