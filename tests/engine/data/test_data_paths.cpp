// data/data_paths.h: a saved experiment names its data so that it still opens after a restart
// (bundled data by "@layerscope/NAME") and after its folder moves (files beside it, relative).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/temp_dir.h"
#include "config.h"
#include "data/data_paths.h"
#include "data/source.h"
#include "errors.h"
#include "io/experiment_file.h"

namespace layerscope {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

// Restores the process-wide bundled folder whatever the test set it to.
struct BundledFolder {
  std::string saved = bundledDataDirectory();
  explicit BundledFolder(const std::string& folder) { setBundledDataDirectory(folder); }
  ~BundledFolder() { setBundledDataDirectory(saved); }
};

void writeCsv(const std::string& path) {
  std::ofstream(path) << "x,y,label\n0,0,0\n1,1,1\n0,1,0\n1,0,1\n0.5,0.5,0\n0.2,0.8,1\n";
}

TEST(DataPaths, BundledDataIsNamedStablyAndResolvesToThisProcesssFolder) {
  BundledFolder bundled("/tmp/extracted-123/data");
  EXPECT_EQ(portableDataSource("csv:/tmp/extracted-123/data/positive_clouds.csv", "/home/u/"),
            "csv:@layerscope/positive_clouds.csv");
  setBundledDataDirectory("/usr/share/layerscope/data");  // the next process's folder
  EXPECT_EQ(resolveDataSource("csv:@layerscope/positive_clouds.csv", "/home/u/"),
            "csv:/usr/share/layerscope/data/positive_clouds.csv");
}

TEST(DataPaths, FilesBesideTheExperimentAreRelativeOthersStayAbsolute) {
  BundledFolder bundled("");
  EXPECT_EQ(portableDataSource("csv:/home/u/exp/data/a.csv", "/home/u/exp/"), "csv:data/a.csv");
  EXPECT_EQ(portableDataSource("csv:/srv/shared/a.csv", "/home/u/exp/"), "csv:/srv/shared/a.csv");
  EXPECT_EQ(portableDataSource("idx:/home/u/exp/i.gz,/home/u/exp/l.gz", "/home/u/exp"),
            "idx:i.gz,l.gz");
  EXPECT_EQ(resolveDataSource("idx:i.gz,/abs/l.gz", "/home/v/"), "idx:/home/v/i.gz,/abs/l.gz");
  EXPECT_EQ(resolveDataSource("csv:../d/a.csv", "/home/v/exp/"), "csv:/home/v/d/a.csv");
  EXPECT_EQ(resolveDataSource("spiral", "/home/v/"), "spiral");  // generators have no files
  EXPECT_EQ(portableDataSource("spiral", "/home/v/"), "spiral");
}

TEST(DataPaths, AnExperimentAndItsDataMovedTogetherStillOpen) {
  BundledFolder bundled("");
  TempDir first, second;
  writeCsv(first.file("points.csv"));
  ExperimentConfig c;
  c.data.source = "csv:" + first.file("points.csv");
  c.data.classes = 2;
  writeExperimentFile(first.file("exp.json"), c);
  std::ifstream in(first.file("exp.json"));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"csv:points.csv\""), std::string::npos) << text;
  EXPECT_EQ(readExperimentFile(first.file("exp.json")).data.source, c.data.source);

  fs::copy_file(first.file("points.csv"), second.file("points.csv"));
  fs::copy_file(first.file("exp.json"), second.file("exp.json"));
  const ExperimentConfig moved = readExperimentFile(second.file("exp.json"));
  EXPECT_EQ(moved.data.source, "csv:" + second.file("points.csv"));
  const DataSplits splits = loadData(moved.data, 1);
  EXPECT_EQ(splits.train.x.cols() + splits.validation.x.cols() + splits.test.x.cols(), 6);
  EXPECT_EQ(readExperimentDocument(second.file("exp.json")).config.data.source,
            moved.data.source);
}

TEST(DataPaths, BundledDataWithoutABundledFolderIsSaidByName) {
  BundledFolder bundled("");
  DataConfig d;
  d.source = "csv:@layerscope/positive_clouds.csv";
  try {
    loadData(d, 1);
    FAIL() << "loaded";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("csv:@layerscope/positive_clouds.csv"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("bundled"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace layerscope
