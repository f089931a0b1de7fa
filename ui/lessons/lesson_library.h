// Where the built-in lessons (resources/lessons/*.json) are found at run time.
//
// The lesson files and the data sets they name ("csv:../data/positive_clouds.csv", resolved
// against the lesson's folder) are compiled into the library as Qt resources
// (":/layerscope/lessons", ":/layerscope/data"), so the app finds them wherever it is run
// from. The engine reads lessons from a folder (lesson.h: loadLessons), so the resources are
// copied once per process into a temporary folder with the same layout, lessons/ next to data/.
// An installed copy (<prefix>/share/layerscope/lessons next to bin/) or the folder named by the
// LAYERSCOPE_LESSONS_DIR environment variable takes precedence, so lessons can be edited without
// rebuilding.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "lab/lesson.h"

namespace layerscope {

struct LessonLibrary {
  std::vector<Lesson> lessons;  // sorted by (order, id)
  QString directory;            // where they were read from
  QString error;                // non-empty: nothing could be loaded, and why
};

// The folder the lessons are read from (see above); empty with `error` set when there is none.
QString builtInLessonsDirectory(QString* error = nullptr);
// The lesson file names compiled into the resources ("small_random.json", ...), sorted.
QStringList embeddedLessonFiles();
LessonLibrary loadBuiltInLessons();

}  // namespace layerscope
