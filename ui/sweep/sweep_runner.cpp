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

namespace {

// The point the sweep plot draws for one value: measured and predicted std per hidden layer,
// and how training went.
SweepCurvePoint curvePoint(const ExperimentConfig& base, const std::string& parameter,
                           const std::string& value, const SweepPoint& p) {
  SweepCurvePoint out;
  out.valueText = QString::fromStdString(value);
  out.value = p.value;
  for (const LayerStats& l : p.initial.layers)
    if (l.kind == "hidden") out.layerStd.append(l.activation.std);
  ExperimentConfig config = base;
  applySweepValue(config, parameter, value);
  const TheoryCurve theory = theoryCurve(config, p.initial);
  for (const QPointF& t : theory.std) out.theoryStd.append(t.y());
  out.trainAccuracy = p.final.trainAccuracy;
  out.validationAccuracy = p.final.validationAccuracy;
  out.finalLoss = p.final.finalLoss;
  out.diverged = p.final.diverged;
  return out;
}

}  // namespace

SweepRunner::SweepRunner(QObject* parent) : QObject(parent) {
  qRegisterMetaType<SweepCurvePoint>();
  connect(&job_, &BackgroundJob::finished, this, &SweepRunner::finished);
}

SweepRunner::~SweepRunner() = default;  // job_ cancels and joins

QString SweepRunner::start(const ExperimentConfig& base, const QString& parameter,
                           const QStringList& values) {
  // A sweep still running is cancelled; its points and its finished are no longer delivered.
  job_.cancel();
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
  job_.start([this, base, parameter = parameter.toStdString(),
              texts = std::move(texts)](const BackgroundJob::Context& job) {
    const int total = static_cast<int>(texts.size());
    for (int i = 0; i < total && !job.cancelled(); ++i) {
      std::vector<SweepPoint> points;
      try {
        points = runSweep(base, parameter, {texts[i]}, [&job] { return job.cancelled(); });
      } catch (const std::exception& e) {
        job.post([this, message = QString::fromStdString(e.what())] { emit failed(message); });
        return;
      }
      if (points.empty() || job.cancelled()) break;
      job.post([this, point = curvePoint(base, parameter, texts[i], points.front()), i, total] {
        emit pointReady(point, i + 1, total);
      });
    }
  });
  return {};
}

}  // namespace layerscope
