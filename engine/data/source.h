// The data named by a DataConfig: its `source` picks a generator (gaussian, spiral, circles,
// moons, xor, blobs), a CSV file (csv:PATH) or an IDX folder (idx:DIR or idx:IMAGES,LABELS),
// and the loaded samples are split into train / validation / test (data/split.h).
// Does not preprocess (data/preprocess.h does); throws InputError for an unknown source.
#pragma once

#include <cstdint>

#include "config.h"
#include "data/dataset.h"

namespace layerscope {

// Loads / generates the data named by config.source and splits it (IDX: the t10k files are the
// test set, validation is split off train). `seed` drives both the generator and the split.
DataSplits loadData(const DataConfig& config, std::uint64_t seed);

}  // namespace layerscope
