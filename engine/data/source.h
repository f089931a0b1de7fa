// The data named by a DataConfig: its `source` picks a generator (gaussian, spiral, circles,
// moons, xor, blobs), a CSV file (csv:PATH) or an IDX folder (idx:DIR or idx:IMAGES,LABELS),
// and the loaded samples are split into train / validation / test (data/split.h).
// Does not preprocess (data/preprocess.h does); throws InputError for an unknown source.
#pragma once

#include <cstdint>

#include "config.h"
#include "data/dataset.h"
#include "progress.h"

namespace layerscope {

// Loads / generates the data named by config.source and splits it (IDX: the t10k files are the
// test set, validation is split off train). `seed` drives both the generator and the split.
// Files report their loading to `progress` (data/idx_loader.h, data/csv_loader.h), which may
// cancel it (progress.h).
DataSplits loadData(const DataConfig& config, std::uint64_t seed,
                    const Progress* progress = nullptr);

// For the CLI, before a run: a CSV source whose label column was left to the default (the last
// column) and looks continuous (data/csv_loader.h CsvInfo) throws InputError naming the column
// and suggesting --label-column. A column chosen explicitly (config.labelColumn set) is
// trusted. Reads the file once more: the price of not training 121 meaningless classes.
void checkLabelColumn(const DataConfig& config);

}  // namespace layerscope
