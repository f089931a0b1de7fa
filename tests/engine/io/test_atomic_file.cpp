// The write faults of the savers (io/atomic_file.h, io/experiment_file.h): a full disk, a
// read-only directory, a missing directory, a device behind the target name. The old file must
// stay intact, no temporary file may remain, and the message must name the path.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "config.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/experiment_file.h"
#include "io/stats_io.h"
#include "test_helpers.h"

namespace layerscope {
namespace {

namespace fs = std::filesystem;
using testing::errorOf;

class WriteFaults : public ::testing::Test {
 protected:
  void TearDown() override {
    for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
  }

  // Mounts (only root can, and only where the container allows it); false = skip the test.
  bool mount(const std::string& source, const fs::path& target, const char* type,
             unsigned long flags, const char* options, std::string& why) {
    if (::mount(source.c_str(), target.c_str(), type, flags, options) != 0) {
      why = "mount " + target.string() + ": " + std::strerror(errno);
      return false;
    }
    mounts_.push_back(target.string());
    return true;
  }

  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Names in `dir` other than the expected ones: a temporary file left behind shows up here.
  static std::vector<std::string> extraFiles(const fs::path& dir,
                                             const std::vector<std::string>& expected) {
    std::vector<std::string> extra;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (std::find(expected.begin(), expected.end(), name) == expected.end())
        extra.push_back(name);
    }
    return extra;
  }

  testing::TempDir tmp_{"layerscope-faults"};
  fs::path dir_ = tmp_.path;
  std::vector<std::string> mounts_;
};

ExperimentConfig bigExperiment() {
  ExperimentConfig c;
  c.name = std::string(8000, 'n');  // two pages: a full 64 KiB tmpfs cannot hold it
  return c;
}

std::string statsText() {
  StatsSnapshot s;
  s.step = 1;
  LayerStats l;
  l.layer = 1;
  s.layers.assign(200, l);
  return statsCsv({s});
}

TEST_F(WriteFaults, MissingDirectoryNamesThePathAndLeavesNothing) {
  const std::string path = (dir_ / "no" / "such" / "dir" / "experiment.json").string();
  const std::string message = errorOf([&] { writeExperimentFile(path, ExperimentConfig()); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  EXPECT_TRUE(extraFiles(dir_, {}).empty());
  const std::string stats = (dir_ / "missing" / "stats.csv").string();
  const std::string statsMessage = errorOf([&] { writeFileAtomically(stats, statsText()); });
  EXPECT_NE(statsMessage.find(stats), std::string::npos) << statsMessage;
}

TEST_F(WriteFaults, FullFileSystemKeepsTheOldFile) {
  const fs::path mnt = dir_ / "tiny";
  fs::create_directories(mnt);
  std::string why;
  if (!mount("tmpfs", mnt, "tmpfs", 0, "size=64k", why)) GTEST_SKIP() << why;
  const fs::path target = mnt / "experiment.json";
  const fs::path stats = mnt / "stats.csv";
  writeExperimentFile(target.string(), ExperimentConfig());
  writeFileAtomically(stats.string(), "step,layer,mean,std\n");
  const std::string oldExperiment = slurp(target), oldStats = slurp(stats);
  {  // fill every remaining block
    std::ofstream filler(mnt / "filler", std::ios::binary);
    const std::string block(4096, 'f');
    for (int i = 0; i < 64 && filler; ++i) filler.write(block.data(), block.size());
  }
  const std::string message =
      errorOf([&] { writeExperimentFile(target.string(), bigExperiment()); });
  EXPECT_NE(message.find(target.string()), std::string::npos) << message;
  EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
  EXPECT_EQ(slurp(target), oldExperiment);
  const std::string statsMessage =
      errorOf([&] { writeFileAtomically(stats.string(), statsText()); });
  EXPECT_NE(statsMessage.find(stats.string()), std::string::npos) << statsMessage;
  EXPECT_EQ(slurp(stats), oldStats);
  EXPECT_EQ(extraFiles(mnt, {"experiment.json", "stats.csv", "filler"}),
            std::vector<std::string>{});
  // The old experiment still reads back.
  EXPECT_NO_THROW(readExperimentFile(target.string()));
}

TEST_F(WriteFaults, ReadOnlyDirectoryKeepsTheOldFile) {
  const fs::path ro = dir_ / "ro";
  fs::create_directories(ro);
  const fs::path target = ro / "experiment.json";
  writeExperimentFile(target.string(), ExperimentConfig());
  const std::string old = slurp(target);
  // Root ignores permission bits: a read-only bind mount is what stops it.
  std::string why;
  if (!mount(ro.string(), ro, nullptr, MS_BIND, nullptr, why)) GTEST_SKIP() << why;
  if (!mount("none", ro, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr, why))
    GTEST_SKIP() << why;
  const std::string message =
      errorOf([&] { writeExperimentFile(target.string(), bigExperiment()); });
  EXPECT_NE(message.find(target.string()), std::string::npos) << message;
  EXPECT_NE(message.find("Read-only file system"), std::string::npos) << message;
  EXPECT_EQ(slurp(target), old);
  EXPECT_EQ(extraFiles(ro, {"experiment.json"}), std::vector<std::string>{});
}

TEST_F(WriteFaults, DevFullBindMountedOverTheTargetFailsCleanly) {
  // The target name is /dev/full (bind-mounted over a file here, so /dev is never touched):
  // every write fails with ENOSPC, and a rename over a mount point fails with EBUSY. Either
  // way the saver must report the path and leave no temporary file.
  const fs::path target = dir_ / "experiment.json";
  { std::ofstream(target) << "old"; }
  std::string why;
  if (!mount("/dev/full", target, nullptr, MS_BIND, nullptr, why)) GTEST_SKIP() << why;
  const std::string message =
      errorOf([&] { writeExperimentFile(target.string(), ExperimentConfig()); });
  EXPECT_NE(message.find(target.string()), std::string::npos) << message;
  EXPECT_EQ(extraFiles(dir_, {"experiment.json"}), std::vector<std::string>{});
}

TEST_F(WriteFaults, SymlinkToDevFullIsWrittenThroughNotReplaced) {
  // "--stats-csv out.csv" where out.csv -> /dev/full (or /dev/stdout, a FIFO): the bytes must
  // go to the device (here: ENOSPC, reported), not replace the link with a regular file. The
  // atomic rename is for regular files; it must not silently swap out a device or a pipe.
  const fs::path link = dir_ / "stats.csv";
  fs::create_symlink("/dev/full", link);
  const std::string message = errorOf([&] { writeFileAtomically(link.string(), statsText()); });
  EXPECT_TRUE(fs::is_symlink(link)) << "the symlink to /dev/full was replaced by a regular file";
  EXPECT_NE(message.find(link.string()), std::string::npos)
      << "writing to /dev/full must fail with ENOSPC naming the path; got: '" << message << "'";
  EXPECT_EQ(extraFiles(dir_, {"stats.csv"}), std::vector<std::string>{});
}

}  // namespace
}  // namespace layerscope
