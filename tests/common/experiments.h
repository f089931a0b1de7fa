// The small experiments the tests start from, one named config each, shared by the engine, UI
// and app tests (tests/engine, tests/ui, tests/app) so that "a tiny Gaussian problem" means the
// same thing everywhere. Each test changes what it is about on a copy.
#pragma once

#include <string>

#include "config.h"

namespace layerscope::testing {

// The data part of an experiment: `samples` of generator `source` in `features` dimensions and
// `classes` classes.
inline ExperimentConfig& withData(ExperimentConfig& c, const std::string& source, int samples,
                                  int features, int classes) {
  c.data.source = source;
  c.data.samples = samples;
  c.data.features = features;
  c.data.classes = classes;
  return c;
}

// The network part: `depth` hidden layers of `width`, `activation`, `init` (and its std when
// init is "normal").
inline ExperimentConfig& withNetwork(ExperimentConfig& c, int depth, int width,
                                     const std::string& activation, const std::string& init,
                                     double initStd = 0.01) {
  c.model.depth = depth;
  c.model.width = width;
  c.model.activation = activation;
  c.model.init = init;
  c.model.initStd = initStd;
  return c;
}

// 48 Gaussian samples in 6 features, 3 classes; 2 hidden layers of 8, 4 steps of 16: the
// extreme-settings table (tests/common/extreme_settings.h) starts every row from it.
inline ExperimentConfig tinyGaussian() {
  ExperimentConfig c;
  c.data.source = "gaussian";
  c.data.samples = 48;
  c.data.features = 6;
  c.data.classes = 3;
  c.data.validationFraction = 0.25;
  c.model.depth = 2;
  c.model.width = 8;
  c.train.batchSize = 16;
  c.train.steps = 4;
  c.stats.every = 2;
  c.stats.probeSize = 32;
  return c;
}

// 200 Gaussian samples in 8 features, 3 classes; 2 hidden layers of 16: quick enough to rebuild
// after every edit in the configuration panel.
inline ExperimentConfig smallGaussian() {
  ExperimentConfig c;
  c.data.source = "gaussian";
  c.data.samples = 200;
  c.data.features = 8;
  c.data.classes = 3;
  c.model.depth = 2;
  c.model.width = 16;
  c.train.batchSize = 32;
  c.train.learningRate = 0.05;
  c.stats.probeSize = 100;
  return c;
}

// depth 4, width 64, 500 samples of 3 Gaussian blobs in 16 features, 200 epochs: a run the UI
// tests can start, pause and export; fast on 2 cores.
inline ExperimentConfig blobs16d() {
  ExperimentConfig c;
  c.data.source = "blobs";
  c.data.samples = 500;
  c.data.features = 16;
  c.data.classes = 3;
  c.model.depth = 4;
  c.model.width = 64;
  c.train.batchSize = 32;
  c.train.epochs = 200;
  c.train.learningRate = 0.05;
  c.stats.probeSize = 200;
  return c;
}

// The 2-D spiral, 600 samples of 3 arms, ReLU + He + Adam, 60 epochs: learnable to > 95 %.
inline ExperimentConfig spiral2d() {
  ExperimentConfig c;
  c.data.source = "spiral";
  c.data.samples = 600;
  c.data.classes = 3;
  c.data.noise = 0.1;
  c.data.validationFraction = 0.2;
  c.model.depth = 2;
  c.model.width = 64;
  c.model.activation = "relu";
  c.model.init = "he_normal";
  c.train.optimizer = "adam";
  c.train.learningRate = 0.01;
  c.train.batchSize = 32;
  c.train.epochs = 60;
  c.stats.every = 0;
  return c;
}

// The new user's spiral: 2 hidden layers of 32, ReLU + He + Adam, `steps` steps at the automatic
// probe cadence (7,200 steps train in under a second at full speed).
inline ExperimentConfig spiral2x32(long steps) {
  ExperimentConfig c = spiral2d();
  c.model.width = 32;
  c.train.steps = steps;
  c.stats.every = -1;  // auto
  return c;
}

// Random labels a wide ReLU net memorizes: training accuracy rises, validation stays at chance
// (4 classes, 400 Gaussian samples in 50 features, half for validation, 200 Adam steps).
inline ExperimentConfig memorization() {
  ExperimentConfig c;
  c.data.source = "gaussian";
  c.data.labels = "random";  // nothing to learn
  c.data.samples = 400;
  c.data.features = 50;
  c.data.classes = 4;
  c.data.validationFraction = 0.5;
  c.model.depth = 2;
  c.model.width = 256;
  c.model.activation = "relu";
  c.model.init = "he_normal";
  c.train.optimizer = "adam";
  c.train.learningRate = 0.003;
  c.train.batchSize = 50;
  c.train.steps = 200;
  c.stats.every = 0;
  return c;
}

// 10 tanh layers of 100 on 300 Gaussian samples in 100 features, no training (steps 0): the
// initial network's statistics, which a sweep over the initialization compares.
inline ExperimentConfig tanhStack10x100() {
  ExperimentConfig c;
  c.data.samples = 300;
  c.data.features = 100;
  c.data.validationFraction = 0.0;
  c.model.depth = 10;
  c.model.width = 100;
  c.train.steps = 0;
  c.stats.every = 1;
  return c;
}

// 4 tanh layers of 64 on 300 Gaussian samples in 64 features, 2 classes: a sweep the sweep
// dialog runs in a few seconds.
inline ExperimentConfig tanhStack4x64() {
  ExperimentConfig c;
  c.data.source = "gaussian";
  c.data.samples = 300;
  c.data.features = 64;
  c.data.classes = 2;
  c.model.depth = 4;
  c.model.width = 64;
  c.model.activation = "tanh";
  c.stats.probeSize = 300;
  return c;
}

// 120 Gaussian samples in 6 features, 2 hidden layers of 8 with batch normalization, 15 steps:
// a model with every kind of state (weights, running statistics) to save and reopen.
inline ExperimentConfig smallBatchNorm() {
  ExperimentConfig c;
  c.data.samples = 120;
  c.data.features = 6;
  c.data.classes = 3;
  c.model.depth = 2;
  c.model.width = 8;
  c.model.batchNorm = true;
  c.train.steps = 15;
  c.train.batchSize = 16;
  c.stats.probeSize = 40;
  return c;
}

}  // namespace layerscope::testing
