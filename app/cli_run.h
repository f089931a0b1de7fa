// The `train` command of layerscope-cli: runs an experiment to the end, prints progress and the
// per-layer table, writes the requested files.
#pragma once

#include <iosfwd>

#include "cli_options.h"

namespace layerscope {

// Returns the process exit status. Throws InputError for bad input (the caller prints it).
int runTrainCommand(const CliOptions& options, std::ostream& out);

}  // namespace layerscope
