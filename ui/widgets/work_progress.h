// Long work (loading a data set, drawing a wide net's weights, a final evaluation) shown in the
// window's status bar: the step progress bar is lent to the work ("Loading Fashion-MNIST train
// images 34%") and a Cancel button appears beside it; when the work ends, the bar shows what it
// showed before. The work's reports come from TrainingController::working (run/).
#pragma once

#include <QObject>
#include <QString>

class QProgressBar;
class QToolButton;

namespace layerscope {

class WorkProgress : public QObject {
  Q_OBJECT
 public:
  // `bar` stays the caller's; the Cancel button is created here, hidden, for the caller to place.
  explicit WorkProgress(QProgressBar* bar, QObject* parent = nullptr);

  QToolButton* cancelButton() const { return cancel_; }
  bool active() const { return active_; }

 public slots:
  // `fraction` (0-1) of `phase` is done; an empty phase ends the work.
  void show(const QString& phase, double fraction);

 signals:
  void cancelRequested();

 private:
  QProgressBar* bar_;
  QToolButton* cancel_;
  bool active_ = false;
  // What the bar showed before the work borrowed it.
  int minimum_ = 0, maximum_ = 1, value_ = 0;
  QString format_;
};

}  // namespace layerscope
