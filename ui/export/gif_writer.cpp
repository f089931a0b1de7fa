#include "export/gif_writer.h"

#include <QFile>
#include <QObject>
#include <cmath>
#include <gif_lib.h>
#include <libimagequant.h>

namespace layerscope {

namespace {

QString gifError(int code) {
  const char* text = GifErrorString(code);
  return text ? QString::fromLatin1(text) : QObject::tr("GIF error %1").arg(code);
}

// libimagequant's objects, freed on every path.
struct Quantized {
  liq_attr* attr = liq_attr_create();
  liq_image* image = nullptr;
  liq_result* result = nullptr;
  ~Quantized() {
    if (result) liq_result_destroy(result);
    if (image) liq_image_destroy(image);
    if (attr) liq_attr_destroy(attr);
  }
};

}  // namespace

GifWriter::~GifWriter() {
  if (gif_) {
    int error = 0;
    EGifCloseFile(gif_, &error);
  }
}

int GifWriter::delayCentiseconds(long index, int fps) {
  const auto start = [fps](long i) { return std::lround(100.0 * double(i) / fps); };
  return int(start(index + 1) - start(index));
}

QString GifWriter::open(const QString& path, QSize size, int fps) {
  size_ = size;
  fps_ = fps;
  int error = 0;
  gif_ = EGifOpenFileName(QFile::encodeName(path).constData(), false, &error);
  if (!gif_) return gifError(error);
  EGifSetGifVersion(gif_, true);  // GIF89a: frame delays and the loop extension
  // No global palette: each frame brings its own (8 bits of colour resolution).
  if (EGifPutScreenDesc(gif_, size.width(), size.height(), 8, 0, nullptr) == GIF_ERROR)
    return gifError(gif_->Error);
  // NETSCAPE2.0 sub-block: 1 (loop), then the loop count as 16-bit little endian, 0 = forever.
  static const unsigned char loop[] = {1, 0, 0};
  if (EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
      EGifPutExtensionBlock(gif_, 11, "NETSCAPE2.0") == GIF_ERROR ||
      EGifPutExtensionBlock(gif_, 3, loop) == GIF_ERROR || EGifPutExtensionTrailer(gif_) == GIF_ERROR)
    return gifError(gif_->Error);
  indices_.resize(std::size_t(size.width()) * std::size_t(size.height()));
  return {};
}

QString GifWriter::addFrame(const QImage& frame) {
  if (!gif_) return QObject::tr("the GIF is not open");
  if (frame.size() != size_)
    return QObject::tr("frame of %1 x %2 pixels in a %3 x %4 GIF")
        .arg(frame.width()).arg(frame.height()).arg(size_.width()).arg(size_.height());
  const QImage rgba = frame.convertToFormat(QImage::Format_RGBA8888);
  Quantized q;
  if (!q.attr) return QObject::tr("out of memory (palette)");
  // 256 colours is all GIF has. Speed 8 (of 1..10): plots are a few flat colours and their
  // antialiasing, which it palettes as well as the default 4 does (no visible difference on the
  // dashboard) in less than half the time: 200 frames of 1280 x 720 in ~16 s instead of ~38 s.
  liq_set_max_colors(q.attr, 256);
  liq_set_speed(q.attr, 8);
  q.image = liq_image_create_rgba(q.attr, rgba.constBits(), size_.width(), size_.height(), 0);
  // liq reads one contiguous bitmap of width x 4 bytes per row: Qt's RGBA8888 rows are
  // exactly that (4-byte pixels keep every row 32-bit aligned without padding).
  if (!q.image || liq_image_quantize(q.image, q.attr, &q.result) != LIQ_OK)
    return QObject::tr("cannot reduce the frame to 256 colours");
  // Plots are mostly flat areas and thin antialiased lines: full Floyd-Steinberg dithering
  // would sprinkle noise over the flat areas (and defeat GIF's LZW compression), none would
  // band the decision regions' colour gradients; half is libimagequant's gentler middle.
  liq_set_dithering_level(q.result, 0.5f);
  if (liq_write_remapped_image(q.result, q.image, indices_.data(), indices_.size()) != LIQ_OK)
    return QObject::tr("cannot map the frame onto its palette");
  const liq_palette* palette = liq_get_palette(q.result);
  // giflib wants a power-of-two palette size; unused entries stay black.
  GifColorType colours[256] = {};
  for (unsigned i = 0; i < palette->count && i < 256; ++i)
    colours[i] = {palette->entries[i].r, palette->entries[i].g, palette->entries[i].b};
  ColorMapObject* map = GifMakeMapObject(256, colours);
  if (!map) return QObject::tr("out of memory (palette)");

  GraphicsControlBlock control{};
  control.DisposalMode = DISPOSE_DO_NOT;  // every frame covers the whole image
  control.UserInputFlag = false;
  control.DelayTime = delayCentiseconds(frames_, fps_);
  control.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType extension[4];
  const size_t length = EGifGCBToExtension(&control, extension);
  bool ok = EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, int(length), extension) != GIF_ERROR &&
            EGifPutImageDesc(gif_, 0, 0, size_.width(), size_.height(), false, map) != GIF_ERROR;
  for (int y = 0; ok && y < size_.height(); ++y)
    ok = EGifPutLine(gif_, indices_.data() + std::size_t(y) * std::size_t(size_.width()),
                     size_.width()) != GIF_ERROR;
  GifFreeMapObject(map);
  if (!ok) return gifError(gif_->Error);
  ++frames_;
  return {};
}

QString GifWriter::finish() {
  if (!gif_) return QObject::tr("the GIF is not open");
  int error = 0;
  const int status = EGifCloseFile(gif_, &error);
  gif_ = nullptr;
  if (status == GIF_ERROR) return gifError(error);
  return {};
}

}  // namespace layerscope
