// IDX files (MNIST / Fashion-MNIST layout), plain or gzip-compressed.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"
#include "progress.h"

namespace layerscope {

// Reads an images file (magic 0x00000803, uint8, n x rows x cols) and a labels file (0x00000801).
// Pixels are scaled to [0, 1]; the features are named "pixel_R_C". Throws InputError naming the
// file on a wrong magic, a truncated file or mismatched counts. Reports "Loading Fashion-MNIST
// train images" (the folder's name and the file's kind) per 4 MiB read.
Dataset loadIdxPair(const std::string& imagesPath, const std::string& labelsPath,
                    const Progress* progress = nullptr);

// spec: "DIR" (train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz], and t10k-* as the
// test set when present) or "IMAGES,LABELS". Fills train (and test when found). Data under a
// path that says "fashion" with ten classes get Fashion-MNIST's class names.
void loadIdx(const std::string& spec, Dataset& train, Dataset& test,
             const Progress* progress = nullptr);

// Fashion-MNIST's labels 0-9 in words ("T-shirt/top", "Trouser", ... "Ankle boot").
const std::vector<std::string>& fashionMnistClassNames();

}  // namespace layerscope
