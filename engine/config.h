// ExperimentConfig: every setting of one experiment as plain values with their defaults. What
// each setting means, its limits, its file key and its command-line flag are declared once, in
// the settings schema (settings/schema.h), which also holds validate().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace layerscope {

struct DataConfig {
  // "gaussian" | "spiral" | "circles" | "moons" | "xor" | "blobs" | "csv:PATH" | "idx:DIR" |
  // "idx:IMAGES,LABELS"
  std::string source = "gaussian";
  int samples = 10000;     // generators only
  int features = 500;      // generators only (2-D generators ignore it: always 2)
  int classes = 10;        // generators only
  double noise = 0.1;      // generators only: label / position noise
  std::string labels = "teacher";  // gaussian only: "teacher" (learnable) | "random"
  std::string labelColumn; // csv only: name or 0-based index; empty = last column
  double validationFraction = 0.2;  // split off the training data
  double testFraction = 0.0;        // generators and CSV only (IDX uses its t10k files)
  std::string preprocess = "standardize";  // "none" | "center" | "standardize"
};

struct ModelConfig {
  int depth = 10;                 // hidden layers
  int width = 500;                // units per hidden layer
  std::vector<int> widths;        // optional: one width per hidden layer (overrides depth, width)
  std::string activation = "tanh";  // tanh|sigmoid|relu|leaky_relu|elu|selu|gelu|linear
  std::string init = "xavier_normal";
  double initStd = 0.01;          // for init "normal"
  double initBound = 0.05;        // for init "uniform"
  double initConstant = 0.0;      // for init "constant"
  bool batchNorm = false;         // before the activation
  double dropout = 0.0;           // inverted dropout after each hidden activation (drop prob.)
  double leakySlope = 0.01;       // leaky_relu negative slope
  double eluAlpha = 1.0;          // elu alpha
};

// The width of each hidden layer: `widths` when given, else `depth` times `width`.
inline std::vector<int> hiddenWidths(const ModelConfig& model) {
  if (!model.widths.empty()) return model.widths;
  return std::vector<int>(static_cast<size_t>(model.depth > 0 ? model.depth : 0), model.width);
}

struct TrainConfig {
  std::string optimizer = "sgd";  // sgd | momentum | nesterov | adam
  double learningRate = 0.01;
  double momentum = 0.9;          // momentum / nesterov
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // adam
  double l2 = 0.0;                // loss += l2 * sum(W^2) over weights (not biases, not BN)
  double l1 = 0.0;                // loss += l1 * sum(|W|)
  int batchSize = 128;
  int epochs = 6;
  long steps = -1;                // >= 0 overrides epochs; 0 = statistics of the initial network
  std::uint64_t seed = 1;
  int threads = 0;  // 0: auto, the physical cores (compute_threads.h)
};

struct StatsConfig {
  long every = -1;           // probe every K steps; 0 = never; -1 = auto (<= ~3% overhead)
  int probeSize = 1000;      // fixed probe batch, up to this many training samples
  int histogramBins = 50;
  bool probeTrainingMode = false;  // false: probe in eval mode (BN running stats, no dropout)
};

struct ExperimentConfig {
  std::string name = "default";
  DataConfig data;
  ModelConfig model;
  TrainConfig train;
  StatsConfig stats;
};

}  // namespace layerscope
