// CSV data sets: header detection, label columns, class names, and errors naming file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "test_helpers.h"
#include "data/csv_loader.h"
#include "errors.h"

namespace layerscope {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) {
  return std::string(LAYERSCOPE_TEST_DATA_DIR) + "/csv/" + name;
}

class CsvLoader : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // The InputError message of loading `path`, or "(no error)".
  static std::string errorOf(const std::string& path, const std::string& labelColumn = "") {
    try {
      loadCsv(path, labelColumn);
    } catch (const InputError& error) {
      return error.what();
    }
    return "(no error)";
  }

  testing::TempDir tmp_{"layerscope-csv"};
  fs::path dir_ = tmp_.path;
};

TEST_F(CsvLoader, HeaderAndClassNames) {
  const Dataset data = loadCsv(fixture("iris_names.csv"));
  EXPECT_EQ(data.features(), 4);
  EXPECT_EQ(data.samples(), 5);  // the blank line is skipped
  EXPECT_EQ(data.featureNames,
            (std::vector<std::string>{"sepal_length", "sepal_width", "petal_length", "petal_width"}));
  EXPECT_EQ(data.classes, 3);
  EXPECT_EQ(data.classNames, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  EXPECT_EQ(data.y, (std::vector<int>{0, 1, 2, 0, 1}));
  // One sample per column: the second row is column 1.
  EXPECT_FLOAT_EQ(data.x(0, 1), 7.0f);
  EXPECT_FLOAT_EQ(data.x(3, 1), 1.4f);
  EXPECT_FLOAT_EQ(data.x(2, 2), 6.0f);
}

TEST_F(CsvLoader, NoHeaderClassIndices) {
  const Dataset data = loadCsv(fixture("indices_no_header.csv"));
  EXPECT_EQ(data.features(), 2);
  EXPECT_EQ(data.samples(), 3);  // the first row is data, not a header
  EXPECT_TRUE(data.featureNames.empty());
  EXPECT_TRUE(data.classNames.empty());
  EXPECT_EQ(data.classes, 3);  // max label + 1
  EXPECT_EQ(data.y, (std::vector<int>{2, 0, 1}));
  Matrix expected(2, 3);
  expected << 0.5f, -0.15f, 2.0f,
              1.25f, 3.0f, 4.0f;
  EXPECT_TRUE(data.x.isApprox(expected)) << data.x;
}

TEST_F(CsvLoader, SemicolonsAndLabelColumnByNameOrIndex) {
  for (const char* labelColumn : {"label", "0"}) {
    SCOPED_TRACE(labelColumn);
    const Dataset data = loadCsv(fixture("label_first_semicolon.csv"), labelColumn);
    EXPECT_EQ(data.features(), 2);
    EXPECT_EQ(data.samples(), 3);
    EXPECT_EQ(data.featureNames, (std::vector<std::string>{"height", "weight"}));
    EXPECT_EQ(data.y, (std::vector<int>{1, 0, 1}));
    EXPECT_EQ(data.classes, 2);
    EXPECT_FLOAT_EQ(data.x(1, 2), 68.25f);
  }
}

TEST_F(CsvLoader, LabelColumnInTheMiddle) {
  const std::string path = write("middle.csv", "a,kind,b\n1,cat,2\n3,dog,4\n5,cat,6\n");
  const Dataset byName = loadCsv(path, "kind");
  const Dataset byIndex = loadCsv(path, "1");
  for (const Dataset* data : {&byName, &byIndex}) {
    EXPECT_EQ(data->featureNames, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(data->classNames, (std::vector<std::string>{"cat", "dog"}));
    EXPECT_EQ(data->y, (std::vector<int>{0, 1, 0}));
    EXPECT_FLOAT_EQ(data->x(1, 2), 6.0f);
  }
}

TEST_F(CsvLoader, TabsBomCrlfQuotesAndNumericHeaderNames) {
  const Dataset tabs = loadCsv(write("tabs.tsv", "1\t2\t0\n3\t4\t1\n"));
  EXPECT_EQ(tabs.features(), 2);
  EXPECT_EQ(tabs.samples(), 2);

  const Dataset windows =
      loadCsv(write("bom.csv", "\xEF\xBB\xBF\"x one\",\"y\",class\r\n1,2,b\r\n3,4,a\r\n"));
  EXPECT_EQ(windows.featureNames, (std::vector<std::string>{"x one", "y"}));
  EXPECT_EQ(windows.classNames, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(windows.y, (std::vector<int>{1, 0}));

  // Feature names that are numbers, over integer labels: still a header.
  const Dataset pixels = loadCsv(write("pixels.csv", "0,1,label\n0.5,0.25,3\n1,0,7\n"));
  EXPECT_EQ(pixels.samples(), 2);
  EXPECT_EQ(pixels.featureNames, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(pixels.classes, 8);
}

TEST_F(CsvLoader, RaggedRowNamesItsLine) {
  const std::string message = errorOf(fixture("ragged.csv"));
  EXPECT_NE(message.find("ragged.csv:5: expected 5 fields, found 4"), std::string::npos)
      << message;
}

TEST_F(CsvLoader, NonNumberNamesLineAndColumn) {
  const std::string message = errorOf(fixture("not_a_number.csv"));
  EXPECT_NE(message.find("not_a_number.csv:3: column 1 ('height'): 'abc' is not a number"),
            std::string::npos)
      << message;
  // Partly numeric fields are refused too: the whole field must be a number.
  const std::string partial = errorOf(write("partial.csv", "1,2,0\n1.5x,2,1\n"));
  EXPECT_NE(partial.find(":2: column 0: '1.5x' is not a number"), std::string::npos) << partial;
}

TEST_F(CsvLoader, NanAndInfinityRefused) {
  const std::string nan = errorOf(fixture("nan_value.csv"));
  EXPECT_NE(nan.find("nan_value.csv:2: column 0: 'NaN'"), std::string::npos) << nan;
  const std::string inf = errorOf(write("inf.csv", "1,2,0\n1,-inf,1\n"));
  EXPECT_NE(inf.find(":2: column 1: '-inf'"), std::string::npos) << inf;
  const std::string huge = errorOf(write("huge.csv", "1,1e300,0\n"));
  EXPECT_NE(huge.find("out of range"), std::string::npos) << huge;
  const std::string missing = errorOf(write("missing.csv", "a,b,c\n1,,0\n"));
  EXPECT_NE(missing.find(":2: column 1 ('b'): empty field"), std::string::npos) << missing;
}

TEST_F(CsvLoader, EmptyFilesAndHeaderOnly) {
  EXPECT_NE(errorOf(fixture("empty.csv")).find("empty.csv: empty file"), std::string::npos);
  EXPECT_NE(errorOf(write("blank.csv", "\n  \n\r\n")).find("empty file"), std::string::npos);
  const std::string headerOnly = errorOf(write("header.csv", "a,b,label\n"));
  EXPECT_NE(headerOnly.find("no data rows"), std::string::npos) << headerOnly;
}

TEST_F(CsvLoader, MissingFileSaysCannotOpen) {
  const std::string path = (dir_ / "does_not_exist.csv").string();
  const std::string message = errorOf(path);
  EXPECT_EQ(message.rfind(path + ": cannot open (", 0), 0u) << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

TEST_F(CsvLoader, UnknownLabelColumnNamesColumnAndFile) {
  const std::string byName = errorOf(fixture("iris_names.csv"), "colour");
  EXPECT_NE(byName.find("iris_names.csv"), std::string::npos) << byName;
  EXPECT_NE(byName.find("'colour'"), std::string::npos) << byName;
  EXPECT_NE(byName.find("'species'"), std::string::npos) << byName;  // lists the choices

  const std::string outOfRange = errorOf(fixture("iris_names.csv"), "5");
  EXPECT_NE(outOfRange.find("iris_names.csv: label column 5 is out of range"), std::string::npos)
      << outOfRange;

  const std::string noHeader = errorOf(fixture("indices_no_header.csv"), "label");
  EXPECT_NE(noHeader.find("no header row"), std::string::npos) << noHeader;
}

TEST_F(CsvLoader, HugeClassIndexRefused) {
  const std::string message = errorOf(write("ids.csv", "1,2,0\n1,2,123456789\n"));
  EXPECT_NE(message.find(":2: label 123456789 is too large"), std::string::npos) << message;
}

TEST_F(CsvLoader, MixedLabelsAreClassNames) {
  // Negative or non-integer labels cannot be class indices: they are names, sorted.
  const Dataset data = loadCsv(write("signs.csv", "1,-1\n2,1\n3,-1\n"));
  EXPECT_EQ(data.classNames, (std::vector<std::string>{"-1", "1"}));
  EXPECT_EQ(data.y, (std::vector<int>{0, 1, 0}));
}

}  // namespace
}  // namespace layerscope
