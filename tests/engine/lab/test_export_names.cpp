// An exported model states its input's shape, units, feature names and class names
// (io/onnx_export.h metadata_props): from IDX data, pixel names and, for Fashion-MNIST, its ten
// class names; from a CSV, its column names and label values; from data without names, the
// class indices. Checked in the file's bytes and read back by the importer.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_helpers.h"
#include "data/idx_loader.h"
#include "io/onnx_export.h"
#include "io/onnx_import.h"
#include "lab/run.h"

namespace layerscope {
namespace {

void appendBigEndian(std::string& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(char((value >> shift) & 0xff));
}

// 200 images of 4 x 3 pixels, labels 0-9 in turn, plain IDX files.
void writeSmallIdx(const testing::TempDir& dir) {
  std::string images, labels;
  appendBigEndian(images, 0x00000803);
  appendBigEndian(images, 200);
  appendBigEndian(images, 4);
  appendBigEndian(images, 3);
  appendBigEndian(labels, 0x00000801);
  appendBigEndian(labels, 200);
  for (int i = 0; i < 200; ++i) {
    for (int p = 0; p < 12; ++p) images.push_back(char((i * 31 + p * 7) % 256));
    labels.push_back(char(i % 10));
  }
  dir.write("train-images-idx3-ubyte", images);
  dir.write("train-labels-idx1-ubyte", labels);
}

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ModelState exportedAndImported(const ExperimentConfig& config, const testing::TempDir& dir,
                               std::string& bytes) {
  const std::unique_ptr<Trainer> run = startRun(config);
  exportModel(dir.file("model.onnx"), *run);
  bytes = fileBytes(dir.file("model.onnx"));
  return importOnnx(dir.file("model.onnx"));
}

ExperimentConfig small(const std::string& source) {
  ExperimentConfig config;
  config.data.source = source;
  config.model.depth = 1;
  config.model.width = 4;
  config.train.steps = 0;
  return config;
}

TEST(ExportNames, FashionMnistModelNamesItsClassesPixelsShapeAndUnits) {
  testing::TempDir dir("layerscope-fashion-mnist");
  writeSmallIdx(dir);
  std::string bytes;
  const ModelState model = exportedAndImported(small("idx:" + dir.path.string()), dir, bytes);
  EXPECT_EQ(model.classNames, fashionMnistClassNames());
  ASSERT_EQ(model.featureNames.size(), 12u);
  EXPECT_EQ(model.featureNames.front(), "pixel_0_0");
  EXPECT_EQ(model.featureNames[1], "pixel_0_1");   // row-major: the file's byte order
  EXPECT_EQ(model.featureNames[3], "pixel_1_0");
  EXPECT_EQ(model.featureNames.back(), "pixel_3_2");
  EXPECT_EQ(model.input.shape, (std::vector<int>{4, 3}));
  EXPECT_EQ(model.input.units, "pixel intensity 0-255");
  // In the file itself, under the documented keys.
  for (const std::string& expected :
       {std::string(kOnnxClassNamesKey), std::string("\"T-shirt/top\",\"Trouser\""),
        std::string("\"Ankle boot\"]"), std::string(kOnnxFeatureNamesKey),
        std::string("\"pixel_3_2\"]"), std::string(kOnnxInputShapeKey), std::string("[4,3]"),
        std::string(kOnnxInputUnitsKey)})
    EXPECT_NE(bytes.find(expected), std::string::npos) << expected;
}

TEST(ExportNames, OtherIdxDataNameTheirClassesByIndex) {
  testing::TempDir dir("layerscope-digits");
  writeSmallIdx(dir);
  std::string bytes;
  const ModelState model = exportedAndImported(small("idx:" + dir.path.string()), dir, bytes);
  EXPECT_EQ(model.classNames,
            (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  EXPECT_NE(bytes.find("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]"),
            std::string::npos);
  EXPECT_EQ(model.featureNames.size(), 12u);
}

TEST(ExportNames, CsvModelNamesItsColumnsAndLabels) {
  testing::TempDir dir("layerscope-csv");
  std::string csv = "petal length,petal width,species\n";
  for (int i = 0; i < 60; ++i)
    csv += std::to_string(1 + i % 5) + "," + std::to_string(i % 3) + "," +
           (i % 2 ? "versicolor" : "setosa") + "\n";
  dir.write("iris.csv", csv);
  std::string bytes;
  const ModelState model = exportedAndImported(small("csv:" + dir.file("iris.csv")), dir, bytes);
  EXPECT_EQ(model.featureNames, (std::vector<std::string>{"petal length", "petal width"}));
  EXPECT_EQ(model.classNames, (std::vector<std::string>{"setosa", "versicolor"}));
  EXPECT_NE(bytes.find("[\"petal length\",\"petal width\"]"), std::string::npos);
  EXPECT_NE(bytes.find("[\"setosa\",\"versicolor\"]"), std::string::npos);
}

TEST(ExportNames, GeneratedDataNameTheirClassesByIndex) {
  testing::TempDir dir("layerscope-gen");
  ExperimentConfig config = small("blobs");
  config.data.features = 3;
  config.data.classes = 4;
  config.data.samples = 80;
  std::string bytes;
  const ModelState model = exportedAndImported(config, dir, bytes);
  EXPECT_EQ(model.classNames, (std::vector<std::string>{"0", "1", "2", "3"}));
}

}  // namespace
}  // namespace layerscope
