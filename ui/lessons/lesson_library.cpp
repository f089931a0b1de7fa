#include "lessons/lesson_library.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <exception>
#include <memory>

#include "data/data_paths.h"

namespace layerscope {

namespace {

const QString kResourceRoot = QStringLiteral(":/layerscope");

bool hasLessons(const QString& dir) {
  return !dir.isEmpty() && !QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files).isEmpty();
}

// Copies :/layerscope/{lessons,data} into a folder that lives until the process ends.
QString extractEmbedded(QString* error) {
  static std::unique_ptr<QTemporaryDir> folder;
  if (folder) return folder->path() + QStringLiteral("/lessons");
  auto dir = std::make_unique<QTemporaryDir>();
  if (!dir->isValid()) {
    if (error) *error = QObject::tr("Cannot create a temporary folder for the lessons: %1")
                            .arg(dir->errorString());
    return {};
  }
  QDirIterator it(kResourceRoot, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString source = it.next();
    const QString target = dir->path() + source.mid(kResourceRoot.size());
    QDir().mkpath(QFileInfo(target).path());
    if (!QFile::copy(source, target)) {
      if (error) *error = QObject::tr("Cannot write %1").arg(target);
      return {};
    }
  }
  folder = std::move(dir);
  return folder->path() + QStringLiteral("/lessons");
}

}  // namespace

QStringList embeddedLessonFiles() {
  QStringList names = QDir(kResourceRoot + QStringLiteral("/lessons"))
                          .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
  return names;
}

namespace {

QString findBuiltInLessonsDirectory(QString* error) {
  const QString fromEnvironment = qEnvironmentVariable("LAYERSCOPE_LESSONS_DIR");
  if (hasLessons(fromEnvironment)) return fromEnvironment;
  if (QCoreApplication::instance()) {
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .absoluteFilePath(QStringLiteral("../share/layerscope/lessons"));
    if (hasLessons(installed)) return QDir::cleanPath(installed);
  }
  if (embeddedLessonFiles().isEmpty()) {
    if (error) *error = QObject::tr("No lessons are compiled into this build.");
    return {};
  }
  return extractEmbedded(error);
}

// The lessons' data folder (data/ next to lessons/) is where "@layerscope/NAME" data resolves
// (data/data_paths.h), so experiments saved with a lesson's data reopen after a restart.
QString withBundledData(const QString& lessons) {
  if (!lessons.isEmpty())
    setBundledDataDirectory(QDir::cleanPath(lessons + QStringLiteral("/../data")).toStdString());
  return lessons;
}

}  // namespace

QString builtInLessonsDirectory(QString* error) {
  return withBundledData(findBuiltInLessonsDirectory(error));
}

LessonLibrary loadBuiltInLessons() {
  LessonLibrary library;
  library.directory = builtInLessonsDirectory(&library.error);
  if (library.directory.isEmpty()) return library;
  LessonFolder folder = loadLessonFolder(library.directory.toStdString());
  library.lessons = std::move(folder.lessons);
  for (const std::string& e : folder.errors) library.problems << QString::fromStdString(e);
  if (library.lessons.empty() && !library.problems.isEmpty()) library.error = library.problems.front();
  return library;
}

LessonLibrary loadLessonLibrary() {
  return loadLessonLibrary(QString::fromStdString(userLessonsDirectory()));
}

LessonLibrary loadLessonLibrary(const QString& userDirectory) {
  LessonLibrary library = loadBuiltInLessons();
  library.userDirectory = userDirectory;
  if (userDirectory.isEmpty() || !QFileInfo(userDirectory).isDir()) return library;
  LessonFolder user = loadLessonFolder(userDirectory.toStdString());
  for (const std::string& e : user.errors) library.problems << QString::fromStdString(e);
  mergeLessons(library.lessons, std::move(user.lessons));
  if (!library.lessons.empty()) library.error.clear();
  return library;
}

}  // namespace layerscope
