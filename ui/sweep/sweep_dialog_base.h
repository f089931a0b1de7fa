// What the two sweep dialogs share (Compare > Sweep..., sweep_dialog.h; Compare > Trainability
// map..., sweep_map_dialog.h): Run and Cancel beside a progress bar, a status line that shows
// an error in red, the sweep cancelled when the dialog closes, a save dialog for the exports
// that says when one fails, and sweepFinished. Each dialog owns its runner on a BackgroundJob
// (sweep_runner.h, sweep_grid_runner.h) and says how to start, cancel and ask it.
#pragma once

#include <QDialog>
#include <QString>
#include <functional>

class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace layerscope {

class SweepDialogBase : public QDialog {
  Q_OBJECT
 public:
  ~SweepDialogBase() override;

  virtual void start() = 0;
  virtual void cancel() = 0;  // sweepFinished(true) follows
  virtual bool running() const = 0;
  QString statusText() const;

 signals:
  void sweepFinished(bool cancelled);

 protected:
  explicit SweepDialogBase(QWidget* parent);

  // A new row: the run button (`runText`, object name `runName`), Cancel and the progress bar
  // (empty, stretching); the dialog adds its own buttons after them.
  QHBoxLayout* makeRunRow(const QString& runText, const QString& runName);
  // The status line, word-wrapped, for the dialog's layout.
  QLabel* makeStatusLine();
  void setStatus(const QString& text, bool error = false);
  bool statusIsError() const;
  // Run while no sweep runs, Cancel while one does.
  void updateRunButtons();
  // Asks where to save (QFileDialog::getSaveFileName's caption, suggested name and filter),
  // then calls `save` with the path; a message box shows what it returns, unless "".
  void saveWithDialog(const QString& caption, const QString& suggested, const QString& filter,
                      const std::function<QString(const QString&)>& save);

  void closeEvent(QCloseEvent* event) override;

  QPushButton* run_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
};

}  // namespace layerscope
