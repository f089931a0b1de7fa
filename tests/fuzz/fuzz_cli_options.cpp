// libFuzzer: parseCliOptions on an argument vector cut from the input at NUL bytes, then
// validate() as runTrainCommand does (phase: parsePhaseOptions, app/cli_phase.h). Inputs naming
// --config are skipped: the fuzzer would otherwise read arbitrary files (/dev/stdin blocks); the
// experiment reader has its own target.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli_options.h"
#include "cli_phase.h"
#include "config.h"
#include "errors.h"
#include "settings/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (text.find("--config") != std::string::npos) return 0;
  std::vector<std::string> args;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nul = text.find('\0', start);
    args.push_back(text.substr(start, nul == std::string::npos ? std::string::npos : nul - start));
    if (nul == std::string::npos) break;
    start = nul + 1;
  }
  try {
    const layerscope::CliOptions options = layerscope::parseCliOptions(args);
    if (options.command == "phase") (void)layerscope::parsePhaseOptions(options.phaseArgs);
    (void)layerscope::cliUsage();
    layerscope::validate(options.config);
  } catch (const layerscope::InputError& error) {
    (void)layerscope::asFlagMessage(error.what());
  }
  return 0;
}
