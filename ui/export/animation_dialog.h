// File > Export animation: which plot (or the dashboard), the frame size, frames per second,
// the duration or one frame every N steps, the range of steps; then the export with a progress
// bar and Cancel. The frames are widgets drawn off screen, so they are made on the GUI thread:
// one frame per event-loop turn (a zero-length timer), so the window keeps repainting and
// Cancel answers between two frames.
#pragma once

#include <QDialog>
#include <memory>

#include "export/animation_export.h"

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace layerscope {

class AnimationDialog : public QDialog {
  Q_OBJECT
 public:
  // `run` (which must outlive the dialog) is what the frames draw; `path` the .gif or .mp4.
  AnimationDialog(const RecordedRun& run, const QString& path, QWidget* parent = nullptr);
  ~AnimationDialog() override;

  AnimationRequest request() const;  // what the fields say
  bool running() const { return static_cast<bool>(export_); }
  QString lastError() const { return error_; }

 public slots:
  void startExport();   // the Export button
  void cancelExport();  // Cancel while running (the file is not written); else closes

 signals:
  void exportFinished(bool written, const QString& message);

 protected:
  void reject() override;  // Esc or the close button while running: cancel, stay open

 private:
  void nextFrame();
  void stop(bool written, const QString& message);

  const RecordedRun& run_;
  QString path_;
  QComboBox* plot_;
  QSpinBox* width_;
  QSpinBox* height_;
  QSpinBox* fps_;
  QRadioButton* byDuration_;
  QRadioButton* byStride_;
  QDoubleSpinBox* duration_;
  QSpinBox* stepsPerFrame_;
  QSpinBox* from_;
  QSpinBox* to_;
  QLabel* status_;
  QProgressBar* progress_;
  QPushButton* exportButton_;
  QPushButton* cancelButton_;
  std::unique_ptr<AnimationExport> export_;
  QString error_;
};

}  // namespace layerscope
