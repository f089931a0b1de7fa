// libFuzzer: the experiment the desktop app restores from its settings at start-up
// (experimentFromSetting). Whatever the stored bytes, it must not throw, and what it returns must
// be an experiment validate() accepts: a damaged setting may cost the user their last settings,
// never the start of the app.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config.h"
#include "io/experiment_file.h"
#include "settings/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string stored(reinterpret_cast<const char*>(data), size);
  std::string problem;
  const layerscope::ExperimentConfig config =
      layerscope::experimentFromSetting(stored, "settings", &problem);
  layerscope::validate(config);  // an InputError escaping here is a finding
  if (!problem.empty() && problem.rfind("settings", 0) != 0) __builtin_trap();  // names the source
  return 0;
}
