#include "training/keyframe.h"

namespace layerscope {

std::size_t Keyframe::bytes() const {
  const auto vectorBytes = [](const Vector& v) { return std::size_t(v.size()) * sizeof(Scalar); };
  std::size_t total = sizeof(Keyframe) + architecture.size() + vectorBytes(parameters) +
                      shuffleRng.size() + divergence.size() + optimizer.kind.size() +
                      order.size() * sizeof(int) + updateRatios.size() * sizeof(double) +
                      histogramGrids.layers.size() * sizeof(histogramGrids.layers[0]);
  for (const std::vector<Vector>* list : {&runningMeans, &runningVars, &optimizer.buffers})
    for (const Vector& v : *list) total += sizeof(Vector) + vectorBytes(v);
  for (const std::vector<std::string>* list : {&dropoutRngs, &probeDropoutRngs})
    for (const std::string& s : *list) total += sizeof(std::string) + s.size();
  return total;
}

std::string networkArchitecture(const Network& network) {
  std::string text = std::to_string(network.inputs());
  for (const LayerPtr& layer : network.layers())
    text += " > " + layer->kind() + " " + std::to_string(layer->outputSize());
  return text;
}

}  // namespace layerscope
