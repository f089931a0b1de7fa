// The `lesson` command of layerscope-cli: a lesson (docs/LESSONS.md) run headless, as the
// window's Lessons panel runs it, for teachers checking a lesson file and for CI.
//
//   layerscope-cli lesson ID|FILE [--export-plot FILE --plot NAME ...] [--quiet]
//
// Runs each of the lesson's runs with the engine (lab/lesson.h: runLessonRun), prints the
// findings of each run's last snapshot (analysis/findings.h) and every check with its measured
// value and verdict. With --export-plot, draws the lesson's figure as the window shows it at the
// end of the lesson: the last run live, the earlier ones pinned over it, the histograms in the
// lesson's histogram_mode.
//
// Exit status: 0 when every check holds, 1 when one fails, 2 for a bad lesson file or flag
// (an InputError, printed by the caller as one line).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli_options.h"
#include "cli_run.h"

namespace layerscope {

// The folders `lesson ID` looks in, in order: the user's lessons (lesson.h:
// userLessonsDirectory), $LAYERSCOPE_LESSONS_DIR, <the executable's folder>/../share/layerscope/
// lessons (an installed copy), and the source tree's resources/lessons (a build tree). Missing
// folders are left out.
std::vector<std::string> lessonSearchPath();

// A FILE (it names a .json or contains a '/') as it is; an ID as the first <folder>/ID.json of
// lessonSearchPath(). Throws InputError naming the folders searched when there is none.
std::string resolveLessonPath(const std::string& idOrFile);

// Points "@layerscope/NAME" data (data/data_paths.h) at the built-in lessons' data folder:
// LAYERSCOPE_LESSONS_DIR/../data, the install's share/layerscope/data, or the source tree's.
void useBundledDataFolder();

// Returns the exit status (0 every check holds, 1 one fails). Throws InputError for a bad lesson.
int runLessonCommand(const CliOptions& options, std::ostream& out,
                     const PlotExporter& exportPlots = {});

}  // namespace layerscope
