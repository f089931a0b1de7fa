#include "analysis/findings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
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

int probeSamples(const StatsSnapshot& s) {
  for (const LayerStats& l : s.layers)
    if (l.kind == "input" && l.units > 0)
      return static_cast<int>(l.activationHistogram.total() / static_cast<std::uint64_t>(l.units));
  return 0;
}

double majorityClassRate(const Dataset& split) {
  if (split.y.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<long> counts(static_cast<std::size_t>(std::max(split.classes, 1)), 0);
  for (int label : split.y)
    if (label >= 0 && label < static_cast<int>(counts.size())) ++counts[label];
  return static_cast<double>(*std::max_element(counts.begin(), counts.end())) /
         static_cast<double>(split.y.size());
}

std::vector<std::string> findings(const StatsSnapshot& s, const ExperimentConfig& config,
                                  const FindingsContext& context) {
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

  // Memorization: the training accuracy has risen, the validation accuracy has not left chance.
  // Within the noise of chance: 2 standard errors of an accuracy measured on n samples,
  // sqrt(c (1 - c) / n), and at least 3 points.
  const double chance = context.validationChance;
  const double validation = s.validationAccuracy, train = s.probeAccuracy;
  if (std::isfinite(chance) && std::isfinite(validation) && context.validationSamples > 0 &&
      std::isfinite(context.firstTrainAccuracy) && s.step > 0) {
    const double noise =
        std::max(0.03, 2.0 * std::sqrt(chance * (1.0 - chance) / context.validationSamples));
    if (validation <= chance + noise && train >= context.firstTrainAccuracy + 0.2 &&
        train >= chance + 0.2)
      out.push_back("validation accuracy " + percent(validation) + " is at chance (the majority "
                    "class is " + percent(chance) + " of the validation split) while training "
                    "accuracy rose from " + percent(context.firstTrainAccuracy) + " to " +
                    percent(train) + ": the network memorizes its training samples. Either the "
                    "labels carry no signal it can learn, or it overfits.");
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

  // Saturation says what it does to the local derivative only: whether the gradient as a whole
  // shrinks or grows is the gradient finding's job, measured (the unsaturated units may pass it
  // on through large weights: N(0, 1) weights make it grow although 90% of units saturate).
  bool saturated = false;
  if (kind == ActivationKind::Tanh || kind == ActivationKind::Sigmoid) {
    const std::string bound = kind == ActivationKind::Tanh ? "at ±1 (|a| > 0.99)"
                                                           : "at 0 or 1 (a < 0.01 or a > 0.99)";
    // tanh' = 1 - a^2 < 1 - 0.99^2 = 0.0199; sigmoid' = a (1 - a) < 0.01 * 0.99 = 0.0099.
    const std::string derivative = kind == ActivationKind::Tanh ? "1 - a^2 is below 0.02"
                                                                : "a (1 - a) is below 0.01";
    reportRuns(hidden, [](const LayerStats& l) { return l.saturatedFraction >= 0.5; },
               [](const LayerStats& l) { return l.saturatedFraction; },
               [&](const std::string& where, double lo, double hi) {
                 saturated = true;
                 return where + ": " + fractionRange(lo, hi) + " of " + name +
                        " activations saturated " + bound + ": there the local derivative " +
                        derivative + ", so a saturated unit passes almost no gradient back.";
               },
               out);
  }
  if (kind == ActivationKind::Relu) {
    // At one snapshot a dead unit is dead for these inputs and these weights; whether it stays
    // dead depends on how the layers below it change, which one snapshot cannot tell.
    reportRuns(hidden, [](const LayerStats& l) { return l.deadUnitFraction >= 0.1; },
               [](const LayerStats& l) { return l.deadUnitFraction; },
               [](const std::string& where, double lo, double hi) {
                 return where + ": " + fractionRange(lo, hi) +
                        " of ReLU units are dead (0 for every probe sample): they pass no "
                        "gradient back, so their incoming weights get no update while they stay "
                        "dead.";
               },
               out);
  }

  // Rank collapse: the layer's outputs vary along few directions across the probe samples
  // (effective rank, training/layer_health.h, over the most a layer can have there:
  // min(units, samples - 1)). Below 5% of that bound: measured on the 10 x 500 tanh net on 128
  // samples, Xavier uses 97% (input) falling to 66% (layer 10) of its directions before and
  // after training, N(0, 0.01) 93% to 68%: its std collapses, its centred rank does not. A
  // collapse to a few directions is a different regime. Only when the bound is at least 20,
  // so that 5% is at least one direction: a light probe on 8 samples or a 10-class logit layer
  // cannot show a collapse.
  constexpr double kRankCollapse = 0.05;
  constexpr double kMinRankBound = 20.0;
  const auto rankBound = [](const LayerStats& l) {
    return l.effectiveRankNormalized > 0 ? l.effectiveRank / l.effectiveRankNormalized : 0.0;
  };
  double runBound = 0.0;  // the bound of the run's layers (its last, as the flags walk it)
  reportRuns(hidden,
             [&](const LayerStats& l) {
               const bool collapsed = std::isfinite(l.effectiveRankNormalized) &&
                                      rankBound(l) >= kMinRankBound &&
                                      l.effectiveRankNormalized < kRankCollapse;
               if (collapsed) runBound = std::round(rankBound(l));
               return collapsed;
             },
             [](const LayerStats& l) { return l.effectiveRank; },
             [&](const std::string& where, double lo, double hi) {
               const double bound = runBound;
               std::string ranks = formatNumber(lo, 2);
               if (formatNumber(hi, 2) != ranks) ranks += " to " + formatNumber(hi, 2);
               char share[64];
               std::snprintf(share, sizeof share, "%.1f%%", 100.0 * hi / bound);
               return where + ": effective rank " + ranks + " of at most " +
                      formatNumber(bound, 4) + " (" + share + "): its units carry nearly the "
                      "same signal (rank collapse, below " + percent(kRankCollapse) + ").";
             },
             out);

  // Gradients that are per-example noise. From N probe samples the gradient SNR reads
  // N ||mu||^2 / sigma^2 + 1 over N (training/layer_health.h: E||mean g||^2 = ||mu||^2 +
  // sigma^2 / N), so N x SNR - 1 is the signal-to-noise ratio of the mean gradient over the
  // whole probe batch. At or below 1.1 / N that mean has a signal under a tenth of its noise, and
  // a training batch of B <= N examples, whose noise is N / B times larger, less still: the
  // step is noise. Measured at step 0 (10 x 500 tanh, 800 samples): Xavier's layers read 1.29 to
  // 1.65 / N on four seeds (no finding), N(0, 1)'s saturated layers 0.99 to 1.02 / N, random
  // labels 0.97 to 1.3 / N; during training the examples' gradients cancel where the training
  // loss nears a minimum (below 1 / N). Only when the probe has at least a training batch of
  // samples (a light probe of 64 cannot speak for batches of 128).
  constexpr double kSnrFloorMargin = 1.1;
  const int samples = probeSamples(s);
  if (samples >= 2 && samples >= config.train.batchSize) {
    const double floor = 1.0 / samples;
    reportRuns(hidden,
               [&](const LayerStats& l) {
                 return std::isfinite(l.gradientSnr) && l.gradientSnr <= kSnrFloorMargin * floor;
               },
               [](const LayerStats& l) { return l.gradientSnr; },
               [&](const std::string& where, double lo, double hi) {
                 std::string snr = formatNumber(lo, 3);
                 if (formatNumber(hi, 3) != snr) snr += " to " + formatNumber(hi, 3);
                 // Below 1/N everywhere: the gradients cancel rather than merely disagree (a
                 // well-fitted training set reads so, not only a broken net).
                 if (hi < floor)
                   return where + ": the per-example gradients of W cancel out: gradient SNR " +
                          snr + ", below 1/N = " + formatNumber(floor, 3) + ", what N = " +
                          std::to_string(samples) + " probe samples with nothing in common give: "
                          "their mean is shorter than that, as near a stationary point of the "
                          "loss on these samples, and the mean over a training batch of " +
                          std::to_string(config.train.batchSize) + " is mostly noise.";
                 return where + ": the per-example gradients of W show no common direction: "
                        "gradient SNR " + snr + " against 1/N = " + formatNumber(floor, 3) +
                        " for N = " + std::to_string(samples) + " probe samples with nothing in "
                        "common (threshold 1.1/N): even their mean has a signal under a tenth of "
                        "its noise, and the mean over a training batch of " +
                        std::to_string(config.train.batchSize) + " less still.";
               },
               out);
  }

  const LayerStats& first = *hidden.front();
  const LayerStats& last = *hidden.back();
  const int steps = last.layer - first.layer;  // layer-to-layer multiplications between them

  // Collapse or growth of the activations with depth: last hidden std / first. A factor of 10
  // over the network is reported (ReLU with Xavier: 0.58 -> 0.022 over 10 layers, x0.69 per
  // layer = 1/sqrt(2) from ReLU halving E[a^2]); tanh with Xavier drifts 0.63 -> 0.23 (x0.89
  // per layer), which is not.
  if (steps >= 1 && first.activation.std > 0 && last.finite && last.activation.std > 0) {
    const double ratio = last.activation.std / first.activation.std;
    const double perLayer = std::pow(ratio, 1.0 / steps);
    const double orders = std::abs(std::log10(ratio));
    if (ratio <= 0.1)
      out.push_back("layer " + std::to_string(last.layer) + ": activations have collapsed: std " +
                    formatNumber(last.activation.std) + ", " + formatNumber(orders, 2) +
                    " orders of magnitude below layer " + std::to_string(first.layer) + " (" +
                    formatNumber(first.activation.std) + "): each layer multiplies the std by "
                    "about " + formatNumber(perLayer) + ".");
    else if (ratio >= 10)
      out.push_back("layer " + std::to_string(last.layer) + ": activations have exploded: std " +
                    formatNumber(last.activation.std) + ", " + formatNumber(orders, 2) +
                    " orders of magnitude above layer " + std::to_string(first.layer) + " (" +
                    formatNumber(first.activation.std) + "): each layer multiplies the std by "
                    "about " + formatNumber(perLayer) + ".");
  }

  // Gradients: dL/da of the first hidden layer against the last, i.e. what the backward pass
  // did to the gradient on its way to the input. Var(dL/da_(l-1)) = fan_out * Var(W) *
  // E[f'(z)^2] * Var(dL/da_l): one number decides, so "vanish" and "explode" exclude each other.
  const double g1 = first.gradientStd, gL = last.gradientStd;
  if (steps >= 1 && std::isfinite(g1) && std::isfinite(gL) && g1 > 0 && gL > 0) {
    const double ratio = g1 / gL;
    const double perLayer = std::pow(ratio, 1.0 / steps);
    const std::string head = "dL/da in layer " + std::to_string(first.layer) + " has std " +
                             formatNumber(g1) + ", " + formatNumber(ratio) + " times layer " +
                             std::to_string(last.layer) + "'s (" + formatNumber(gL) +
                             "): each layer on the way back multiplies it by about " +
                             formatNumber(perLayer);
    if (ratio <= 0.1) {
      out.push_back("gradients vanish towards the input: " + head + ".");
    } else if (ratio >= 10) {
      std::string why;
      if (saturated && std::isfinite(first.weightStd))
        why = " Saturated units pass almost nothing, but the unsaturated ones pass it on "
              "through weights of std " + formatNumber(first.weightStd) + " from " +
              std::to_string(last.units) + " units each.";
      out.push_back("gradients explode towards the input: " + head + "." + why);
    }
  }

  // Steps too large: plain SGD moves W by lr * dL/dW, so lr * std(dL/dW) / std(W) is the size
  // of one step relative to the weights (a healthy step is ~1e-3). Adam's step is ~lr whatever
  // the gradient, so this applies to sgd, momentum and nesterov only.
  if (config.train.optimizer != "adam") {
    const LayerStats* worst = nullptr;
    double worstRatio = 0.0;
    for (const LayerStats* l : hidden) {
      if (!(std::isfinite(l->weightGradientStd) && std::isfinite(l->weightStd) &&
            l->weightStd > 0))
        continue;
      const double r = config.train.learningRate * l->weightGradientStd / l->weightStd;
      if (r > worstRatio) worstRatio = r, worst = l;
    }
    if (worst && worstRatio >= 0.5)
      out.push_back("layer " + std::to_string(worst->layer) + ": dL/dW has std " +
                    formatNumber(worst->weightGradientStd) + " against weights of std " +
                    formatNumber(worst->weightStd) + ": one step at learning rate " +
                    formatNumber(config.train.learningRate) + " moves the weights by about " +
                    formatNumber(worstRatio) + " times their size.");
  }
  return out;
}

}  // namespace layerscope
