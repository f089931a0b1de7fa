// The `open` command of layerscope-cli: replays a run saved with --save-run (io/run_file.h)
// without retraining. It prints the probes and the final table as `train` printed them and
// writes the requested files from the saved statistics through the same code (cli_run.h:
// writeRunOutputs), so `open`'s --stats-csv is byte for byte the one `train` wrote.
#pragma once

#include <iosfwd>

#include "cli_options.h"
#include "cli_run.h"

namespace layerscope {

// Returns the process exit status. Throws InputError for a bad file or flag (the caller prints
// it): a damaged file is refused before any output is written.
int runOpenCommand(const CliOptions& options, std::ostream& out,
                   const PlotExporter& exportPlots = {});

}  // namespace layerscope
