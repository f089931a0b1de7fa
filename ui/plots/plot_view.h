// The project's plot interface. Each plot is its own class behind it; the main window and the
// dashboard know only this header, so Qt Charts (deprecated upstream) stays inside ui/plots.
#pragma once

#include <QLabel>
#include <QRectF>
#include <QString>
#include <QWidget>

class QPainter;
class QVBoxLayout;

namespace layerscope {

struct StatsSnapshot;
struct PointCloud;
struct ExperimentConfig;
class RunHistory;
class SnapshotRecord;

// What a plot may draw from, once per frame. Pointers are valid during refresh() only.
struct PlotInputs {
  const StatsSnapshot* snapshot = nullptr;  // newest statistics (nullptr before the first probe)
  const RunHistory* history = nullptr;
  const PointCloud* points = nullptr;       // 2-D training data, or empty
  bool snapshotChanged = false;
  bool historyChanged = false;
  // The experiment of the run on screen (nullptr: unknown): the run list compares pinned runs
  // with it, so "what differs" follows the settings after a pin.
  const ExperimentConfig* experiment = nullptr;
  // The run's bounded record of whole snapshots (run/snapshot_record.h), or nullptr. Unlike the
  // pointers above, a plot may keep this one until its next refresh() or clear(): its owner
  // (the window's DisplayedRun, an export's RecordedRun) outlives the plots' use of it, so the
  // "Over time" plots can read it on their own coalescing timer (plots/over_time_plot.h).
  const SnapshotRecord* record = nullptr;
  // The step the timeline shows (run/timeline.h), -1 when it follows the live run. `snapshot`
  // and `history` are then the run as it was at that step; the "Over time" plots keep drawing
  // the whole record and mark this step with a cursor.
  long cursorStep = -1;
};

class PlotView : public QWidget {
  Q_OBJECT
 public:
  explicit PlotView(const QString& title, QWidget* parent = nullptr);

  QString title() const { return title_; }
  // Redraw from new data; cheap when nothing this plot shows has changed.
  virtual void refresh(const PlotInputs& inputs) = 0;
  // Highlight one layer (docs/ARCHITECTURE.md numbering), -1 for none.
  virtual void setSelectedLayer(int layer) = 0;
  virtual void clear() = 0;
  // Draw the plot as vectors into `target` (SVG and PDF export).
  virtual void renderTo(QPainter& painter, const QRectF& target) = 0;
  // Whether the plot has anything to show for the current data (the 2-D decision plot does not
  // for other data sets).
  virtual bool applicable() const { return true; }

  int redraws() const { return redraws_; }
  // The warning line under the plot (values that could not be drawn), empty when none.
  QString note() const { return note_->text(); }
  // The grey line under the plot that qualifies what it shows (e.g. where a theory curve does
  // not apply), empty when none.
  QString caveat() const { return caveat_->text(); }

 signals:
  void layerClicked(int layer);
  void exportRequested(layerscope::PlotView* plot, const QString& format);  // "png"|"svg"|"pdf"

 protected:
  void setContent(QWidget* content);
  void setNote(const QString& text);  // shown in red under the plot when non-empty
  void setCaveat(const QString& text);  // shown in grey under the plot when non-empty
  void countRedraw() { ++redraws_; }
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  QString title_;
  QVBoxLayout* layout_;
  QLabel* note_;
  QLabel* caveat_;
  int redraws_ = 0;
};

}  // namespace layerscope
