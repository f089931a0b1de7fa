// validate(): every setting against its row of the schema (type, limits, choices), then the
// rules that tie several settings together.
#include <string>
#include <vector>

#include "errors.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

}  // namespace

void validate(const ExperimentConfig& c) {
  for (const Setting& setting : settingsSchema()) checkSettingLimits(setting, setting.get(c));

  const DataConfig& d = c.data;
  require(d.validationFraction + d.testFraction < 1.0,
          "validation-fraction + test-fraction: must leave some training data (sum < 1)");
  // A bound on the parameter count keeps a typo (width 1e6) from exhausting memory.
  double parameters = 0;
  double fanIn = d.source.rfind("idx:", 0) == 0 ? 784 : d.features;
  for (int w : hiddenWidths(c.model)) {
    parameters += fanIn * w;
    fanIn = w;
  }
  require(parameters <= 4e8, "width/depth: the network would have " +
                                 std::to_string(long(parameters)) +
                                 " weights (more than 400 million): reduce depth or width");
}

}  // namespace layerscope
