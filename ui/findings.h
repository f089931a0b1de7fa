// Plain-words diagnosis of a snapshot, with the numbers: saturated layers, collapsed layers,
// dead ReLU units, vanishing or exploding gradients, non-finite values. Pure logic (no
// widgets), so it is tested directly.
#pragma once

#include <QString>
#include <QStringList>

#include "stats.h"

namespace layerscope {

struct Finding {
  enum Severity { Info, Warning, Problem };
  Severity severity = Info;
  int layer = -1;  // the first layer concerned, -1 for the whole network
  QString text;
};

struct FindingThresholds {
  double saturated = 0.5;         // fraction of saturated outputs that is flagged
  double collapsedRatio = 1e-3;   // std below this fraction of layer 1's std
  double deadUnits = 0.1;         // fraction of dead ReLU units that is flagged
  double vanishingRatio = 1e-3;   // first/last hidden gradient std
  double explodingRatio = 1e3;
};

// `activation` as in ModelConfig ("tanh", "relu", ...).
std::vector<Finding> diagnose(const StatsSnapshot& snapshot, const std::string& activation,
                              const FindingThresholds& thresholds = {});

}  // namespace layerscope
