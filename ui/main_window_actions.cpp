// MainWindow's commands: the Training toolbar (Train, Pause, Step, Reset, the speed and the
// highlighted layer) and the File and Run menus. Kept apart from main_window.cpp, which
// composes the panels and shows the run.
#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QSpinBox>
#include <QStyle>
#include <QToolBar>

#include "main_window.h"
#include "plots/dashboard.h"
#include "plots/plot_view.h"

namespace layerscope {

namespace {
// The automatic speed cap for 2-D data: a spiral run of a few thousand steps (7,200 in the
// Playground-like setup) unfolds over 10-20 s instead of ending in under a second.
constexpr double kWatchablePace = 500;
}  // namespace

void MainWindow::buildActions() {
  QToolBar* bar = addToolBar(tr("Training"));
  bar->setObjectName(QStringLiteral("trainingToolbar"));
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  const auto add = [&](QStyle::StandardPixmap icon, const QString& text, Qt::Key key,
                       const QString& toolTip) {
    QAction* action = bar->addAction(style()->standardIcon(icon), text);
    action->setShortcut(key);
    action->setToolTip(toolTip);
    return action;
  };
  train_ = add(QStyle::SP_MediaPlay, tr("Train"), Qt::Key_F5,
               tr("Train: run optimisation steps until Pause or the last epoch (F5)"));
  pause_ = add(QStyle::SP_MediaPause, tr("Pause"), Qt::Key_F6,
               tr("Pause after the current batch and show its statistics (F6)"));
  step_ = add(QStyle::SP_MediaSkipForward, tr("Step"), Qt::Key_F7,
              tr("One batch: forward, backward, update; then the statistics (F7)"));
  reset_ = add(QStyle::SP_BrowserReload, tr("Reset"), Qt::Key_F8,
               tr("A fresh network from the same seed, back to step 0 (F8)"));
  connect(train_, &QAction::triggered, this, [this] {
    if (deferred_)
      buildDeferredRun(true);
    else
      controller_->train();
  });
  connect(pause_, &QAction::triggered, controller_.get(), &TrainingController::pause);
  connect(step_, &QAction::triggered, controller_.get(), &TrainingController::step);
  connect(reset_, &QAction::triggered, this, [this] {
    if (deferred_)
      buildDeferredRun(false);
    else
      controller_->reset();
  });
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Speed ")));
  speed_ = new QComboBox;
  speed_->setObjectName(QStringLiteral("speed"));
  speed_->addItem(tr("auto"), -1.0);
  speed_->addItem(tr("full speed"), 0.0);
  for (double cap : {2000.0, 1000.0, 500.0, 200.0, 100.0, 50.0, 20.0, 10.0, 5.0, 1.0})
    speed_->addItem(tr("%1 steps/s").arg(cap), cap);
  speed_->setToolTip(
      tr("How fast the network trains: full speed, or at most this many steps per second so "
         "you can watch the curves form (like TensorFlow Playground). auto: %1 steps/s for 2-D "
         "data, full speed otherwise. The numbers of a run do not depend on its speed.")
          .arg(kWatchablePace));
  bar->addWidget(speed_);
  connect(speed_, &QComboBox::currentIndexChanged, this, [this] { applyPace(); });
  bar->addSeparator();
  auto* label = new QLabel(tr(" Highlight layer "));
  layerBox_ = new QSpinBox;
  layerBox_->setObjectName(QStringLiteral("selectedLayer"));
  layerBox_->setRange(0, 0);
  layerBox_->setSpecialValueText(tr("none"));
  layerBox_->setToolTip(tr("Highlights one layer in every plot (or click a layer in a plot)"));
  bar->addWidget(label);
  bar->addWidget(layerBox_);
  connect(layerBox_, &QSpinBox::valueChanged, this, [this](int v) {
    if (dashboard_->selectedLayer() != (v == 0 ? -1 : v)) dashboard_->setSelectedLayer(v == 0 ? -1 : v);
  });
  updateActions();
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open experiment..."), QKeySequence::Open, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), {},
                                                      tr("Experiments (*.json);;All files (*)"));
    if (!path.isEmpty())
      if (QString e = openExperiment(path); !e.isEmpty()) showError(e);
  });
  file->addAction(tr("&Save experiment..."), QKeySequence::Save, this, [this] {
    QString path = QFileDialog::getSaveFileName(this, tr("Save experiment"),
                                                QStringLiteral("experiment.json"),
                                                tr("Experiments (*.json)"));
    if (!path.isEmpty())
      if (QString e = saveExperiment(path); !e.isEmpty()) showError(e);
  });
  buildFileMenuExtras(file);  // open model, save with weights, recent files (export/)
  file->addSeparator();
  file->addAction(tr("Export &dashboard (PNG, SVG, PDF)..."), this, &MainWindow::askExportDashboard);
  file->addAction(tr("Export &animation (GIF, MP4)..."), this, &MainWindow::askExportAnimation);
  file->addAction(tr("Export &statistics (CSV, JSON)..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export statistics"), QStringLiteral("stats.csv"),
        tr("CSV, one row per step and layer (*.csv);;JSON, with histograms (*.json)"));
    if (!path.isEmpty())
      if (QString e = exportStatistics(path); !e.isEmpty()) showError(e);
  });
  QMenu* plots = file->addMenu(tr("Export &plot"));
  for (PlotView* plot : dashboard_->plots())
    plots->addAction(plot->title() + QStringLiteral("..."), this,
                     [this, plot] { askExportPlot(plot, QStringLiteral("png")); });
  file->addAction(tr("Export &model (ONNX)..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export model"),
                                                      QStringLiteral("model.onnx"),
                                                      tr("ONNX model (*.onnx)"));
    if (!path.isEmpty()) controller_->exportModel(path);
  });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run->addActions({train_, pause_, step_, reset_});
}

void MainWindow::applyPace() {
  double cap = speed_->currentData().toDouble();
  if (cap < 0) cap = runInputs_ == 2 ? kWatchablePace : 0.0;  // auto
  if (cap != controller_->pace()) controller_->setPace(cap);
}

}  // namespace layerscope
