// Little-endian binary encoding: the saved-run file's (io/run_file.h) and the keyframes'
// (io/keyframe_io.h). The writer appends to a byte string; the reader walks a byte string it
// does not own and is held to the standard of every reader: a count is checked against a sane
// limit and against the bytes left before the caller allocates for it, and every failure is one
// InputError naming the source, where in it (context()) and the field:
//   "run.lsrun: snapshot 12, layer 3, activation histogram: 4000000000 bins, more than the
//    10000 allowed".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace layerscope {

class BinaryWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(char(v)); }
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i64(std::int64_t v) { u64(std::uint64_t(v)); }
  void f32(float v);
  void f64(double v);
  // A u32 byte count, then the bytes.
  void text(const std::string& s);
  // Bytes as they are in memory, without a count: arrays of numbers (the machine is
  // little-endian, checked at compile time in binary_stream.cpp).
  void raw(const void* data, std::size_t bytes) { out_.append(static_cast<const char*>(data), bytes); }

  std::size_t size() const { return out_.size(); }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class BinaryReader {
 public:
  // `bytes` must outlive the reader; `source` names it in messages (the file's path).
  BinaryReader(const std::string& bytes, std::string source);

  // Where the reader is, for messages: "snapshot 12, layer 3" (empty: the file's top level).
  void setContext(std::string context) { context_ = std::move(context); }
  const std::string& context() const { return context_; }

  std::uint8_t u8(const char* field);
  bool flag(const char* field);  // a u8 that must be 0 or 1
  std::uint32_t u32(const char* field);
  std::uint64_t u64(const char* field);
  std::int64_t i64(const char* field);
  float f32(const char* field);
  double f64(const char* field);
  // An i64 that must lie in [lo, hi] ("...: step -3, outside [0, 9223372036854775807]").
  std::int64_t integer(const char* field, std::int64_t lo, std::int64_t hi);
  // A u32 count of items of at least `minBytesEach` bytes: refused above `limit` ("N what, more
  // than the LIMIT allowed") and when the bytes left cannot hold that many ("the file ends
  // early"), so a damaged count never becomes a huge allocation.
  std::size_t count(const char* field, const char* what, std::size_t limit, std::size_t minBytesEach);
  // A length-prefixed text of at most maxBytes.
  std::string text(const char* field, std::size_t maxBytes);
  // `bytes` raw bytes into `out` (the caller sized it after count()).
  void raw(const char* field, void* out, std::size_t bytes);

  std::size_t left() const { return bytes_.size() - at_; }
  std::size_t offset() const { return at_; }
  // Throws "SOURCE: CONTEXT, FIELD: WHAT".
  [[noreturn]] void fail(const char* field, const std::string& what) const;

 private:
  void need(const char* field, std::size_t bytes) const;

  const std::string& bytes_;
  std::string source_, context_;
  std::size_t at_ = 0;
};

}  // namespace layerscope
