#include "common/atomic_save.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QObject>

#include "io/atomic_file.h"
#include "errors.h"

namespace layerscope {

QString saveAtomically(const QString& path, const std::function<QString(QIODevice&)>& write) {
  if (path.isEmpty()) return QObject::tr("(empty file name): cannot write: no file name given");
  const QFileInfo info(path);
  if (!info.exists()) {
    const QString folder = info.absolutePath();
    if (!QDir().mkpath(folder))
      return QObject::tr("%1: cannot write: cannot create the folder %2").arg(path, folder);
  }
  // Qt draws into memory; the engine's one atomic write (temporary sibling, fsync, rename;
  // devices written through) puts it on disk, so there is a single such mechanism to trust.
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  if (QString error = write(buffer); !error.isEmpty())
    return QObject::tr("%1: cannot write: %2").arg(path, error);
  buffer.close();
  try {
    writeFileAtomically(QFile::encodeName(path).toStdString(), bytes.toStdString());
  } catch (const InputError& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace layerscope
