// Small experiments, a main window that starts fresh, and waiting helpers shared by the UI tests.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>
#include <functional>

#include "config.h"
#include "config_panel.h"
#include "main_window.h"

namespace layerscope::testing {

// depth 4, width 64, 500 samples of 3 Gaussian blobs in 16 features: fast on 2 cores.
inline ExperimentConfig smallExperiment() {
  ExperimentConfig c;
  c.data.source = "blobs";
  c.data.samples = 500;
  c.data.features = 16;
  c.data.classes = 3;
  c.model.depth = 4;
  c.model.width = 64;
  c.train.batchSize = 32;
  c.train.epochs = 200;
  c.train.learningRate = 0.05;
  c.stats.probeSize = 200;
  return c;
}

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

inline bool waitFor(const std::function<bool()>& condition, int timeoutMs = 10000) {
  return QTest::qWaitFor(condition, timeoutMs);
}

}  // namespace layerscope::testing
