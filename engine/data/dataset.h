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

// How loaded values relate to the raw values of the file they came from, so a trained model
// can take the raw values (io/onnx_export.h): loaded = raw * scale. IDX pixels are loaded as
// intensity / 255 (scale 1/255, units "pixel intensity 0-255", shape {rows, columns}).
struct InputEncoding {
  double scale = 1.0;
  std::string units;       // of the raw values; empty when unknown
  std::vector<int> shape;  // of one sample before flattening (e.g. 28 x 28); empty: a vector
};

struct Dataset {
  Matrix x;                          // (features, samples), one sample per column
  std::vector<int> y;                // (samples), class index in [0, classes)
  int classes = 0;
  std::vector<std::string> classNames;    // optional, size == classes when known
  std::vector<std::string> featureNames;  // optional, size == features when known
  InputEncoding input;                    // how x relates to the file's raw values

  int features() const { return static_cast<int>(x.rows()); }
  int samples() const { return static_cast<int>(x.cols()); }
};

struct DataSplits {
  Dataset train;
  Dataset validation;  // may be empty (0 samples)
  Dataset test;        // may be empty (0 samples)
};

}  // namespace layerscope
