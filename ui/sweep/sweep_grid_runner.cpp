#include "sweep/sweep_grid_runner.h"

#include <QDir>
#include <thread>

namespace layerscope {

SweepGridRunner::SweepGridRunner(QObject* parent) : QObject(parent) {
  connect(&job_, &BackgroundJob::finished, this, &SweepGridRunner::finished);
}

SweepGridRunner::~SweepGridRunner() = default;

void SweepGridRunner::start(const SweepPlan& plan, const QString& dir, int workers) {
  trained_ = 0;
  const int threads = workers > 0 ? workers : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::string folder = dir.toStdString();
  job_.start([this, plan, folder, threads](const BackgroundJob::Context& context) {
    try {
      QDir().mkpath(QString::fromStdString(folder));
      writeSweepPlan(folder + "/plan.json", plan);
      const int total = sweepCellCount(plan);
      std::vector<SweepCell> kept = readSweepCells(plan, folder);
      context.post([this, kept, total] { emit cellsKept(kept, total); });
      runSweepGrid(
          plan, folder, threads,
          [this, context](const SweepCell& cell, int done, int total) {
            context.post([this, cell, done, total] {
              ++trained_;
              emit cellReady(cell, done, total);
            });
          },
          [context] { return context.cancelled(); });
    } catch (const std::exception& e) {
      const QString message = QString::fromStdString(e.what());
      context.post([this, message] { emit failed(message); });
    }
  });
}

}  // namespace layerscope
