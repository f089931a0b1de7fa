// The 2-D training data as the decision-region plot draws it: the desktop app's worker and
// layerscope-cli --export-plot send the same points.
#pragma once

#include "data/dataset.h"
#include "run/training_types.h"

namespace layerscope {

// At most this many points go to the decision-region plot (every k-th sample beyond it).
constexpr int kMaxPlotPoints = 3000;

// Every stride-th sample of a data set with 2 features, at most kMaxPlotPoints of them; an
// empty cloud for any other feature count.
PointCloud trainingPoints(const Dataset& train);

}  // namespace layerscope
