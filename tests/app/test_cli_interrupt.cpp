// Ctrl-C (SIGINT) stops a run cleanly (app/cli_progress.h): exit status 130, one line saying so,
// and none of the requested output files written half-way.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "cli_harness.h"

namespace layerscope::testing {
namespace {

class CliInterrupt : public CliHarness {
 protected:
  CliInterrupt() : CliHarness("layerscope-cli-interrupt") {}
};

TEST_F(CliInterrupt, CtrlCDuringTrainingExits130AndWritesNoOutputs) {
  const std::string stats = path("stats.csv"), model = path("model.onnx");
  const std::string err = path("stderr");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDERR_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    signal(SIGINT, SIG_DFL);
    // A run far too long to end by itself: only the interrupt ends it.
    execl(LAYERSCOPE_CLI, LAYERSCOPE_CLI, "--dataset", "blobs", "--samples", "2000", "--features",
          "64", "--depth", "4", "--width", "256", "--steps", "100000000", "--stats-csv",
          stats.c_str(), "--export-model", model.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(child, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_LT(seconds, 5.0);
  EXPECT_NE(read(err).find("cancelled (Ctrl-C)"), std::string::npos) << read(err);
  EXPECT_FALSE(std::filesystem::exists(stats));
  EXPECT_FALSE(std::filesystem::exists(model));
}

}  // namespace
}  // namespace layerscope::testing
