#include "lessons/lesson_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "common/number_format.h"
#include "lessons/lesson_views.h"

namespace layerscope {

namespace {
const QString kPending = QStringLiteral("○ ");
const QString kRunning = QStringLiteral("▶ ");
const QString kPinned = QStringLiteral("● ");
const QString kLive = QStringLiteral("◆ ");

}  // namespace

LessonPanel::LessonPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("lessonPanel"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);

  list_ = new QListWidget;
  list_->setObjectName(QStringLiteral("lessonList"));
  list_->setToolTip(tr("The article's sections, in order: select one to read it, Run to see it."));
  list_->setWordWrap(true);
  list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  problems_ = new QLabel;
  problems_->setObjectName(QStringLiteral("lessonLoadProblems"));
  problems_->setWordWrap(true);
  problems_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  problems_->setStyleSheet(QStringLiteral("color: #b00020;"));
  problems_->hide();
  title_ = new QLabel;
  title_->setObjectName(QStringLiteral("lessonTitle"));
  title_->setWordWrap(true);
  QFont bold = title_->font();
  bold.setBold(true);
  bold.setPointSizeF(bold.pointSizeF() * 1.1);
  title_->setFont(bold);
  section_ = new QLabel;
  section_->setObjectName(QStringLiteral("lessonSection"));
  section_->setWordWrap(true);
  section_->setStyleSheet(QStringLiteral("color: #555555;"));
  text_ = new QTextBrowser;
  text_->setObjectName(QStringLiteral("lessonText"));
  text_->setOpenLinks(false);
  runs_ = new QListWidget;
  runs_->setObjectName(QStringLiteral("lessonRuns"));
  runs_->setToolTip(tr("The runs this lesson makes, one after another; each finished run is pinned "
                       "so the next ones overlay it, and the last one stays live."));
  run_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run lesson"));
  run_->setObjectName(QStringLiteral("runLesson"));
  run_->setToolTip(tr("Load each run's experiment, train it, and pin it; then check the claims"));
  stop_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
  stop_->setObjectName(QStringLiteral("stopLesson"));
  stop_->setEnabled(false);
  checksTitle_ = new QLabel(tr("<b>Checks</b>"));
  checks_ = new QListWidget;
  checks_->setObjectName(QStringLiteral("lessonChecks"));
  checks_->setWordWrap(true);
  checks_->setToolTip(tr("What the lesson claims, verified on the same runs made headless "
                         "(the engine's numbers)."));

  auto* detail = new QWidget;
  auto* d = new QVBoxLayout(detail);
  d->setContentsMargins(0, 0, 0, 0);
  d->setSpacing(3);
  d->addWidget(title_);
  d->addWidget(section_);
  d->addWidget(text_, 3);
  auto* runsLabel = new QLabel(tr("<b>Runs</b>"));
  d->addWidget(runsLabel);
  d->addWidget(runs_, 1);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(run_, 1);
  buttons->addWidget(stop_);
  d->addLayout(buttons);
  d->addWidget(checksTitle_);
  d->addWidget(checks_, 2);

  auto* top = new QWidget;
  auto* t = new QVBoxLayout(top);
  t->setContentsMargins(0, 0, 0, 0);
  t->setSpacing(2);
  t->addWidget(problems_);
  t->addWidget(list_, 1);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(top);
  split->addWidget(detail);
  split->setStretchFactor(0, 0);
  split->setStretchFactor(1, 1);
  split->setSizes({170, 700});
  layout->addWidget(split);

  // Narrow when asked: the dock must not force the window wider than the plots need.
  for (QWidget* w : std::initializer_list<QWidget*>{list_, problems_, text_, runs_, checks_, title_, section_,
                                                    checksTitle_, run_, stop_})
    w->setMinimumWidth(40);
  setMinimumWidth(110);

  connect(list_, &QListWidget::currentRowChanged, this, &LessonPanel::showLesson);
  connect(run_, &QPushButton::clicked, this, [this] {
    if (const Lesson* l = currentLesson()) emit runRequested(QString::fromStdString(l->id));
  });
  connect(stop_, &QPushButton::clicked, this, &LessonPanel::stopRequested);
  showLesson(-1);
}

void LessonPanel::setLessons(const std::vector<Lesson>& lessons, const QString& error) {
  lessons_ = lessons;
  list_->clear();
  for (const Lesson& l : lessons_) {
    auto* item = new QListWidgetItem(QString::fromStdString(l.title), list_);
    item->setToolTip(QString::fromStdString(l.section));
    item->setData(Qt::UserRole, QString::fromStdString(l.id));
  }
  if (!error.isEmpty()) showError(error);
  if (!lessons_.empty()) list_->setCurrentRow(0);
}

void LessonPanel::setLoadProblems(const QStringList& problems) {
  if (problems.isEmpty()) {
    problems_->clear();
    problems_->hide();
    return;
  }
  problems_->setText(tr("%n lesson file(s) could not be loaded (the others are listed below):",
                        nullptr, static_cast<int>(problems.size())) +
                     QStringLiteral("\n") + problems.join(QStringLiteral("\n")));
  problems_->setToolTip(tr("Fix the file and restart LayerScope; docs/LESSONS.md describes the "
                           "format."));
  problems_->show();
}

QString LessonPanel::loadProblemsText() const { return problems_->text(); }

QStringList LessonPanel::lessonIds() const {
  QStringList ids;
  for (const Lesson& l : lessons_) ids << QString::fromStdString(l.id);
  return ids;
}

bool LessonPanel::selectLesson(const QString& id) {
  const int row = static_cast<int>(lessonIds().indexOf(id));
  if (row < 0) return false;
  list_->setCurrentRow(row);
  return true;
}

const Lesson* LessonPanel::currentLesson() const {
  const int row = list_->currentRow();
  return row >= 0 && row < static_cast<int>(lessons_.size()) ? &lessons_[row] : nullptr;
}

void LessonPanel::showLesson(int row) {
  checks_->clear();
  runs_->clear();
  if (row < 0 || row >= static_cast<int>(lessons_.size())) {
    title_->setText(tr("No lesson selected"));
    section_->clear();
    text_->clear();
    run_->setEnabled(false);
    return;
  }
  const Lesson& l = lessons_[row];
  title_->setText(QString::fromStdString(l.title));
  section_->setText(tr("Article section %1").arg(QString::fromStdString(l.section)));
  QString html = QStringLiteral("<p>%1</p>").arg(QString::fromStdString(l.text).toHtmlEscaped());
  if (!l.lookAt.empty())
    html += tr("<p><i>Look at:</i> %1.</p>").arg(lookAtWords(l.lookAt));
  text_->setHtml(html);
  for (const LessonRun& r : l.runs) new QListWidgetItem(kPending + QString::fromStdString(r.label), runs_);
  run_->setEnabled(!stop_->isEnabled());
  checksTitle_->setText(tr("<b>Checks</b> (%1, after Run)").arg(l.checks.size()));
  if (row == runningRow_) run_->setEnabled(false);
}

void LessonPanel::setRunning(bool running) {
  runningRow_ = running ? list_->currentRow() : -1;
  run_->setEnabled(!running && currentLesson());
  stop_->setEnabled(running);
  if (running) {
    checks_->clear();
    checks_->addItem(tr("Checking the claims on headless runs..."));
  }
}

void LessonPanel::markRunStarted(int index) {
  if (list_->currentRow() != runningRow_ || index < 0 || index >= runs_->count()) return;
  QListWidgetItem* item = runs_->item(index);
  item->setText(kRunning + item->text().mid(2));
  runs_->setCurrentRow(index);
}

void LessonPanel::markRunPinned(int index) {
  if (list_->currentRow() != runningRow_ || index < 0 || index >= runs_->count()) return;
  QListWidgetItem* item = runs_->item(index);
  item->setText(kPinned + item->text().mid(2));
  item->setToolTip(tr("Pinned: it stays on the plots while the next run overlays it"));
}

void LessonPanel::markRunLive(int index) {
  if (list_->currentRow() != runningRow_ || index < 0 || index >= runs_->count()) return;
  QListWidgetItem* item = runs_->item(index);
  item->setText(kLive + item->text().mid(2));
  item->setToolTip(tr("The live run: on the plots in the usual colours"));
}

void LessonPanel::showChecks(const std::vector<CheckResult>& results) {
  checks_->clear();
  int passed = 0;
  for (const CheckResult& r : results) {
    passed += r.passed;
    // The engine's description names the quantity, the measured number and the claim.
    auto* item = new QListWidgetItem(
        (r.passed ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) +
            QString::fromStdString(r.description),
        checks_);
    item->setToolTip(tr("measured %1, reference %2").arg(formatNumber(r.measured))
                         .arg(formatNumber(r.reference)));
    item->setForeground(r.passed ? QColor(0, 120, 40) : QColor(176, 0, 32));
  }
  checksTitle_->setText(tr("<b>Checks</b>: %1 of %2 hold").arg(passed).arg(results.size()));
}

void LessonPanel::showError(const QString& message) {
  checks_->clear();
  auto* item = new QListWidgetItem(message, checks_);
  item->setForeground(QColor(176, 0, 32));
}

QStringList LessonPanel::checkTexts() const {
  QStringList out;
  for (int i = 0; i < checks_->count(); ++i) out << checks_->item(i)->text();
  return out;
}

}  // namespace layerscope
