// Two measures of a layer's health on the probe batch, beside the moments of training/stats.h:
// how many directions its representation really uses (effective rank) and how much of its
// weight gradient is signal rather than per-example noise (gradient signal-to-noise ratio).
// Trainer::probe() calls them through measureLayers (training/probe.h).
#pragma once

#include <Eigen/Core>

#include "tensor.h"

namespace layerscope {

// The effective rank of Roy & Vetterli (2007) of `m` as given: with s_i its singular values
// and p_i = s_i / sum_j s_j, erank = exp(-sum_i p_i ln p_i). A matrix with k equal non-zero
// singular values has erank exactly k, a rank-1 matrix 1; otherwise it lies between 1 and the
// rank, lower the more the spectrum is dominated by a few directions. 0 for a zero matrix, NaN
// for a non-finite one. Singular values below 1e-6 of the largest are counted as 0: they are
// the rounding noise of the Gram matrix's eigenvalues (absolute error ~ n eps s_max^2, so
// singular values below ~sqrt(n eps) s_max ~ 1e-7 s_max cannot be told from 0).
double effectiveRank(const Eigen::MatrixXd& m);

// The most probe samples the effective rank of a representation looks at. The cost is the Gram
// matrix of the smaller side and its eigenvalues, cubic in the samples: measured for the 12
// layers of the 10 x 500 net, 256 samples took ~70 ms of CPU (a third of a full probe), 128
// ~18 ms. 128 still bounds a 500-unit layer's rank at 127, so a collapse to a few directions
// reads clearly.
constexpr int kRankSamples = 128;

struct RepresentationRank {
  double rank = 0.0;        // effectiveRank of the centred (units x samples) activations
  double normalized = 0.0;  // rank / min(units, samples - 1): 1 = every direction used evenly
  int samples = 0;          // the samples it looked at
};

// The effective rank of a layer's representation: `activations` (units, samples) on the probe
// batch, at most kRankSamples of its columns (evenly spaced, so data written class by class is
// still covered across classes), each unit centred over those samples. Centred because the
// question is along how many directions the outputs *vary* from input to input: a mean output
// shared by every sample (a bias, a ReLU's positive mean) is one more direction that says
// nothing about the input and would make every layer look lower-rank than it is. Centring
// leaves at most samples - 1 directions, hence that bound in the normalization. All zero
// (every sample gives the same output): rank 0. NaN (both fields) with fewer than 2 samples.
RepresentationRank representationRank(const Eigen::Ref<const Matrix>& activations);

// The signal-to-noise ratio of a dense layer's weight gradient over the probe batch's examples.
// The batch gradient is a sum over examples n of g_n = delta_n a_n^T (delta = dL/d(dense
// output), (units, N): `outputGradient`; a = the dense layer's input, (inputs, N): `input`).
//   SNR = ||mean_n g_n||^2 / mean_n ||g_n - mean g||^2       (Frobenius norms)
// the squared length of the mean gradient over the mean squared deviation of one example's
// gradient from it. > 1: the examples agree on the direction; << 1: the batch gradient is
// mostly noise that averages away. From N examples it estimates the population ratio plus
// about 1/N (E||mean g||^2 = ||mu||^2 + sigma^2 / N), so small probes read high, never low.
// A common scale of delta (the loss's 1/N) cancels. NaN with fewer than 2 examples or no
// gradient. `batchGradient` = sum_n g_n (Dense::weightGradient() after the same backward).
double gradientSignalToNoise(const Eigen::Ref<const Matrix>& outputGradient,
                             const Eigen::Ref<const Matrix>& input,
                             const Eigen::Ref<const Matrix>& batchGradient);

}  // namespace layerscope
