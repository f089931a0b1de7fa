// One encoder of an animation's frames into a file: GIF (gif_writer.h) or H.264 in MP4
// (mp4_writer.h). It writes to the path it is given, which animation_export.cpp makes a
// temporary sibling of the target and renames over it when the last frame is in, so a writer
// need not be atomic itself.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <memory>

namespace layerscope {

class AnimationWriter {
 public:
  virtual ~AnimationWriter() = default;
  // Every method returns an empty string, or the reason it failed (then the file is unusable
  // and the writer must only be destroyed, which closes the file).
  virtual QString open(const QString& path, QSize size, int fps) = 0;
  // A frame of exactly the size given to open(), any format (converted as needed).
  virtual QString addFrame(const QImage& frame) = 0;
  // Writes what is buffered and closes the file.
  virtual QString finish() = 0;
  // The size the format can hold nearest `size`: H.264 with 4:2:0 chroma needs even sides.
  virtual QSize fitSize(QSize size) const { return size; }
};

// For the suffix "gif" or "mp4" (any case); nullptr for another.
std::unique_ptr<AnimationWriter> makeAnimationWriter(const QString& suffix);

}  // namespace layerscope
