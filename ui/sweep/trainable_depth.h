// The theory's trainable depth over a trainability map (Schoenholz et al. 2017, figure 5): a
// network trains when its depth is below about 6 xi_c, xi_c the depth scale of correlations at
// its initialization (engine/analysis/mean_field.h, docs/THEORY.md). Drawn when one axis of the
// sweep is depth and the other sets sigma_w^2 = fan_in x Var(W) (init_std, init, init_bound),
// the mapping being the phase diagram's (analysis/mean_field.h: initWeightVariance), with
// sigma_b^2 = 0 (LayerScope starts biases at 0) and the base experiment's activation and dropout.
#pragma once

#include <QPointF>
#include <QString>
#include <vector>

#include "lab/sweep_grid.h"

namespace layerscope {

class SweepHeatmapPlot;

// The curve in the map's cell coordinates: x = 0 is the centre of the first x value's column,
// x = 1 the second's, and so on (y likewise for rows). Between two cell centres a value is
// interpolated linearly in its logarithm (depths 2, 4, 8 and init stds are spaced by factors).
// NaN separates pieces of the curve.
struct TrainableDepthCurve {
  std::vector<QPointF> points;   // empty when not drawn
  bool depthOnX = false;         // the curve gives x (depth) for each y (sigma_w^2)
  std::vector<double> sigmaW2;   // per value of the sigma_w^2 axis (for its labels); empty if none
  QString why;                   // why no curve is drawn ("" when drawn)
};

inline constexpr double kTrainableXiC = 6.0;  // depth ~ 6 xi_c (Schoenholz et al. 2017)

// Samples per cell of the sigma_w^2 axis (the curve is smooth; the plot clips it).
TrainableDepthCurve trainableDepthCurve(const SweepPlan& plan, int samplesPerCell = 24);

// Draws the curve of `plan` on `plot` (or says in its caption why there is none).
void showTrainableDepth(SweepHeatmapPlot& plot, const SweepPlan& plan);

// A value's position along an axis of cell centres `values` (increasing or decreasing, all
// positive): interpolated in log between neighbours, extrapolated past the ends. NaN for
// values <= 0 or fewer than one centre.
double axisPosition(const std::vector<double>& values, double value);
// The inverse: the value at position `position` (centres at 0, 1, ...).
double axisValue(const std::vector<double>& values, double position);

}  // namespace layerscope
