// Where the lessons are found at run time: the built-in ones, and the user's own.
//
// The lesson files and the data sets they name ("csv:../data/positive_clouds.csv", resolved
// against the lesson's folder) are compiled into the library as Qt resources
// (":/layerscope/lessons", ":/layerscope/data"), so the app finds them wherever it is run
// from. The engine reads lessons from a folder (lesson.h: loadLessonFolder), so the resources
// are copied once per process into a temporary folder with the same layout, lessons/ next to
// data/. An installed copy (<prefix>/share/layerscope/lessons next to bin/) or the folder named
// by the LAYERSCOPE_LESSONS_DIR environment variable takes precedence, so lessons can be edited
// without rebuilding.
//
// Then the user's folder (lesson.h: userLessonsDirectory(), ~/.local/share/layerscope/lessons)
// is read when it exists: its lessons join the list (one with a built-in lesson's id replaces
// it). A broken file in either folder is skipped with one message naming it
// (LessonLibrary::problems); the other lessons still load. docs/LESSONS.md is the format.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "lab/lesson.h"

namespace layerscope {

struct LessonLibrary {
  std::vector<Lesson> lessons;  // sorted by (order, id)
  QString directory;            // where the built-in lessons were read from
  QString userDirectory;        // the user's lesson folder ("" when there is no HOME)
  QString error;                // non-empty: no built-in lessons could be loaded, and why
  QStringList problems;         // one per lesson file that could not be loaded, naming it
};

// The folder the lessons are read from (see above); empty with `error` set when there is none.
QString builtInLessonsDirectory(QString* error = nullptr);
// The lesson file names compiled into the resources ("small_random.json", ...), sorted.
QStringList embeddedLessonFiles();
// The built-in lessons only.
LessonLibrary loadBuiltInLessons();
// The built-in lessons and those of `userDirectory` (by default userLessonsDirectory()); a
// missing user folder is not a problem.
LessonLibrary loadLessonLibrary();
LessonLibrary loadLessonLibrary(const QString& userDirectory);

}  // namespace layerscope
