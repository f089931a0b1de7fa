// Runs a parameter sweep (lab/sweep.h: runSweep) on its own thread, one value at a time, so
// the dialog shows each point as it arrives, a progress bar, and can cancel between steps.
// The thread is a BackgroundJob (common/background_job.h): the runner's destructor cancels and
// joins it.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include "common/background_job.h"
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

class SweepRunner : public QObject {
  Q_OBJECT
 public:
  explicit SweepRunner(QObject* parent = nullptr);
  ~SweepRunner() override;

  // Checks every value first (applySweepValue) and returns the message of the first bad one;
  // "" when the sweep started.
  QString start(const ExperimentConfig& base, const QString& parameter, const QStringList& values);
  void cancel() { job_.cancel(); }  // finished(true) follows
  bool running() const { return job_.running(); }

 signals:
  void pointReady(const layerscope::SweepCurvePoint& point, int done, int total);
  void failed(const QString& message);
  void finished(bool cancelled);  // after the last point (or the failure), thread ended

 private:
  BackgroundJob job_{QStringLiteral("layerscope-sweep")};
};

}  // namespace layerscope

Q_DECLARE_METATYPE(layerscope::SweepCurvePoint)
