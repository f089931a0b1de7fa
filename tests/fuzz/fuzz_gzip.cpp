// libFuzzer: readWholeFile (plain or gzip) on arbitrary bytes. Seeds are gzip streams, so the
// fuzzer mutates headers, deflate blocks, CRCs and lengths.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/gzip_reader.h"
#include "errors.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = layerscope::fuzz::writeScratch("gz", data, size);
  try {
    const std::string content = layerscope::readWholeFile(path);
    // A plain file passes through unchanged.
    if (size >= 2 && !(data[0] == 0x1f && data[1] == 0x8b) && content.size() != size)
      __builtin_trap();
  } catch (const layerscope::InputError&) {
  }
  return 0;
}
