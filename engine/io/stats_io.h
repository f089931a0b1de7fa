// Writers for the numbers LayerScope measures: layer statistics as CSV (for pandas, R, a
// spreadsheet) and JSON (everything, histograms included), and the run summary as JSON.
//
// Numbers are written with 9 significant digits (%.9g): enough for every float to read back
// bit-exact, and no noise digits beyond what a float holds. A NaN (e.g. the validation loss of a
// run without a validation split, the gradient of the input layer) is an empty CSV field, which
// pandas reads as NaN, and `null` in JSON.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "training/run_summary.h"
#include "training/stats.h"

namespace layerscope {

// One row per (snapshot, layer). Header:
// step,epoch,layer,kind,units,mean,std,min,max,pre_mean,pre_std,pre_min,pre_max,
// saturated_fraction,dead_fraction,dead_unit_fraction,gradient_std,weight_std,
// weight_gradient_std,update_ratio,train_loss,probe_loss,probe_accuracy,validation_loss,
// validation_accuracy
std::string statsCsv(const std::vector<StatsSnapshot>& snapshots);

// Long format, one row per histogram bin: step,layer,quantity,bin,lo,hi,count with quantity
// activation | pre_activation | gradient | weight | weight_gradient; [lo, hi) are the bin's
// edges and `bin` its index k on the run's grid (training/stats.h, HistogramGrid: lo = origin +
// k * width), so rows of one layer and quantity with the same k have the same edges at every
// step. Values off the grid follow as rows with an empty bin: (-inf, lo) below it, (hi, inf)
// above it, [0, 0] the values exactly 0 kept apart (ReLU's dead outputs); each only when
// non-zero. Empty histograms (the input layer has no gradient) are left out.
std::string statsHistogramsCsv(const std::vector<StatsSnapshot>& snapshots);

// {"format": "layerscope-stats", "version": 1, "experiment": {...the experiment file...},
//  "snapshots": [{"step", "epoch", ..., "layers": [{..., "histograms": {"activation":
//  {"lo", "hi", "counts", "non_finite", "origin", "width", "first", "underflow", "overflow",
//  "zeros", "robust_lo", "robust_hi"}, ...}}]}]}, one snapshot per line (histogram keys:
//  activation, pre_activation, gradient, weight, weight_gradient).
std::string statsJson(const std::vector<StatsSnapshot>& snapshots, const ExperimentConfig& config);

// {"steps", "train_seconds", "stats_seconds", "steps_per_second", "final_loss",
//  "train_accuracy", "validation_accuracy", "test_accuracy", "diverged", "divergence",
//  "experiment"}; accuracies without their split are null.
std::string summaryJson(const RunSummary& summary, const ExperimentConfig& config);

}  // namespace layerscope
