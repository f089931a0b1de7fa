// Weight initializers, named as in their papers and PyTorch (docs/ARCHITECTURE.md). Biases
// always start at zero.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "progress.h"
#include "rng.h"
#include "tensor.h"

namespace layerscope {

struct InitializerSpec {
  std::string name = "xavier_normal";
  double std = 0.01;      // "normal": N(0, std^2)
  double bound = 0.05;    // "uniform": U(-bound, bound)
  double constant = 0.0;  // "constant"
};

// Fills W of shape (fanOut, fanIn). Throws InputError for an unknown name.
void initializeWeights(const InitializerSpec& spec, Eigen::Ref<Matrix> weights, Rng& rng);

// Fills every matrix of `weights`, in order, from the one stream Rng::derived(seed,
// kStreamWeights): the very numbers initializeWeights gives called on each in turn with that
// stream, bit for bit, whatever `threads` is. Up to `threads` of the compute pool's threads
// (compute_pool.h; <= 0: all of them) take chunks of the stream in turn: each draws its chunk's
// engine words from the one engine (under a lock, in order), then turns them into weights on
// its own (Rng::boxMuller, Rng::unitOf; a normal pair takes two words). Orthogonal matrices (a
// QR each) are drawn on one thread. Reports "Drawing weights, layer L/N" after each matrix, and
// honours `progress`'s cancel, on the calling thread.
void initializeAllWeights(const InitializerSpec& spec, const std::vector<Eigen::Ref<Matrix>>& weights,
                          std::uint64_t seed, int threads = 0, const Progress* progress = nullptr);

// The standard deviation each initializer gives a weight, from its formula: the theory curves
// (signal propagation) and the initializer tests use it. 0 for zeros/constant.
double initializerStd(const InitializerSpec& spec, int fanIn, int fanOut);

bool isInitializerName(const std::string& name);
const char* initializerNames();

}  // namespace layerscope
