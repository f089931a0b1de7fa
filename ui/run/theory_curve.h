// The theory's prediction (engine/analysis/theory.h, mean-field signal propagation) for the run on
// screen, as curves the depth profile draws next to the measured ones. Computed in the GUI
// thread from the experiment and the newest snapshot: the quadrature over ~12 layers takes well
// under a millisecond, and the Trainer is never touched from here.
#pragma once

#include <QList>
#include <QPointF>
#include <QString>

#include "config.h"

namespace layerscope {

struct StatsSnapshot;

struct TheoryCurve {
  QList<QPointF> mean, std;  // (hidden layer, predicted value)
  QString caveat;            // where the theory does not describe this run, "" when it does
  QString error;             // the theory could not be computed (unknown activation...)
};

// E[x^2] of the probe inputs, from the snapshot's input layer (layer 0): mean^2 + std^2 of the
// population moments over every element, which is what the theory's q_1 needs.
double probeInputMeanSquare(const StatsSnapshot& snapshot);

// predictSignalPropagation(config.model, features, E[x^2], options) with the probe mode of the
// config deciding batch norm and dropout (as the engine's own ExperimentConfig overload does),
// plus theoryCaveat(config, snapshot.step).
TheoryCurve theoryCurve(const ExperimentConfig& config, const StatsSnapshot& snapshot);

}  // namespace layerscope
