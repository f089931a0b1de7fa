// The experiment file: an ExperimentConfig as JSON, to save, reopen and share an experiment.
//
//   {"format": "layerscope-experiment", "version": 1, "name": "...",
//    "data": {...}, "model": {...}, "train": {...}, "stats": {...}, ["weights": "FILE.onnx"]}
//
// The keys are the CLI flags in snake_case (--batch-size -> train.batch_size), so a file and a
// command line say the same thing in the same words. Reading is strict about what is there
// (unknown keys, wrong types, another format or version are errors naming the file and the JSON
// path) and lenient about what is not: a missing key keeps its default, so a file may hold only
// the settings that differ from the defaults.
#pragma once

#include <string>

#include "config.h"

namespace layerscope {

// Pretty-printed (2-space indent), every field present, ending with a newline.
std::string experimentToJson(const ExperimentConfig& config);

// Throws InputError "SOURCE: model.depth: expected an integer, found string" for a bad field,
// "SOURCE:LINE:COL: invalid JSON (...)" for text that is not JSON. Does not range-check the
// values (validate() in settings/schema.h does, after command-line overrides are applied).
ExperimentConfig experimentFromJson(const std::string& text, const std::string& sourceName);

// The experiment the desktop app keeps in its settings between launches. A damaged or stale
// setting (an older format, a value no longer valid, bytes that are not JSON) must not stop the
// app from starting: it gives the defaults, and `problem` (when given) says why, naming SOURCE.
// Never throws InputError; an empty setting is the defaults with no problem.
ExperimentConfig experimentFromSetting(const std::string& json, const std::string& sourceName,
                                       std::string* problem = nullptr);

// Refuses files over 16 MiB (an experiment is a few hundred bytes).
ExperimentConfig readExperimentFile(const std::string& path);
// Atomic: the old file stays intact if the write fails (atomic_file.h).
void writeExperimentFile(const std::string& path, const ExperimentConfig& config);

// An experiment may name trained weights: "weights": "FILE.onnx", a path relative to the
// experiment file's folder (or absolute), so a folder holding both can be moved or shared.
// Opening such an experiment starts from those weights (Trainer(config, data, importedModel)).
struct ExperimentDocument {
  ExperimentConfig config;
  std::string weights;  // as written in the file; empty when the experiment has none
  std::string weightsPath;  // resolved against the experiment file's folder; empty when none
};

std::string experimentToJson(const ExperimentConfig& config, const std::string& weights);
ExperimentDocument experimentDocumentFromJson(const std::string& text,
                                              const std::string& sourceName);
// weightsPath is resolved against the folder of `path`.
ExperimentDocument readExperimentDocument(const std::string& path);
// `weights` is written as given (make it relative with relativeWeightsPath).
void writeExperimentFile(const std::string& path, const ExperimentConfig& config,
                         const std::string& weights);
// The weights path as the experiment at `experimentPath` should name it: relative when both
// are in the same folder, else as given.
std::string relativeWeightsPath(const std::string& experimentPath, const std::string& weightsPath);
// `weights` from an experiment file at `experimentPath`, as a path the process can open.
std::string resolveWeightsPath(const std::string& experimentPath, const std::string& weights);

}  // namespace layerscope
