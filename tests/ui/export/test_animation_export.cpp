// Animated export (ui/export/animation_export.h): a real small run (the 2-D spiral, 2 hidden
// layers of 16, 300 steps) encoded to GIF and MP4 and read back with independent readers:
// Pillow (Debian's python3-pil) for the GIF, ffprobe (Debian's ffmpeg) for the MP4, so a
// mistake in our use of giflib or libavformat cannot hide itself behind the same library.
// Also: the cut of a run at a step, the frames' steps, that frames change over time, that a
// cancelled or failed export leaves no file, and the messages of bad requests.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <atomic>
#include <cmath>
#include <vector>

#include "common/temp_dir.h"
#include "export/animation_export.h"
#include "export/gif_writer.h"
#include "export/run_at_step.h"
#include "io/atomic_file.h"
#include "export/recorded_spiral.h"

namespace layerscope {
namespace {

using testing::TempDir;

struct SpiralRun {
  const RecordedRun& run = testing::recordedSpiral();
};

const SpiralRun& spiral() {
  static const SpiralRun r;
  return r;
}

// Runs `program` with `args`; its stdout, or "" (and a test failure) when it fails.
QString runTool(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForFinished(120000) || p.exitCode() != 0) {
    ADD_FAILURE() << program.toStdString() << " failed: "
                  << p.readAllStandardError().toStdString();
    return {};
  }
  return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// Debian's python3, where python3-pil installs Pillow (a python3 earlier on PATH, such as a
// pyenv shim, may not have it).
QString python() {
  if (QFile::exists(QStringLiteral("/usr/bin/python3"))) return QStringLiteral("/usr/bin/python3");
  return QStandardPaths::findExecutable(QStringLiteral("python3"));
}
QString ffprobe() { return QStandardPaths::findExecutable(QStringLiteral("ffprobe")); }
bool havePillow() {
  if (python().isEmpty()) return false;
  QProcess p;
  p.start(python(), {QStringLiteral("-c"), QStringLiteral("import PIL")});
  return p.waitForFinished(30000) && p.exitCode() == 0;
}

TEST(RunAtStep, KeepsSnapshotsAndLossesUpToTheStep) {
  const RecordedRun& run = spiral().run;
  const RecordedRun cut = runAtStep(run, 125);
  ASSERT_FALSE(cut.snapshots.empty());
  EXPECT_EQ(cut.snapshots.back().step, 120);  // the newest kept is "current"
  for (const StatsSnapshot& s : cut.snapshots) EXPECT_LE(s.step, 125);
  EXPECT_EQ(cut.snapshots.size(), std::size_t(13));  // steps 0, 10, ..., 120
  ASSERT_EQ(cut.losses.size(), std::size_t(125));    // steps 1..125
  EXPECT_EQ(cut.losses.back().step, 125);
  EXPECT_EQ(cut.experiment, run.experiment);
  EXPECT_TRUE(runAtStep(run, -1).snapshots.empty());
  EXPECT_EQ(runAtStep(run, 1000000).snapshots.size(), run.snapshots.size());
  EXPECT_EQ(runAtStep(run, 1000000).losses.size(), run.losses.size());
}

TEST(RunAtStep, ExtendingACutEqualsCuttingAgain) {
  const RecordedRun& run = spiral().run;
  RecordedRun shown = runAtStep(run, 40);
  for (long step : {40L, 41L, 99L, 100L, 250L, 300L}) {
    extendToStep(shown, run, step);
    const RecordedRun cut = runAtStep(run, step);
    ASSERT_EQ(shown.snapshots.size(), cut.snapshots.size()) << step;
    ASSERT_EQ(shown.losses.size(), cut.losses.size()) << step;
    EXPECT_EQ(shown.snapshots.back().step, cut.snapshots.back().step);
  }
}

TEST(AnimationFrames, EvenlyOverTheRangeAtOrBelowARecordedStep) {
  const std::vector<long> recorded = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  EXPECT_EQ(planFrameSteps(recorded, 0, 100, 5, 0), (std::vector<long>{0, 20, 50, 70, 100}));
  // Targets 0, 33.3, 66.7, 100 -> 0, 33, 67, 100 -> recorded at or below.
  EXPECT_EQ(planFrameSteps(recorded, 0, 100, 4, 0), (std::vector<long>{0, 30, 60, 100}));
  EXPECT_EQ(planFrameSteps(recorded, 0, 100, 1, 0), (std::vector<long>{100}));
  EXPECT_EQ(planFrameSteps(recorded, 15, 45, 3, 0), (std::vector<long>{20, 30, 40}));
  // Steps per frame: 0, 25, 50, 75, 100.
  EXPECT_EQ(planFrameSteps(recorded, 0, 100, 0, 25), (std::vector<long>{0, 20, 50, 70, 100}));
  EXPECT_TRUE(planFrameSteps(recorded, 101, 200, 5, 0).empty());
  EXPECT_TRUE(planFrameSteps(recorded, 11, 19, 5, 0).empty());
  EXPECT_TRUE(planFrameSteps({}, 0, 100, 5, 0).empty());
}

TEST(AnimationFrames, GifDelaysAddUpToTheDuration) {
  EXPECT_EQ(GifWriter::delayCentiseconds(0, 10), 10);
  EXPECT_EQ(GifWriter::delayCentiseconds(0, 25), 4);
  int total = 0;
  for (long i = 0; i < 30; ++i) {
    const int d = GifWriter::delayCentiseconds(i, 30);
    EXPECT_TRUE(d == 3 || d == 4) << d;
    total += d;
  }
  EXPECT_EQ(total, 100);  // 30 frames at 30 fps: one second
}

TEST(AnimationExport, BadRequestsNameTheField) {
  const RecordedRun& run = spiral().run;
  TempDir dir("layerscope-anim");
  AnimationRequest r;
  r.path = QString::fromStdString(dir.file("a.mp4"));
  const auto message = [&](AnimationRequest bad) {
    AnimationExport e(bad, run);
    return e.start();
  };
  AnimationRequest bad = r;
  bad.path = QString::fromStdString(dir.file("a.avi"));
  EXPECT_TRUE(message(bad).contains(QStringLiteral("unknown animation type (use .gif or .mp4)")));
  bad = r;
  bad.fps = 0;
  EXPECT_EQ(message(bad), QStringLiteral("fps: 0 is out of range [1, 60]"));
  bad.fps = 61;
  EXPECT_EQ(message(bad), QStringLiteral("fps: 61 is out of range [1, 60]"));
  bad.fps = 55;
  bad.path = QString::fromStdString(dir.file("a.gif"));
  EXPECT_TRUE(message(bad).startsWith(QStringLiteral("fps: 55 is out of range [1, 50] for a GIF")));
  bad = r;
  bad.durationSeconds = 0;
  EXPECT_TRUE(message(bad).startsWith(QStringLiteral("duration: ")));
  bad = r;
  bad.size = QSize(40, 300);
  EXPECT_TRUE(message(bad).startsWith(QStringLiteral("size: 40 x 300 is out of range")));
  bad.size = QSize(5000, 300);
  EXPECT_TRUE(message(bad).startsWith(QStringLiteral("size: 5000 x 300 is out of range")));
  bad = r;
  bad.fromStep = 200;
  bad.toStep = 100;
  EXPECT_TRUE(message(bad).startsWith(QStringLiteral("steps: ")));
  bad.fromStep = 301;
  bad.toStep = 400;
  EXPECT_TRUE(message(bad).startsWith(QStringLiteral("steps: no recorded step from 301 to 400")))
      << message(bad).toStdString();
  bad = r;
  bad.plot = QStringLiteral("nonsense");
  EXPECT_TRUE(message(bad).startsWith(QStringLiteral("plot: unknown plot 'nonsense'")));
  EXPECT_TRUE(dir.entries().empty());  // no request above left a file or a temporary one
}

TEST(AnimationExport, GifReadBackByPillow) {
  if (!havePillow()) GTEST_SKIP() << "Pillow not installed (python3-pil)";
  TempDir dir("layerscope-anim");
  AnimationRequest r;
  r.path = QString::fromStdString(dir.file("spiral.gif"));
  r.plot = QStringLiteral("depth_profile");
  r.size = QSize(480, 320);
  r.fps = 10;
  r.durationSeconds = 1.2;  // 12 frames
  std::vector<int> progress;
  ASSERT_EQ(exportAnimation(r, spiral().run, [&](int done, int total) {
              EXPECT_EQ(total, 12);
              progress.push_back(done);
            }),
            QString());
  EXPECT_EQ(progress.size(), std::size_t(12));
  EXPECT_EQ(progress.back(), 12);
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"spiral.gif"}));  // no temporary left
  // Permissions like any other export's new file (0666 minus the umask), not the temporary's
  // 0600.
  const std::string reference = dir.file("reference");
  writeFileAtomically(reference, "x");
  EXPECT_EQ(QFile::permissions(r.path), QFile::permissions(QString::fromStdString(reference)));
  // Pillow: frames, size, each frame's duration (ms), the loop count (0 = forever), and how
  // many frames differ from the first: the step label changes in every one, the plot too.
  const QString script = QStringLiteral(
      "import sys\n"
      "from PIL import Image, ImageChops\n"
      "im = Image.open(sys.argv[1])\n"
      "assert im.format == 'GIF'\n"
      "frames = []\n"
      "durations = []\n"
      "for i in range(im.n_frames):\n"
      "    im.seek(i)\n"
      "    durations.append(im.info.get('duration'))\n"
      "    frames.append(im.convert('RGB'))\n"
      "first = frames[0]\n"
      "changed = sum(1 for f in frames[1:] if ImageChops.difference(first, f).getbbox())\n"
      "strip = frames[0].crop((0, 0, 200, 20)), frames[-1].crop((0, 0, 200, 20))\n"
      "label = 1 if ImageChops.difference(*strip).getbbox() else 0\n"
      "below = frames[0].crop((0, 40, im.size[0], im.size[1])), frames[-1].crop((0, 40, im.size[0], im.size[1]))\n"
      "plot = 1 if ImageChops.difference(*below).getbbox() else 0\n"
      "print(im.n_frames, im.size[0], im.size[1], im.info.get('loop'), min(durations), max(durations), changed, label, plot)\n");
  const QString out = runTool(python(), {QStringLiteral("-c"), script, r.path});
  EXPECT_EQ(out, QStringLiteral("12 480 320 0 100 100 11 1 1"));
}

TEST(AnimationExport, Mp4ReadBackByFfprobe) {
  if (ffprobe().isEmpty()) GTEST_SKIP() << "ffprobe not installed (ffmpeg)";
  TempDir dir("layerscope-anim");
  AnimationRequest r;
  r.path = QString::fromStdString(dir.file("spiral.mp4"));
  r.plot = QStringLiteral("dashboard");
  r.size = QSize(641, 479);  // odd: H.264 4:2:0 needs even sides, so 640 x 478
  r.fps = 8;
  r.durationSeconds = 2;  // 16 frames
  AnimationExport animation(r, spiral().run);
  ASSERT_EQ(animation.start(), QString());
  EXPECT_EQ(animation.frameSize(), QSize(640, 478));
  ASSERT_EQ(animation.frameCount(), 16);
  EXPECT_EQ(animation.frameSteps().front(), 0);
  EXPECT_EQ(animation.frameSteps().back(), 300);
  while (!animation.done()) ASSERT_EQ(animation.next(), QString());
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"spiral.mp4"}));
  const QString out = runTool(
      ffprobe(), {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
                  QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                  QStringLiteral("-show_entries"),
                  QStringLiteral("stream=codec_name,width,height,pix_fmt,nb_read_frames,r_frame_rate:"
                                 "format=duration"),
                  QStringLiteral("-of"), QStringLiteral("default=noprint_wrappers=1"), r.path});
  EXPECT_TRUE(out.contains(QStringLiteral("codec_name=h264"))) << out.toStdString();
  EXPECT_TRUE(out.contains(QStringLiteral("width=640"))) << out.toStdString();
  EXPECT_TRUE(out.contains(QStringLiteral("height=478"))) << out.toStdString();
  EXPECT_TRUE(out.contains(QStringLiteral("pix_fmt=yuv420p"))) << out.toStdString();
  EXPECT_TRUE(out.contains(QStringLiteral("r_frame_rate=8/1"))) << out.toStdString();
  EXPECT_TRUE(out.contains(QStringLiteral("nb_read_frames=16"))) << out.toStdString();
  const qsizetype at = out.indexOf(QStringLiteral("duration="));
  ASSERT_GE(at, 0);
  const double duration = out.mid(at + 9).section(QLatin1Char('\n'), 0, 0).toDouble();
  EXPECT_NEAR(duration, 16.0 / 8.0, 0.13);
  // +faststart: the index (moov) before the media data (mdat), so playback starts at once.
  QFile file(r.path);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QByteArray bytes = file.readAll();
  const qsizetype moov = bytes.indexOf("moov"), mdat = bytes.indexOf("mdat");
  ASSERT_GE(moov, 0);
  ASSERT_GE(mdat, 0);
  EXPECT_LT(moov, mdat);
}

TEST(AnimationExport, FramesShowTheRunAsItWasAtTheirStep) {
  // The first and the last frame of the loss plot differ; a frame's plot below the strip is the
  // plot of runAtStep at its step, drawn alone.
  const RecordedRun& run = spiral().run;
  const QSize size(400, 300);
  PlotRenderer early(QStringLiteral("loss"), size), late(QStringLiteral("loss"), size);
  const RecordedRun at50 = runAtStep(run, 50), at300 = runAtStep(run, 300);
  ASSERT_EQ(early.show(at50), QString());
  ASSERT_EQ(late.show(at300), QString());
  EXPECT_NE(early.image(), late.image());
  // The same renderer fed 50 then 300 (an animation) draws what a fresh one draws at 300.
  ASSERT_EQ(early.show(at300), QString());
  EXPECT_EQ(early.image(), late.image());
}

TEST(AnimationExport, AFrameIsThePlotOfTheRunCutAtItsStepUnderItsLabel) {
  // Below the strip, the first frame is the plot of runAtStep at the frame's step, drawn alone:
  // with everything the run carries (the 2-D points on the decision regions, the theory curve
  // of its experiment), not only its snapshots.
  TempDir dir("layerscope-anim");
  AnimationRequest r;
  r.path = QString::fromStdString(dir.file("frames.mp4"));
  r.size = QSize(960, 640);
  r.fromStep = 120;
  AnimationExport animation(r, spiral().run);
  ASSERT_EQ(animation.start(), QString());
  ASSERT_EQ(animation.frameSteps().front(), 120);
  ASSERT_EQ(animation.next(), QString());
  const QImage frame = animation.lastFrame();
  ASSERT_EQ(frame.size(), QSize(960, 640));
  const int strip = animation.stripHeight();
  EXPECT_GE(strip, 20);
  PlotRenderer alone(QStringLiteral("dashboard"), QSize(960, 640 - strip));
  ASSERT_EQ(alone.show(runAtStep(spiral().run, 120)), QString());
  EXPECT_EQ(frame.copy(0, strip, 960, 640 - strip), alone.image().convertToFormat(frame.format()));
  // The strip is the label: dark text on its light background, nothing of the plot.
  int dark = 0;
  for (int y = 0; y < strip; ++y)
    for (int x = 0; x < 300; ++x) dark += qGray(frame.pixel(x, y)) < 100;
  EXPECT_GT(dark, 50);
  animation.cancel();
}

TEST(AnimationExport, LightProbesKeepTheNewestDecisionRegions) {
  // A light probe carries no decision grid. A frame whose newest snapshot is one draws the
  // regions of the newest full probe: the same image as if that grid were its own (and not a
  // dashboard without regions, laid out differently).
  RecordedRun light = runAtStep(spiral().run, 120);
  ASSERT_GT(light.snapshots[light.snapshots.size() - 2].decision.resolution, 0);
  light.snapshots.back().decision = DecisionGrid{};
  RecordedRun copied = light;
  copied.snapshots.back().decision = copied.snapshots[copied.snapshots.size() - 2].decision;
  RecordedRun none = light;
  for (StatsSnapshot& s : none.snapshots) s.decision = DecisionGrid{};
  const QSize size(900, 640);
  PlotRenderer a(QStringLiteral("dashboard"), size), b(QStringLiteral("dashboard"), size),
      c(QStringLiteral("dashboard"), size);
  ASSERT_EQ(a.show(light), QString());
  ASSERT_EQ(b.show(copied), QString());
  ASSERT_EQ(c.show(none), QString());
  EXPECT_EQ(a.image(), b.image());
  EXPECT_NE(a.image(), c.image());  // without any grid the regions are gone: the test can fail
}

TEST(AnimationExport, CancelledOrFailedLeavesNoFile) {
  TempDir dir("layerscope-anim");
  AnimationRequest r;
  r.path = QString::fromStdString(dir.file("cancelled.gif"));
  r.plot = QStringLiteral("loss");
  r.size = QSize(320, 240);
  r.fps = 10;
  r.durationSeconds = 3;
  std::atomic<bool> cancel{false};
  const QString message = exportAnimation(r, spiral().run, [&](int done, int) {
    if (done == 3) cancel = true;
  }, &cancel);
  EXPECT_TRUE(message.contains(QStringLiteral("cancelled"))) << message.toStdString();
  EXPECT_TRUE(dir.entries().empty());
  // Destroyed half way (the dialog closed): nothing either, and an old file stays as it was.
  const std::string old = dir.write("old.mp4", "old bytes");
  r.path = QString::fromStdString(old);
  {
    AnimationExport animation(r, spiral().run);
    ASSERT_EQ(animation.start(), QString());
    ASSERT_EQ(animation.next(), QString());
    EXPECT_EQ(dir.entries().size(), std::size_t(2));  // the target and its temporary sibling
  }
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"old.mp4"}));
  QFile file(r.path);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  EXPECT_EQ(file.readAll(), QByteArray("old bytes"));
}

TEST(AnimationExport, NoWritableFolderIsAClearError) {
  AnimationRequest r;
  r.path = QStringLiteral("/proc/layerscope-no-such/anim.gif");
  r.plot = QStringLiteral("loss");
  r.size = QSize(320, 240);
  AnimationExport animation(r, spiral().run);
  const QString error = animation.start();
  EXPECT_TRUE(error.startsWith(r.path + QStringLiteral(": cannot write"))) << error.toStdString();
}

}  // namespace
}  // namespace layerscope
