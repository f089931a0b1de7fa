// Crash-safe writes for files made by Qt (images, drawings, documents): QSaveFile writes a
// temporary file in the target's folder and renames it over the target only when every byte
// is written, so a failed export (no permission, a full disk, a missing folder) leaves the old
// file intact. A device or pipe (/dev/stdout, /dev/full) is written through: renaming over it
// would replace the device with a regular file.
#pragma once

#include <QString>
#include <functional>

class QIODevice;

namespace layerscope {

// `write` fills the device and returns an empty string, or a reason. Returns an empty string
// on success, else "PATH: cannot write: REASON". Creates the target's folder first.
QString saveAtomically(const QString& path, const std::function<QString(QIODevice&)>& write);

}  // namespace layerscope
