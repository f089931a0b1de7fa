// The progress line of long work (app/cli_progress.h): on a terminal, once the work has lasted a
// second, stderr shows "Final evaluation  34%" rewritten in place ("\r" ... erase to the end of
// the line); Ctrl-C then cancels. stderr is a pseudo-terminal here (openpty), as in a shell.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <string>

#include "cli_harness.h"

namespace layerscope::testing {
namespace {

class CliProgressLine : public CliHarness {
 protected:
  CliProgressLine() : CliHarness("layerscope-cli-progress") {}
};

// What the terminal received until `done` says so or `seconds` pass.
template <typename Done>
std::string readTerminal(int master, double seconds, Done done) {
  std::string text;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done(text) && std::chrono::steady_clock::now() < until) {
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(master, buffer, sizeof buffer);
    if (n <= 0) break;  // the child closed the terminal
    text.append(buffer, size_t(n));
  }
  return text;
}

TEST_F(CliProgressLine, ATerminalSeesTheFinalEvaluationsLineRewrittenInPlace) {
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(master);
    dup2(slave, STDERR_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    signal(SIGINT, SIG_DFL);
    // One step, then 27,000 test samples through a 3 x 1024 net: many seconds of final
    // evaluation, reported every 1,024 samples; only the interrupt ends it early.
    execl(LAYERSCOPE_CLI, LAYERSCOPE_CLI, "--dataset", "gaussian", "--samples", "30000",
          "--features", "256", "--test-fraction", "0.9", "--validation-fraction", "0.01", "--depth",
          "3", "--width", "1024", "--steps", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(slave);
  const std::regex line("\rFinal evaluation +[0-9]+%\x1b\\[K");
  const std::string seen = readTerminal(master, 60.0, [&](const std::string& text) {
    return std::regex_search(text, line);
  });
  kill(child, SIGINT);
  const std::string rest = readTerminal(master, 10.0, [](const std::string&) { return false; });
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  close(master);
  EXPECT_TRUE(std::regex_search(seen, line)) << seen;
  // The line is not the output: it is erased before the interrupt's message.
  EXPECT_NE(rest.find("\r\x1b[K"), std::string::npos) << rest;
  EXPECT_NE(rest.find("cancelled (Ctrl-C)"), std::string::npos) << rest;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
}

}  // namespace
}  // namespace layerscope::testing
