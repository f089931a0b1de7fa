#include "data/csv_loader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <string_view>
#include <vector>

#include "errors.h"
#include "data/gzip_reader.h"

namespace layerscope {

namespace {

// Class indices above this are almost certainly not class indices (an id, a price...), and a
// softmax over them would allocate that many output units.
constexpr long kMaxClassIndex = (1L << 20) - 1;

std::string_view trim(std::string_view text) {
  const auto isBlank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; };
  while (!text.empty() && isBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && isBlank(text.back())) text.remove_suffix(1);
  return text;
}

bool isDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

enum class NumberStatus { ok, empty, notANumber, notFinite, outOfRange };

// Locale-independent (std::from_chars, not strtod: a Qt app runs under the user's locale,
// where strtod may expect "1,5"). The whole field must be consumed; a leading '+' is allowed.
NumberStatus parseNumber(std::string_view field, float& value) {
  if (field.empty()) return NumberStatus::empty;
  std::string_view digits = field;
  if (digits.front() == '+') {
    digits.remove_prefix(1);
    // from_chars reads a sign of its own: "+-1" must not pass as -1.
    if (!digits.empty() && digits.front() == '-') return NumberStatus::notANumber;
  }
  double parsed = 0.0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
  if (end != digits.data() + digits.size() || digits.empty()) return NumberStatus::notANumber;
  if (error == std::errc::result_out_of_range) return NumberStatus::outOfRange;
  if (error != std::errc()) return NumberStatus::notANumber;
  if (!std::isfinite(parsed)) return NumberStatus::notFinite;
  if (std::abs(parsed) > std::numeric_limits<float>::max()) return NumberStatus::outOfRange;
  value = static_cast<float>(parsed);
  return NumberStatus::ok;
}

bool looksNumeric(std::string_view field) {
  float ignored;
  const NumberStatus status = parseNumber(field, ignored);
  return status != NumberStatus::notANumber && status != NumberStatus::empty;
}

// One line into fields. Double quotes may enclose a field (with "" for a literal quote), so a
// header such as "sepal length","class" works; quoted newlines are not supported.
void splitFields(std::string_view line, char separator, const std::string& path, long lineNumber,
                 std::vector<std::string>& fields) {
  fields.clear();
  std::string current;
  bool inQuotes = false;
  bool quoted = false;
  auto finishField = [&]() {
    fields.emplace_back(quoted ? std::string_view(current) : trim(current));
    current.clear();
    quoted = false;
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (inQuotes) {
      if (c != '"') {
        current += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        current += '"';
        ++i;
      } else {
        inQuotes = false;
      }
    } else if (c == '"' && trim(current).empty()) {
      current.clear();
      inQuotes = true;
      quoted = true;
    } else if (c == separator) {
      finishField();
    } else if (!(quoted && (c == ' ' || c == '\t'))) {
      current += c;
    }
  }
  if (inQuotes) throw inputErrorAt(path, lineNumber, "unterminated quoted field");
  finishField();
}

// The first line decides: commas, else semicolons (spreadsheets in locales with a decimal
// comma), else tabs.
char detectSeparator(std::string_view firstLine) {
  if (firstLine.find(',') != std::string_view::npos) return ',';
  if (firstLine.find(';') != std::string_view::npos) return ';';
  if (firstLine.find('\t') != std::string_view::npos) return '\t';
  return ',';
}

// Non-blank lines of a file with their 1-based line numbers; a UTF-8 BOM and '\r' are dropped.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }
  bool next(std::string_view& line, long& lineNumber) {
    while (position_ < text_.size()) {
      std::size_t end = text_.find('\n', position_);
      if (end == std::string_view::npos) end = text_.size();
      line = trim(text_.substr(position_, end - position_));
      position_ = end + 1;
      ++lineNumber_;
      if (!line.empty()) {
        lineNumber = lineNumber_;
        return true;
      }
    }
    return false;
  }
  // How far into the text the cursor is, in [0, 1].
  double fraction() const {
    return text_.empty() ? 1.0 : double(std::min(position_, text_.size())) / double(text_.size());
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
  long lineNumber_ = 0;
};

std::string columnList(const std::vector<std::string>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i) {
    list += (i == 0 ? "'" : ", '") + names[i] + "'";
  }
  return list;
}

// Numbers in the label column with many distinct values are a measurement, not classes: with a
// fraction (0.25, 3.7) they cannot be class ids at all, and whole numbers with fewer than 5
// samples per value (an age, a count) leave nothing to learn per class.
bool looksContinuous(const std::vector<std::string>& labels, int& distinct) {
  std::map<std::string, int> seen;
  for (const std::string& label : labels) seen.emplace(label, 0);
  distinct = static_cast<int>(seen.size());
  if (distinct <= kMaxContinuousDistinct) return false;
  bool fraction = false;
  for (const auto& entry : seen) {
    float value = 0.0f;
    if (parseNumber(entry.first, value) != NumberStatus::ok) return false;  // names: classes
    if (value != std::floor(value)) fraction = true;
  }
  return fraction || static_cast<std::size_t>(distinct) * 5 > labels.size();
}

}  // namespace

std::string continuousLabelMessage(const std::string& path, const CsvInfo& info,
                                   const std::string& option) {
  return path + ": the label column '" + info.labelName() + "' holds " +
         std::to_string(info.distinctLabels) +
         " distinct numbers: it looks continuous (a measurement, not class labels), and would "
         "train as " + std::to_string(info.distinctLabels) + " classes; choose the column of "
         "class labels with " + option + " (columns: " + columnList(info.columns) + ")";
}

std::vector<std::string> readCsvColumns(const std::string& path) {
  const std::string content = readWholeFile(path);
  LineCursor lines(content);
  std::string_view line;
  long lineNumber = 0;
  if (!lines.next(line, lineNumber)) throw InputError(path + ": empty file (no rows)");
  std::vector<std::string> fields;
  splitFields(line, detectSeparator(line), path, lineNumber, fields);
  const bool header = std::any_of(fields.begin(), fields.end(), [](const std::string& f) {
    return !f.empty() && !looksNumeric(f);
  });
  if (!header)
    for (std::size_t c = 0; c < fields.size(); ++c) fields[c] = "column " + std::to_string(c);
  return fields;
}

Dataset loadCsv(const std::string& path, const std::string& labelColumn, CsvInfo* info,
                const Progress* progress) {
  const std::string phase = "Loading " + std::filesystem::path(path).filename().string();
  reportProgress(progress, phase, 0.0);
  const std::string content = readWholeFile(path);
  LineCursor lines(content);
  std::string_view line;
  long lineNumber = 0;
  if (!lines.next(line, lineNumber)) throw InputError(path + ": empty file (no rows)");

  const char separator = detectSeparator(line);
  std::vector<std::string> firstRow;
  splitFields(line, separator, path, lineNumber, firstRow);
  const long firstLine = lineNumber;
  const int columns = static_cast<int>(firstRow.size());
  if (columns < 2) {
    throw inputErrorAt(path, lineNumber,
                       "need at least 2 columns (features and a label), found 1; separators "
                       "tried: ',' ';' tab");
  }

  // Label column: "" = last, a 0-based index, or a header name.
  int labelIndex = -1;
  bool header = false;
  const std::string wanted(trim(labelColumn));
  if (wanted.empty()) {
    labelIndex = columns - 1;
  } else if (isDigits(wanted)) {
    const long index = wanted.size() > 9 ? std::numeric_limits<long>::max() : std::stol(wanted);
    if (index >= columns) {
      throw InputError(path + ": label column " + wanted + " is out of range (the file has " +
                       std::to_string(columns) + " columns, indices 0-" +
                       std::to_string(columns - 1) + ")");
    }
    labelIndex = static_cast<int>(index);
  } else {
    const auto found = std::find(firstRow.begin(), firstRow.end(), wanted);
    if (found != firstRow.end()) {
      labelIndex = static_cast<int>(found - firstRow.begin());
      header = true;  // only a header row can name a column
    }
  }
  // Header: any field outside the label column that is not a number (labels may be names).
  for (int c = 0; c < columns && !header; ++c) {
    if (c != labelIndex && !firstRow[c].empty() && !looksNumeric(firstRow[c])) header = true;
  }
  if (labelIndex < 0) {
    if (header) {
      throw InputError(path + ": unknown label column '" + wanted + "' (columns: " +
                       columnList(firstRow) + ")");
    }
    throw InputError(path + ": label column '" + wanted +
                     "' not found: the file has no header row (give a 0-based column index)");
  }

  const int features = columns - 1;
  std::vector<std::string> columnNames = header ? firstRow : std::vector<std::string>{};
  auto describeColumn = [&](int c) {
    std::string text = "column " + std::to_string(c);
    if (!columnNames.empty()) text += " ('" + columnNames[c] + "')";
    return text;
  };

  std::vector<float> values;  // row-major by sample == column-major (features, samples)
  std::vector<std::string> labels;
  std::vector<std::string> fields;
  bool firstRowIsData = !header;
  auto addRow = [&](const std::vector<std::string>& row, long rowLine) {
    if (static_cast<int>(row.size()) != columns) {
      throw inputErrorAt(path, rowLine,
                         "expected " + std::to_string(columns) + " fields, found " +
                             std::to_string(row.size()));
    }
    // The file can be any size; its values are refused past the limit before they are stored.
    if (static_cast<long long>(values.size()) + features > kMaxDatasetValues) {
      throw inputErrorAt(path, rowLine,
                         std::string("the data exceed the limit of ") + kMaxDatasetValuesText);
    }
    for (int c = 0; c < columns; ++c) {
      if (c == labelIndex) continue;
      float value = 0.0f;
      switch (parseNumber(row[c], value)) {
        case NumberStatus::ok:
          values.push_back(value);
          break;
        case NumberStatus::empty:
          throw inputErrorAt(path, rowLine, describeColumn(c) + ": empty field (missing value)");
        case NumberStatus::notFinite:
          throw inputErrorAt(path, rowLine,
                             describeColumn(c) + ": '" + row[c] +
                                 "' is not a finite number (NaN and infinity are refused)");
        case NumberStatus::outOfRange:
          throw inputErrorAt(path, rowLine,
                             describeColumn(c) + ": '" + row[c] +
                                 "' is out of range for a 32-bit float");
        case NumberStatus::notANumber:
          throw inputErrorAt(path, rowLine,
                             describeColumn(c) + ": '" + row[c] + "' is not a number");
      }
    }
    if (row[labelIndex].empty()) {
      throw inputErrorAt(path, rowLine, "label " + describeColumn(labelIndex) + " is empty");
    }
    labels.push_back(row[labelIndex]);
  };

  std::vector<long> labelLines;  // for error messages about labels
  if (firstRowIsData) {
    addRow(firstRow, firstLine);
    labelLines.push_back(firstLine);
  }
  // Parsing dominates (reading a plain file is a memcpy): reported every 4096 rows.
  for (long rows = 1; lines.next(line, lineNumber); ++rows) {
    splitFields(line, separator, path, lineNumber, fields);
    addRow(fields, lineNumber);
    labelLines.push_back(lineNumber);
    if (rows % 4096 == 0) reportProgress(progress, phase, lines.fraction());
  }

  // A first row with numbers everywhere but a word in the label column, over data whose labels
  // are all class indices, is a header ("x1,x2,label" over "0.5,1.5,3") whose feature names
  // happen to be numbers: e.g. "0,1,2,label".
  const auto isIndexLabel = [](const std::string& label) { return isDigits(label); };
  if (firstRowIsData && labels.size() > 1 && !isIndexLabel(labels.front()) &&
      std::all_of(labels.begin() + 1, labels.end(), isIndexLabel)) {
    header = true;
    columnNames = firstRow;
    values.erase(values.begin(), values.begin() + features);
    labels.erase(labels.begin());
    labelLines.erase(labelLines.begin());
  }
  if (labels.empty()) {
    throw InputError(path + ": no data rows (only a header on line " + std::to_string(firstLine) +
                     ")");
  }

  Dataset data;
  const auto samples = static_cast<Eigen::Index>(labels.size());
  data.x = MatrixMap(values.data(), features, samples);
  data.y.resize(labels.size());
  if (std::all_of(labels.begin(), labels.end(), isIndexLabel)) {
    long maxIndex = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const long index = labels[i].size() > 9 ? kMaxClassIndex + 1 : std::stol(labels[i]);
      if (index > kMaxClassIndex) {
        throw inputErrorAt(path, labelLines[i],
                           "label " + labels[i] + " is too large for a class index (at most " +
                               std::to_string(kMaxClassIndex) + "); use class names instead");
      }
      data.y[i] = static_cast<int>(index);
      maxIndex = std::max(maxIndex, index);
    }
    data.classes = static_cast<int>(maxIndex) + 1;
  } else {
    // Class names: indices in sorted order, so the mapping does not depend on row order.
    std::map<std::string, int> classIndex;
    for (const std::string& label : labels) classIndex.emplace(label, 0);
    for (auto& [name, index] : classIndex) {
      index = static_cast<int>(data.classNames.size());
      data.classNames.push_back(name);
    }
    for (std::size_t i = 0; i < labels.size(); ++i) data.y[i] = classIndex.at(labels[i]);
    data.classes = static_cast<int>(data.classNames.size());
  }
  if (header) {
    for (int c = 0; c < columns; ++c) {
      if (c != labelIndex) data.featureNames.push_back(columnNames[c]);
    }
  }
  if (info) {
    *info = CsvInfo{};
    info->header = header;
    info->labelIndex = labelIndex;
    for (int c = 0; c < columns; ++c)
      info->columns.push_back(header ? columnNames[c] : "column " + std::to_string(c));
    info->continuousLabel = looksContinuous(labels, info->distinctLabels);
  }
  return data;
}

}  // namespace layerscope
