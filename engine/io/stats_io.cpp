#include "io/stats_io.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "io/experiment_file.h"

namespace layerscope {

namespace {

using Json = nlohmann::ordered_json;

// "%.9g": 9 significant digits read back every float exactly (IEEE 754 binary32 needs 9).
std::string formatNumber(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", x);
  return buffer;
}

// A CSV field: NaN is empty (pandas: NaN); infinities are "inf" / "-inf" (pandas: +-inf).
std::string csvNumber(double x) {
  if (std::isnan(x)) return "";
  return formatNumber(x);
}

// A JSON number: rounded to 9 significant digits first, so nlohmann (which prints the shortest
// text that reads back as the same double) prints at most those 9 digits; NaN and infinities
// are not JSON numbers and become null.
Json jsonNumber(double x) {
  if (!std::isfinite(x)) return nullptr;
  return std::strtod(formatNumber(x).c_str(), nullptr);
}

Json histogramJson(const Histogram& h) {
  Json j;
  j["lo"] = jsonNumber(h.lo);
  j["hi"] = jsonNumber(h.hi);
  j["counts"] = h.counts;
  j["non_finite"] = h.nonFinite;
  // The run's grid: counts[b] lies in [origin + (first + b) * width, origin + (first + b + 1) *
  // width); the same for every snapshot of the run, only `first` and the count of bins grow.
  j["origin"] = jsonNumber(h.origin);
  j["width"] = jsonNumber(h.width);
  j["first"] = h.first;
  j["underflow"] = h.underflow;
  j["overflow"] = h.overflow;
  j["zeros"] = h.zeros;
  j["robust_lo"] = jsonNumber(h.robustLo);
  j["robust_hi"] = jsonNumber(h.robustHi);
  return j;
}

Json layerJson(const LayerStats& s) {
  Json j;
  j["layer"] = s.layer;
  j["kind"] = s.kind;
  j["units"] = s.units;
  j["mean"] = jsonNumber(s.activation.mean);
  j["std"] = jsonNumber(s.activation.std);
  j["min"] = jsonNumber(s.activation.min);
  j["max"] = jsonNumber(s.activation.max);
  j["pre_mean"] = jsonNumber(s.preActivation.mean);
  j["pre_std"] = jsonNumber(s.preActivation.std);
  j["pre_min"] = jsonNumber(s.preActivation.min);
  j["pre_max"] = jsonNumber(s.preActivation.max);
  j["saturated_fraction"] = jsonNumber(s.saturatedFraction);
  j["dead_fraction"] = jsonNumber(s.deadFraction);
  j["dead_unit_fraction"] = jsonNumber(s.deadUnitFraction);
  j["gradient_std"] = jsonNumber(s.gradientStd);
  j["weight_std"] = jsonNumber(s.weightStd);
  j["weight_gradient_std"] = jsonNumber(s.weightGradientStd);
  j["update_ratio"] = jsonNumber(s.updateRatio);
  j["effective_rank"] = jsonNumber(s.effectiveRank);
  j["effective_rank_normalized"] = jsonNumber(s.effectiveRankNormalized);
  j["gradient_snr"] = jsonNumber(s.gradientSnr);
  j["finite"] = s.finite;
  Json histograms = Json::object();
  if (!s.activationHistogram.counts.empty())
    histograms["activation"] = histogramJson(s.activationHistogram);
  if (!s.preActivationHistogram.counts.empty())
    histograms["pre_activation"] = histogramJson(s.preActivationHistogram);
  if (!s.gradientHistogram.counts.empty())
    histograms["gradient"] = histogramJson(s.gradientHistogram);
  if (!s.weightHistogram.counts.empty())
    histograms["weight"] = histogramJson(s.weightHistogram);
  if (!s.weightGradientHistogram.counts.empty())
    histograms["weight_gradient"] = histogramJson(s.weightGradientHistogram);
  j["histograms"] = std::move(histograms);
  return j;
}

Json snapshotJson(const StatsSnapshot& s) {
  Json j;
  j["step"] = s.step;
  j["epoch"] = s.epoch;
  j["elapsed_seconds"] = jsonNumber(s.elapsedSeconds);
  j["learning_rate"] = jsonNumber(s.learningRate);
  j["train_loss"] = jsonNumber(s.trainLoss);
  j["probe_loss"] = jsonNumber(s.probeLoss);
  j["probe_accuracy"] = jsonNumber(s.probeAccuracy);
  j["validation_loss"] = jsonNumber(s.validationLoss);
  j["validation_accuracy"] = jsonNumber(s.validationAccuracy);
  j["diverged"] = s.diverged;
  j["divergence"] = s.divergence;
  Json layers = Json::array();
  for (const LayerStats& layer : s.layers) layers.push_back(layerJson(layer));
  j["layers"] = std::move(layers);
  return j;
}

}  // namespace

std::string statsCsv(const std::vector<StatsSnapshot>& snapshots) {
  std::string out =
      "step,epoch,layer,kind,units,mean,std,min,max,pre_mean,pre_std,pre_min,pre_max,"
      "saturated_fraction,dead_fraction,dead_unit_fraction,gradient_std,weight_std,"
      "weight_gradient_std,update_ratio,train_loss,probe_loss,probe_accuracy,validation_loss,"
      "validation_accuracy,effective_rank,effective_rank_normalized,gradient_snr\n";
  for (const StatsSnapshot& s : snapshots) {
    // The snapshot-wide columns repeat on every layer's row: a tidy table needs no join.
    // The layer-health columns came later and go last, so readers of the older columns by
    // position keep working.
    const std::string tail = "," + csvNumber(s.trainLoss) + "," + csvNumber(s.probeLoss) + "," +
                             csvNumber(s.probeAccuracy) + "," + csvNumber(s.validationLoss) +
                             "," + csvNumber(s.validationAccuracy);
    for (const LayerStats& l : s.layers) {
      out += std::to_string(s.step) + "," + std::to_string(s.epoch) + "," +
             std::to_string(l.layer) + "," + l.kind + "," + std::to_string(l.units);
      for (double x : {l.activation.mean, l.activation.std, l.activation.min, l.activation.max,
                       l.preActivation.mean, l.preActivation.std, l.preActivation.min,
                       l.preActivation.max, l.saturatedFraction, l.deadFraction,
                       l.deadUnitFraction, l.gradientStd, l.weightStd, l.weightGradientStd,
                       l.updateRatio}) {
        out += ',';
        out += csvNumber(x);
      }
      out += tail;
      for (double x : {l.effectiveRank, l.effectiveRankNormalized, l.gradientSnr}) {
        out += ',';
        out += csvNumber(x);
      }
      out += '\n';
    }
  }
  return out;
}

std::string statsHistogramsCsv(const std::vector<StatsSnapshot>& snapshots) {
  std::string out = "step,layer,quantity,bin,lo,hi,count\n";
  for (const StatsSnapshot& s : snapshots) {
    for (const LayerStats& l : s.layers) {
      const std::pair<const char*, const Histogram*> quantities[] = {
          {"activation", &l.activationHistogram},
          {"pre_activation", &l.preActivationHistogram},
          {"gradient", &l.gradientHistogram},
          {"weight", &l.weightHistogram},
          {"weight_gradient", &l.weightGradientHistogram}};
      for (const auto& [quantity, h] : quantities) {
        const std::string prefix =
            std::to_string(s.step) + "," + std::to_string(l.layer) + "," + quantity + ",";
        const long bins = static_cast<long>(h->counts.size());
        if (bins == 0 && h->zeros == 0) continue;
        // Both edges from Histogram::edge(k), one formula for every snapshot: a bin of the run's
        // grid is written with bit-equal edges whichever probe wrote it.
        // A histogram without a grid (width 0: filled by hand or by computeHistogram's callers)
        // is its own grid: origin lo, width (hi - lo) / bins, the last edge hi itself.
        const bool grid = h->width > 0.0;
        const double width = bins > 0 ? (h->hi - h->lo) / double(bins) : 0.0;
        // (A named pointer: a lambda may not capture a structured binding before C++20.)
        const Histogram* histogram = h;
        const auto edge = [histogram, grid, bins, width](long b) {
          if (grid) return histogram->edge(histogram->first + b);
          return b == bins ? histogram->hi : histogram->lo + double(b) * width;
        };
        for (long b = 0; b < bins; ++b)
          out += prefix + std::to_string(grid ? h->first + b : b) + "," + csvNumber(edge(b)) +
                 "," + csvNumber(edge(b + 1)) + "," + std::to_string(h->counts[b]) + "\n";
        // Values off the grid, each as one row with an empty bin: below it (-inf, lo), above it
        // (hi, inf), exactly 0 kept out of the bins [0, 0]. Written only when non-zero.
        if (h->underflow)
          out += prefix + ",-inf," + csvNumber(h->lo) + "," + std::to_string(h->underflow) + "\n";
        if (h->overflow)
          out += prefix + "," + csvNumber(h->hi) + ",inf," + std::to_string(h->overflow) + "\n";
        if (h->zeros) out += prefix + ",0,0," + std::to_string(h->zeros) + "\n";
      }
    }
  }
  return out;
}

std::string statsJson(const std::vector<StatsSnapshot>& snapshots, const ExperimentConfig& config) {
  // Hand-assembled around nlohmann's compact dumps: one snapshot per line keeps a long run's
  // file readable with head/grep and diffable, without a line per histogram count.
  std::string out = "{\n  \"format\": \"layerscope-stats\",\n  \"version\": 1,\n";
  out += "  \"experiment\": " + Json::parse(experimentToJson(config)).dump() + ",\n";
  out += "  \"snapshots\": [";
  for (size_t i = 0; i < snapshots.size(); ++i) {
    out += i == 0 ? "\n    " : ",\n    ";
    out += snapshotJson(snapshots[i]).dump();
  }
  out += snapshots.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string summaryJson(const RunSummary& summary, const ExperimentConfig& config) {
  Json j;
  j["steps"] = summary.steps;
  j["train_seconds"] = jsonNumber(summary.trainSeconds);
  j["stats_seconds"] = jsonNumber(summary.statsSeconds);
  j["steps_per_second"] = jsonNumber(summary.stepsPerSecond);
  j["final_loss"] = jsonNumber(summary.finalLoss);
  j["train_accuracy"] = jsonNumber(summary.trainAccuracy);
  j["validation_accuracy"] = jsonNumber(summary.validationAccuracy);
  j["test_accuracy"] = jsonNumber(summary.testAccuracy);
  j["diverged"] = summary.diverged;
  j["divergence"] = summary.divergence;
  j["experiment"] = Json::parse(experimentToJson(config));
  return j.dump(2) + "\n";
}

}  // namespace layerscope
