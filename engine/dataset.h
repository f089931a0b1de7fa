// A labelled data set held in memory, and its train / validation / test split.
#pragma once

#include <string>
#include <vector>

#include "tensor.h"

namespace layerscope {

struct Dataset {
  Matrix x;                          // (features, samples), one sample per column
  std::vector<int> y;                // (samples), class index in [0, classes)
  int classes = 0;
  std::vector<std::string> classNames;    // optional, size == classes when known
  std::vector<std::string> featureNames;  // optional, size == features when known

  int features() const { return static_cast<int>(x.rows()); }
  int samples() const { return static_cast<int>(x.cols()); }
};

struct DataSplits {
  Dataset train;
  Dataset validation;  // may be empty (0 samples)
  Dataset test;        // may be empty (0 samples)
};

}  // namespace layerscope
