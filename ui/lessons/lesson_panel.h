// The Lessons panel: the article's sections as ready-made experiments (resources/lessons). It
// lists them in article order; the selected one shows its title, section and text (what to look
// at and why), its runs, a Run button and, after the runs, each check's verdict with the number
// measured. Running is the window's job (LessonSequencer): the panel asks with runRequested and
// is told the progress.
#pragma once

#include <QWidget>
#include <vector>

#include "lab/lesson.h"

class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace layerscope {

class LessonPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LessonPanel(QWidget* parent = nullptr);

  void setLessons(const std::vector<Lesson>& lessons, const QString& error = {});
  // Lesson files that could not be loaded, one message each naming the file: shown above the
  // list (in red) for as long as the panel lives, so a teacher sees why a lesson is missing.
  void setLoadProblems(const QStringList& problems);
  QString loadProblemsText() const;
  const std::vector<Lesson>& lessons() const { return lessons_; }
  QStringList lessonIds() const;
  // Selects the lesson with this id; false when there is none.
  bool selectLesson(const QString& id);
  const Lesson* currentLesson() const;

  // Progress of the running lesson (the runs list shows ▶ running, ● pinned, ◆ live).
  void setRunning(bool running);
  void markRunStarted(int index);
  void markRunPinned(int index);
  void markRunLive(int index);  // the last run, left on screen
  void showChecks(const std::vector<CheckResult>& results);
  void showError(const QString& message);
  QStringList checkTexts() const;  // "✓ ..." / "✗ ...", one per check
  QPushButton* runButton() const { return run_; }

 signals:
  void runRequested(const QString& lessonId);
  void stopRequested();

 private:
  void showLesson(int row);

  std::vector<Lesson> lessons_;
  QListWidget* list_;
  QLabel* problems_;
  QLabel* title_;
  QLabel* section_;
  QTextBrowser* text_;
  QListWidget* runs_;
  QPushButton* run_;
  QPushButton* stop_;
  QLabel* checksTitle_;
  QListWidget* checks_;
  int runningRow_ = -1;
};

}  // namespace layerscope
