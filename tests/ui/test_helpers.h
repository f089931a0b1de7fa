// A main window that starts fresh (and one whose first statistics are on screen), and waiting
// helpers shared by the UI tests; the small experiments are tests/common/experiments.h.
#pragma once

#include <QAction>
#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QString>
#include <QTest>
#include <algorithm>
#include <functional>

#include "common/experiments.h"
#include "config.h"
#include "config_panel.h"
#include "main_window.h"
#include "widgets/timeline_bar.h"

namespace layerscope::testing {

// A MainWindow that ignores the previous session's settings: every test starts the same.
inline StartOptions fresh() {
  StartOptions o;
  o.restoreSettings = false;
  return o;
}

// Loads `c` as a user would see it: in the configuration panel and in the controller.
inline void useExperiment(MainWindow& w, const ExperimentConfig& c) {
  w.configPanel()->setConfig(c);
  w.controller()->setExperiment(c);
}

// A file's bytes (empty when it cannot be read), and writing some.
inline QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeBytes(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// A CSV file `name` in `dir`: the header line, then row(i) for i < rows (each with its "\n").
inline QString writeCsvRows(const QTemporaryDir& dir, const QString& name, const char* header,
                            int rows, const std::function<QString(int)>& row) {
  QByteArray text = QByteArray(header) + "\n";
  for (int i = 0; i < rows; ++i) text += row(i).toUtf8();
  const QString path = dir.filePath(name);
  EXPECT_TRUE(writeBytes(path, text)) << path.toStdString();
  return path;
}

// The child of `parent` named `name`; a test failure when there is none.
template <typename T>
T* child(QWidget& parent, const char* name) {
  T* w = parent.findChild<T*>(QString::fromLatin1(name));
  EXPECT_NE(w, nullptr) << name;
  return w;
}

// Waits up to `timeoutMs`, times LAYERSCOPE_TEST_TIME_SCALE when set: scripts/sanitize sets it,
// since a sanitized build runs several times slower (TSan 5-15x) and a wait only costs time
// when the condition is late.
inline int timeScale() {
  return std::max(1, qEnvironmentVariableIntValue("LAYERSCOPE_TEST_TIME_SCALE"));
}
inline bool waitFor(const std::function<bool()>& condition, int timeoutMs = 10000) {
  return QTest::qWaitFor(condition, timeoutMs * timeScale());
}

// Loads `c` into `w`, trains it to its end and waits until the timeline holds its last step.
inline bool trainToEnd(MainWindow& w, const ExperimentConfig& c) {
  using State = TrainingController::State;
  useExperiment(w, c);
  if (!waitFor([&] { return w.controller()->state() == State::Ready; })) return false;
  w.trainAction()->trigger();
  return waitFor([&] { return w.controller()->state() == State::Finished; }, 60000) &&
         waitFor([&] { return w.timeline()->lastStep() == c.train.steps; });
}

// A fresh main window, shown at 1200 x 800 with `c` loaded, whose first (step-0) statistics are
// on screen; `ok` says whether they arrived in time.
struct ReadyWindow {
  explicit ReadyWindow(const ExperimentConfig& c = blobs16d()) : w(fresh()) {
    w.resize(1200, 800);
    w.show();
    QSignalSpy ready(w.controller(), &TrainingController::snapshotReceived);
    useExperiment(w, c);
    ok = waitFor([&] { return !ready.isEmpty() && w.statisticsRecord().size() > 0; });
  }
  MainWindow w;
  bool ok = false;
};

}  // namespace layerscope::testing
