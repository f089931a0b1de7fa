#include "training/probe.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <utility>

#include "compute_pool.h"
#include "model/layers/dense.h"
#include "training/layer_health.h"

namespace layerscope {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One layer's statistics (measureLayers). Reads the network and writes only the layer's own
// grids, so layers can be measured on different threads.
LayerStats measureLayer(const Network& network, const LayerView& view, int last, ActivationKind kind,
                        int bins, const std::vector<double>& updateRatios, HistogramGrids& grids) {
  LayerStats ls;
  ls.layer = view.index;
  ls.units = view.units;
  ls.kind = view.index == 0 ? "input" : view.index == last ? "output" : "hidden";
  const Matrix& act = network.values()[view.activation];
  const Matrix& pre = network.values()[view.preActivation];
  ls.finite = act.allFinite() && pre.allFinite();
  ls.activation = computeMoments(act);
  ls.preActivation = view.index == 0 ? ls.activation : computeMoments(pre);

  const bool hidden = ls.kind == "hidden";
  // Each quantity on its run-long grid (training/stats.h, binOnGrid). Bounded functions keep
  // their range ([-1, 1], [0, 1]) so saturation piles up in the end bins; everything else is
  // laid over its robust range and extended as the run needs.
  BinningRule postRule;
  if (hidden && kind == ActivationKind::Tanh) postRule.lo = -1.0, postRule.hi = 1.0;
  if (hidden && kind == ActivationKind::Sigmoid) postRule.lo = 0.0, postRule.hi = 1.0;
  const BinningRule unbounded;
  auto grid = [&](HistogramQuantity q) -> HistogramGrid& { return grids.at(view.index, q); };
  ls.activationHistogram = binOnGrid(act, grid(HistogramQuantity::Activation), bins, postRule);
  ls.preActivationHistogram =
      binOnGrid(pre, grid(HistogramQuantity::PreActivation), bins, unbounded);

  if (hidden) {
    const Eigen::Index n = act.size();
    if (kind == ActivationKind::Tanh)
      ls.saturatedFraction = (act.array().abs() > Scalar(0.99)).count() / double(n);
    else if (kind == ActivationKind::Sigmoid)
      ls.saturatedFraction =
          ((act.array() < Scalar(0.01)) || (act.array() > Scalar(0.99))).count() / double(n);
    if (kind == ActivationKind::Relu) {
      ls.deadFraction = (act.array() == Scalar(0)).count() / double(n);
      // A dead unit outputs 0 for every probe sample: its row max is 0.
      ls.deadUnitFraction = (act.rowwise().maxCoeff().array() <= Scalar(0)).count() / double(act.rows());
    }
  }

  // How many directions the layer's output uses across the probe samples.
  const RepresentationRank rank = representationRank(act);
  ls.effectiveRank = rank.rank;
  ls.effectiveRankNormalized = rank.normalized;

  if (view.index == 0) {
    ls.gradientStd = ls.weightStd = ls.weightGradientStd = ls.updateRatio = kNaN;
  } else {
    const Matrix& grad = network.valueGradients()[view.activation];
    const Moments g = computeMoments(grad);
    ls.gradientStd = grad.size() ? g.std : kNaN;
    ls.gradientHistogram = binOnGrid(grad, grid(HistogramQuantity::Gradient), bins, unbounded);
    const Dense& dense = network.dense(view.dense);
    ls.weightHistogram = binOnGrid(dense.weights(), grid(HistogramQuantity::Weight), bins, unbounded);
    ls.weightGradientHistogram = binOnGrid(dense.weightGradient(),
                                           grid(HistogramQuantity::WeightGradient), bins, unbounded);
    ls.weightStd = computeMoments(dense.weights()).std;
    ls.weightGradientStd = computeMoments(dense.weightGradient()).std;
    ls.updateRatio = size_t(view.dense) < updateRatios.size() ? updateRatios[view.dense] : kNaN;
    // The dense layer's delta (dL/d its output: values()[dense + 1]) and input
    // (values()[dense]) per sample, from the same backward as its weight gradient.
    const Matrix& delta = network.valueGradients()[size_t(view.dense) + 1];
    const Matrix& input = network.values()[size_t(view.dense)];
    ls.gradientSnr = delta.cols() == input.cols() && delta.allFinite()
                         ? gradientSignalToNoise(delta, input, dense.weightGradient())
                         : kNaN;
  }
  return ls;
}

}  // namespace

std::vector<LayerStats> measureLayers(const Network& network, ActivationKind kind,
                                      int histogramBins, const std::vector<double>& updateRatios,
                                      HistogramGrids* runGrids) {
  const int bins = std::max(1, histogramBins);
  HistogramGrids ownGrids;  // without the run's grids: laid afresh from this probe
  HistogramGrids& grids = runGrids ? *runGrids : ownGrids;
  const std::vector<LayerView>& views = network.layerViews();
  const int last = static_cast<int>(views.size()) - 1;
  // Every layer's grid slots exist before threads share the grids (at() grows the list).
  grids.at(views.back().index, HistogramQuantity::Activation);
  std::vector<LayerStats> layers(views.size());
  // Layers on the compute threads (the pool that runs the products, compute_pool.h), each
  // taking the next layer: a wide net's probe is mostly reading its weights and weight gradients
  // (histograms, moments: 1.2 GB for 10 x 4096), and each layer's numbers are the same whichever
  // thread measures them.
  std::exception_ptr failure;
  std::mutex failureLock;
  ComputePool::shared().forEach(static_cast<int>(views.size()), [&](int l) {
    try {
      layers[size_t(l)] = measureLayer(network, views[size_t(l)], last, kind, bins, updateRatios, grids);
    } catch (...) {
      std::lock_guard<std::mutex> hold(failureLock);
      failure = std::current_exception();
    }
  });
  if (failure) std::rethrow_exception(failure);
  return layers;
}

DecisionGrid decisionGrid(Network& network, const Matrix& x) {
  constexpr int kResolution = 64;
  DecisionGrid g;
  g.resolution = kResolution;
  const double padX = 0.1 * (x.row(0).maxCoeff() - x.row(0).minCoeff()) + 1e-3;
  const double padY = 0.1 * (x.row(1).maxCoeff() - x.row(1).minCoeff()) + 1e-3;
  g.xMin = x.row(0).minCoeff() - padX;
  g.xMax = x.row(0).maxCoeff() + padX;
  g.yMin = x.row(1).minCoeff() - padY;
  g.yMax = x.row(1).maxCoeff() + padY;
  Matrix points(2, kResolution * kResolution);
  for (int r = 0; r < kResolution; ++r)
    for (int c = 0; c < kResolution; ++c) {
      points(0, r * kResolution + c) = Scalar(g.xMin + (g.xMax - g.xMin) * (c + 0.5) / kResolution);
      points(1, r * kResolution + c) = Scalar(g.yMin + (g.yMax - g.yMin) * (r + 0.5) / kResolution);
    }
  Matrix p;
  network.predictProbabilities(points, p);
  g.classIndex.resize(points.cols());
  g.confidence.resize(points.cols());
  for (Eigen::Index j = 0; j < points.cols(); ++j) {
    Eigen::Index arg;
    g.confidence[j] = p.col(j).maxCoeff(&arg);
    g.classIndex[j] = static_cast<std::uint8_t>(arg);
  }
  return g;
}

}  // namespace layerscope
