#include "atomic_save.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>

namespace layerscope {

namespace {
QString cannotWrite(const QString& path, const QString& reason) {
  return QObject::tr("%1: cannot write: %2").arg(path, reason);
}
}  // namespace

QString saveAtomically(const QString& path, const std::function<QString(QIODevice&)>& write) {
  if (path.isEmpty()) return QObject::tr("(empty file name): cannot write: no file name given");
  const QFileInfo info(path);
  if (info.exists() && !info.isFile() && !info.isDir()) {
    QFile device(path);
    if (!device.open(QIODevice::WriteOnly)) return cannotWrite(path, device.errorString());
    if (QString error = write(device); !error.isEmpty()) return cannotWrite(path, error);
    if (!device.flush() || device.error() != QFileDevice::NoError)
      return cannotWrite(path, device.errorString());
    device.close();
    if (device.error() != QFileDevice::NoError) return cannotWrite(path, device.errorString());
    return {};
  }
  if (info.isDir()) return cannotWrite(path, QObject::tr("it is a folder"));
  const QString folder = info.absolutePath();
  if (!QDir().mkpath(folder))
    return cannotWrite(path, QObject::tr("cannot create the folder %1").arg(folder));
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return cannotWrite(path, file.errorString());
  if (QString error = write(file); !error.isEmpty()) {
    file.cancelWriting();
    return cannotWrite(path, error);
  }
  if (!file.commit()) return cannotWrite(path, file.errorString());
  return {};
}

}  // namespace layerscope
