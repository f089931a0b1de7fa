// Splitting a data set into train / validation / test: a seeded shuffle (the experiment seed's
// own split stream, rng.h kStreamSplit), then validation and test take floor(n * fraction)
// samples each and train keeps the rest (at least one). Loading a source is data/source.h.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.h"

namespace layerscope {

// Columns `indices` of `from`, in that order.
Dataset selectSamples(const Dataset& from, const std::vector<int>& indices);

// Shuffles (seeded) and splits off `validationFraction` and `testFraction` of the samples.
DataSplits splitDataset(const Dataset& all, double validationFraction, double testFraction,
                        std::uint64_t seed);

}  // namespace layerscope
