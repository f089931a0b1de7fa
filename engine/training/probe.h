// Measuring a network without training it: the statistics of every layer after a forward and
// backward pass (training/stats.h's LayerStats), and the decision grid of a 2-D classifier.
// Trainer::probe() (training/trainer.cpp) runs those passes on its fixed probe batch and calls
// these; they read the network's values, value gradients and weights and move no parameter.
#pragma once

#include <vector>

#include "model/activation.h"
#include "model/network.h"
#include "tensor.h"
#include "training/stats.h"

namespace layerscope {

// One LayerStats per layer view of `network` (input, hidden layers, output logits), from the
// values and gradients of its last forward() and backward() (call it before anything else runs
// through the network). `activation` is the hidden layers' function: tanh and sigmoid fix their
// activation histograms to the function's range ([-1, 1], [0, 1]) and count saturation; ReLU
// counts dead outputs and dead units. `updateRatios[d]` is ||W_after - W_before|| / ||W_before||
// of dense layer d's last measured update (NaN when missing). `histogramBins` >= 1: the bins of
// each histogram grid when it is laid. `grids`: the run's histogram grids (training/stats.h),
// laid on the first probe and extended by later ones so every probe of a run shares its bin
// edges; nullptr lays fresh grids from this probe alone.
std::vector<LayerStats> measureLayers(const Network& network, ActivationKind activation,
                                      int histogramBins, const std::vector<double>& updateRatios,
                                      HistogramGrids* grids = nullptr);

// For 2-D inputs (2, samples): the network's predicted class and its probability at the centre
// of each cell of a 64 x 64 grid over the inputs' bounding box, widened by 10% of its extent
// (+ 1e-3) on every side. Runs the network in evaluation mode (predictProbabilities), so its
// values() no longer hold the last forward pass afterwards.
DecisionGrid decisionGrid(Network& network, const Matrix& inputs);

}  // namespace layerscope
