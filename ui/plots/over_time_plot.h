// The base of the "Over time" plots: they draw from the run's bounded record of snapshots
// (run/snapshot_record.h: at most its capacity, thinned evenly in step), never keep copies of
// their own beyond one value per pixel column, and redraw on a coalescing timer (at most
// kRedrawsPerSecond times a second, and only while shown) however fast snapshots arrive.
#pragma once

#include <QTimer>
#include <vector>

#include "plots/over_time_painting.h"
#include "plots/plot_view.h"

namespace layerscope {

class SnapshotRecord;

class OverTimePlot : public PlotView {
  Q_OBJECT
 public:
  static constexpr int kRedrawsPerSecond = 4;
  // What the per-layer plots (histogram over time, percentiles) show of their layer.
  enum class Quantity { PostActivation, PreActivation, Gradient };
  static constexpr int kQuantities = 3;
  static QString quantityName(Quantity q);  // "post-activation", ...
  // The quantity's histogram in `layer` and the extremes of its values (NaN: not measured,
  // as for dL/da: training/stats.h keeps only its std).
  struct QuantityData {
    const Histogram* histogram;
    double min, max;
  };
  static QuantityData quantityOf(const LayerStats& layer, Quantity q);

  explicit OverTimePlot(const QString& title, QWidget* parent = nullptr);
  void refresh(const PlotInputs& inputs) override;
  void setSelectedLayer(int layer) override;
  void clear() override;
  void renderTo(QPainter& painter, const QRectF& target) override;

  // Reads the record and repaints now, not at the next tick (exports, tests).
  void updateNow();
  int selectedLayer() const { return selectedLayer_; }
  void setQuantity(Quantity q);
  Quantity quantity() const { return quantity_; }
  // The layer the per-layer plots show: the selected one, else the last hidden layer.
  int shownLayer() const;
  // Every text as last painted, and the hover text at a canvas position (empty: none).
  const std::vector<PaintedText>& texts() const { return texts_; }
  QString hoverText(const QPointF& canvasPos) const { return hoverAt(canvasPos); }
  QWidget* canvas() const { return canvas_; }

 protected:
  // Read what the plot draws from the record, one value per column (at most `columns`).
  virtual void extract(const SnapshotRecord& record, int columns) = 0;
  virtual void forget() = 0;  // drop what extract() read
  virtual void paintPlot(QPainter& painter, const QRectF& area) = 0;
  virtual QString hoverAt(const QPointF& pos) const = 0;
  virtual void clickAt(const QPointF&) {}
  // Something that changes what extract() reads (a statistic, a layer): read again soon.
  void invalidate();
  // Every over-time plot's first paint step: the plots' font on `painter`, and the first of
  // `headings` (longest first) that fits, drawn at the top left of `area`. Returns the metrics.
  QFontMetricsF paintHeading(QPainter& painter, const QRectF& area,
                             const std::vector<QString>& headings);
  // The timeline's cursor (PlotInputs::cursorStep) as a vertical line over `plot`, whose x runs
  // linearly from step `first` to `last`; nothing when following the live run.
  void paintCursor(QPainter& painter, const QRectF& plot, double first, double last);

 public:
  long cursorStep() const { return cursorStep_; }  // -1: live

 protected:
  void showEvent(QShowEvent* event) override;

  std::vector<PaintedText> texts_;
  int layerCount_ = 0;  // layers in the newest snapshot (input and output included)

 private:
  void tick();

  PaintCanvas* canvas_;
  QTimer timer_;
  const SnapshotRecord* record_ = nullptr;  // the window's record (PlotInputs::record)
  bool dirty_ = false;
  int selectedLayer_ = -1;
  long cursorStep_ = -1;
  Quantity quantity_ = Quantity::PostActivation;
};

}  // namespace layerscope
