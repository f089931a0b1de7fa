// libFuzzer: experimentFromJson (in memory), then validate() on what it accepted, then the
// round trip experimentToJson -> experimentFromJson, which must give back the same document.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "settings/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  layerscope::ExperimentConfig config;
  try {
    config = layerscope::experimentFromJson(text, "fuzz.json");
  } catch (const layerscope::InputError&) {
    return 0;
  }
  try {
    layerscope::validate(config);
  } catch (const layerscope::InputError&) {
  }
  const std::string saved = layerscope::experimentToJson(config);
  try {
    const layerscope::ExperimentConfig again = layerscope::experimentFromJson(saved, "saved.json");
    if (layerscope::experimentToJson(again) != saved) __builtin_trap();
  } catch (const layerscope::InputError&) {
    __builtin_trap();  // what we write, we must read back
  }
  return 0;
}
