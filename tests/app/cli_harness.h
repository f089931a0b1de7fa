// The harness the app tests share: a fresh directory per test (tests/common/temp_dir.h), layerscope-cli run through the
// shell with stdout and stderr captured to files, and files read back byte for byte.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "common/temp_dir.h"

namespace layerscope::testing {

struct CliResult {
  int status = -1;  // exit status; -1 when killed by a signal
  int signal = 0;
  std::string out, err;
};

class CliHarness : public ::testing::Test {
 protected:
  // `dirPrefix` names the per-test directory under the temp directory; `commandPrefix` goes
  // before the CLI in every command (an environment, a timeout), with its trailing space.
  explicit CliHarness(std::string dirPrefix, std::string commandPrefix = {})
      : dirPrefix_(std::move(dirPrefix)), commandPrefix_(std::move(commandPrefix)) {}

  void SetUp() override {
    tmp_ = std::make_unique<TempDir>(dirPrefix_);
    dir_ = tmp_->path;
  }
  void TearDown() override { tmp_.reset(); }

  CliResult run(const std::string& args) {
    const std::string out = (dir_ / "stdout").string(), err = (dir_ / "stderr").string();
    const std::string command = commandPrefix_ + std::string(LAYERSCOPE_CLI) + " " + args +
                                " >" + out + " 2>" + err;
    const int raw = std::system(command.c_str());
    CliResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.signal = WIFSIGNALED(raw) ? WTERMSIG(raw) : 0;
    r.out = read(out);
    r.err = read(err);
    return r;
  }
  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  std::filesystem::path dir_;

 private:
  std::string dirPrefix_, commandPrefix_;
  std::unique_ptr<TempDir> tmp_;  // one per test (tests/common/temp_dir.h)
};

}  // namespace layerscope::testing
