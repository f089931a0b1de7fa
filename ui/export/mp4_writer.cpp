#include "export/mp4_writer.h"

#include <QFile>
#include <QObject>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace layerscope {

namespace {

QString avError(const char* what, int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return QObject::tr("%1: %2").arg(QString::fromLatin1(what), QString::fromLocal8Bit(text));
}

}  // namespace

Mp4Writer::~Mp4Writer() { close(); }

void Mp4Writer::close() {
  if (scale_) sws_freeContext(scale_);
  scale_ = nullptr;
  av_packet_free(&packet_);
  av_frame_free(&frame_);
  avcodec_free_context(&codec_);
  if (format_) {
    if (format_->pb) avio_closep(&format_->pb);
    avformat_free_context(format_);
    format_ = nullptr;
  }
  stream_ = nullptr;
}

QString Mp4Writer::open(const QString& path, QSize size, int fps) {
  if (size != fitSize(size) || size.isEmpty())
    return QObject::tr("an H.264 video needs an even width and height, not %1 x %2")
        .arg(size.width()).arg(size.height());
  size_ = size;
  // x264 reports its settings and statistics on stderr at the info level: only errors matter.
  av_log_set_level(AV_LOG_ERROR);
  const QByteArray file = QFile::encodeName(path);
  // The container is named, not guessed from the suffix: the path is a temporary sibling.
  int status = avformat_alloc_output_context2(&format_, nullptr, "mp4", file.constData());
  if (status < 0 || !format_) return avError("MP4 container", status);
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
  if (!codec) return QObject::tr("this FFmpeg has no H.264 encoder");
  stream_ = avformat_new_stream(format_, nullptr);
  codec_ = avcodec_alloc_context3(codec);
  if (!stream_ || !codec_) return QObject::tr("out of memory (video encoder)");
  codec_->width = size.width();
  codec_->height = size.height();
  codec_->pix_fmt = AV_PIX_FMT_YUV420P;
  codec_->time_base = AVRational{1, fps};
  codec_->framerate = AVRational{fps, 1};
  codec_->gop_size = 2 * fps;  // a key frame every 2 s: seeking in a player stays quick
  codec_->color_range = AVCOL_RANGE_MPEG;
  codec_->colorspace = AVCOL_SPC_BT709;
  codec_->color_primaries = AVCOL_PRI_BT709;
  codec_->color_trc = AVCOL_TRC_BT709;
  if (format_->oformat->flags & AVFMT_GLOBALHEADER) codec_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (QString::fromLatin1(codec->name) == QLatin1String("libx264")) {
    // Plots are thin lines and text on flat colour: CRF 20 keeps them sharp; preset "fast"
    // encodes a 1280 x 720 frame in milliseconds; the High profile every player decodes.
    av_opt_set(codec_->priv_data, "preset", "fast", 0);
    av_opt_set(codec_->priv_data, "crf", "20", 0);
    av_opt_set(codec_->priv_data, "profile", "high", 0);
  }
  if ((status = avcodec_open2(codec_, codec, nullptr)) < 0) return avError("H.264 encoder", status);
  if ((status = avcodec_parameters_from_context(stream_->codecpar, codec_)) < 0)
    return avError("H.264 parameters", status);
  stream_->time_base = codec_->time_base;
  stream_->avg_frame_rate = codec_->framerate;
  if ((status = avio_open(&format_->pb, file.constData(), AVIO_FLAG_WRITE)) < 0)
    return avError("cannot create the file", status);
  AVDictionary* options = nullptr;
  // The moov atom (the index) moved before the media data once all is written: players and
  // browsers start without reading to the end. The muxer rereads the file by its path for it.
  av_dict_set(&options, "movflags", "+faststart", 0);
  status = avformat_write_header(format_, &options);
  av_dict_free(&options);
  if (status < 0) return avError("MP4 header", status);
  headerWritten_ = true;

  frame_ = av_frame_alloc();
  packet_ = av_packet_alloc();
  if (!frame_ || !packet_) return QObject::tr("out of memory (video frame)");
  frame_->format = AV_PIX_FMT_YUV420P;
  frame_->width = size.width();
  frame_->height = size.height();
  frame_->color_range = AVCOL_RANGE_MPEG;
  frame_->colorspace = AVCOL_SPC_BT709;
  if ((status = av_frame_get_buffer(frame_, 0)) < 0) return avError("video frame", status);
  // RGBA -> Y'CbCr 4:2:0 with the BT.709 matrix the stream is tagged with, limited range
  // (16..235), as players expect of H.264.
  scale_ = sws_getContext(size.width(), size.height(), AV_PIX_FMT_RGBA, size.width(),
                          size.height(), AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr,
                          nullptr);
  if (!scale_) return QObject::tr("cannot convert RGB to YUV 4:2:0");
  const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
  sws_setColorspaceDetails(scale_, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
  return {};
}

QString Mp4Writer::send(const AVFrame* frame) {
  int status = avcodec_send_frame(codec_, frame);
  if (status < 0) return avError("H.264 encoder", status);
  for (;;) {
    status = avcodec_receive_packet(codec_, packet_);
    if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return {};
    if (status < 0) return avError("H.264 encoder", status);
    av_packet_rescale_ts(packet_, codec_->time_base, stream_->time_base);
    packet_->stream_index = stream_->index;
    status = av_interleaved_write_frame(format_, packet_);  // takes the packet's data
    if (status < 0) return avError("cannot write the video", status);
  }
}

QString Mp4Writer::addFrame(const QImage& image) {
  if (!scale_) return QObject::tr("the video is not open");
  if (image.size() != size_)
    return QObject::tr("frame of %1 x %2 pixels in a %3 x %4 video")
        .arg(image.width()).arg(image.height()).arg(size_.width()).arg(size_.height());
  const QImage rgba = image.convertToFormat(QImage::Format_RGBA8888);
  int status = av_frame_make_writable(frame_);
  if (status < 0) return avError("video frame", status);
  const uint8_t* source[1] = {rgba.constBits()};
  const int stride[1] = {int(rgba.bytesPerLine())};
  sws_scale(scale_, source, stride, 0, size_.height(), frame_->data, frame_->linesize);
  frame_->pts = frames_++;
  return send(frame_);
}

QString Mp4Writer::finish() {
  if (!scale_) return QObject::tr("the video is not open");
  QString error = send(nullptr);
  if (error.isEmpty() && headerWritten_) {
    // With +faststart the trailer also moves the index to the front.
    if (const int status = av_write_trailer(format_); status < 0)
      error = avError("MP4 index", status);
  }
  close();
  return error;
}

}  // namespace layerscope
