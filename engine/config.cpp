#include "config.h"

#include "activation.h"
#include "errors.h"
#include "initializer.h"
#include "optimizer.h"

namespace layerscope {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

}  // namespace

void validate(const ExperimentConfig& c) {
  const DataConfig& d = c.data;
  require(d.samples >= 1, "samples: must be at least 1");
  require(d.features >= 1, "features: must be at least 1");
  require(d.classes >= 1, "classes: must be at least 1");
  require(d.noise >= 0.0, "noise: must be >= 0");
  require(d.validationFraction >= 0.0 && d.validationFraction < 1.0,
          "validation-fraction: must be in [0, 1)");
  require(d.testFraction >= 0.0 && d.testFraction < 1.0, "test-fraction: must be in [0, 1)");
  require(d.validationFraction + d.testFraction < 1.0,
          "validation-fraction + test-fraction: must leave some training data (sum < 1)");
  require(d.preprocess == "none" || d.preprocess == "center" || d.preprocess == "standardize",
          "preprocess: unknown preprocessing '" + d.preprocess + "' (expected none|center|standardize)");

  const ModelConfig& m = c.model;
  require(m.widths.empty() ? m.depth >= 0 : true, "depth: must be >= 0");
  require(m.depth <= 1000, "depth: at most 1000 hidden layers");
  require(m.widths.size() <= 1000, "widths: at most 1000 hidden layers");
  require(m.widths.empty() ? m.width >= 1 : true, "width: must be at least 1");
  for (int w : m.widths) require(w >= 1, "widths: every hidden layer needs at least one unit");
  // A bound on the parameter count keeps a typo (width 1e6) from exhausting memory.
  double parameters = 0;
  {
    const std::vector<int> widths = hiddenWidths(m);
    double fanIn = d.source.rfind("idx:", 0) == 0 ? 784 : d.features;
    for (int w : widths) {
      parameters += fanIn * w;
      fanIn = w;
    }
  }
  require(parameters <= 4e8, "width/depth: the network would have " +
                                 std::to_string(long(parameters)) +
                                 " weights (more than 400 million): reduce depth or width");
  parseActivation(m.activation);
  require(isInitializerName(m.init),
          "init: unknown initializer '" + m.init + "' (expected " + initializerNames() + ")");
  require(m.initStd >= 0.0, "init-std: must be >= 0");
  require(m.initBound >= 0.0, "init-bound: must be >= 0");
  require(m.dropout >= 0.0 && m.dropout < 1.0, "dropout: drop probability must be in [0, 1)");
  require(m.leakySlope >= 0.0, "leaky-slope: must be >= 0");
  require(m.eluAlpha > 0.0, "elu-alpha: must be > 0");

  const TrainConfig& t = c.train;
  require(t.optimizer == "sgd" || t.optimizer == "momentum" || t.optimizer == "nesterov" ||
              t.optimizer == "adam",
          "optimizer: unknown optimizer '" + t.optimizer + "' (expected " + optimizerNames() + ")");
  require(t.learningRate >= 0.0, "lr: the learning rate must be >= 0");
  require(t.momentum >= 0.0 && t.momentum < 1.0, "momentum: must be in [0, 1)");
  require(t.beta1 >= 0.0 && t.beta1 < 1.0, "beta1: must be in [0, 1)");
  require(t.beta2 >= 0.0 && t.beta2 < 1.0, "beta2: must be in [0, 1)");
  require(t.epsilon > 0.0, "epsilon: must be > 0");
  require(t.l2 >= 0.0, "l2: must be >= 0");
  require(t.l1 >= 0.0, "l1: must be >= 0");
  require(t.batchSize >= 1, "batch-size: must be at least 1");
  require(t.epochs >= 0, "epochs: must be >= 0");
  require(t.steps >= -1, "steps: must be >= 0");
  require(t.threads >= 1 && t.threads <= 256, "threads: must be in [1, 256]");

  const StatsConfig& s = c.stats;
  require(s.every >= -1, "stats-every: must be >= 0 (0: no statistics)");
  require(s.probeSize >= 1, "probe-size: must be at least 1");
  require(s.histogramBins >= 1 && s.histogramBins <= 10000, "histogram-bins: must be in [1, 10000]");
}

}  // namespace layerscope
