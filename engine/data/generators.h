// Synthetic data sets. Every generator is deterministic given its seed.
#pragma once

#include <cstdint>
#include <string>

#include "data/dataset.h"

namespace layerscope {

struct GeneratorParams {
  int samples = 10000;
  int features = 500;   // gaussian and blobs only; 2-D generators always produce 2 features
  int classes = 10;
  double noise = 0.1;
  std::string labels = "teacher";  // gaussian only: "teacher" | "random"
  std::uint64_t seed = 1;
};

// name: gaussian | spiral | circles | moons | xor | blobs. Throws InputError for unknown names
// or impossible parameters (e.g. circles/moons/xor with classes != 2 are refused with a reason).
Dataset generateDataset(const std::string& name, const GeneratorParams& params);

bool isGeneratorName(const std::string& name);

}  // namespace layerscope
