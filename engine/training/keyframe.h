// A keyframe: everything a run is between two steps, so that a Trainer restored from it
// (Trainer::restore) continues exactly as the run it was taken from would have, bit for bit:
// the same batches, dropout masks, updates, probes and histogram bins. The timeline's seek and
// branch rest on it: a branch is a new Trainer built from the same config (or one whose live
// settings changed: learning rate, L2, L1, dropout, optimizer) on the same data, restored from a
// keyframe, then trained on. A plain value type: copyable, no pointers into the network.
//
// When to take one: after a step, before that step's probe (layerscope-cli does, app/cli_run.h).
// A restored Trainer's run() probes first when a probe is due, so it remakes the probe at the
// keyframe's step exactly; a keyframe taken after the probe would have it probe again, with the
// train-loss accumulators already emptied (a NaN train loss).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "model/network.h"
#include "tensor.h"
#include "training/optimizer.h"
#include "training/stats.h"

namespace layerscope {

struct Keyframe {
  // Where the run is: steps done, epochs completed.
  long step = 0;
  int epoch = 0;
  // The network it belongs to (networkArchitecture()): restore() refuses another one.
  std::string architecture;

  // The model: the one parameter buffer (Network::parameters()) and, per batch-norm layer in
  // layer order, the running statistics the training forward moves.
  Vector parameters;
  std::vector<Vector> runningMeans, runningVars;
  // The optimizer's moments and step count (not its settings: those are the config's).
  OptimizerState optimizer;

  // Every random stream training and probing still draw from (Rng::state()): the batch
  // shuffling, and per dropout layer in layer order its training masks and its probe masks.
  std::string shuffleRng;
  std::vector<std::string> dropoutRngs, probeDropoutRngs;
  // The batch position: this epoch's shuffled order of the training split and the index in it
  // of the next batch's first sample (== order.size(): the next batch reshuffles).
  std::vector<int> order;
  long position = 0;

  // What the next probe reports from before the keyframe: the batch losses since the last
  // probe (its train loss is lossSum / lossCount), the last measured update / weight ratio per
  // layer (NaN: none yet), the run's histogram grids (bins stay where the run laid them).
  double lossSum = 0.0;
  long lossCount = 0;
  std::vector<double> updateRatios;
  HistogramGrids histogramGrids;

  // The divergence check: the run's first loss (the sanity bound of kept states) and whether
  // the run had diverged, in words.
  double firstLoss = std::numeric_limits<double>::quiet_NaN();
  bool diverged = false;
  std::string divergence;
  // Training and probing time so far, so snapshots' elapsed seconds go on from here.
  double trainSeconds = 0.0, statsSeconds = 0.0;

  // Memory it holds, in bytes (the buffers' contents and the value itself), for a budget of
  // keyframes kept in memory: ~(1 + optimizer buffers) x 4 x parameters, plus ~7 KB per random
  // stream and 4 bytes per training sample.
  std::size_t bytes() const;
};

// The network's layers as one line, e.g. "2 > dense 32 > batch_norm 32 > activation 32 >
// dropout 32 > dense 3": what a keyframe must match (the parameter count alone would let a
// 2 x 32 net take a 32 x 2 one's parameters).
std::string networkArchitecture(const Network& network);

}  // namespace layerscope
