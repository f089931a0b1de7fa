// The run facade: what every front end (layerscope-cli, the app's worker thread, the window)
// does to open an experiment, start a run and keep it, written once.
//
//   openExperiment(path)      experiment file -> validated settings (+ the trained weights it
//                             names, imported: a ModelState)
//   startRun(config, from)    validate, load the data, build the Trainer (from fresh weights,
//                             or from a ModelState whose architecture and preprocessing win)
//   exportModel(path, run)    the trained network as ONNX, with the data's class and feature
//                             names
//   saveExperimentWithWeights(path, run)
//                             NAME.onnx, then NAME.json naming it: the model first, so an
//                             experiment never names a file that is not there
// The training loop itself never sees a file format.
#pragma once

#include <memory>
#include <string>

#include "config.h"
#include "training/model_state.h"
#include "training/trainer.h"

namespace layerscope {

struct OpenedExperiment {
  ExperimentConfig config;                   // validated
  std::shared_ptr<const ModelState> weights;  // the "weights" the file names; null when none
  std::string weightsPath;                    // resolved against the experiment's folder
};

// Reads and validates the experiment file and imports the weights it names. Throws InputError
// naming the file (and the weights file) at fault.
OpenedExperiment openExperiment(const std::string& path);

// Validates `config`, loads its data and builds a Trainer. With `startFrom`, the model's
// architecture and fitted preprocessing replace the config's (withModelState) and the data must
// fit the model: the InputError then says "the model does not fit this data: ...".
// Loading and building report to `progress`, which may cancel them (progress.h: Cancelled).
std::unique_ptr<Trainer> startRun(const ExperimentConfig& config,
                                  const ModelState* startFrom = nullptr,
                                  const Progress* progress = nullptr);

// What a run trains, with a model's architecture in place of the config's when it starts from
// one.
ExperimentConfig effectiveExperiment(const ExperimentConfig& config, const ModelState* startFrom);

// Writes the trained network as ONNX (atomically; io/onnx_export.h).
void exportModel(const std::string& path, const Trainer& run);

struct SavedExperiment {
  std::string experimentPath;  // NAME.json
  std::string modelPath;       // NAME.onnx, beside it
};
// `path` with or without ".json": writes NAME.onnx, then NAME.json holding `experiment` (by
// default the run's own) and naming the model relative to its folder.
SavedExperiment saveExperimentWithWeights(const std::string& path, const Trainer& run);
SavedExperiment saveExperimentWithWeights(const std::string& path, const Trainer& run,
                                          const ExperimentConfig& experiment);
// NAME.onnx beside NAME.json (or beside `path` + ".json").
SavedExperiment experimentWithWeightsPaths(const std::string& path);
// Writes paths.modelPath, then paths.experimentPath naming it.
void saveExperimentWithWeights(const SavedExperiment& paths, const Trainer& run,
                               const ExperimentConfig& experiment);

}  // namespace layerscope
