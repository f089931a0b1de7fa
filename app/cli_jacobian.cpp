#include "cli_jacobian.h"

#include <cstdio>

#include "analysis/jacobian.h"

namespace layerscope {

void JacobianRecorder::record(long step, const Network& network, const Matrix& probeInputs) {
  const JacobianResult r = jacobianSpectra(network, probeInputs, kCliJacobianSamples);
  char row[96];
  for (size_t s = 0; s < r.spectra.size(); ++s) {
    const std::vector<double>& values = r.spectra[s].singularValues;
    for (size_t i = 0; i < values.size(); ++i) {
      std::snprintf(row, sizeof row, "%ld,%zu,%zu,%.9g\n", step, s, i, values[i]);
      csv_ += row;
    }
  }
  lastStep_ = step;
}

void JacobianRecorder::finish(long step, const Network& network, const Matrix& probeInputs) {
  if (enabled() && step != lastStep_) record(step, network, probeInputs);
}

}  // namespace layerscope
