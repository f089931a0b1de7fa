#include "widgets/timeline_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSpinBox>
#include <QToolButton>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace layerscope {

namespace {

// Replay paces offered, in probes per second: a 200-probe run replays in 40, 20, 10 or 4 s.
constexpr double kRates[] = {5.0, 10.0, 20.0, 50.0};

QColor markColour(TimelineMark::Kind kind) {
  switch (kind) {
    case TimelineMark::Kind::Keyframe: return QColor(40, 90, 200);
    case TimelineMark::Kind::Divergence: return QColor(205, 30, 30);
    case TimelineMark::Kind::SettingChange: return QColor(230, 130, 0);
    case TimelineMark::Kind::Branch: return QColor(140, 50, 170);
  }
  return Qt::black;
}

QString megabytes(std::size_t bytes) {
  const double mb = double(bytes) / double(1 << 20);
  return mb < 10 ? QString::number(mb, 'f', 1) : QString::number(std::lround(mb));
}

}  // namespace

TimelineBar::TimelineBar(QWidget* parent)
    : QWidget(parent),
      track_(new TimelineTrack(this)),
      play_(new QToolButton(this)),
      rate_(new QComboBox(this)),
      liveButton_(new QToolButton(this)),
      branch_(new QToolButton(this)),
      keyframe_(new QToolButton(this)),
      position_(new QLabel(this)),
      memory_(new QLabel(this)),
      budget_(new QSpinBox(this)) {
  setObjectName("timeline");
  setFocusPolicy(Qt::StrongFocus);
  // Never what sets the window's minimum width: the track shrinks first.
  setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
  setMinimumWidth(0);
  play_->setText(tr("Play"));
  play_->setToolTip(tr("Replay the recorded probes from the cursor (training goes on)"));
  connect(play_, &QToolButton::clicked, this, [this] { setPlaying(!playing()); });
  for (double r : kRates) rate_->addItem(tr("%1/s").arg(r), r);
  rate_->setCurrentIndex(1);
  rate_->setToolTip(tr("Replay pace, in probes per second"));
  connect(rate_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          [this] { timer_.setInterval(int(1000.0 / replayRate())); });
  liveButton_->setText(tr("Live"));
  liveButton_->setCheckable(true);
  liveButton_->setChecked(true);
  liveButton_->setToolTip(tr("Follow the running run (the views show its newest probe)"));
  connect(liveButton_, &QToolButton::clicked, this, [this] { goLive(); });
  branch_->setText(tr("Branch"));
  branch_->setObjectName("branch");
  connect(branch_, &QToolButton::clicked, this, [this] {
    if (branchStep() >= 0) emit branchRequested(branchStep());
  });
  keyframe_->setText(tr("Keyframe"));
  keyframe_->setToolTip(tr("Keep the run's state at its current step, to branch from it later"));
  connect(keyframe_, &QToolButton::clicked, this, &TimelineBar::keyframeRequested);
  budget_->setRange(16, 16384);
  budget_->setSingleStep(64);
  budget_->setSuffix(tr(" MB"));
  budget_->setValue(256);
  budget_->setToolTip(tr("Memory for the recorded history (every probe and step loss): past "
                         "it, older probes are thinned evenly (never the newest)"));
  connect(budget_, qOverload<int>(&QSpinBox::valueChanged), this,
          [this] { emit budgetChanged(budgetBytes()); });
  memory_->setToolTip(budget_->toolTip());

  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(4, 0, 4, 0);
  row->setSizeConstraint(QLayout::SetNoConstraint);  // see the size policy above
  row->addWidget(play_);
  row->addWidget(rate_);
  row->addWidget(track_, 1);
  row->addWidget(liveButton_);
  row->addWidget(branch_);
  row->addWidget(keyframe_);
  position_->hide();  // the track paints the position under its cursor, where the eye is
  row->addWidget(memory_);
  row->addWidget(budget_);

  timer_.setInterval(int(1000.0 / replayRate()));
  connect(&timer_, &QTimer::timeout, this, &TimelineBar::advance);
  showPosition();
}

void TimelineBar::setRecorded(std::vector<long> probeSteps, long lastStep) {
  probes_ = std::move(probeSteps);
  lastStep_ = std::max(lastStep, probes_.empty() ? 0L : probes_.back());
  // Not live, the cursor stays where it is even when the record thins its probe away: the views
  // keep showing what they show until it moves.
  if (live_) cursor_ = lastStep_;
  showPosition();
  track_->update();
}

void TimelineBar::setMarks(const std::vector<TimelineMark>& marks) {
  marks_ = marks;
  showPosition();
}

void TimelineBar::setMemory(std::size_t used, std::size_t budget, const QString& detail) {
  memory_->setText(tr("%1 MB of").arg(megabytes(used)));
  memory_->setToolTip(detail + "\n" + budget_->toolTip());
  if (budgetBytes() != budget) setBudgetBytes(budget);
}

void TimelineBar::clear() {
  setPlaying(false);
  probes_.clear();
  marks_.clear();
  lastStep_ = 0;
  cursor_ = 0;
  live_ = true;
  liveButton_->setChecked(true);
  showPosition();
  track_->update();
}

long TimelineBar::snap(long step) const {
  if (probes_.empty()) return std::clamp(step, 0L, lastStep_);
  auto it = std::lower_bound(probes_.begin(), probes_.end(), step);
  if (it == probes_.end()) return probes_.back();
  if (it != probes_.begin() && step - *(it - 1) <= *it - step) --it;
  return *it;
}

void TimelineBar::setCursor(long step) {
  const long snapped = snap(step);
  const bool changed = live_ || snapped != cursor_;
  cursor_ = snapped;
  live_ = false;
  liveButton_->setChecked(false);
  showPosition();
  track_->update();
  if (changed) emit cursorMoved(cursor_);
}

void TimelineBar::moveByProbes(int probes) {
  if (probes_.empty()) return;
  const long from = live_ ? probes_.back() : cursor_;
  auto it = std::lower_bound(probes_.begin(), probes_.end(), from);
  long i = it - probes_.begin();
  if (it == probes_.end() || *it != from) i -= (probes > 0 ? 1 : 0);  // between two probes
  i = std::clamp<long>(i + probes, 0, long(probes_.size()) - 1);
  setCursor(probes_[std::size_t(i)]);
}

void TimelineBar::goLive() {
  setPlaying(false);
  live_ = true;
  cursor_ = lastStep_;
  liveButton_->setChecked(true);
  showPosition();
  track_->update();
  emit liveRequested();
}

void TimelineBar::setPlaying(bool play) {
  if (play == playing()) return;
  if (play) {
    if (probes_.empty()) return;
    // Replay starts from the cursor, or from the first probe when following the live run or
    // standing at the end.
    if (live_ || cursor_ >= probes_.back()) setCursor(probes_.front());
    timer_.start();
  } else {
    timer_.stop();
  }
  play_->setText(play ? tr("Pause") : tr("Play"));
}

void TimelineBar::advance() {
  if (probes_.empty() || live_) {
    setPlaying(false);
    return;
  }
  if (cursor_ >= probes_.back()) {  // caught up with the run: follow it again
    goLive();
    return;
  }
  moveByProbes(1);
}

void TimelineBar::setReplayRate(double probesPerSecond) {
  int best = 0;
  for (int i = 0; i < rate_->count(); ++i)
    if (std::abs(rate_->itemData(i).toDouble() - probesPerSecond) <
        std::abs(rate_->itemData(best).toDouble() - probesPerSecond))
      best = i;
  rate_->setCurrentIndex(best);
}

double TimelineBar::replayRate() const { return rate_->currentData().toDouble(); }

std::size_t TimelineBar::budgetBytes() const { return std::size_t(budget_->value()) << 20; }

void TimelineBar::setBudgetBytes(std::size_t bytes) {
  budget_->setValue(int(std::clamp<std::size_t>(bytes >> 20, 16, 16384)));
}

QString TimelineBar::positionText() const {
  if (live_) return tr("live · step %1").arg(lastStep_);
  auto it = std::lower_bound(probes_.begin(), probes_.end(), cursor_);
  const long index = long(it - probes_.begin()) + 1;
  return tr("step %1 · probe %2/%3").arg(cursor_).arg(index).arg(probes_.size());
}

long TimelineBar::branchStep() const {
  if (live_) return -1;
  long step = -1;
  for (const TimelineMark& m : marks_)
    if (m.kind == TimelineMark::Kind::Keyframe && m.step <= cursor_) step = std::max(step, m.step);
  return step;
}

void TimelineBar::showPosition() {
  position_->setText(positionText());
  const long from = branchStep();
  branch_->setEnabled(from >= 0);
  branch_->setToolTip(from >= 0
                          ? tr("Continue from the keyframe of step %1 with the panel's live settings "
                               "(learning rate, L2, L1, dropout) as a new run; this one stays pinned "
                               "for comparison").arg(from)
                          : tr("Move the cursor to or after a keyframe (a blue diamond) to branch "
                               "from it"));
  track_->update();
}

void TimelineBar::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Left: moveByProbes(-1); return;
    case Qt::Key_Right: moveByProbes(1); return;
    case Qt::Key_PageUp: moveByProbes(-10); return;
    case Qt::Key_PageDown: moveByProbes(10); return;
    case Qt::Key_Home: if (!probes_.empty()) setCursor(probes_.front()); return;
    case Qt::Key_End: goLive(); return;
    default: QWidget::keyPressEvent(event);
  }
}

// ---- the track ----

TimelineTrack::TimelineTrack(TimelineBar* bar) : QWidget(bar), bar_(bar) {
  setMouseTracking(true);
  setFocusProxy(bar);
  setToolTip(tr("Drag to see every view at that step; arrow keys move probe by probe"));
}

QRectF TimelineTrack::groove() const {
  return QRectF(8, 6, std::max(1, width() - 16), height() - 18);
}

double TimelineTrack::xOf(long step) const {
  const QRectF g = groove();
  const double last = std::max(1L, bar_->lastStep());
  return g.left() + g.width() * double(step) / last;
}

long TimelineTrack::stepAt(double x) const {
  const QRectF g = groove();
  const double t = std::clamp((x - g.left()) / g.width(), 0.0, 1.0);
  return std::lround(t * double(bar_->lastStep()));
}

void TimelineTrack::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QRectF g = groove();
  p.fillRect(g, QColor(236, 238, 242));
  p.setPen(QColor(190, 194, 200));
  p.drawRect(g);
  // Probes: one tick each, merged where they are closer than a pixel.
  p.setPen(QPen(QColor(120, 128, 140), 1));
  double lastX = -10;
  for (long s : bar_->probeSteps()) {
    const double x = std::round(xOf(s)) + 0.5;
    if (x - lastX < 1.0) continue;
    p.drawLine(QPointF(x, g.bottom() - 5), QPointF(x, g.bottom()));
    lastX = x;
  }
  for (const TimelineMark& m : bar_->marks()) {
    const double x = xOf(m.step);
    const QColor c = markColour(m.kind);
    p.setPen(QPen(c, 1.5));
    p.setBrush(c);
    switch (m.kind) {
      case TimelineMark::Kind::Keyframe: {  // a diamond at the top
        QPainterPath d;
        d.moveTo(x, g.top() + 1);
        d.lineTo(x + 3.5, g.top() + 4.5);
        d.lineTo(x, g.top() + 8);
        d.lineTo(x - 3.5, g.top() + 4.5);
        d.closeSubpath();
        p.drawPath(d);
        break;
      }
      case TimelineMark::Kind::Divergence:
      case TimelineMark::Kind::Branch: {  // a triangle pointing down, and a line
        QPainterPath t;
        t.moveTo(x - 4, g.top());
        t.lineTo(x + 4, g.top());
        t.lineTo(x, g.top() + 6);
        t.closeSubpath();
        p.drawPath(t);
        p.drawLine(QPointF(x, g.top()), QPointF(x, g.bottom()));
        break;
      }
      case TimelineMark::Kind::SettingChange:
        p.drawLine(QPointF(x, g.top()), QPointF(x, g.bottom()));
        break;
    }
  }
  // The cursor: green at the end while live, dark where the views show a past step.
  const double cx = xOf(bar_->live() ? bar_->lastStep() : bar_->cursor());
  const QColor cc = bar_->live() ? QColor(30, 150, 60) : QColor(30, 30, 30);
  p.setPen(QPen(cc, 2));
  p.drawLine(QPointF(cx, g.top() - 4), QPointF(cx, g.bottom() + 2));
  p.setBrush(cc);
  p.drawEllipse(QPointF(cx, g.top() - 2), 3.5, 3.5);
  // The ends of the range.
  QFont f = font();
  f.setPointSizeF(7.5);
  p.setFont(f);
  p.setPen(QColor(90, 90, 90));
  const QRectF labels(g.left(), g.bottom() + 1, g.width(), height() - g.bottom() - 1);
  // Under the cursor: where it is ("step 1200 · probe 37/205"), kept inside the track; the
  // range's ends where they do not collide with it.
  const QFontMetricsF fm(f);
  const QString where = bar_->positionText();
  const double w = fm.horizontalAdvance(where) + 4;
  const double left = std::clamp(cx - w / 2, labels.left(), std::max(labels.left(), labels.right() - w));
  const QRectF whereBox(left, labels.top(), w, labels.height());
  const QString end = QString::number(bar_->lastStep());
  if (whereBox.left() > labels.left() + fm.horizontalAdvance("0") + 6)
    p.drawText(labels, Qt::AlignLeft | Qt::AlignTop, "0");
  if (whereBox.right() < labels.right() - fm.horizontalAdvance(end) - 6)
    p.drawText(labels, Qt::AlignRight | Qt::AlignTop, end);
  p.setPen(QColor(20, 20, 20));
  p.drawText(whereBox, Qt::AlignHCenter | Qt::AlignTop, where);
  if (hasFocus() || bar_->hasFocus()) {
    p.setPen(QPen(palette().highlight().color(), 1, Qt::DotLine));
    p.setBrush(Qt::NoBrush);
    p.drawRect(rect().adjusted(0, 0, -1, -1));
  }
}

void TimelineTrack::mousePressEvent(QMouseEvent* event) {
  bar_->setFocus();
  if (event->button() == Qt::LeftButton) bar_->setCursor(stepAt(event->position().x()));
}

void TimelineTrack::mouseMoveEvent(QMouseEvent* event) {
  if (event->buttons() & Qt::LeftButton) bar_->setCursor(stepAt(event->position().x()));
}

bool TimelineTrack::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    const auto* help = static_cast<QHelpEvent*>(event);
    QStringList near;
    for (const TimelineMark& m : bar_->marks())
      if (std::abs(xOf(m.step) - help->pos().x()) <= 4)
        near << tr("step %1: %2").arg(m.step).arg(m.text);
    const QString text = near.isEmpty()
                             ? tr("step %1 (drag to see the views then; arrow keys: probe by probe)")
                                   .arg(stepAt(help->pos().x()))
                             : near.join("\n");
    QToolTip::showText(help->globalPos(), text, this);
    return true;
  }
  return QWidget::event(event);
}

}  // namespace layerscope
