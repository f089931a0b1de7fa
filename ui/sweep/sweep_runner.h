// Runs a parameter sweep (engine/lab/sweep.h: runSweep) on its own thread, one value at a time, so
// the dialog shows each point as it arrives, a progress bar, and can cancel between steps.
// The runner owns the QThread and the worker object moved to it (Qt's worker-object pattern);
// its destructor cancels and joins.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QVector>
#include <atomic>

#include "config.h"

namespace layerscope {

// One finished sweep point, reduced to what the sweep plot draws.
struct SweepCurvePoint {
  QString valueText;         // as given ("0.01", "he_normal")
  double value = 0.0;        // NaN for names
  QVector<double> layerStd;  // measured std of hidden layers 1..depth, freshly initialized
  QVector<double> theoryStd; // the theory's prediction for the same layers (empty if none)
  double trainAccuracy = 0.0, validationAccuracy = 0.0, finalLoss = 0.0;
  bool diverged = false;
};

class SweepWorker : public QObject {
  Q_OBJECT
 public:
  SweepWorker(ExperimentConfig base, std::string parameter, std::vector<std::string> values,
              const std::atomic<bool>* cancel);
 public slots:
  void run();
 signals:
  void pointReady(layerscope::SweepCurvePoint point, int done, int total);
  void failed(QString message);
  void done(bool cancelled);

 private:
  ExperimentConfig base_;
  std::string parameter_;
  std::vector<std::string> values_;
  const std::atomic<bool>* cancel_;
};

class SweepRunner : public QObject {
  Q_OBJECT
 public:
  explicit SweepRunner(QObject* parent = nullptr);
  ~SweepRunner() override;

  // Checks every value first (applySweepValue) and returns the message of the first bad one;
  // "" when the sweep started.
  QString start(const ExperimentConfig& base, const QString& parameter, const QStringList& values);
  void cancel();
  bool running() const { return thread_.isRunning(); }

 signals:
  void pointReady(const layerscope::SweepCurvePoint& point, int done, int total);
  void failed(const QString& message);
  void finished(bool cancelled);

 private:
  void join();
  QThread thread_;
  SweepWorker* worker_ = nullptr;
  std::atomic<bool> cancel_{false};
};

}  // namespace layerscope

Q_DECLARE_METATYPE(layerscope::SweepCurvePoint)
