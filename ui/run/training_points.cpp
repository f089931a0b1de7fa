#include "run/training_points.h"

#include <algorithm>

namespace layerscope {

PointCloud trainingPoints(const Dataset& train) {
  PointCloud cloud;
  if (train.features() != 2) return cloud;
  cloud.classes = train.classes;
  const int n = train.samples();
  const int stride = std::max(1, (n + kMaxPlotPoints - 1) / kMaxPlotPoints);
  for (int i = 0; i < n; i += stride) {
    cloud.x.push_back(train.x(0, i));
    cloud.y.push_back(train.x(1, i));
    cloud.label.push_back(train.y[i]);
  }
  return cloud;
}

}  // namespace layerscope
