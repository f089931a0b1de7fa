// libFuzzer: importOnnxBytes (in memory) on arbitrary bytes; seeds are real exports, so the
// fuzzer mutates protobuf fields (dims, raw_data sizes, node inputs, attributes).
#include <cstddef>
#include <cstdint>
#include <string>

#include "errors.h"
#include "io/onnx_import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const layerscope::ModelState model = layerscope::importOnnxBytes(bytes, "fuzz.onnx");
    if (model.inputs < 0 || model.classes < 0) __builtin_trap();
  } catch (const layerscope::InputError&) {
  }
  return 0;
}
