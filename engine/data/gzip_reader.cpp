#include "data/gzip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "errors.h"

namespace layerscope {

namespace {

// gzread takes an unsigned int count; larger requests are split into chunks of this size.
constexpr std::size_t kMaxChunk = std::size_t(1) << 30;
// zlib's default 8 KiB input buffer makes a 30 MB MNIST file take thousands of read() calls.
constexpr unsigned kInputBufferBytes = 256 * 1024;

}  // namespace

GzipFileReader::GzipFileReader(const std::string& path) : path_(path) {
  errno = 0;
  file_ = gzopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    const char* reason = errno != 0 ? std::strerror(errno) : "out of memory";
    throw InputError(path + ": cannot open (" + reason + ")");
  }
  gzbuffer(file_, kInputBufferBytes);
}

GzipFileReader::~GzipFileReader() {
  if (file_ != nullptr) gzclose_r(file_);
}

void GzipFileReader::throwReadError(int zlibError) const {
  if (zlibError == Z_ERRNO) {
    const char* reason = errno != 0 ? std::strerror(errno) : "read error";
    throw InputError(path_ + ": cannot read (" + reason + ")");
  }
  if (zlibError == Z_MEM_ERROR) throw InputError(path_ + ": cannot read (out of memory)");
  throw InputError(path_ + ": truncated or corrupt gzip data");
}

std::size_t GzipFileReader::read(void* buffer, std::size_t count) {
  if (file_ == nullptr) throw InputError(path_ + ": cannot read (file already closed)");
  auto* out = static_cast<unsigned char*>(buffer);
  std::size_t total = 0;
  while (total < count) {
    const auto want = static_cast<unsigned>(std::min(count - total, kMaxChunk));
    errno = 0;
    const int got = gzread(file_, out + total, want);
    int zlibError = Z_OK;
    if (got < 0) {
      gzerror(file_, &zlibError);
      throwReadError(zlibError);
    }
    total += static_cast<std::size_t>(got);
    if (static_cast<unsigned>(got) < want) {
      // A short read is the end of the data -- or a gzip stream cut short (Z_BUF_ERROR).
      gzerror(file_, &zlibError);
      if (zlibError != Z_OK) throwReadError(zlibError);
      break;
    }
  }
  return total;
}

std::size_t GzipFileReader::skipToEnd() {
  unsigned char scratch[64 * 1024];
  std::size_t skipped = 0;
  for (;;) {
    const std::size_t got = read(scratch, sizeof scratch);
    skipped += got;
    if (got < sizeof scratch) return skipped;
  }
}

void GzipFileReader::close() {
  if (file_ == nullptr) return;
  const int status = gzclose_r(file_);
  file_ = nullptr;
  if (status == Z_BUF_ERROR || status == Z_DATA_ERROR) {
    throw InputError(path_ + ": truncated or corrupt gzip data");
  }
  if (status != Z_OK) throwReadError(status);
}

std::string readWholeFile(const std::string& path, std::size_t maxBytes) {
  GzipFileReader reader(path);
  std::string content;
  constexpr std::size_t kBlock = 1 << 20;
  for (;;) {
    const std::size_t used = content.size();
    // One byte past the limit tells "exactly maxBytes" from "more".
    const std::size_t want = std::min(kBlock, maxBytes - used + 1);
    content.resize(used + want);
    const std::size_t got = reader.read(&content[used], want);
    content.resize(used + got);
    if (content.size() > maxBytes) {
      throw InputError(path + ": more than " + std::to_string(maxBytes) +
                       " bytes (after decompression): too large to load as a data set");
    }
    if (got < want) break;
  }
  reader.close();
  return content;
}

}  // namespace layerscope
