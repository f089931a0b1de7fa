// Command-line parsing for layerscope-cli: flags mirror the experiment file's keys (DESIGN.md,
// "The headless CLI contract") and override --config FILE wherever they stand.
#pragma once

#include <string>
#include <vector>

#include "config.h"

namespace layerscope {

struct CliOptions {
  std::string command;          // "train", "help", "version"
  ExperimentConfig config;
  std::string configPath;       // --config
  std::string statsCsv;         // --stats-csv
  std::string statsJson;        // --stats-json
  std::string histogramsCsv;    // --histograms-csv
  std::string summaryJson;      // --summary-json
  std::string exportModel;      // --export-model
  std::string saveExperiment;   // --save-experiment
  bool quiet = false;           // --quiet: no progress lines
};

// Throws InputError naming the flag at fault ("--depth: 'abc' is not an integer").
CliOptions parseCliOptions(const std::vector<std::string>& args);

std::string cliUsage();

// Engine messages name settings by their field ("depth: must be ..."); on the command line the
// user typed "--depth": say that.
std::string asFlagMessage(const std::string& message);

}  // namespace layerscope
