// A continuous label column (a measurement in the last column) is recognised, so the app can warn
// and the CLI can refuse it instead of training one class per distinct value; class ids and
// class names are not mistaken for it. Also the columns the app's label picker lists.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/temp_dir.h"
#include "config.h"
#include "data/csv_loader.h"
#include "data/source.h"
#include "errors.h"

namespace layerscope {
namespace {

class CsvLabelColumn : public ::testing::Test {
 protected:
  // x1,x2,<label> with `rows` rows; the label of row i is label(i).
  template <class Label>
  std::string write(const std::string& name, const std::string& labelName, int rows, Label label) {
    const std::string path = (tmp_.path / name).string();
    std::ofstream out(path, std::ios::binary);
    out << "x1,x2," << labelName << "\n";
    for (int i = 0; i < rows; ++i) out << i * 0.5 << "," << (i % 7) << "," << label(i) << "\n";
    return path;
  }
  testing::TempDir tmp_{"layerscope-csv-label"};
};

TEST_F(CsvLabelColumn, AFloatColumnWith121ValuesIsContinuous) {
  const std::string path =
      write("price.csv", "price", 121, [](int i) { return std::to_string(10 + i * 0.25); });
  CsvInfo info;
  const Dataset data = loadCsv(path, "", &info);
  EXPECT_EQ(data.classes, 121);  // what training would do with it
  EXPECT_TRUE(info.continuousLabel);
  EXPECT_EQ(info.distinctLabels, 121);
  EXPECT_EQ(info.labelName(), "price");
  ASSERT_EQ(info.columns.size(), 3u);
  EXPECT_EQ(info.columns[0], "x1");
  EXPECT_TRUE(info.header);
  EXPECT_EQ(info.labelIndex, 2);
  const std::string message = continuousLabelMessage(path, info, "--label-column");
  EXPECT_NE(message.find("'price'"), std::string::npos) << message;
  EXPECT_NE(message.find("--label-column"), std::string::npos) << message;
}

TEST_F(CsvLabelColumn, ClassIdsAndNamesAreNotContinuous) {
  CsvInfo info;
  loadCsv(write("ids.csv", "class", 300, [](int i) { return std::to_string(i % 10); }), "", &info);
  EXPECT_FALSE(info.continuousLabel);
  EXPECT_EQ(info.distinctLabels, 10);
  // 100 classes of 10 samples each: whole numbers, enough samples per class.
  loadCsv(write("many.csv", "class", 1000, [](int i) { return std::to_string(i % 100); }), "",
          &info);
  EXPECT_FALSE(info.continuousLabel);
  loadCsv(write("names.csv", "kind", 60, [](int i) { return "k" + std::to_string(i % 30); }), "",
          &info);
  EXPECT_FALSE(info.continuousLabel);
}

TEST_F(CsvLabelColumn, ColumnsWithoutAHeaderAreNumbered) {
  const std::string path = (tmp_.path / "plain.csv").string();
  std::ofstream(path) << "1,2,0\n3,4,1\n";
  CsvInfo info;
  loadCsv(path, "", &info);
  EXPECT_FALSE(info.header);
  ASSERT_EQ(info.columns.size(), 3u);
  EXPECT_EQ(info.columns[2], "column 2");
}

TEST_F(CsvLabelColumn, CheckRefusesTheDefaultColumnButTrustsAnExplicitOne) {
  DataConfig config;
  config.source =
      "csv:" + write("price.csv", "price", 121, [](int i) { return std::to_string(i * 0.5); });
  try {
    checkLabelColumn(config);
    FAIL() << "a continuous last column passed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'price'"), std::string::npos) << e.what();
  }
  config.labelColumn = "price";
  EXPECT_NO_THROW(checkLabelColumn(config));
  config.labelColumn.clear();
  config.source = "gaussian";
  EXPECT_NO_THROW(checkLabelColumn(config));
}

}  // namespace
}  // namespace layerscope
