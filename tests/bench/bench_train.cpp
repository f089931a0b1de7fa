// bench_train: speed of LayerScope's training step, measured the way scripts/bench compares it
// with PyTorch (tests/bench/torch_reference.py takes the same flags).
//
//   --mode train   steps/s of a dense net on synthetic gaussian data (default)
//   --mode gemm    the machine's single-GEMM rate for the shapes of one training step
//   --mode flops   train and gemm reps interleaved: achieved GFLOP/s as % of the GEMM rate
//   --mode stats   the same run with the trainer's automatic statistics cadence vs none
//   --mode fashion Fashion-MNIST 784-100-10 ReLU, Adam: test accuracy and wall time
//   --mode keyframe the cost of the timeline's keyframes (Trainer::keyframe, every steps/16
//                   steps as the app takes them) as a share of the training time
//   --mode build   the time to a wide net's first statistics, phase by phase (bench_build.cpp)
//
// Every mode prints JSON lines: one per repetition and a summary with the median. With --serve
// (train mode) it warms up, prints {"ready":...} and then runs one repetition per line read on
// stdin, so a driver can alternate it with another process and machine noise hits both alike.
#include <algorithm>
#include <climits>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "compute_threads.h"
#include "config.h"
#include "errors.h"
#include "gemm.h"
#include "model/network.h"
#include "tensor.h"
#include "training/trainer.h"

namespace layerscope::bench {
namespace {

using nlohmann::json;

void emit(const json& line) { std::cout << line.dump() << std::endl; }  // flushed: a pipe reads it

const char* kUsage = R"(usage: bench_train [--mode train|gemm|flops|stats|fashion|keyframe|build] [flags]
network (train, flops, stats):
  --depth N (10) --width N (500) --features N (= width) --classes N (10) --batch N (128)
  --activation tanh|relu|... (tanh) --optimizer sgd|momentum|adam (sgd) --lr X (0.01)
  --init NAME (xavier_normal) --samples N (= batch) --threads N (1) --stats-every K (0)
repetitions:
  --steps N (100) --reps N (5) --warmup N (1 rep) --case LABEL --serve (train: one rep per stdin line)
gemm: --width N (2048) --batch N (256) --iters N (3) --reps N (5) --threads N (1)
stats: --steps N (1000) --reps N (3); data as the article: samples 1000, validation 0.2
keyframe: --steps N (320) --optimizer (adam here: the largest state); a keyframe every steps/16
fashion: --data DIR (/usr/share/datasets/fashion-mnist) --epochs N (10) --batch N (200)
  --lr X (1e-3) --preprocess none|standardize (none) --threads N (1) --seed N (1)
build: --data DIR (/usr/share/datasets/fashion-mnist) --depth N (10) --width N (4096)
  --activation NAME (tanh); prints each phase's seconds and the init on 1 thread and every core
)";

struct NetFlags {
  ExperimentConfig config;
  std::vector<int> sizes;  // inputs, hidden widths..., classes
  std::string label;
};

NetFlags readNet(const Flags& f) {
  NetFlags n;
  ExperimentConfig& c = n.config;
  c.name = "bench";
  c.model.depth = int(f.num("depth", 10));
  c.model.width = int(f.num("width", 500));
  c.model.activation = f.str("activation", "tanh");
  c.model.init = f.str("init", c.model.init);
  c.data.source = "gaussian";
  c.data.features = int(f.num("features", c.model.width));
  c.data.classes = int(f.num("classes", 10));
  c.train.batchSize = int(f.num("batch", 128));
  c.data.samples = int(f.num("samples", c.train.batchSize));  // one batch is all a step reads
  c.data.validationFraction = 0.0;
  c.data.testFraction = 0.0;
  c.data.preprocess = "none";  // N(0, 1) already
  c.train.optimizer = f.str("optimizer", "sgd");
  c.train.learningRate = f.real("lr", 0.01);
  c.train.threads = int(f.num("threads", 1));
  c.train.seed = std::uint64_t(f.num("seed", 1));
  c.stats.every = f.num("stats-every", 0);
  n.sizes.push_back(c.data.features);
  for (int w : hiddenWidths(c.model)) n.sizes.push_back(w);
  n.sizes.push_back(c.data.classes);
  n.label = f.str("case", std::to_string(c.model.depth) + "x" + std::to_string(c.model.width) +
                              " " + c.model.activation + " b" + std::to_string(c.train.batchSize));
  return n;
}

json describe(const NetFlags& n) {
  const ExperimentConfig& c = n.config;
  return {{"impl", "layerscope"}, {"case", n.label}, {"depth", c.model.depth},
          {"width", c.model.width}, {"features", c.data.features}, {"classes", c.data.classes},
          {"batch", c.train.batchSize}, {"activation", c.model.activation},
          {"optimizer", c.train.optimizer}, {"threads", c.train.threads},
          {"stats_every", c.stats.every}, {"gemm_kernel", gemmChoice().name},
          {"gemm_reason", gemmChoice().reason}};
}

// Runs `steps` optimisation steps (with the configured probes) and returns the wall time.
double timeSteps(Trainer& trainer, long steps) {
  const Clock::time_point start = Clock::now();
  for (long s = 0; s < steps; ++s) {
    trainer.trainStep();
    if (trainer.probeDue()) trainer.probe(trainer.dueProbeDepth());
  }
  const double seconds = secondsSince(start);
  // A diverged trainer skips backward and update: its "steps" would be fake-fast.
  if (trainer.diverged()) throw std::runtime_error("the run diverged: " + trainer.divergence());
  return seconds;
}

// --- the single-GEMM rate ------------------------------------------------------------------
// The three products of a hidden Dense layer's training step (engine/model/layers/dense.cpp), with
// the same types (Matrix, MatrixMap into one buffer) so they take the same Eigen/BLAS path.
class GemmProbe {
 public:
  GemmProbe(int width, int batch)
      : buffer_(Vector::Random(2 * Eigen::Index(width) * width)),
        w_(buffer_.data(), width, width), gw_(buffer_.data() + Eigen::Index(width) * width, width, width),
        x_(Matrix::Random(width, batch)), g_(Matrix::Random(width, batch)),
        z_(width, batch), gx_(width, batch),
        flopsEach_(2.0 * width * double(width) * batch) {}

  // Seconds of `iters` rounds of forward, weight-gradient and input-gradient products.
  std::vector<double> rep(int iters) {
    std::vector<double> t(3, 0.0);
    for (int i = 0; i < iters; ++i) {
      Clock::time_point s = Clock::now();
      gemm(false, false, w_, x_, z_);         // Z = W X        (out, batch)
      t[0] += secondsSince(s);
      s = Clock::now();
      gemm(false, true, g_, x_, gw_);         // dW = G X^T     (out, in)
      t[1] += secondsSince(s);
      s = Clock::now();
      gemm(true, false, w_, g_, gx_);         // dX = W^T G     (in, batch)
      t[2] += secondsSince(s);
    }
    return t;
  }
  double flopsEach() const { return flopsEach_; }

 private:
  Vector buffer_;
  MatrixMap w_, gw_;
  Matrix x_, g_, z_, gx_;
  double flopsEach_;
};

struct GemmRates {
  double forward, weightGradient, inputGradient, combined;  // GFLOP/s
};

GemmRates gemmRates(const std::vector<std::vector<double>>& reps, int iters, double flopsEach) {
  std::vector<double> f, w, x, all;
  for (const auto& r : reps) {
    f.push_back(r[0]);
    w.push_back(r[1]);
    x.push_back(r[2]);
    all.push_back(r[0] + r[1] + r[2]);
  }
  const double fl = flopsEach * iters * 1e-9;
  return {fl / median(f), fl / median(w), fl / median(x), 3 * fl / median(all)};
}

int runGemm(const Flags& f) {
  const int width = int(f.num("width", 2048)), batch = int(f.num("batch", 256));
  const int iters = int(f.num("iters", 3)), reps = int(f.num("reps", 5));
  const int threads = int(f.num("threads", 1));
  setComputeThreads(threads);
  GemmProbe probe(width, batch);
  probe.rep(1);  // warm-up: page in buffers, start BLAS threads
  std::vector<std::vector<double>> all;
  for (int r = 0; r < reps; ++r) {
    all.push_back(probe.rep(iters));
    const double s = all.back()[0] + all.back()[1] + all.back()[2];
    emit({{"bench", "gemm"}, {"rep", r}, {"threads", threads},
          {"gflops", 3 * probe.flopsEach() * iters * 1e-9 / s}});
  }
  const GemmRates g = gemmRates(all, iters, probe.flopsEach());
  emit({{"bench", "gemm"}, {"summary", true}, {"impl", "layerscope"}, {"threads", threads},
        {"gemm_kernel", gemmChoice().name}, {"gemm_reason", gemmChoice().reason},
        {"shape", std::to_string(width) + "x" + std::to_string(width) + " * " +
                      std::to_string(width) + "x" + std::to_string(batch)},
        {"forward_gflops", g.forward}, {"weight_grad_gflops", g.weightGradient},
        {"input_grad_gflops", g.inputGradient}, {"median_gflops", g.combined}});
  return 0;
}

// --- training steps/s -----------------------------------------------------------------------
int runTrain(const Flags& f) {
  const NetFlags net = readNet(f);
  const long steps = f.num("steps", 100);
  const int reps = int(f.num("reps", 5)), warmup = int(f.num("warmup", 1));
  const bool serve = f.has("serve");
  f.str("serve", "");
  ExperimentConfig c = net.config;
  // Serving: as many steps as the schema allows (settings/schema.cpp: steps <= 1e12); a serve
  // session runs far fewer.
  c.train.steps = serve ? 1000000000000L : long(warmup + reps) * steps;
  Trainer trainer(c);
  const double flops = trainStepFlops(net.sizes, c.train.batchSize);
  timeSteps(trainer, long(warmup) * steps);

  const auto repLine = [&](int r) {
    const double seconds = timeSteps(trainer, steps);
    json line = describe(net);
    line.update({{"bench", "train"}, {"rep", r}, {"steps", steps}, {"seconds", seconds},
                 {"steps_per_s", steps / seconds}, {"gflops", flops * steps / seconds * 1e-9}});
    emit(line);
    return steps / seconds;
  };
  if (serve) {
    json ready = describe(net);
    ready.update({{"ready", true}, {"flops_per_step", flops}});
    emit(ready);
    std::string command;
    for (int r = 0; std::getline(std::cin, command) && command != "quit"; ++r) repLine(r);
    return 0;
  }
  std::vector<double> rates;
  for (int r = 0; r < reps; ++r) rates.push_back(repLine(r));
  json summary = describe(net);
  summary.update({{"bench", "train"}, {"summary", true}, {"steps", steps},
                  {"median_steps_per_s", median(rates)}, {"reps_steps_per_s", rates},
                  {"flops_per_step", flops}, {"median_gflops", flops * median(rates) * 1e-9}});
  emit(summary);
  return 0;
}

// --- achieved GFLOP/s of a training step vs the GEMM rate, interleaved ----------------------
int runFlops(const Flags& f) {
  NetFlags net = readNet(f);
  const long steps = f.num("steps", 10);
  const int reps = int(f.num("reps", 5)), iters = int(f.num("iters", 3));
  ExperimentConfig c = net.config;
  c.train.steps = long(reps + 1) * steps;
  Trainer trainer(c);  // sets the thread count for both
  GemmProbe gemm(c.model.width, c.train.batchSize);
  const double flops = trainStepFlops(net.sizes, c.train.batchSize);
  timeSteps(trainer, steps);
  gemm.rep(1);
  std::vector<double> trainRates;
  std::vector<std::vector<double>> gemmReps;
  for (int r = 0; r < reps; ++r) {
    trainRates.push_back(flops * steps / timeSteps(trainer, steps) * 1e-9);
    gemmReps.push_back(gemm.rep(iters));
  }
  const GemmRates g = gemmRates(gemmReps, iters, gemm.flopsEach());
  const double achieved = median(trainRates);
  json line = describe(net);
  line.update({{"bench", "flops"}, {"summary", true}, {"flops_per_step", flops},
               {"train_gflops", achieved}, {"reps_train_gflops", trainRates},
               {"gemm_gflops", g.combined}, {"gemm_forward_gflops", g.forward},
               {"gemm_weight_grad_gflops", g.weightGradient},
               {"gemm_input_grad_gflops", g.inputGradient},
               {"percent_of_gemm", 100.0 * achieved / g.combined}});
  emit(line);
  return 0;
}

// --- statistics overhead --------------------------------------------------------------------
int runKeyframe(const Flags& f) {
  NetFlags net = readNet(f);
  ExperimentConfig c = net.config;
  c.data.samples = int(f.num("samples", 1000));
  c.train.optimizer = f.str("optimizer", "adam");
  c.train.steps = f.num("steps", 320);
  c.stats.every = 0;
  const long every = std::max(1L, c.train.steps / 16);  // ui/run/training_worker.h
  Trainer trainer(c);
  double trainSeconds = 0.0, keyframeSeconds = 0.0;
  long keyframes = 0;
  std::size_t bytes = 0;
  while (!trainer.finished()) {
    Clock::time_point t = Clock::now();
    trainer.trainStep();
    trainSeconds += secondsSince(t);
    if (trainer.stepsDone() % every == 0) {
      t = Clock::now();
      const Keyframe k = trainer.keyframe();
      keyframeSeconds += secondsSince(t);
      bytes = k.bytes();
      ++keyframes;
    }
  }
  emit({{"bench", "keyframe"}, {"case", net.label}, {"optimizer", c.train.optimizer},
        {"steps", trainer.stepsDone()}, {"keyframes", keyframes}, {"bytes_per_keyframe", double(bytes)},
        {"seconds_per_keyframe", keyframeSeconds / std::max(1L, keyframes)},
        {"seconds_per_step", trainSeconds / double(trainer.stepsDone())},
        {"share_of_training_time", keyframeSeconds / trainSeconds}});
  return 0;
}

int runStats(const Flags& f) {
  NetFlags net = readNet(f);
  const long steps = f.num("steps", 1000);
  const int reps = int(f.num("reps", 3));
  // The article's experiment: 1000 gaussian samples, 20% validation, a probe batch of up to
  // 1000 training samples -- what a user runs, so the automatic cadence sees the real sizes.
  ExperimentConfig c = net.config;
  c.data.samples = int(f.num("samples", 1000));
  c.data.validationFraction = f.real("validation", 0.2);
  c.data.preprocess = "standardize";
  c.train.steps = steps;
  const long statsEvery = f.num("stats-every", -1);

  // A fresh trainer per run (a run has a first and a last probe); construction is not timed.
  struct Run {
    double seconds = 0.0, probeSeconds = 0.0;
    long probes = 0, every = 0, fullEvery = 0, light = 0;
  };
  const auto oneRun = [&](long statsEvery, long runSteps) {
    ExperimentConfig config = c;
    config.stats.every = statsEvery;
    config.train.steps = runSteps;
    Trainer trainer(config);
    Run run;
    const auto probe = [&] {
      const Clock::time_point t = Clock::now();
      const ProbeDepth depth = trainer.dueProbeDepth();
      if (depth == ProbeDepth::Light) ++run.light;
      trainer.probe(depth);
      run.probeSeconds += secondsSince(t);
      ++run.probes;
    };
    const Clock::time_point start = Clock::now();
    if (trainer.probeDue()) probe();  // Trainer::run's loop, without the summary
    while (!trainer.finished()) {
      trainer.trainStep();
      if (trainer.probeDue()) probe();
    }
    run.seconds = secondsSince(start);
    if (trainer.diverged()) throw std::runtime_error("the run diverged: " + trainer.divergence());
    run.every = trainer.statsEvery();
    run.fullEvery = trainer.fullStatsEvery();
    return run;
  };
  oneRun(0, std::min(steps, 100L));  // warm-up: page in, start BLAS
  std::vector<double> none, with, probeCost;
  long every = 0, probes = 0, fullEvery = 0, light = 0;
  std::vector<double> probeSeconds;
  for (int r = 0; r < reps; ++r) {  // alternate, so drifting machine load hits both
    none.push_back(oneRun(0, steps).seconds);
    const Run s = oneRun(statsEvery, steps);
    with.push_back(s.seconds);
    probeCost.push_back(s.probes ? s.probeSeconds / s.probes : 0.0);
    every = s.every;
    fullEvery = s.fullEvery;
    light = s.light;
    probes = s.probes;
    probeSeconds.push_back(s.probeSeconds);
    emit({{"bench", "stats"}, {"rep", r}, {"seconds_none", none.back()},
          {"seconds_stats", with.back()}, {"seconds_per_probe", probeCost.back()}});
  }
  // Steady state: one probe per `every` steps, whatever the run length (a short run also pays
  // for the probes at step 0 and at the end, which the wall-clock overhead includes).
  const double stepSeconds = median(none) / double(steps);
  const double steady = every > 0 ? 100.0 * median(probeCost) / (every * stepSeconds) : 0.0;
  json line = describe(net);
  line.update({{"bench", "stats"}, {"summary", true}, {"steps", steps},
               {"stats_every_requested", statsEvery}, {"stats_every_resolved", every},
               {"stats_every_full", fullEvery}, {"probes", probes}, {"light_probes", light},
               // the probes' own time over the training time of the same run (statistics
               // excluded): what "probing <= 3% of training time" means
               {"probe_share_percent",
                100.0 * median(probeSeconds) / std::max(1e-9, median(with) - median(probeSeconds))},
               {"median_seconds_none", median(none)},
               {"median_seconds_stats", median(with)}, {"seconds_per_step", stepSeconds},
               {"seconds_per_probe", median(probeCost)},
               {"probe_cost_in_steps", median(probeCost) / stepSeconds},
               {"overhead_percent", 100.0 * (median(with) / median(none) - 1.0)},
               {"steady_overhead_percent", steady},
               {"reps_seconds_none", none}, {"reps_seconds_stats", with}});
  emit(line);
  return 0;
}

// --- Fashion-MNIST --------------------------------------------------------------------------
int runFashion(const Flags& f) {
  ExperimentConfig c;
  c.name = "bench-fashion";
  c.data.source = "idx:" + f.str("data", "/usr/share/datasets/fashion-mnist");
  c.data.validationFraction = 0.0;
  c.data.preprocess = f.str("preprocess", "none");  // pixels / 255, as torch_reference.py
  c.model.depth = 1;
  c.model.width = int(f.num("width", 100));
  c.model.activation = f.str("activation", "relu");
  c.model.init = f.str("init", c.model.init);
  c.train.optimizer = f.str("optimizer", "adam");
  c.train.learningRate = f.real("lr", 1e-3);
  c.train.batchSize = int(f.num("batch", 200));
  c.train.epochs = int(f.num("epochs", 10));
  c.train.threads = int(f.num("threads", 1));
  c.train.seed = std::uint64_t(f.num("seed", 1));
  c.stats.every = 0;

  Clock::time_point start = Clock::now();
  Trainer trainer(c);
  const double loadSeconds = secondsSince(start);
  start = Clock::now();
  while (!trainer.finished()) trainer.trainStep();
  const double trainSeconds = secondsSince(start);
  start = Clock::now();
  const RunSummary s = trainer.summary();
  const double evalSeconds = secondsSince(start);
  emit({{"bench", "fashion"}, {"summary", true}, {"impl", "layerscope"},
        {"threads", c.train.threads}, {"epochs", c.train.epochs}, {"steps", s.steps},
        {"preprocess", c.data.preprocess}, {"init", c.model.init},
        {"test_accuracy", s.testAccuracy}, {"train_accuracy", s.trainAccuracy},
        {"train_seconds", trainSeconds}, {"load_seconds", loadSeconds},
        {"eval_seconds", evalSeconds}, {"diverged", s.diverged}});
  return 0;
}

}  // namespace

int runBuild(const Flags& f);  // bench_build.cpp

}  // namespace layerscope::bench

int main(int argc, char** argv) {
  using namespace layerscope::bench;
  try {
    const Flags flags(argc, argv, {"serve", "help"});
    if (flags.has("help")) {
      std::cout << kUsage;
      return 0;
    }
    const std::string mode = flags.str("mode", "train");
    int rc = 2;
    if (mode == "train") rc = runTrain(flags);
    else if (mode == "gemm") rc = runGemm(flags);
    else if (mode == "flops") rc = runFlops(flags);
    else if (mode == "stats") rc = runStats(flags);
    else if (mode == "fashion") rc = runFashion(flags);
    else if (mode == "keyframe") rc = runKeyframe(flags);
    else if (mode == "build") rc = runBuild(flags);
    else throw std::invalid_argument("--mode: unknown mode '" + mode + "'");
    for (const std::string& k : flags.unused())
      std::cerr << "bench_train: warning: --" << k << " is not used by --mode " << mode << "\n";
    return rc;
  } catch (const std::exception& e) {
    std::cerr << "bench_train: " << e.what() << "\n" << kUsage;
    return 2;
  }
}
