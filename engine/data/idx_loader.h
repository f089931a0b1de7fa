// IDX files (MNIST / Fashion-MNIST layout), plain or gzip-compressed.
#pragma once

#include <string>

#include "data/dataset.h"

namespace layerscope {

// Reads an images file (magic 0x00000803, uint8, n x rows x cols) and a labels file (0x00000801).
// Pixels are scaled to [0, 1]. Throws InputError naming the file on a wrong magic, a truncated
// file or mismatched counts.
Dataset loadIdxPair(const std::string& imagesPath, const std::string& labelsPath);

// spec: "DIR" (train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz], and t10k-* as the
// test set when present) or "IMAGES,LABELS". Fills train (and test when found).
void loadIdx(const std::string& spec, Dataset& train, Dataset& test);

}  // namespace layerscope
