// The phase diagram of signal propagation: for an activation and an initialization
// (sigma_w^2, sigma_b^2), the fixed point q* of the mean-field length map, the slope chi_1 of
// the correlation map at c = 1, and the depths over which a deep random network forgets the
// length (xi_q) and the correlation (xi_c) of its inputs. The formulas, their derivation and the
// papers are in docs/THEORY.md; the Gaussian integrals are analysis/theory.h's quadrature.
//
//   q_l     = sigma_w^2 / rho * E[phi(sqrt(q_{l-1}) z)^2] + sigma_b^2        (length map)
//   c_l     = (sigma_w^2 E[phi(u1) phi(u2)] + sigma_b^2) / q_l                (correlation map)
//   chi_1   = sigma_w^2 E[phi'(sqrt(q*) z)^2]
//   chi_q   = sigma_w^2 / rho * E[phi'^2 + phi phi''] at q*,   xi_q = -1 / ln chi_q
//   chi_c   = sigma_w^2 E[phi'(u1) phi'(u2)] at c*,           xi_c = -1 / ln chi_c
// rho is dropout's keep probability (1 without dropout). A depth scale is +inf where its slope
// is >= 1: nothing is forgotten (the critical line chi_1 = 1), or the length grows without bound.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "config.h"

#include "model/activation.h"

namespace layerscope {

struct MeanFieldInit {
  double weightVariance = 1.0;   // sigma_w^2 = fan_in * Var(W)
  double biasVariance = 0.0;     // sigma_b^2 = Var(b)
  double keepProbability = 1.0;  // rho = 1 - dropout (inverted dropout after each activation)
};

// An experiment's place in the theory: the hidden layers' fan_in (the first hidden-to-hidden
// layer's; the input layer's fan_in is the data's features) and sigma_w^2 = fan_in x Var(W) of
// its initializer there. nullopt for zeros / constant weights (not random: the theory does not
// apply) or an initializer that cannot be read. The phase diagram marks an experiment with it
// (ui/theory/phase_diagram_dialog.h), the trainability map's theory curve reads its axes with it
// (ui/sweep/trainable_depth.h).
int hiddenFanIn(const ExperimentConfig& experiment);
std::optional<double> initWeightVariance(const ExperimentConfig& experiment);

// Where the length map is followed no further: q above this counts as unbounded (q* = +inf),
// and the slopes of an unbounded map are taken here (their limit for ReLU-like activations).
inline constexpr double kUnboundedLength = 1e8;

struct PhasePoint {
  double sigmaW2 = 0.0, sigmaB2 = 0.0;
  double qStar = 0.0;  // +inf when the length map grows without bound
  double chi1 = 0.0;   // slope of the correlation map at c = 1
  double chiQ = 0.0;   // slope of the length map at q*
  double xiQ = 0.0;    // -1 / ln chi_q (+inf for chi_q >= 1)
  double cStar = 1.0;  // stable fixed point of the correlation map (1: ordered, no dropout)
  double chiC = 0.0;   // slope of the correlation map at c* (= chi_1 when c* = 1)
  double xiC = 0.0;    // -1 / ln chi_c (+inf at the critical line, chi_c >= 1)
};

// q_{l} from q_{l-1}: the length map.
double lengthMap(const Activation& phi, const MeanFieldInit& init, double q);

// The map's stable fixed point, reached from q_1 = sigma_w^2 + sigma_b^2 (an input of mean
// square 1); 0 when the length decays to 0, +inf when it grows past kUnboundedLength.
double lengthFixedPoint(const Activation& phi, const MeanFieldInit& init);

PhasePoint phasePoint(const Activation& phi, const MeanFieldInit& init);

// An evenly spaced axis of a grid: lo, lo + step, ..., hi (count >= 1; count 1 is lo).
struct GridAxis {
  double lo = 0.0, hi = 0.0;
  int count = 1;
  double at(int i) const { return count <= 1 ? lo : lo + (hi - lo) * i / (count - 1); }
};

// Every (sigma_w^2, sigma_b^2) of the grid, sigma_w^2 outer: point (i, j) is [i * b.count + j].
// Computed on every core (a 50 x 50 tanh grid: ~2 s of CPU time).
std::vector<PhasePoint> phaseDiagram(const Activation& phi, const GridAxis& sigmaW2,
                                     const GridAxis& sigmaB2, double keepProbability = 1.0);

// The correlation of two inputs over depth: element 0 is c0, the correlation of the two inputs'
// pre-activations in layer 1 (each of variance q1); element l that of layer l + 1. Both the
// length and the correlation map are followed layer by layer (q_l need not be q* yet).
std::vector<double> correlationOverDepth(const Activation& phi, const MeanFieldInit& init,
                                         double q1, double c0, int depth);

}  // namespace layerscope
