#include "sweep/sweep_runner.h"

#include <cmath>
#include <exception>
#include <limits>

#include "training/stats.h"
#include "lab/sweep.h"
#include "analysis/theory.h"
#include "run/theory_curve.h"
#include "settings/schema.h"

namespace layerscope {

SweepWorker::SweepWorker(ExperimentConfig base, std::string parameter,
                         std::vector<std::string> values, const std::atomic<bool>* cancel)
    : base_(std::move(base)), parameter_(std::move(parameter)), values_(std::move(values)),
      cancel_(cancel) {}

void SweepWorker::run() {
  const int total = static_cast<int>(values_.size());
  for (int i = 0; i < total; ++i) {
    if (cancel_->load()) break;
    std::vector<SweepPoint> points;
    try {
      points = runSweep(base_, parameter_, {values_[i]}, [this] { return cancel_->load(); });
    } catch (const std::exception& e) {
      emit failed(QString::fromStdString(e.what()));
      emit done(false);
      return;
    }
    if (points.empty() || cancel_->load()) break;
    const SweepPoint& p = points.front();
    SweepCurvePoint out;
    out.valueText = QString::fromStdString(values_[i]);
    out.value = p.value;
    for (const LayerStats& l : p.initial.layers)
      if (l.kind == "hidden") out.layerStd.append(l.activation.std);
    ExperimentConfig config = base_;
    applySweepValue(config, parameter_, values_[i]);
    const TheoryCurve theory = theoryCurve(config, p.initial);
    for (const QPointF& t : theory.std) out.theoryStd.append(t.y());
    out.trainAccuracy = p.final.trainAccuracy;
    out.validationAccuracy = p.final.validationAccuracy;
    out.finalLoss = p.final.finalLoss;
    out.diverged = p.final.diverged;
    emit pointReady(out, i + 1, total);
  }
  emit done(cancel_->load());
}

SweepRunner::SweepRunner(QObject* parent) : QObject(parent) {
  qRegisterMetaType<SweepCurvePoint>();
  thread_.setObjectName(QStringLiteral("layerscope-sweep"));
}

SweepRunner::~SweepRunner() {
  cancel();
  join();
}

QString SweepRunner::start(const ExperimentConfig& base, const QString& parameter,
                           const QStringList& values) {
  cancel();
  join();
  if (values.isEmpty()) return tr("No values to sweep.");
  std::vector<std::string> texts;
  try {
    for (const QString& v : values) {
      ExperimentConfig probe = base;
      applySweepValue(probe, parameter.toStdString(), v.trimmed().toStdString());
      validate(probe);
      texts.push_back(v.trimmed().toStdString());
    }
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  cancel_ = false;
  worker_ = new SweepWorker(base, parameter.toStdString(), std::move(texts), &cancel_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::started, worker_, &SweepWorker::run);
  connect(worker_, &SweepWorker::pointReady, this, &SweepRunner::pointReady);
  connect(worker_, &SweepWorker::failed, this, &SweepRunner::failed);
  connect(worker_, &SweepWorker::done, this, [this](bool cancelled) {
    join();
    emit finished(cancelled);
  });
  thread_.start(QThread::LowPriority);
  return {};
}

void SweepRunner::cancel() { cancel_ = true; }

void SweepRunner::join() {
  if (!worker_) return;
  thread_.quit();
  thread_.wait();
  delete worker_;  // its thread has finished
  worker_ = nullptr;
}

}  // namespace layerscope
