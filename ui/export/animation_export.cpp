#include "export/animation_export.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QObject>
#include <QPainter>
#include <QTemporaryFile>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include "export/animation_writer.h"
#include "export/run_at_step.h"
#include "io/atomic_file.h"

namespace layerscope {

namespace {

long frameCountOf(const AnimationRequest& r) {
  return std::max(1L, std::lround(double(r.fps) * r.durationSeconds));
}

// The strip above the plot that says which step a frame shows: its text a 40th of the frame's
// height (18 px at 720), at least 12 px so it stays readable in a small GIF.
int stripFontPixels(QSize frame) { return std::clamp(frame.height() / 40, 12, 32); }
int stripHeightFor(QSize frame) { return int(std::lround(stripFontPixels(frame) * 1.8)); }

}  // namespace

QSize defaultAnimationSize(const QString& plot) {
  return plot == QLatin1String("dashboard") ? QSize(1280, 720) : QSize(800, 560);
}

QString checkAnimationRequest(const AnimationRequest& r) {
  const QString suffix = QFileInfo(r.path).suffix().toLower();
  if (r.path.isEmpty()) return QObject::tr("file: no file name given");
  if (suffix != QLatin1String("gif") && suffix != QLatin1String("mp4"))
    return QObject::tr("%1: unknown animation type (use .gif or .mp4)").arg(r.path);
  if (!renderablePlotNames().contains(r.plot))
    return QObject::tr("plot: unknown plot '%1' (expected one of: %2)")
        .arg(r.plot, renderablePlotNames().join(QStringLiteral(", ")));
  if (r.fps < 1 || r.fps > kAnimationMaxFps)
    return QObject::tr("fps: %1 is out of range [1, %2]").arg(r.fps).arg(kAnimationMaxFps);
  if (suffix == QLatin1String("gif") && r.fps > kGifMaxFps)
    return QObject::tr("fps: %1 is out of range [1, %2] for a GIF (its delays are whole "
                       "hundredths of a second, and browsers slow shorter ones down)")
        .arg(r.fps).arg(kGifMaxFps);
  if (r.stepsPerFrame < 0)
    return QObject::tr("steps per frame: %1 must be positive").arg(r.stepsPerFrame);
  if (r.stepsPerFrame == 0) {
    if (!(r.durationSeconds > 0) || !std::isfinite(r.durationSeconds))
      return QObject::tr("duration: %1 s must be more than 0").arg(r.durationSeconds);
    if (frameCountOf(r) > kAnimationMaxFrames)
      return QObject::tr("duration: %1 s at %2 fps is %3 frames (at most %4)")
          .arg(r.durationSeconds).arg(r.fps).arg(frameCountOf(r)).arg(kAnimationMaxFrames);
  }
  const QSize size = r.size.isValid() ? r.size : defaultAnimationSize(r.plot);
  if (size.width() < kAnimationMinSide || size.height() < kAnimationMinSide ||
      size.width() > kAnimationMaxSide || size.height() > kAnimationMaxSide)
    return QObject::tr("size: %1 x %2 is out of range (%3 to %4 pixels a side)")
        .arg(size.width()).arg(size.height()).arg(kAnimationMinSide).arg(kAnimationMaxSide);
  if (r.fromStep < 0) return QObject::tr("steps: from %1 must be 0 or more").arg(r.fromStep);
  if (r.toStep >= 0 && r.toStep < r.fromStep)
    return QObject::tr("steps: the range %1 to %2 is empty").arg(r.fromStep).arg(r.toStep);
  return {};
}

std::vector<long> planFrameSteps(const std::vector<long>& recorded, long from, long to,
                                 long frames, long stepsPerFrame) {
  const auto first = std::lower_bound(recorded.begin(), recorded.end(), from);
  if (first == recorded.end() || *first > to || to < from) return {};
  // The nearest recorded step at or below `target`, not before the range's first.
  const auto atOrBelow = [&](long target) {
    const auto it = std::upper_bound(first, recorded.end(), target);
    return it == first ? *first : *(it - 1);
  };
  std::vector<long> steps;
  if (stepsPerFrame > 0) {
    for (long target = from; target <= to && long(steps.size()) < kAnimationMaxFrames;
         target += stepsPerFrame)
      steps.push_back(atOrBelow(target));
  } else {
    frames = std::max(1L, frames);
    for (long i = 0; i < frames; ++i) {
      // target_i = from + (to - from) i / (frames - 1): the first frame at `from`, the last
      // at `to` (a single frame shows `to`).
      const double t = frames == 1 ? 1.0 : double(i) / double(frames - 1);
      steps.push_back(atOrBelow(from + std::lround(t * double(to - from))));
    }
  }
  return steps;
}

AnimationExport::AnimationExport(AnimationRequest request, const RecordedRun& run)
    : request_(std::move(request)), run_(run) {}

AnimationExport::~AnimationExport() {
  if (!done_) discard();
}

void AnimationExport::discard() {
  writer_.reset();  // closes the file
  renderer_.reset();
  if (!temporaryPath_.isEmpty()) QFile::remove(temporaryPath_);
  temporaryPath_.clear();
}

void AnimationExport::cancel() {
  discard();
  done_ = true;
}

QString AnimationExport::start() {
  if (QString error = checkAnimationRequest(request_); !error.isEmpty()) return error;
  if (run_.snapshots.empty())
    return QObject::tr("%1: no statistics were recorded: nothing to animate").arg(request_.path);
  const std::vector<long> recorded = recordedSteps(run_);
  const long last = recorded.back();
  const long to = request_.toStep < 0 ? last : request_.toStep;
  steps_ = planFrameSteps(recorded, request_.fromStep, to, frameCountOf(request_),
                          request_.stepsPerFrame);
  if (steps_.empty())
    return QObject::tr("steps: no recorded step from %1 to %2 (the run recorded steps %3 to %4)")
        .arg(request_.fromStep).arg(to).arg(recorded.front()).arg(last);

  const QFileInfo target(request_.path);
  writer_ = makeAnimationWriter(target.suffix());
  const QSize asked = request_.size.isValid() ? request_.size : defaultAnimationSize(request_.plot);
  frameSize_ = writer_->fitSize(asked);
  stripHeight_ = stripHeightFor(frameSize_);
  renderer_ = std::make_unique<PlotRenderer>(
      request_.plot, QSize(frameSize_.width(), frameSize_.height() - stripHeight_));
  if (QString error = renderer_->error(); !error.isEmpty()) return error;
  // The first frame's data, shown now: a plot that cannot show this run (decision regions of
  // data that is not 2-D) fails here, before a file is made.
  // Everything but the snapshots and losses (points, experiment, pinned runs) from the start;
  // those two grow frame by frame.
  shown_ = runAtStep(run_, -1);
  extendToStep(shown_, run_, steps_.front());
  if (QString error = renderer_->show(shown_); !error.isEmpty()) return error;

  const QString folder = target.absolutePath();
  if (!QDir().mkpath(folder))
    return QObject::tr("%1: cannot write: cannot create the folder %2").arg(request_.path, folder);
  // A hidden sibling, so the rename stays on one file system (rename(2) is atomic only there).
  QTemporaryFile temporary(QDir(folder).filePath(QStringLiteral(".%1.XXXXXX.part")
                                                     .arg(target.fileName())));
  temporary.setAutoRemove(false);
  if (!temporary.open())
    return QObject::tr("%1: cannot write: %2").arg(request_.path, temporary.errorString());
  temporaryPath_ = temporary.fileName();
  temporary.close();
  if (QString error = writer_->open(temporaryPath_, frameSize_, request_.fps); !error.isEmpty()) {
    discard();
    return QObject::tr("%1: cannot write: %2").arg(request_.path, error);
  }
  return {};
}

QImage AnimationExport::frame(long step) {
  extendToStep(shown_, run_, step);
  if (const QString error = renderer_->show(shown_); !error.isEmpty()) return {};
  const QImage plot = renderer_->image();
  if (plot.isNull()) return {};
  QImage image(frameSize_, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::TextAntialiasing);
  const QRect strip(0, 0, frameSize_.width(), stripHeight_);
  painter.fillRect(strip, QColor(244, 244, 244));
  painter.setPen(QColor(210, 210, 210));
  painter.drawLine(strip.bottomLeft(), strip.bottomRight());
  QFont font;
  font.setPixelSize(stripFontPixels(frameSize_));
  const int margin = stripFontPixels(frameSize_) / 2 + 4;
  const QRect text = strip.adjusted(margin, 0, -margin, 0);
  const StatsSnapshot& current = shown_.snapshots.back();
  painter.setPen(QColor(30, 30, 30));
  font.setBold(true);
  painter.setFont(font);
  painter.drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                   QObject::tr("step %1 / %2").arg(current.step).arg(run_.snapshots.back().step));
  font.setBold(false);
  painter.setFont(font);
  painter.setPen(QColor(90, 90, 90));
  painter.drawText(text, Qt::AlignRight | Qt::AlignVCenter,
                   QObject::tr("epoch %1  ·  LayerScope").arg(current.epoch));
  painter.drawImage(QPoint(0, stripHeight_), plot);
  painter.end();
  lastFrame_ = image;
  return image;
}

QString AnimationExport::next() {
  if (done_) return {};
  if (!writer_ || next_ >= steps_.size()) return QObject::tr("the export is not started");
  if (!renderer_->error().isEmpty()) return renderer_->error();
  const QImage image = frame(steps_[next_]);
  const QString error = image.isNull() ? QObject::tr("not enough memory for a %1 x %2 frame")
                                             .arg(frameSize_.width()).arg(frameSize_.height())
                                       : writer_->addFrame(image);
  if (error.isEmpty()) ++next_;
  if (error.isEmpty() && next_ == steps_.size()) return finish();
  if (!error.isEmpty()) {
    discard();
    done_ = true;
    return QObject::tr("%1: cannot write: %2").arg(request_.path, error);
  }
  return {};
}

QString AnimationExport::finish() {
  QString error = writer_->finish();
  writer_.reset();
  if (error.isEmpty()) {
    // Readable like any file the user makes (the temporary one is 0600), and on disk before
    // it replaces the target: a crash then leaves the old file or the new.
    QFile file(temporaryPath_);
    if (file.open(QIODevice::ReadWrite)) {
      ::fchmod(file.handle(), fileModeFor(QFile::encodeName(request_.path).toStdString()));
      ::fsync(file.handle());
      file.close();
    }
    if (std::rename(QFile::encodeName(temporaryPath_).constData(),
                    QFile::encodeName(request_.path).constData()) != 0)
      error = QString::fromLocal8Bit(std::strerror(errno));
  }
  done_ = true;
  if (!error.isEmpty()) {
    discard();
    return QObject::tr("%1: cannot write: %2").arg(request_.path, error);
  }
  temporaryPath_.clear();
  renderer_.reset();
  return {};
}

QString exportAnimation(const AnimationRequest& request, const RecordedRun& run,
                        const std::function<void(int, int)>& progress,
                        const std::atomic<bool>* cancel) {
  AnimationExport animation(request, run);
  if (QString error = animation.start(); !error.isEmpty()) return error;
  while (!animation.done()) {
    if (cancel && cancel->load()) {
      animation.cancel();
      return QObject::tr("%1: cancelled, nothing written").arg(request.path);
    }
    if (QString error = animation.next(); !error.isEmpty()) return error;
    if (progress) progress(animation.framesDone(), animation.frameCount());
  }
  return {};
}

}  // namespace layerscope
