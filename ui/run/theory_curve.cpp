#include "run/theory_curve.h"

#include <exception>

#include "training/stats.h"
#include "analysis/theory.h"

namespace layerscope {

double probeInputMeanSquare(const StatsSnapshot& snapshot) {
  for (const LayerStats& l : snapshot.layers)
    if (l.kind == "input")
      return l.activation.mean * l.activation.mean + l.activation.std * l.activation.std;
  return 0.0;
}

TheoryCurve theoryCurve(const ExperimentConfig& config, const StatsSnapshot& snapshot) {
  TheoryCurve curve;
  int features = 0;
  for (const LayerStats& l : snapshot.layers)
    if (l.kind == "input") features = l.units;
  if (features <= 0) {
    curve.error = QStringLiteral("no input layer in the statistics");
    return curve;
  }
  SignalPropagationOptions options;
  options.batchNormUsesBatchStatistics = config.stats.probeTrainingMode;
  options.dropoutActive = config.stats.probeTrainingMode && config.model.dropout > 0;
  try {
    const std::vector<LayerPrediction> predicted = predictSignalPropagation(
        config.model, features, probeInputMeanSquare(snapshot), options);
    const int depth = static_cast<int>(hiddenWidths(config.model).size());
    for (const LayerPrediction& p : predicted) {
      if (p.layer < 1 || p.layer > depth) continue;  // hidden layers only, as the plot
      curve.mean.append(QPointF(p.layer, p.mean));
      curve.std.append(QPointF(p.layer, p.std));
    }
    curve.caveat = QString::fromStdString(theoryCaveat(config, snapshot.step));
  } catch (const std::exception& e) {
    curve.error = QString::fromStdString(e.what());
  }
  return curve;
}

}  // namespace layerscope
