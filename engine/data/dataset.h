// A labelled data set held in memory, and its train / validation / test split.
#pragma once

#include <string>
#include <vector>

#include "tensor.h"

namespace layerscope {

// The most feature values a data set may hold: they live in memory as floats, so 2^28 values are
// 1 GiB (MNIST is 47M values, CIFAR-10 154M). Every reader refuses more before allocating it.
constexpr long long kMaxDatasetValues = 1LL << 28;
constexpr const char* kMaxDatasetValuesText = "268435456 values (1 GiB as floats)";

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
