#include "plots/run_list.h"

#include <QHeaderView>
#include <QPainter>
#include <QPixmap>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "common/number_format.h"
#include "settings/schema.h"

namespace layerscope {

namespace {

// The run's mark as the plots draw it: the current run solid, pinned runs dashed.
QIcon swatch(const QColor& color, bool dashed) {
  QPixmap pixmap(28, 12);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(color, dashed ? 2.0 : 3.0, dashed ? Qt::DashLine : Qt::SolidLine));
  p.drawLine(QPointF(1, 6), QPointF(27, 6));
  return QIcon(pixmap);
}

bool isDataSetting(const Setting& s) { return s.section == "data"; }
bool isArchitectureSetting(const Setting& s) {
  static const char* const keys[] = {"depth", "width", "widths", "batch_norm"};
  if (s.section != "model") return false;
  for (const char* k : keys)
    if (s.key == k) return true;
  return false;
}

}  // namespace

RunList::RunList(QWidget* parent) : QWidget(parent), tree_(new QTreeWidget(this)) {
  setObjectName(QStringLiteral("runList"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  tree_->setColumnCount(3);
  tree_->setHeaderLabels({tr("Run"), tr("Differs from the current run"), tr("Final")});
  tree_->setRootIsDecorated(false);
  tree_->setUniformRowHeights(true);
  tree_->setWordWrap(false);
  tree_->setToolTip(tr("The runs on the plots. Untick a pinned run to hide its curves."));
  tree_->header()->setStretchLastSection(false);
  tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  tree_->header()->setSectionResizeMode(1, QHeaderView::Stretch);
  tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  layout->addWidget(tree_);
  connect(tree_, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item, int column) {
    if (filling_ || column != 0) return;
    const int row = tree_->indexOfTopLevelItem(item);
    if (row >= 1) emit visibilityChanged(row - 1, item->checkState(0) == Qt::Checked);
  });
  setRuns(std::nullopt, {});
}

QString RunList::describeDifferences(const ExperimentConfig& current,
                                     const ExperimentConfig& pinned) {
  QStringList parts, warnings;
  bool otherData = false, otherArchitecture = false;
  for (const Setting* s : changedSettings(current, pinned)) {
    otherData = otherData || isDataSetting(*s);
    otherArchitecture = otherArchitecture || isArchitectureSetting(*s);
    parts << QStringLiteral("%1: %2").arg(QString::fromStdString(s->path()),
                                          QString::fromStdString(
                                              settingValueText(*s, s->get(pinned))));
  }
  if (otherData) warnings << tr("OTHER DATA SET");
  if (otherArchitecture) warnings << tr("OTHER ARCHITECTURE");
  if (parts.isEmpty()) return tr("same settings");
  QString text = parts.join(QStringLiteral("; "));
  if (!warnings.isEmpty()) text = warnings.join(QStringLiteral(", ")) + QStringLiteral(" - ") + text;
  return text;
}

QString RunList::finalMetrics(const PinnedRun& run) {
  QStringList parts;
  if (!run.trainLoss.isEmpty()) parts << tr("loss %1").arg(formatNumber(run.trainLoss.back().y()));
  if (!run.validationAccuracy.isEmpty())
    parts << tr("val. acc. %1").arg(formatNumber(run.validationAccuracy.back().y()));
  else if (!run.trainAccuracy.isEmpty())
    parts << tr("acc. %1").arg(formatNumber(run.trainAccuracy.back().y()));
  parts << tr("step %1").arg(run.step);
  return parts.join(QStringLiteral(", "));
}

void RunList::setRuns(const std::optional<ExperimentConfig>& current,
                      const QVector<PinnedRun>& pinned) {
  filling_ = true;
  QStringList oldVisible;  // keep a hidden run hidden when another is pinned
  for (int i = 1; i < tree_->topLevelItemCount(); ++i)
    if (tree_->topLevelItem(i)->checkState(0) != Qt::Checked)
      oldVisible << tree_->topLevelItem(i)->text(0);
  const QString currentMetrics =
      tree_->topLevelItemCount() ? tree_->topLevelItem(0)->text(2) : QString();
  tree_->clear();
  auto* live = new QTreeWidgetItem({tr("current run"), QString(), currentMetrics});
  live->setIcon(0, swatch(QColor(31, 119, 180), false));
  live->setToolTip(0, tr("Drawn solid, on top of the pinned runs"));
  tree_->addTopLevelItem(live);
  for (const PinnedRun& run : pinned) {
    const QString differs = current && run.experiment
                                ? describeDifferences(*current, *run.experiment)
                                : tr("(settings not recorded)");
    auto* item = new QTreeWidgetItem({run.label, differs, finalMetrics(run)});
    item->setIcon(0, swatch(run.color, true));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(0, oldVisible.contains(run.label) ? Qt::Unchecked : Qt::Checked);
    item->setToolTip(1, differs);
    if (differs.startsWith(tr("OTHER"))) item->setForeground(1, QColor(176, 0, 32));
    tree_->addTopLevelItem(item);
  }
  // As tall as its rows (at most 7: the current run and 6 pins), no taller.
  const int rows = tree_->topLevelItemCount();
  const int rowH = std::max(tree_->sizeHintForRow(0), fontMetrics().height() + 4);
  tree_->setFixedHeight(tree_->header()->sizeHint().height() + rows * rowH + 4);
  setVisible(!pinned.isEmpty());  // nothing to compare: no list
  filling_ = false;
}

void RunList::setCurrentMetrics(const QString& metrics) {
  if (tree_->topLevelItemCount()) tree_->topLevelItem(0)->setText(2, metrics);
}

int RunList::rowCount() const { return tree_->topLevelItemCount(); }
QString RunList::name(int row) const { return tree_->topLevelItem(row)->text(0); }
QString RunList::differences(int row) const { return tree_->topLevelItem(row)->text(1); }
QString RunList::metrics(int row) const { return tree_->topLevelItem(row)->text(2); }
bool RunList::runVisible(int row) const {
  return row == 0 || tree_->topLevelItem(row)->checkState(0) == Qt::Checked;
}
void RunList::setRunVisible(int row, bool visible) {
  if (row >= 1) tree_->topLevelItem(row)->setCheckState(0, visible ? Qt::Checked : Qt::Unchecked);
}

}  // namespace layerscope
