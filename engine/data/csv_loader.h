// CSV data sets: header row auto-detected, label column chosen by name or index (default: last),
// labels either class indices or class names. Errors name the file and line.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"
#include "progress.h"

namespace layerscope {

// What a CSV file looked like, beyond the Dataset: the app's label-column picker lists
// `columns`, and both the app and the CLI ask `continuousLabel` before training 121 "classes" of
// a measurement (a price, a temperature) that happens to sit in the last column.
struct CsvInfo {
  std::vector<std::string> columns;  // header names, or "column 0", "column 1"... without one
  bool header = false;
  int labelIndex = -1;               // 0-based
  int distinctLabels = 0;
  // The label column holds numbers that look like a measurement, not class ids: more than
  // kMaxContinuousDistinct distinct values, some with a fraction or fewer than 5 samples each.
  bool continuousLabel = false;
  std::string labelName() const {
    return labelIndex >= 0 && labelIndex < static_cast<int>(columns.size()) ? columns[labelIndex]
                                                                             : std::string();
  }
};

// More distinct numeric labels than this may be a continuous column (see CsvInfo).
constexpr int kMaxContinuousDistinct = 20;

// labelColumn: "" = last column; a header name; or a 0-based column index. `info`, when given,
// receives the file's columns and what the label column looked like. Reports "Loading NAME.csv"
// every 4096 rows.
Dataset loadCsv(const std::string& path, const std::string& labelColumn = "",
                CsvInfo* info = nullptr, const Progress* progress = nullptr);

// The first row's fields (or "column 0", "column 1"... when they are all numbers): what the
// app's label picker offers even when the file does not load with the current label column
// (a word column that is a class label, not a feature, fails as a feature).
std::vector<std::string> readCsvColumns(const std::string& path);

// "FILE: the label column 'price' holds 121 distinct numbers ..." with the hint to pick another
// column; `option` is how the caller's user names the choice ("--label-column" in the CLI).
std::string continuousLabelMessage(const std::string& path, const CsvInfo& info,
                                   const std::string& option);

}  // namespace layerscope
