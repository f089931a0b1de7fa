// File > Recent files: the last 8 experiments, models and data sets opened or saved, newest
// first, kept in QSettings ("recent/files"). Files that no longer exist are left out.
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace layerscope {

class RecentFiles : public QObject {
  Q_OBJECT
 public:
  static constexpr int kMaxFiles = 8;
  // Fills `menu` (rebuilt on every change); a click emits openRequested.
  explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

  void add(const QString& path);
  QStringList files() const;
  void clear();

 signals:
  void openRequested(const QString& path);

 private:
  void rebuild();
  QMenu* menu_;
};

}  // namespace layerscope
