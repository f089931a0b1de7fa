// libFuzzer: loadCsv on arbitrary bytes. The first byte picks the label column option (last,
// an index, a header name), the rest is the file. An InputError is the expected outcome for
// most inputs; any other exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/csv_loader.h"
#include "errors.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = layerscope::fuzz::writeScratch("csv", nullptr, 0);
  if (size == 0) return 0;
  static const char* const kLabelColumns[] = {"", "0", "1", "label", "class", "999999999999"};
  const std::string labelColumn = kLabelColumns[data[0] % 6];
  layerscope::fuzz::writeScratch("csv", data + 1, size - 1);
  try {
    const layerscope::Dataset d = layerscope::loadCsv(path, labelColumn);
    // What a loaded set promises: one label per column of x, labels within [0, classes).
    if (d.y.size() != static_cast<std::size_t>(d.samples()) || d.classes < 1) __builtin_trap();
    for (int label : d.y)
      if (label < 0 || label >= d.classes) __builtin_trap();
    if (!d.x.allFinite()) __builtin_trap();
  } catch (const layerscope::InputError&) {
  }
  return 0;
}
