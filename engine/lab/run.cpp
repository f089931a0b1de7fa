#include "lab/run.h"

#include <cctype>

#include "data/source.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "io/onnx_export.h"
#include "io/onnx_import.h"
#include "settings/schema.h"

namespace layerscope {

OpenedExperiment openExperiment(const std::string& path) {
  const ExperimentDocument document = readExperimentDocument(path);
  OpenedExperiment opened;
  opened.config = document.config;
  try {
    validate(opened.config);
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.what());
  }
  opened.weightsPath = document.weightsPath;
  if (!document.weightsPath.empty())
    opened.weights = std::make_shared<const ModelState>(importOnnx(document.weightsPath));
  return opened;
}

ExperimentConfig effectiveExperiment(const ExperimentConfig& config, const ModelState* startFrom) {
  return startFrom ? withModelState(config, *startFrom) : config;
}

std::unique_ptr<Trainer> startRun(const ExperimentConfig& config, const ModelState* startFrom,
                                  const Progress* progress) {
  if (!startFrom) return std::make_unique<Trainer>(config, progress);
  validate(config);
  DataSplits data = loadData(config.data, config.train.seed, progress);
  try {
    return std::make_unique<Trainer>(config, std::move(data), *startFrom, progress);
  } catch (const InputError& e) {
    throw InputError(std::string("the model does not fit this data: ") + e.what());
  }
}

void exportModel(const std::string& path, const Trainer& run) {
  const Dataset& train = run.data().train;
  exportOnnx(path, run.network(), run.preprocessor(), run.config(), train.classNames,
             train.featureNames, train.input);
}

SavedExperiment experimentWithWeightsPaths(const std::string& path) {
  std::string json = path, suffix = path.size() >= 5 ? path.substr(path.size() - 5) : "";
  for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (suffix != ".json") json += ".json";
  return {json, json.substr(0, json.size() - 5) + ".onnx"};
}

void saveExperimentWithWeights(const SavedExperiment& paths, const Trainer& run,
                               const ExperimentConfig& experiment) {
  exportModel(paths.modelPath, run);
  writeExperimentFile(paths.experimentPath, experiment,
                      relativeWeightsPath(paths.experimentPath, paths.modelPath));
}

SavedExperiment saveExperimentWithWeights(const std::string& path, const Trainer& run,
                                          const ExperimentConfig& experiment) {
  const SavedExperiment saved = experimentWithWeightsPaths(path);
  saveExperimentWithWeights(saved, run, experiment);
  return saved;
}

SavedExperiment saveExperimentWithWeights(const std::string& path, const Trainer& run) {
  return saveExperimentWithWeights(path, run, run.config());
}

}  // namespace layerscope
