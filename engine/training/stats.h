// Layer statistics: the numbers LayerScope plots. Plain value types (copyable, no pointers into
// the network) so the worker thread can hand them to the UI and the CLI writes the same ones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tensor.h"

namespace layerscope {

// Population moments of every element of one (units, batch) matrix.
struct Moments {
  double mean = 0.0, std = 0.0, min = 0.0, max = 0.0;
};

// Fixed-bin histogram over [lo, hi]; counts.size() bins of equal width. Values outside the range
// are clamped into the end bins; non-finite values are counted in `nonFinite`, not binned.
struct Histogram {
  double lo = 0.0, hi = 0.0;
  std::vector<std::uint32_t> counts;
  std::uint64_t nonFinite = 0;
};

struct LayerStats {
  int layer = 0;          // 0 input, 1..depth hidden, depth+1 logits (docs/ARCHITECTURE.md)
  std::string kind;       // "input", "hidden", "output"
  int units = 0;
  Moments activation;     // post-activation output on the probe batch
  Moments preActivation;  // the input of the activation (after batch norm when present)
  double saturatedFraction = 0.0;  // tanh |a| > 0.99; sigmoid a < 0.01 or a > 0.99
  double deadFraction = 0.0;       // ReLU: outputs exactly 0
  double deadUnitFraction = 0.0;   // ReLU: units that are 0 for every probe sample
  Histogram activationHistogram, preActivationHistogram, gradientHistogram;
  double gradientStd = 0.0;        // std of dL/d(activation) on the probe batch (NaN for input)
  double weightStd = 0.0;          // std of the incoming weights W (NaN for input)
  double weightGradientStd = 0.0;  // std of dL/dW on the probe batch (NaN for input)
  double updateRatio = 0.0;        // ||delta W|| / ||W|| of the last update (NaN if unknown)
  bool finite = true;              // every activation finite
};

// For 2-D data: class probabilities of the current network on a grid over the data's range.
struct DecisionGrid {
  int resolution = 0;             // resolution x resolution points
  double xMin = 0, xMax = 0, yMin = 0, yMax = 0;
  std::vector<std::uint8_t> classIndex;  // argmax class per point, row-major from (xMin, yMin)
  std::vector<float> confidence;         // max probability per point
};

struct StatsSnapshot {
  long step = 0;          // optimisation steps done
  int epoch = 0;          // completed epochs
  double elapsedSeconds = 0.0;    // training time so far (statistics excluded)
  double learningRate = 0.0;
  double trainLoss = 0.0;         // mean training-batch loss since the previous snapshot
  double probeLoss = 0.0;         // on the probe batch (training data), probe mode
  double probeAccuracy = 0.0;
  double validationLoss = 0.0;    // NaN without a validation split
  double validationAccuracy = 0.0;
  std::vector<LayerStats> layers;
  DecisionGrid decision;          // empty unless the data is 2-D
  bool diverged = false;
  std::string divergence;         // where and how, in words, when diverged
};

// Statistics of one matrix. `lo`/`hi` fix the histogram range when lo < hi, otherwise it spans
// [min, max] of the data.
Moments computeMoments(const Matrix& values);
Histogram computeHistogram(const Matrix& values, int bins, double lo, double hi);

}  // namespace layerscope
