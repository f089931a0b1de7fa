#include "analysis/findings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "model/activation.h"

namespace layerscope {
namespace {

std::string formatNumber(double value, int digits = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

std::string percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f%%", 100.0 * fraction);
  return buffer;
}

// "layer 4" or "layers 2-10" (consecutive flagged layers).
std::string layerRange(int first, int last) {
  return first == last ? "layer " + std::to_string(first)
                       : "layers " + std::to_string(first) + "-" + std::to_string(last);
}

std::string fractionRange(double lo, double hi) {
  const std::string a = percent(lo), b = percent(hi);
  return a == b ? a : a + " to " + b;
}

// One finding per run of consecutive hidden layers where `flag` holds, with the range of `value`.
template <typename Flag, typename Value, typename Say>
void reportRuns(const std::vector<const LayerStats*>& hidden, Flag flag, Value value, Say say,
                std::vector<std::string>& out) {
  size_t i = 0;
  while (i < hidden.size()) {
    if (!flag(*hidden[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    double lo = value(*hidden[i]), hi = lo;
    while (j + 1 < hidden.size() && flag(*hidden[j + 1])) {
      ++j;
      lo = std::min(lo, value(*hidden[j]));
      hi = std::max(hi, value(*hidden[j]));
    }
    out.push_back(say(layerRange(hidden[i]->layer, hidden[j]->layer), lo, hi));
    i = j + 1;
  }
}

}  // namespace

std::vector<std::string> findings(const StatsSnapshot& s, const ExperimentConfig& config) {
  std::vector<std::string> out;
  std::vector<const LayerStats*> hidden;
  for (const LayerStats& l : s.layers)
    if (l.kind == "hidden") hidden.push_back(&l);

  for (const LayerStats& l : s.layers)
    if (!l.finite) {
      out.push_back("layer " + std::to_string(l.layer) +
                    " has NaN or infinite activations: the run has diverged.");
      break;
    }
  if (hidden.empty()) return out;

  const ActivationKind kind = parseActivation(config.model.activation);
  const std::string name = config.model.activation;

  // Unbroken symmetry: with zeros every hidden output is exactly 0 (std 0).
  const bool identicalInit = config.model.init == "zeros" || config.model.init == "constant";
  const auto zeroStd = [](const LayerStats& l) { return l.finite && l.activation.std == 0.0; };
  if (identicalInit) {
    out.push_back("every unit in " + layerRange(hidden.front()->layer, hidden.back()->layer) +
                  " computes the same output (std across units 0): " + config.model.init +
                  " initialization never breaks the symmetry, so each layer is one unit "
                  "repeated " + std::to_string(hidden.front()->units) + " times.");
  } else {
    reportRuns(hidden, zeroStd, [](const LayerStats& l) { return l.activation.std; },
               [](const std::string& where, double, double) {
                 return "every unit in " + where +
                        " computes the same output (std 0): the symmetry between units is "
                        "not broken.";
               },
               out);
  }

  if (kind == ActivationKind::Tanh || kind == ActivationKind::Sigmoid) {
    const std::string bound = kind == ActivationKind::Tanh ? "at ±1 (|a| > 0.99)"
                                                           : "at 0 or 1 (a < 0.01 or a > 0.99)";
    reportRuns(hidden, [](const LayerStats& l) { return l.saturatedFraction >= 0.5; },
               [](const LayerStats& l) { return l.saturatedFraction; },
               [&](const std::string& where, double lo, double hi) {
                 return where + ": " + fractionRange(lo, hi) + " of " + name +
                        " activations saturated " + bound +
                        ": the derivative there is ~0, so gradients vanish.";
               },
               out);
  }
  if (kind == ActivationKind::Relu) {
    reportRuns(hidden, [](const LayerStats& l) { return l.deadUnitFraction >= 0.1; },
               [](const LayerStats& l) { return l.deadUnitFraction; },
               [](const std::string& where, double lo, double hi) {
                 return where + ": " + fractionRange(lo, hi) +
                        " of ReLU units are dead (0 for every probe sample): they pass no "
                        "gradient and never recover.";
               },
               out);
  }

  // Collapse or growth of the activations with depth, measured against the first hidden layer.
  const LayerStats& first = *hidden.front();
  const LayerStats& last = *hidden.back();
  if (hidden.size() >= 2 && first.activation.std > 0 && last.finite && last.activation.std > 0) {
    const double orders = std::log10(first.activation.std / last.activation.std);
    if (orders >= 2)
      out.push_back("layer " + std::to_string(last.layer) + ": activations have collapsed: std " +
                    formatNumber(last.activation.std) + ", " + formatNumber(orders, 2) +
                    " orders of magnitude below layer " + std::to_string(first.layer) + " (" +
                    formatNumber(first.activation.std) + ").");
    else if (orders <= -2)
      out.push_back("layer " + std::to_string(last.layer) + ": activations have exploded: std " +
                    formatNumber(last.activation.std) + ", " + formatNumber(-orders, 2) +
                    " orders of magnitude above layer " + std::to_string(first.layer) + " (" +
                    formatNumber(first.activation.std) + ").");
  }

  // Gradients: dL/da of the first hidden layer against the last.
  const double g1 = first.gradientStd, gL = last.gradientStd;
  if (hidden.size() >= 2 && std::isfinite(g1) && std::isfinite(gL) && gL > 0) {
    const double ratio = g1 / gL;
    const std::string other = "layer " + std::to_string(last.layer) + "'s (" + formatNumber(gL) + ")";
    if (ratio < 1e-3)
      out.push_back("gradients vanish: layer " + std::to_string(first.layer) +
                    "'s gradient std is " + formatNumber(ratio) + " of " + other +
                    ": the first layers barely learn.");
    else if (ratio > 1e3)
      out.push_back("gradients explode: layer " + std::to_string(first.layer) +
                    "'s gradient std is " + formatNumber(ratio) + " times " + other +
                    ": updates to the first layers are huge.");
  }
  return out;
}

}  // namespace layerscope
