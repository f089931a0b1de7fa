#include "data/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "errors.h"
#include "rng.h"

namespace layerscope {

namespace {

void checkFraction(double fraction, const char* field) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {  // also refuses NaN
    throw InputError(std::string(field) + " must be in [0, 1) (got " + std::to_string(fraction) +
                     ")");
  }
}

// floor(n * fraction), forgiving the rounding of the product: 100 * 0.29 is
// 28.999999999999996 in binary floating point, and the user asked for 29 samples.
int splitSize(int samples, double fraction) {
  return static_cast<int>(std::floor(samples * fraction + 1e-9));
}

}  // namespace

Dataset selectSamples(const Dataset& from, const std::vector<int>& indices) {
  for (int index : indices) {
    if (index < 0 || index >= from.samples()) {
      throw std::out_of_range("selectSamples: index " + std::to_string(index) +
                              " outside [0, " + std::to_string(from.samples()) + ")");
    }
  }
  Dataset subset;
  subset.x = from.x(Eigen::all, indices);
  subset.y.reserve(indices.size());
  for (int index : indices) subset.y.push_back(from.y[index]);
  subset.classes = from.classes;
  subset.classNames = from.classNames;
  subset.featureNames = from.featureNames;
  subset.input = from.input;
  return subset;
}

DataSplits splitDataset(const Dataset& all, double validationFraction, double testFraction,
                        std::uint64_t seed) {
  checkFraction(validationFraction, "validation-fraction");
  checkFraction(testFraction, "test-fraction");
  if (validationFraction + testFraction >= 1.0) {
    throw InputError("validation-fraction + test-fraction must be < 1 (got " +
                     std::to_string(validationFraction) + " + " + std::to_string(testFraction) +
                     "): no samples would be left for training");
  }
  const int samples = all.samples();
  if (samples < 1) throw InputError("the data set has no samples to split");
  const int validationSize = splitSize(samples, validationFraction);
  const int testSize = splitSize(samples, testFraction);
  const int trainSize = samples - validationSize - testSize;
  if (trainSize < 1) {
    throw InputError("the data set has only " + std::to_string(samples) +
                     " samples: none left for training after validation-fraction and "
                     "test-fraction");
  }

  std::vector<int> order(samples);
  std::iota(order.begin(), order.end(), 0);
  // The split's own stream of the experiment seed: independent of the data generator's draws.
  Rng rng = Rng::derived(seed, kStreamSplit);
  std::shuffle(order.begin(), order.end(), rng.engine());

  const auto part = [&](int first, int count) {
    return selectSamples(all, std::vector<int>(order.begin() + first,
                                               order.begin() + first + count));
  };
  DataSplits splits;
  splits.train = part(0, trainSize);
  splits.validation = part(trainSize, validationSize);
  splits.test = part(trainSize + validationSize, testSize);
  return splits;
}

}  // namespace layerscope
