// libFuzzer: the saved-run parser (runFromContent, io/run_file.h) on arbitrary decompressed
// content, so the fuzzer mutates counts, lengths, section tags and the experiment's JSON rather
// than deflate blocks (fuzz_gzip covers those). What it accepts must write back and read again
// to the same content: what we write, we must read back.
#include <cstddef>
#include <cstdint>
#include <string>

#include "errors.h"
#include "io/run_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string content(reinterpret_cast<const char*>(data), size);
  layerscope::SavedRun run;
  try {
    run = layerscope::runFromContent(content, "fuzz.lsrun");
  } catch (const layerscope::InputError&) {
    return 0;
  }
  const std::string saved = layerscope::runContent(run);
  try {
    const layerscope::SavedRun again = layerscope::runFromContent(saved, "saved.lsrun");
    if (layerscope::runContent(again) != saved) __builtin_trap();
  } catch (const layerscope::InputError&) {
    __builtin_trap();
  }
  return 0;
}
