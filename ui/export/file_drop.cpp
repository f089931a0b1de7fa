#include "export/file_drop.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>
#include <QWidget>

namespace layerscope {

FileDropFilter::FileDropFilter(QWidget* target, QStringList suffixes)
    : QObject(target), suffixes_(std::move(suffixes)) {
  target->setAcceptDrops(true);
  target->installEventFilter(this);
}

QString FileDropFilter::acceptedPath(const QMimeData* mime) const {
  if (!mime || !mime->hasUrls() || mime->urls().size() != 1) return {};
  const QUrl url = mime->urls().front();
  if (!url.isLocalFile()) return {};
  const QString path = url.toLocalFile();
  return suffixes_.contains(QFileInfo(path).suffix().toLower()) ? path : QString();
}

bool FileDropFilter::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
    auto* drag = static_cast<QDragMoveEvent*>(event);
    if (!acceptedPath(drag->mimeData()).isEmpty()) {
      drag->acceptProposedAction();
      return true;
    }
  } else if (event->type() == QEvent::Drop) {
    auto* drop = static_cast<QDropEvent*>(event);
    const QString path = acceptedPath(drop->mimeData());
    if (!path.isEmpty()) {
      drop->acceptProposedAction();
      emit fileDropped(path);
      return true;
    }
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace layerscope
