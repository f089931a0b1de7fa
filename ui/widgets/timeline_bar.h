// The timeline under the dashboard: a track over the run's steps with a mark for every probe,
// keyframe, divergence, setting change and branch, a cursor the user drags (or moves probe by
// probe with the arrow keys) to see every view as it was at that step, Play / Pause to replay
// the recorded probes at a chosen pace (while training goes on), "Live" to follow the running
// run again, and the memory the recorded history takes against its budget.
//
// The bar knows only steps: the window tells it which steps have probes and marks, and answers
// its signals by showing the run at the cursor (ui/displayed_run.h DisplayedRun::at).
#pragma once

#include <QString>
#include <QTimer>
#include <QWidget>
#include <cstddef>
#include <vector>

class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace layerscope {

// A point of interest on the timeline besides the probes.
struct TimelineMark {
  enum class Kind { Keyframe, Divergence, SettingChange, Branch };
  Kind kind = Kind::SettingChange;
  long step = 0;
  QString text;  // "learning rate 0.1 -> 0.01", "diverged: ...", "branched from step 400"
};

class TimelineTrack;

class TimelineBar : public QWidget {
  Q_OBJECT
 public:
  explicit TimelineBar(QWidget* parent = nullptr);

  // What the run has recorded: the steps of its kept probes (increasing), its newest step, and
  // its marks. Cheap to call every frame.
  void setRecorded(std::vector<long> probeSteps, long lastStep);
  void setMarks(const std::vector<TimelineMark>& marks);
  // "History 12.4 MB of 256 MB · 412 probes": the record's memory (run/snapshot_record.h).
  void setMemory(std::size_t usedBytes, std::size_t budgetBytes, const QString& detail);
  void clear();  // a new run

  bool live() const { return live_; }
  long cursor() const { return cursor_; }
  // Shows `step` (snapped to the nearest recorded probe) and leaves Live; emits cursorMoved.
  void setCursor(long step);
  // Moves `probes` probes from the cursor (from the newest probe when live).
  void moveByProbes(int probes);
  void goLive();  // follows the run again; emits liveRequested
  bool playing() const { return timer_.isActive(); }
  void setPlaying(bool play);
  // Replay pace, in probes per second.
  void setReplayRate(double probesPerSecond);
  double replayRate() const;
  std::size_t budgetBytes() const;
  void setBudgetBytes(std::size_t bytes);  // the spin box; emits budgetChanged when it changes

  const std::vector<long>& probeSteps() const { return probes_; }
  long lastStep() const { return lastStep_; }
  const std::vector<TimelineMark>& marks() const { return marks_; }
  QString positionText() const;
  // The keyframe a Branch from the cursor continues from (-1: none: live, or no keyframe yet).
  long branchStep() const;
  QToolButton* branchButton() const { return branch_; }
  TimelineTrack* track() const { return track_; }

 signals:
  void cursorMoved(long step);
  void liveRequested();
  void budgetChanged(std::size_t bytes);
  // Branch: continue from the newest keyframe at or before the cursor (branchStep()).
  void branchRequested(long keyframeStep);
  void keyframeRequested();  // take a keyframe of the run's current step

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void advance();  // one replay tick
  void showPosition();
  long snap(long step) const;

  TimelineTrack* track_;
  QToolButton* play_;
  QComboBox* rate_;
  QToolButton* liveButton_;
  QToolButton* branch_;
  QToolButton* keyframe_;
  QLabel* position_;
  QLabel* memory_;
  QSpinBox* budget_;
  QTimer timer_;
  std::vector<long> probes_;
  std::vector<TimelineMark> marks_;
  long lastStep_ = 0;
  long cursor_ = 0;
  bool live_ = true;
};

// The painted track: probe ticks, marks, the cursor. Click or drag moves the cursor; hovering
// a mark shows its text.
class TimelineTrack : public QWidget {
  Q_OBJECT
 public:
  explicit TimelineTrack(TimelineBar* bar);
  QSize sizeHint() const override { return {400, 38}; }
  QSize minimumSizeHint() const override { return {120, 38}; }
  // The x of `step` and the step at `x` (within the drawn range).
  double xOf(long step) const;
  long stepAt(double x) const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;  // tooltips on marks

 private:
  QRectF groove() const;
  TimelineBar* bar_;
};

}  // namespace layerscope
