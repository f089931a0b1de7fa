// ModelState: everything a trained model is, apart from how it was trained: the architecture,
// the parameters, the batch-norm running statistics and the fitted preprocessing (plus the
// names and the experiment a file may carry). The ONNX reader (io/onnx_import.h) produces one;
// the Trainer starts from one (Trainer(config, data, state)); the run facade (lab/run.h) passes
// it between the two, so no caller copies an architecture into a config by hand.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "data/preprocess.h"
#include "model/network.h"
#include "tensor.h"

namespace layerscope {

struct ModelState {
  ModelConfig model;   // depth/width (or widths when they differ), activation, batch norm
  int inputs = 0;      // raw features
  int classes = 0;
  Vector parameters;   // in the Network's buffer order (Network::parameterBlocks())
  // Per batch-norm layer, in order: the running statistics and the epsilon of the file.
  std::vector<Vector> runningMeans, runningVars;
  std::vector<double> batchNormEpsilons;
  Preprocessor preprocessor;  // fitted: mean and scale
  std::vector<std::string> classNames;    // from metadata when present (size == classes)
  std::vector<std::string> featureNames;  // from metadata when present (size == inputs)
  InputEncoding input;  // the raw units the file's model takes (the preprocessor is in loaded units)
  bool hasExperiment = false;  // a LayerScope export carries its experiment in metadata
  ExperimentConfig experiment;
};

// Copies the parameters and batch-norm running statistics into a Network built with
// Network(state.inputs, state.classes, state.model, seed). Throws InputError when the
// network's shape differs.
void applyModelState(const ModelState& state, Network& network);

// The experiment `config` with the architecture and preprocessing of `state` in place of its
// own: what a run that starts from those weights really trains.
ExperimentConfig withModelState(ExperimentConfig config, const ModelState& state);

}  // namespace layerscope
