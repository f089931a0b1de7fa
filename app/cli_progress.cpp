#include "cli_progress.h"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace layerscope {

namespace {

volatile std::sig_atomic_t gInterrupted = 0;

extern "C" void onInterrupt(int) { gInterrupted = 1; }

// The line is redrawn at most this often (a terminal needs no more).
constexpr auto kRedraw = std::chrono::milliseconds(100);

}  // namespace

bool stderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

bool TerminalProgress::interrupted() { return gInterrupted != 0; }

TerminalProgress::TerminalProgress(bool show, std::FILE* out) : out_(out), show_(show) {
  gInterrupted = 0;
  previousHandler_ = std::signal(SIGINT, onInterrupt);
  // A shell that started us in the background (or nohup) ignores SIGINT for us: keep it so.
  if (previousHandler_ == SIG_IGN) std::signal(SIGINT, SIG_IGN);
  progress_.report = [this](const std::string& phase, double fraction) { draw(phase, fraction); };
  progress_.cancelled = [] { return interrupted(); };
}

TerminalProgress::~TerminalProgress() {
  clear();
  std::signal(SIGINT, previousHandler_ == SIG_ERR ? SIG_DFL : previousHandler_);
}

void TerminalProgress::draw(const std::string& phase, double fraction) {
  if (!show_) return;
  const auto now = Clock::now();
  if (!started_) {
    started_ = true;
    start_ = now;
  }
  if (now - start_ < delay_) return;  // quick work shows nothing
  if (phase == lastPhase_ && fraction < 1.0 && now - lastDraw_ < kRedraw) return;
  lastPhase_ = phase;
  lastDraw_ = now;
  // \r and "erase to end of line" (ECMA-48 EL): the line is rewritten in place.
  std::fprintf(out_, "\r%s %3d%%\x1b[K", phase.c_str(), static_cast<int>(fraction * 100.0 + 0.5));
  std::fflush(out_);
  drawn_ = true;
}

void TerminalProgress::clear() {
  started_ = false;
  lastPhase_.clear();
  if (!drawn_) return;
  std::fprintf(out_, "\r\x1b[K");
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace layerscope
