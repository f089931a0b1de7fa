// libFuzzer: loadIdxPair on an images file and a labels file cut from one input. Byte 0 picks
// where the labels end (labels = bytes 1..1+cut, images = the rest), byte 1 bit 0 wraps the
// images in gzip, so both the plain and the compressed paths are explored.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "data/idx_loader.h"
#include "errors.h"
#include "fuzz_util.h"

namespace {

std::string gzipped(const std::uint8_t* data, std::size_t size) {
  const std::string path = layerscope::fuzz::scratchPath("idx-images.gz");
  gzFile file = gzopen(path.c_str(), "wb1");
  if (file == nullptr) __builtin_trap();
  if (size > 0) gzwrite(file, data, static_cast<unsigned>(size));
  gzclose(file);
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool compress = data[1] & 1;
  std::size_t cut = data[0];
  data += 2;
  size -= 2;
  if (cut > size) cut = size;
  const std::string labels = layerscope::fuzz::writeScratch("idx-labels", data, cut);
  const std::string images = compress
                                 ? gzipped(data + cut, size - cut)
                                 : layerscope::fuzz::writeScratch("idx-images", data + cut, size - cut);
  try {
    const layerscope::Dataset d = layerscope::loadIdxPair(images, labels);
    if (d.samples() < 1 || d.y.size() != static_cast<std::size_t>(d.samples())) __builtin_trap();
    for (int label : d.y)
      if (label < 0 || label >= d.classes) __builtin_trap();
    if (d.x.size() > 0 && (d.x.minCoeff() < 0.0f || d.x.maxCoeff() > 1.0f)) __builtin_trap();
  } catch (const layerscope::InputError&) {
  }
  return 0;
}
