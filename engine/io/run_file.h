// The saved-run file (.lsrun): a whole run to reopen without retraining: its experiment, every
// probe's statistics, every step's training loss, the 2-D training points of the decision plot
// and, optionally, keyframes (training/keyframe.h) to continue it or branch from it. The format
// is documented in docs/RUN_FILE.md: gzip of a little-endian binary stream (io/binary_stream.h):
// magic and version, the experiment as the experiment file's JSON (io/experiment_file.h), then
// tagged, length-prefixed sections.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config.h"
#include "training/keyframe.h"
#include "training/run_summary.h"
#include "training/stats.h"

namespace layerscope {

// One step's training batch loss (StepResult::loss) after `step` steps. The UI has its own
// StepLoss (ui/run/training_types.h); this is the engine's, for files.
struct LossPoint {
  long step = 0;
  double loss = 0.0;
};

// The 2-D training points the decision-region plot draws (preprocessed, as the network sees
// them); empty for data of other dimensions.
struct RunPoints {
  std::vector<float> x, y;
  std::vector<int> label;  // in [0, classes)
  int classes = 0;
  bool empty() const { return x.empty(); }
};

struct SavedRun {
  ExperimentConfig config;                // the experiment as it ran (validated on reading)
  std::vector<StatsSnapshot> snapshots;   // every probe kept, in step order
  std::vector<LossPoint> losses;          // every step's training loss, in step order
  RunPoints points;
  std::vector<Keyframe> keyframes;        // in step order; may be empty
  bool hasSummary = false;                // the final metrics of a run that ended
  RunSummary summary;
};

// The extension layerscope-cli and the app give saved runs.
inline constexpr const char* kRunFileExtension = ".lsrun";
// Decompressed content above this is refused before it is read further: a few megabytes of gzip
// can expand to gigabytes.
inline constexpr std::size_t kMaxRunFileBytes = std::size_t(1) << 31;

// Atomic (io/atomic_file.h): the old file stays intact if the write fails. Throws InputError
// "PATH: cannot write: ...".
void writeRunFile(const std::string& path, const SavedRun& run);

// Throws one InputError naming the file and the field at fault ("run.lsrun: snapshot 12,
// layer 3, activation histogram: 4000000000 bins, more than the 10000 allowed"); a file that
// is cut short, damaged, of another format or version never returns a partial run.
SavedRun readRunFile(const std::string& path);

// The stream inside the gzip, and back (`source` names it in messages): what writeRunFile
// compresses and readRunFile parses once decompressed. For tests, fuzzing and callers that
// store or compress it themselves.
std::string runContent(const SavedRun& run);
SavedRun runFromContent(const std::string& content, const std::string& source);

}  // namespace layerscope
