#include "findings.h"

#include <QObject>
#include <algorithm>
#include <cmath>

#include "number_format.h"

namespace layerscope {

namespace {

QString percent(double fraction) { return QString::number(100.0 * fraction, 'f', 0) + "%"; }

// "layer 4" or "layers 4-10" for a run of consecutive layers.
QString layerRange(int first, int last) {
  return first == last ? QObject::tr("layer %1").arg(first)
                       : QObject::tr("layers %1-%2").arg(first).arg(last);
}

}  // namespace

std::vector<Finding> diagnose(const StatsSnapshot& s, const std::string& activation,
                              const FindingThresholds& t) {
  std::vector<Finding> out;
  if (s.diverged)
    out.push_back({Finding::Problem, -1, QString::fromStdString(s.divergence)});

  std::vector<const LayerStats*> hidden;
  for (const LayerStats& l : s.layers)
    if (l.kind == "hidden") hidden.push_back(&l);
  if (hidden.empty()) return out;

  for (const LayerStats* l : hidden)
    if (!l->finite)
      out.push_back({Finding::Problem, l->layer,
                     QObject::tr("layer %1: non-finite activations (NaN or Inf) on the probe batch")
                         .arg(l->layer)});

  const bool tanh = activation == "tanh", sigmoid = activation == "sigmoid";
  if (tanh || sigmoid) {
    for (const LayerStats* l : hidden)
      if (l->saturatedFraction >= t.saturated)
        out.push_back({Finding::Problem, l->layer,
                       tanh ? QObject::tr("layer %1: %2 of tanh units saturated at ±1 "
                                          "(derivative 1 - a² ≈ 0: gradients vanish)")
                                  .arg(l->layer).arg(percent(l->saturatedFraction))
                            : QObject::tr("layer %1: %2 of sigmoid units saturated at 0 or 1 "
                                          "(derivative a(1 - a) ≈ 0)")
                                  .arg(l->layer).arg(percent(l->saturatedFraction))});
  }

  // Collapse: a layer's std has fallen below a small fraction of layer 1's.
  const double reference = hidden.front()->activation.std;
  if (std::isfinite(reference) && reference > 0) {
    int first = -1, last = -1;
    double smallest = INFINITY;
    auto flush = [&] {
      if (first < 0) return;
      out.push_back({Finding::Problem, first,
                     QObject::tr("%1: activations collapsed towards 0 (std down to %2, %3 of "
                                 "layer 1's %4)")
                         .arg(layerRange(first, last)).arg(formatNumber(smallest))
                         .arg(formatNumber(smallest / reference)).arg(formatNumber(reference))});
      first = last = -1;
      smallest = INFINITY;
    };
    for (const LayerStats* l : hidden) {
      if (l->activation.std < t.collapsedRatio * reference) {
        if (first < 0) first = l->layer;
        last = l->layer;
        smallest = std::min(smallest, l->activation.std);
      } else {
        flush();
      }
    }
    flush();
  }

  const bool reluFamily = activation == "relu";
  if (reluFamily)
    for (const LayerStats* l : hidden)
      if (l->deadUnitFraction >= t.deadUnits)
        out.push_back({Finding::Warning, l->layer,
                       QObject::tr("layer %1: %2 of ReLU units dead (output 0 for every probe "
                                   "sample: they get no gradient)")
                           .arg(l->layer).arg(percent(l->deadUnitFraction))});

  // Gradient flow: compare the back-propagated gradient at the first and the last hidden layer.
  const double g1 = hidden.front()->gradientStd, gL = hidden.back()->gradientStd;
  if (hidden.size() >= 2 && std::isfinite(g1) && std::isfinite(gL) && gL > 0 && s.step >= 0) {
    const double ratio = g1 / gL;
    if (ratio < t.vanishingRatio)
      out.push_back({Finding::Warning, hidden.front()->layer,
                     QObject::tr("vanishing gradients: dL/da std at layer 1 is %1, %2 of the "
                                 "last hidden layer's %3")
                         .arg(formatNumber(g1)).arg(formatNumber(ratio)).arg(formatNumber(gL))});
    else if (ratio > t.explodingRatio)
      out.push_back({Finding::Warning, hidden.front()->layer,
                     QObject::tr("exploding gradients: dL/da std at layer 1 is %1, %2 times the "
                                 "last hidden layer's %3")
                         .arg(formatNumber(g1)).arg(formatNumber(ratio)).arg(formatNumber(gL))});
  }
  return out;
}

}  // namespace layerscope
