// Crash-safe writes for files made by Qt (images, drawings, documents): drawn into memory, then
// written by the engine's writeFileAtomically (atomic_file.h), which renames a complete temporary
// sibling over the target, so a failed export (no permission, a full disk) leaves the old
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
