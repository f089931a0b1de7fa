#include "training/model_state.h"

#include "errors.h"
#include "model/layers/batch_norm.h"

namespace layerscope {

void applyModelState(const ModelState& imported, Network& network) {
  if (network.inputs() != imported.inputs || network.classes() != imported.classes)
    throw InputError("imported model: " + std::to_string(imported.inputs) + " inputs and " +
                     std::to_string(imported.classes) + " classes, but the network has " +
                     std::to_string(network.inputs()) + " and " +
                     std::to_string(network.classes()));
  if (hiddenWidths(network.model()) != hiddenWidths(imported.model) ||
      network.parameters().size() != imported.parameters.size())
    throw InputError("imported model: its layers differ from the network's");
  std::vector<BatchNorm*> batchNorms;
  for (const auto& layer : network.layers())
    if (auto* bn = dynamic_cast<BatchNorm*>(layer.get())) batchNorms.push_back(bn);
  if (batchNorms.size() != imported.runningMeans.size())
    throw InputError("imported model: " + std::to_string(imported.runningMeans.size()) +
                     " batch-normalization layers, but the network has " +
                     std::to_string(batchNorms.size()));
  network.parameters() = imported.parameters;
  for (size_t i = 0; i < batchNorms.size(); ++i) {
    BatchNorm& bn = *batchNorms[i];
    if (bn.runningMean().size() != imported.runningMeans[i].size())
      throw InputError("imported model: batch normalization " + std::to_string(i + 1) +
                       " has a different number of units");
    bn.runningMean() = imported.runningMeans[i];
    // The layer's epsilon is fixed at construction; the file's may differ (torch: 1e-5, Keras:
    // 1e-3). (x - mu) / sqrt(var + eps_file) = (x - mu) / sqrt(var' + eps_layer) with
    // var' = var + eps_file - eps_layer, so shifting the variance keeps the predictions exact.
    const double shift = (i < imported.batchNormEpsilons.size() ? imported.batchNormEpsilons[i]
                                                                : bn.epsilon()) -
                         bn.epsilon();
    bn.runningVar() = imported.runningVars[i].array() + static_cast<Scalar>(shift);
  }
}

ExperimentConfig withModelState(ExperimentConfig config, const ModelState& state) {
  config.model = state.model;
  config.data.preprocess = state.preprocessor.kind();
  return config;
}

}  // namespace layerscope
