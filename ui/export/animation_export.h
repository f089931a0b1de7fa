// Animated export: a plot or the whole dashboard over a run's recorded steps, as GIF or MP4.
// Frame i draws the run as it was at its step (ui/export/run_at_step.h), with "step S / LAST"
// in a strip above the plot. The frames' steps are spread evenly over the chosen range (fps x
// duration of them, or one every N steps) and each is moved back to the nearest recorded
// snapshot at or below it. Written like every export: into a temporary sibling of the target,
// renamed over it after the last frame; a failed or cancelled export leaves neither behind.
#pragma once

#include <QSize>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "export/plot_render.h"

namespace layerscope {

class AnimationWriter;

inline constexpr int kAnimationMaxFps = 60;
inline constexpr int kGifMaxFps = 50;  // GIF delays are whole 1/100 s; browsers slow 1/100 s
inline constexpr long kAnimationMaxFrames = 10000;
inline constexpr int kAnimationMinSide = 100, kAnimationMaxSide = 3840;

struct AnimationRequest {
  QString path;                                // FILE.gif or FILE.mp4
  QString plot = QStringLiteral("dashboard");  // one of renderablePlotNames()
  QSize size;                                  // the whole frame; empty: defaultAnimationSize()
  int fps = 10;                                // frames per second, 1..60 (GIF: 1..50)
  double durationSeconds = 10.0;               // frames = round(fps x duration) ...
  long stepsPerFrame = 0;                      // ... unless > 0: one frame every N steps
  long fromStep = 0;                           // the range of steps shown
  long toStep = -1;                            // -1: the last recorded step
};

// 1280 x 720 for the dashboard (a 16:9 slide), 800 x 560 for one plot.
QSize defaultAnimationSize(const QString& plot);

// An empty string, or one message naming the field at fault ("fps: 0 is out of range [1, 60]").
// Checks what does not need the run: the file type, plot name, size, fps, duration.
QString checkAnimationRequest(const AnimationRequest& request);

// The step each frame draws: `frames` targets spread evenly from `from` to `to` (both ends
// included), or with stepsPerFrame > 0 the targets from, from + N, ... up to `to`; each moved
// to the largest recorded step at or below it (the first recorded step in the range when none
// is). `recorded` is in increasing order. Empty when no recorded step lies in [from, to].
std::vector<long> planFrameSteps(const std::vector<long>& recorded, long from, long to,
                                 long frames, long stepsPerFrame);

// One export, a frame at a time, so the window can draw a frame per event-loop turn and stay
// responsive (the plots are widgets: GUI thread only). `run` must outlive it. Destroying it
// before it is done cancels it.
class AnimationExport {
 public:
  AnimationExport(AnimationRequest request, const RecordedRun& run);
  ~AnimationExport();
  AnimationExport(const AnimationExport&) = delete;
  AnimationExport& operator=(const AnimationExport&) = delete;

  // Checks the request against the run, plans the frames, lays the plot out and opens the
  // temporary file. An empty string, or the message naming the field or file at fault.
  QString start();
  // Draws and encodes the next frame; after the last one, closes the file and renames it over
  // the target. An empty string, or the error (the temporary file is then removed).
  QString next();
  bool done() const { return done_; }
  int framesDone() const { return int(next_); }
  int frameCount() const { return int(steps_.size()); }
  const std::vector<long>& frameSteps() const { return steps_; }
  QSize frameSize() const { return frameSize_; }
  int stripHeight() const { return stripHeight_; }  // the step label's strip above the plot
  QImage lastFrame() const { return lastFrame_; }   // the frame next() encoded last
  // Stops here: closes and removes the temporary file; the target is left as it was.
  void cancel();

 private:
  QImage frame(long step);
  QString finish();  // closes the file and renames it over the target
  void discard();

  AnimationRequest request_;
  const RecordedRun& run_;
  RecordedRun shown_;  // run_ cut at the current frame's step (extendToStep)
  std::vector<long> steps_;
  std::size_t next_ = 0;
  QSize frameSize_;
  int stripHeight_ = 0;
  std::unique_ptr<PlotRenderer> renderer_;
  std::unique_ptr<AnimationWriter> writer_;
  QString temporaryPath_;
  QImage lastFrame_;
  bool done_ = false;
};

// The whole export at once (the CLI, tests). `progress(i, n)` after frame i of n; `cancel` is
// read before each frame. An empty string, or the error ("cancelled" when cancelled).
QString exportAnimation(const AnimationRequest& request, const RecordedRun& run,
                        const std::function<void(int done, int total)>& progress = {},
                        const std::atomic<bool>* cancel = nullptr);

}  // namespace layerscope
