// H.264 video in an MP4 file through FFmpeg's libraries (libavcodec, libavformat, libswscale):
// the encoder libx264 (or FFmpeg's default H.264 encoder), 4:2:0 chroma (yuv420p, what browsers
// and slide software play), BT.709 colours, one frame per 1 / fps seconds, and the index (moov
// atom) at the front (movflags +faststart) so it starts playing before it is fully loaded.
#pragma once

#include "export/animation_writer.h"

struct AVFormatContext;
struct AVCodecContext;
struct AVStream;
struct AVFrame;
struct AVPacket;
struct SwsContext;

namespace layerscope {

class Mp4Writer : public AnimationWriter {
 public:
  ~Mp4Writer() override;
  QString open(const QString& path, QSize size, int fps) override;
  QString addFrame(const QImage& frame) override;
  QString finish() override;
  // 4:2:0 chroma halves both sides: they must be even (rounded down, as FFmpeg's scale=trunc).
  QSize fitSize(QSize size) const override {
    return {size.width() & ~1, size.height() & ~1};
  }

 private:
  QString send(const AVFrame* frame);  // encodes (nullptr: drains) and writes the packets
  void close();

  AVFormatContext* format_ = nullptr;
  AVCodecContext* codec_ = nullptr;
  AVStream* stream_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
  SwsContext* scale_ = nullptr;
  QSize size_;
  long frames_ = 0;
  bool headerWritten_ = false;
};

}  // namespace layerscope
