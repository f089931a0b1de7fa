// Splitting a data set and loading any data source named by a DataConfig.
#pragma once

#include <cstdint>

#include "config.h"
#include "data/dataset.h"

namespace layerscope {

// Columns `indices` of `from`, in that order.
Dataset selectSamples(const Dataset& from, const std::vector<int>& indices);

// Shuffles (seeded) and splits off `validationFraction` and `testFraction` of the samples.
DataSplits splitDataset(const Dataset& all, double validationFraction, double testFraction,
                        std::uint64_t seed);

// Loads / generates the data named by config.source and splits it (IDX: the t10k files are the
// test set, validation is split off train). Does not preprocess.
DataSplits loadData(const DataConfig& config, std::uint64_t seed);

}  // namespace layerscope
