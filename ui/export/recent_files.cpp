#include "export/recent_files.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace layerscope {

namespace {
const QString kKey = QStringLiteral("recent/files");
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), menu_(menu) {
  rebuild();
}

QStringList RecentFiles::files() const {
  QStringList kept;
  for (const QString& f : QSettings().value(kKey).toStringList())
    if (QFileInfo::exists(f) && kept.size() < kMaxFiles) kept << f;
  return kept;
}

void RecentFiles::add(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  QStringList list = QSettings().value(kKey).toStringList();
  list.removeAll(absolute);
  list.prepend(absolute);
  while (list.size() > kMaxFiles) list.removeLast();
  QSettings().setValue(kKey, list);
  rebuild();
}

void RecentFiles::clear() {
  QSettings().remove(kKey);
  rebuild();
}

void RecentFiles::rebuild() {
  menu_->clear();
  const QStringList list = files();
  int n = 0;
  for (const QString& f : list) {
    const QString text = QStringLiteral("&%1 %2").arg(++n).arg(QDir::toNativeSeparators(f));
    menu_->addAction(text, this, [this, f] { emit openRequested(f); });
  }
  if (list.isEmpty()) menu_->addAction(tr("(none)"))->setEnabled(false);
  menu_->addSeparator();
  menu_->addAction(tr("Clear the list"), this, &RecentFiles::clear)->setEnabled(!list.isEmpty());
}

}  // namespace layerscope
