#include "export/animation_writer.h"

#include "export/gif_writer.h"
#include "export/mp4_writer.h"

namespace layerscope {

std::unique_ptr<AnimationWriter> makeAnimationWriter(const QString& suffix) {
  const QString s = suffix.toLower();
  if (s == QLatin1String("gif")) return std::make_unique<GifWriter>();
  if (s == QLatin1String("mp4")) return std::make_unique<Mp4Writer>();
  return nullptr;
}

}  // namespace layerscope
