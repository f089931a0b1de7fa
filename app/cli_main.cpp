// layerscope-cli: the headless trainer. Argument parsing and error reporting only.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>

#include "cli_lesson.h"
#include "cli_open.h"
#include "cli_options.h"
#include "cli_phase.h"
#include "cli_run.h"
#include "cli_sweep.h"
#include "compute_threads.h"
#include "errors.h"
#include "progress.h"
#include "gemm.h"
#include "cpu_level.h"
#ifdef LAYERSCOPE_CLI_PLOTS
#include "cli_plot_export.h"
#endif

int main(int argc, char** argv) {
  using namespace layerscope;
  try {
    useBundledDataFolder();  // before --config reads an experiment naming bundled data
    if (argc > 1 && std::string(argv[1]) == "sweep")
#ifdef LAYERSCOPE_CLI_PLOTS
      return runSweepCommand(std::vector<std::string>(argv + 2, argv + argc), std::cout,
                             exportSweepPlotOffscreen);
#else
      return runSweepCommand(std::vector<std::string>(argv + 2, argv + argc), std::cout);
#endif
    const CliOptions options = parseCliOptions(std::vector<std::string>(argv + 1, argv + argc));
    if (options.command == "help") {
      std::cout << cliUsage();
      return 0;
    }
    if (options.command == "version") {
      std::cout << "layerscope-cli " LAYERSCOPE_VERSION "\n"
                << "matrix products: " << gemmChoice().name << " (" << gemmChoice().reason << ")\n"
                << "elementwise kernels: " << kernelLevelName(kernelLevel()) << "\n"
                << "threads: auto = " << resolveThreads(0) << " (" << physicalCores()
                << " physical cores" << (std::getenv("LAYERSCOPE_THREADS") ? "; LAYERSCOPE_THREADS set" : "")
                << "); --threads N sets a count\n";
      return 0;
    }
#ifdef LAYERSCOPE_CLI_PLOTS
    if (options.command == "phase")
      return runPhaseCommand(parsePhaseOptions(options.phaseArgs), std::cout, exportPhasePlotOffscreen);
    if (options.command == "lesson") return runLessonCommand(options, std::cout, exportPlotsOffscreen);
    if (options.command == "open") return runOpenCommand(options, std::cout, exportPlotsOffscreen);
    return runTrainCommand(options, std::cout, exportPlotsOffscreen);
#else
    if (options.command == "phase")
      return runPhaseCommand(parsePhaseOptions(options.phaseArgs), std::cout);
    if (options.command == "lesson") return runLessonCommand(options, std::cout);
    if (options.command == "open") return runOpenCommand(options, std::cout);
    return runTrainCommand(options, std::cout);
#endif
  } catch (const Cancelled&) {
    // Ctrl-C during loading, building, training or the final evaluation (app/cli_progress.h):
    // nothing more was written. 130 = 128 + SIGINT, what a shell reports for an interrupt.
    std::cerr << "layerscope-cli: cancelled (Ctrl-C)\n";
    return 130;
  } catch (const InputError& e) {
    std::cerr << "layerscope-cli: " << asFlagMessage(e.what()) << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "layerscope-cli: out of memory: reduce the data set, the width or the batch size\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "layerscope-cli: error: " << e.what() << "\n";
    return 2;
  }
}
