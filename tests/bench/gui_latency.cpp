// gui_latency: how responsive the real LayerScope window stays while a network trains at full
// speed on the worker thread.
//
//   gui_latency [--seconds N] [--small] [--platform offscreen|xcb] [--over-time] [--replay]
//               [--screenshot FILE.png]
//
// Opens the main window on the default experiment (the article's 10 x 500 tanh network on
// N(0, 1) data; --small: 4 x 64), starts training, and for N seconds (default 20) measures:
//  - event-loop latency: every 10 ms a queued call is posted; its latency is the time until the
//    GUI thread runs it (what a click or a repaint waits for). Reported as p50 / p99 / max.
//  - timer lateness: how late a precise 5 ms timer fires.
//  - frames delivered and plot redraws per second, the largest number of undelivered items
//    (a queue that grew would show here), steps per second;
//  - memory: resident set after 25% and 100% of the run and the peak (VmHWM), and the bytes
//    of the plotted history.
// --over-time measures with the dashboard's "Over time" tab shown (the layer x step heatmap,
// one layer's histogram and percentiles over steps, redrawn on their own timer) and reports
// those plots' redraws per second; --replay measures while the timeline replays the recorded
// probes at 20 a second (every view redrawn at each, training going on), starting over each time
// it catches up, and reports the replay's moves per second; --screenshot saves the window at the
// end.
// Prints one line of JSON. Exit status 1 if p99 latency >= 16 ms or fewer than 20 redraws/s.
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "config_panel.h"
#include "plots/dashboard.h"
#include "main_window.h"
#include "plots/layer_time_heatmap_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "widgets/timeline_bar.h"

namespace {

long procStatusKb(const char* key) {
  QFile f(QStringLiteral("/proc/self/status"));
  if (!f.open(QIODevice::ReadOnly)) return -1;
  for (const QByteArray& line : f.readAll().split('\n'))
    if (line.startsWith(key)) return line.mid(static_cast<int>(strlen(key))).trimmed().split(' ')[0].toLong();
  return -1;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 20;
  bool small = false, overTime = false, replay = false;
  QString screenshot;
  for (int i = 1; i < argc; ++i) {
    const QByteArray a(argv[i]);
    if (a == "--seconds" && i + 1 < argc) seconds = atoi(argv[++i]);
    else if (a == "--small") small = true;
    else if (a == "--over-time") overTime = true;
    else if (a == "--replay") replay = true;
    else if (a == "--screenshot" && i + 1 < argc) screenshot = QString::fromLocal8Bit(argv[++i]);
    else if (a == "--platform" && i + 1 < argc) qputenv("QT_QPA_PLATFORM", argv[++i]);
  }
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("LayerScopeBench"));
  QStandardPaths::setTestModeEnabled(true);
  QTemporaryDir settingsDir;
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());

  layerscope::StartOptions options;
  options.restoreSettings = false;
  layerscope::MainWindow window(options);
  layerscope::ExperimentConfig config;  // the article's 10 x 500 tanh network, Xavier
  config.train.epochs = 1000000;       // never finishes during the measurement
  if (small) {
    config.data.features = 16;
    config.model.depth = 4;
    config.model.width = 64;
  }
  window.configPanel()->setConfig(config);
  window.controller()->setExperiment(config);
  window.resize(1500, 950);
  window.show();
  if (overTime) window.dashboard()->showOverTime(true);
  auto* heatmap = window.dashboard()->layerHeatmap();
  int heatmapRedrawsAtStart = 0;
  layerscope::TimelineBar* timeline = window.timeline();
  long replayMoves = 0;
  QObject::connect(timeline, &layerscope::TimelineBar::cursorMoved, [&] { ++replayMoves; });
  if (replay) {
    timeline->setReplayRate(20);
    // Caught up with the run: replay again from the first probe, for the whole measurement.
    QObject::connect(timeline, &layerscope::TimelineBar::liveRequested, [&] {
      QTimer::singleShot(0, [&] { timeline->setPlaying(true); });
    });
  }

  QElapsedTimer clock;
  clock.start();
  std::vector<double> latencyMs, latenessMs;
  bool measuring = false;
  qint64 measureStart = 0;
  long stepsAtStart = 0;
  int framesAtStart = 0, redrawsAtStart = 0, maxPending = 0;
  long rssQuarter = -1;
  auto* lossPlot = window.dashboard()->lossAccuracy();

  QTimer poster;  // posts a queued call every 10 ms and times how long it waits
  poster.setTimerType(Qt::PreciseTimer);
  QObject::connect(&poster, &QTimer::timeout, [&] {
    maxPending = std::max(maxPending, window.controller()->pendingItems());
    if (!measuring) return;
    const qint64 posted = clock.nsecsElapsed();
    QMetaObject::invokeMethod(&app, [&, posted] {
      if (measuring) latencyMs.push_back((clock.nsecsElapsed() - posted) / 1e6);
    }, Qt::QueuedConnection);
  });
  QTimer heartbeat;
  heartbeat.setTimerType(Qt::PreciseTimer);
  qint64 lastBeat = -1;
  QObject::connect(&heartbeat, &QTimer::timeout, [&] {
    const qint64 now = clock.nsecsElapsed();
    if (measuring && lastBeat >= 0) latenessMs.push_back(std::max(0.0, (now - lastBeat) / 1e6 - 5.0));
    lastBeat = now;
  });
  poster.start(10);
  heartbeat.start(5);

  const qint64 startupNs = clock.nsecsElapsed();
  qint64 firstFrameNs = -1;
  QObject::connect(window.controller(), &layerscope::TrainingController::frame, [&] {
    if (firstFrameNs < 0) firstFrameNs = clock.nsecsElapsed();
  });
  QObject::connect(window.controller(), &layerscope::TrainingController::stateChanged,
                   [&](layerscope::TrainingController::State s) {
    if (s == layerscope::TrainingController::State::Ready && !measuring && measureStart == 0) {
      window.controller()->train();
      // Measure from one second after the start, when the run is at full speed.
      QTimer::singleShot(1000, [&] {
        measuring = true;
        measureStart = clock.elapsed();
        stepsAtStart = window.controller()->stepsDone();
        framesAtStart = window.controller()->framesDelivered();
        redrawsAtStart = lossPlot->redraws();
        heatmapRedrawsAtStart = heatmap->redraws();
        maxPending = 0;
        replayMoves = 0;
        if (replay) timeline->setPlaying(true);
        QTimer::singleShot(seconds * 250, [&] { rssQuarter = procStatusKb("VmRSS:"); });
        QTimer::singleShot(seconds * 1000, [&] { app.quit(); });
      });
    }
  });
  app.exec();
  measuring = false;
  if (!screenshot.isEmpty()) window.grab().save(screenshot);
  const double elapsed = (clock.elapsed() - measureStart) / 1000.0;
  const double redrawsPerSecond = (lossPlot->redraws() - redrawsAtStart) / elapsed;
  const double overTimeRedrawsPerSecond = (heatmap->redraws() - heatmapRedrawsAtStart) / elapsed;
  const double framesPerSecond = (window.controller()->framesDelivered() - framesAtStart) / elapsed;
  const double stepsPerSecond = (window.controller()->stepsDone() - stepsAtStart) / elapsed;
  const double p50 = percentile(latencyMs, 0.5), p99 = percentile(latencyMs, 0.99);
  const double max = latencyMs.empty() ? 0 : *std::max_element(latencyMs.begin(), latencyMs.end());
  std::printf(
      "{\"network\": \"%s\", \"platform\": \"%s\", \"seconds\": %.1f, \"samples\": %zu, "
      "\"latency_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}, "
      "\"timer_lateness_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}, "
      "\"first_frame_ms\": %.0f, \"frames_per_second\": %.1f, \"redraws_per_second\": %.1f, "
      "\"max_pending_items\": %d, \"steps\": %ld, \"steps_per_second\": %.1f, "
      "\"rss_kb_at_25_percent\": %ld, \"rss_kb_at_end\": %ld, \"peak_rss_kb\": %ld, "
      "\"history_bytes\": %zu, \"over_time_shown\": %s, \"over_time_redraws_per_second\": %.1f, "
      "\"replay\": %s, \"replay_moves_per_second\": %.1f}\n",
      small ? "4x64" : "10x500", qPrintable(QApplication::platformName()), elapsed, latencyMs.size(),
      p50, p99, max, percentile(latenessMs, 0.5), percentile(latenessMs, 0.99),
      latenessMs.empty() ? 0 : *std::max_element(latenessMs.begin(), latenessMs.end()),
      (firstFrameNs - startupNs) / 1e6, framesPerSecond, redrawsPerSecond, maxPending,
      window.controller()->stepsDone(), stepsPerSecond, rssQuarter, procStatusKb("VmRSS:"),
      procStatusKb("VmHWM:"), window.history().bytes(), overTime ? "true" : "false",
      overTimeRedrawsPerSecond, replay ? "true" : "false", replayMoves / elapsed);
  // Replaying, the plots redraw at the replay's pace, not the frames'.
  return (p99 < 16.0 && (replay || redrawsPerSecond >= 20.0)) ? 0 : 1;
}
