// bench_train --mode build: where the time to a wide net's first statistics goes. Builds the
// experiment (Fashion-MNIST, 10 x 4096 tanh by default) with a Progress that timestamps every
// phase (loading, standardizing, drawing the weights: engine/progress.h), then one light probe
// (the app's first statistics, ui/run/training_worker.cpp); and draws the same weights again on
// 1 thread and on every core (initializeAllWeights: the same numbers either way).
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "lab/run.h"
#include "model/initializer.h"
#include "model/layers/dense.h"
#include "progress.h"
#include "training/trainer.h"

namespace layerscope::bench {

int runBuild(const Flags& f) {
  ExperimentConfig c;
  c.data.source = "idx:" + f.str("data", "/usr/share/datasets/fashion-mnist");
  c.model.depth = int(f.num("depth", 10));
  c.model.width = int(f.num("width", 4096));
  c.model.activation = f.str("activation", "tanh");

  // Seconds from the start of the build to the first report of each phase word
  // ("Loading", "Standardizing", "Drawing").
  // Also the process's CPU seconds (std::clock, all threads): on a shared machine the wall
  // clock measures the neighbours too.
  struct Mark {
    std::string word;
    double wall, cpu;
  };
  std::vector<Mark> phases;
  const Clock::time_point start = Clock::now();
  const std::clock_t cpuStart = std::clock();
  const auto cpuSeconds = [&] { return double(std::clock() - cpuStart) / CLOCKS_PER_SEC; };
  Progress progress;
  progress.report = [&](const std::string& phase, double) {
    const std::string word = phase.substr(0, phase.find(' '));
    if (phases.empty() || phases.back().word != word)
      phases.push_back({word, secondsSince(start), cpuSeconds()});
  };
  std::unique_ptr<Trainer> trainer = startRun(c, nullptr, &progress);
  const double built = secondsSince(start), builtCpu = cpuSeconds();
  trainer->probe(ProbeDepth::Light);
  const double firstStatistics = secondsSince(start), firstStatisticsCpu = cpuSeconds();

  nlohmann::json line = {{"bench", "build"}, {"depth", c.model.depth}, {"width", c.model.width},
                         {"parameters", trainer->network().parameters().size()},
                         {"build_seconds", built}, {"first_statistics_seconds", firstStatistics},
                         {"light_probe_seconds", firstStatistics - built},
                         {"first_statistics_cpu_seconds", firstStatisticsCpu},
                         {"light_probe_cpu_seconds", firstStatisticsCpu - builtCpu}};
  for (size_t i = 0; i < phases.size(); ++i) {
    const bool last = i + 1 == phases.size();
    line[phases[i].word + "_seconds"] = (last ? built : phases[i + 1].wall) - phases[i].wall;
    line[phases[i].word + "_cpu_seconds"] = (last ? builtCpu : phases[i + 1].cpu) - phases[i].cpu;
  }

  // The weights alone, on one thread and on every core.
  InitializerSpec spec{c.model.init, c.model.initStd, c.model.initBound, c.model.initConstant};
  std::vector<Eigen::Ref<Matrix>> weights;
  Network& net = trainer->network();
  for (const LayerView& view : net.layerViews())
    if (view.dense >= 0) weights.emplace_back(const_cast<Dense&>(net.dense(view.dense)).weights());
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  for (int threads : {1, cores}) {
    const Clock::time_point t = Clock::now();
    initializeAllWeights(spec, weights, c.train.seed, threads);
    line["init_seconds_" + std::to_string(threads) + "_threads"] = secondsSince(t);
  }
  std::cout << line.dump() << std::endl;
  return 0;
}

}  // namespace layerscope::bench
