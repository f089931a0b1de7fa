// Layer statistics: the numbers LayerScope plots. Plain value types (copyable, no pointers into
// the network) so the worker thread can hand them to the UI and the CLI writes the same ones.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "tensor.h"

namespace layerscope {

// Population moments of every element of one (units, batch) matrix.
struct Moments {
  double mean = 0.0, std = 0.0, min = 0.0, max = 0.0;
};

// Fixed-bin histogram over [lo, hi]; counts.size() bins of equal width. Non-finite values are
// counted in `nonFinite`, not binned.
//
// Two ways to fill one. computeHistogram() clamps values outside [lo, hi] into the end bins (and
// leaves the grid fields at origin = lo, first = 0). binOnGrid() (what the probe uses) bins on a
// run-long HistogramGrid: bin b covers [origin + (first + b) * width, origin + (first + b + 1) *
// width) (the last bin also holds its top edge), so the same value lands on the same edges in
// every probe of a run; finite values below lo / above hi are counted in underflow / overflow,
// and values exactly 0 may be kept out of the bins in `zeros` (ReLU's dead outputs are a state,
// not the bottom of a distribution). Every value is counted exactly once:
//   sum(counts) + underflow + overflow + zeros + nonFinite = number of values.
struct Histogram {
  double lo = 0.0, hi = 0.0;
  std::vector<std::uint32_t> counts;
  std::uint64_t nonFinite = 0;
  double origin = 0.0, width = 0.0;  // the grid: edge(k) = origin + k * width
  long first = 0;                    // grid index of counts[0]
  std::uint64_t underflow = 0, overflow = 0, zeros = 0;
  bool fixedRange = false;  // the grid is a bounded function's whole range (tanh, sigmoid)
  // This probe's robust range: the 0.5% and 99.5% quantiles of the binned values (NaN when
  // unknown); plots use it as their x-range, so one outlier does not squeeze the body.
  double robustLo = std::numeric_limits<double>::quiet_NaN();
  double robustHi = std::numeric_limits<double>::quiet_NaN();

  // The grid's edge k (an absolute index: counts[b] lies between edge(first + b) and
  // edge(first + b + 1)); computed one way everywhere, so equal k give bit-equal edges.
  double edge(long k) const { return origin + double(k) * width; }
  std::uint64_t total() const;  // every value counted, non-finite included
};

// The bin edges of one layer's quantity for a whole run: origin + k * width for k in
// [first, last]. Laid once from the first probe (binsWanted bins over its robust range) and then
// only extended by whole bins, so histograms of different steps compare bin by bin. A grid that
// would exceed kMaxGridBins merges pairs of bins (width doubles, origin stays): its edges are
// then every second old edge, still never shifted.
struct HistogramGrid {
  double origin = 0.0, width = 0.0;  // width 0: not laid yet
  long first = 0, last = 0;          // bins [first, last)
  bool laid() const { return width > 0.0; }
  long bins() const { return last - first; }
};

// What a probe histograms per layer, in LayerStats' order.
enum class HistogramQuantity { Activation, PreActivation, Gradient, Weight, WeightGradient };
constexpr int kHistogramQuantities = 5;

// The grids of a run, by layer (LayerStats::layer) and quantity. The trainer keeps one for its
// run and hands it to every probe.
struct HistogramGrids {
  std::vector<std::array<HistogramGrid, kHistogramQuantities>> layers;
  HistogramGrid& at(int layer, HistogramQuantity q);
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
  // The incoming weights W and their gradient dL/dW (empty for the input layer).
  Histogram weightHistogram, weightGradientHistogram;
  double gradientStd = 0.0;        // std of dL/d(activation) on the probe batch (NaN for input)
  double weightStd = 0.0;          // std of the incoming weights W (NaN for input)
  double weightGradientStd = 0.0;  // std of dL/dW on the probe batch (NaN for input)
  double updateRatio = 0.0;        // ||delta W|| / ||W|| of the last update (NaN if unknown)
  // Effective rank (Roy & Vetterli 2007) of the centred (units x samples) output on at most
  // kRankSamples probe samples, and that over min(units, samples - 1): training/layer_health.h.
  // Low: the units carry nearly the same signal (rank collapse). NaN when unknown.
  double effectiveRank = std::numeric_limits<double>::quiet_NaN();
  double effectiveRankNormalized = std::numeric_limits<double>::quiet_NaN();
  // ||mean g_n||^2 / mean ||g_n - mean g||^2 of the per-example gradients g_n of the incoming
  // W on the probe batch (training/layer_health.h); NaN for the input or without a gradient.
  double gradientSnr = std::numeric_limits<double>::quiet_NaN();
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
  // The validation numbers repeat the last measured ones: a light probe (training/trainer.h,
  // ProbeDepth::Light) measures validation on the whole split only when that costs next to
  // nothing. A few samples instead gave a fixed, biased number (8 samples read 0.50 against the
  // whole split's 0.26 on the default 10 x 500 run, a sawtooth in the curve). Curves skip
  // repeated numbers (ui/run/run_history.cpp); findings judge them with the whole split's noise.
  bool validationRepeated = false;
  std::vector<LayerStats> layers;
  DecisionGrid decision;          // empty unless the data is 2-D
  bool diverged = false;
  std::string divergence;         // where and how, in words, when diverged
};

// Statistics of one matrix. `lo`/`hi` fix the histogram range when lo < hi, otherwise it spans
// [min, max] of the data.
// Takes a Ref: a layer's weights (a Map into the parameter buffer) are read in place. As
// `const Matrix&` each call copied them into a temporary: 1.2 GB of fresh pages per probe of a
// 10 x 4096 net, 300 000 page faults (perf, bench_train --mode build).
Moments computeMoments(const Eigen::Ref<const Matrix>& values);
Histogram computeHistogram(const Matrix& values, int bins, double lo, double hi);

// How one quantity is binned on its run-long grid.
struct BinningRule {
  // A bounded function's range ([-1, 1] for tanh, [0, 1] for sigmoid): the grid is that range
  // in binsWanted bins, origin at lo, whatever the data. Otherwise (lo >= hi) the grid is laid
  // over the robust range with origin 0, so 0 is always an edge and the bins either side of it
  // are alike for every layer.
  double lo = 0.0, hi = 0.0;
  bool separateZeros = true;  // count exact zeros in Histogram::zeros, not in a bin
};
constexpr long kMaxGridBins = 2000;
constexpr double kRobustQuantile = 0.005;  // the robust range: [q(0.5%), q(99.5%)]

// The [q, 1 - q] quantiles of the finite (and, with skipZeros, non-zero) values, estimated from
// at most 8192 of them: 32 evenly spaced runs of consecutive values (deterministic, cache
// friendly, spread over units and samples). {NaN, NaN} when no value qualifies.
std::pair<double, double> robustRange(const Eigen::Ref<const Matrix>& values, double q,
                                      bool skipZeros);

// Lays `grid` when it is not laid yet, extends it by whole bins to cover [lo, hi] otherwise
// (merging pairs of bins beyond kMaxGridBins), then bins `values` on it.
Histogram binOnGrid(const Eigen::Ref<const Matrix>& values, HistogramGrid& grid, int binsWanted,
                    const BinningRule& rule);

}  // namespace layerscope
