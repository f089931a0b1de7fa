// Reading a file that may be gzip-compressed (MNIST's *.gz, a csv.gz): zlib's gzread passes a
// plain file through unchanged, so callers need not know which one they were given.
#pragma once

#include <cstddef>
#include <string>

struct gzFile_s;  // zlib's handle; zlib.h stays out of the engine's public headers

namespace layerscope {

// A sequential reader over a plain or gzip file. Every failure is an InputError naming the file:
//   "PATH: cannot open (reason)", "PATH: cannot read (reason)",
//   "PATH: truncated or corrupt gzip data".
// A gzip stream cut short is only detectable once its end is reached (zlib reports
// Z_BUF_ERROR "unexpected end of file"), so read() checks after every short read and close()
// checks once more.
class GzipFileReader {
 public:
  explicit GzipFileReader(const std::string& path);
  ~GzipFileReader();
  GzipFileReader(const GzipFileReader&) = delete;
  GzipFileReader& operator=(const GzipFileReader&) = delete;

  // Reads up to `count` bytes; returns fewer only at the end of the (decompressed) data.
  std::size_t read(void* buffer, std::size_t count);
  // Reads to the end and returns how many bytes were left (for "trailing data" checks).
  std::size_t skipToEnd();
  // Closes the file, reporting a gzip stream that ended early or failed its CRC.
  void close();

  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void throwReadError(int zlibError) const;

  std::string path_;
  gzFile_s* file_ = nullptr;
};

// Text data sets are refused above this size (decompressed): the same 2^31 bound the IDX reader
// puts on its values. A few megabytes of gzip can otherwise expand to tens of gigabytes.
inline constexpr std::size_t kMaxWholeFileBytes = std::size_t(1) << 31;

// The whole (decompressed) content of a plain or gzip file. Throws InputError
// "PATH: more than N bytes ..." when the content exceeds maxBytes.
std::string readWholeFile(const std::string& path, std::size_t maxBytes = kMaxWholeFileBytes);

}  // namespace layerscope
