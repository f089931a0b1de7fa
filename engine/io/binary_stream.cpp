#include "io/binary_stream.h"

#include <cstring>

#include "errors.h"

namespace layerscope {

// Values are copied as they lie in memory: the file format is little-endian, and so is every
// machine LayerScope builds for (x86-64, arm64). A big-endian build would need byte swaps here.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the binary formats are little-endian");

void BinaryWriter::u32(std::uint32_t v) { raw(&v, sizeof v); }
void BinaryWriter::u64(std::uint64_t v) { raw(&v, sizeof v); }
void BinaryWriter::f32(float v) { raw(&v, sizeof v); }
void BinaryWriter::f64(double v) { raw(&v, sizeof v); }
void BinaryWriter::text(const std::string& s) {
  u32(std::uint32_t(s.size()));
  out_ += s;
}

BinaryReader::BinaryReader(const std::string& bytes, std::string source)
    : bytes_(bytes), source_(std::move(source)) {}

void BinaryReader::fail(const char* field, const std::string& what) const {
  std::string where = context_;
  if (field && *field) where += (where.empty() ? "" : ", ") + std::string(field);
  throw InputError(source_ + ": " + (where.empty() ? "" : where + ": ") + what);
}

void BinaryReader::need(const char* field, std::size_t bytes) const {
  if (bytes > left())
    fail(field, "the file ends early (" + std::to_string(bytes) + " bytes needed, " +
                    std::to_string(left()) + " left)");
}

void BinaryReader::raw(const char* field, void* out, std::size_t bytes) {
  need(field, bytes);
  if (bytes > 0) std::memcpy(out, bytes_.data() + at_, bytes);
  at_ += bytes;
}

std::uint8_t BinaryReader::u8(const char* field) {
  std::uint8_t v;
  raw(field, &v, sizeof v);
  return v;
}

bool BinaryReader::flag(const char* field) {
  const std::uint8_t v = u8(field);
  if (v > 1) fail(field, "flag " + std::to_string(v) + ", expected 0 or 1");
  return v == 1;
}

std::uint32_t BinaryReader::u32(const char* field) {
  std::uint32_t v;
  raw(field, &v, sizeof v);
  return v;
}

std::uint64_t BinaryReader::u64(const char* field) {
  std::uint64_t v;
  raw(field, &v, sizeof v);
  return v;
}

std::int64_t BinaryReader::i64(const char* field) { return std::int64_t(u64(field)); }

float BinaryReader::f32(const char* field) {
  float v;
  raw(field, &v, sizeof v);
  return v;
}

double BinaryReader::f64(const char* field) {
  double v;
  raw(field, &v, sizeof v);
  return v;
}

std::int64_t BinaryReader::integer(const char* field, std::int64_t lo, std::int64_t hi) {
  const std::int64_t v = i64(field);
  if (v < lo || v > hi)
    fail(field, std::to_string(v) + ", outside [" + std::to_string(lo) + ", " +
                    std::to_string(hi) + "]");
  return v;
}

std::size_t BinaryReader::count(const char* field, const char* what, std::size_t limit,
                                std::size_t minBytesEach) {
  const std::size_t n = u32(field);
  if (n > limit)
    fail(field, std::to_string(n) + " " + what + ", more than the " + std::to_string(limit) +
                    " allowed");
  if (minBytesEach > 0 && n > left() / minBytesEach)
    fail(field, std::to_string(n) + " " + what + " cannot fit in the " + std::to_string(left()) +
                    " bytes left (the file ends early or the count is damaged)");
  return n;
}

std::string BinaryReader::text(const char* field, std::size_t maxBytes) {
  const std::size_t n = count(field, "bytes of text", maxBytes, 1);
  std::string s(bytes_.data() + at_, n);
  at_ += n;
  return s;
}

}  // namespace layerscope
