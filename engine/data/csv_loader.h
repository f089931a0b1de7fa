// CSV data sets: header row auto-detected, label column chosen by name or index (default: last),
// labels either class indices or class names. Errors name the file and line.
#pragma once

#include <string>

#include "data/dataset.h"

namespace layerscope {

// labelColumn: "" = last column; a header name; or a 0-based column index.
Dataset loadCsv(const std::string& path, const std::string& labelColumn = "");

}  // namespace layerscope
