// Long work on the command line: loading a data set, drawing a wide net's weights and the final
// evaluation (engine/progress.h) shown as one line on stderr, rewritten in place,
//   Loading Fashion-MNIST train images  34%
// only when stderr is a terminal and only once the work has lasted a second (a quick run, a
// test capturing the output, a pipe see nothing); and Ctrl-C (SIGINT) cancelling the run
// between two steps or chunks, so no output file is written half-way (exit status 130).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "progress.h"

namespace layerscope {

class TerminalProgress {
 public:
  // `show`: draw the line (when stderr is a terminal). SIGINT is caught either way, from here
  // until the destructor, which restores the previous handler and clears the line.
  explicit TerminalProgress(bool show, std::FILE* out = stderr);
  ~TerminalProgress();
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  const Progress* progress() const { return &progress_; }
  // True once Ctrl-C was pressed: a training loop's cancel function.
  static bool interrupted();
  // Draws the line after `delay` of work (default one second): tests shorten it.
  void setDelay(std::chrono::milliseconds delay) { delay_ = delay; }
  // Erases the line (before the command prints to stdout); the next work waits its own delay.
  void clear();

 private:
  void draw(const std::string& phase, double fraction);

  using Clock = std::chrono::steady_clock;
  Progress progress_;
  std::FILE* out_;
  bool show_;
  bool drawn_ = false;
  bool started_ = false;
  Clock::time_point start_{}, lastDraw_{};
  std::chrono::milliseconds delay_{1000};
  std::string lastPhase_;
  void (*previousHandler_)(int) = nullptr;
};

// Whether stderr is a terminal (isatty).
bool stderrIsTerminal();

}  // namespace layerscope
