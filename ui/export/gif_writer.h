// Animated GIF (GIF89a) through giflib, each frame reduced to its own 256-colour palette by
// libimagequant; it loops forever (the NETSCAPE2.0 application extension).
#pragma once

#include <vector>

#include "export/animation_writer.h"

struct GifFileType;

namespace layerscope {

class GifWriter : public AnimationWriter {
 public:
  ~GifWriter() override;
  QString open(const QString& path, QSize size, int fps) override;
  QString addFrame(const QImage& frame) override;
  QString finish() override;

  // The delay of frame `index` in centiseconds (GIF's unit) at `fps` frames per second: the
  // rounded times at which frames start, differenced, so the whole lasts frames / fps seconds
  // even where 100 / fps is not whole (fps 30: 3, 4, 3, 3, 4, 3 ...).
  static int delayCentiseconds(long index, int fps);

 private:
  GifFileType* gif_ = nullptr;
  QSize size_;
  int fps_ = 10;
  long frames_ = 0;
  std::vector<unsigned char> indices_;  // one frame's palette indices, reused
};

}  // namespace layerscope
