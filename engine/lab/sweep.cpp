#include "lab/sweep.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "errors.h"
#include "settings/schema.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

// The sweepable row named `parameter` ("lr", "init_std", ...), or an InputError listing them.
const Setting& sweepSetting(const std::string& parameter) {
  const Setting* s = findSetting(parameter);
  if (!s || !s->sweepable)
    throw InputError("sweep: unknown parameter '" + parameter + "' (expected " +
                     sweepParameterNames() + ")");
  return *s;
}

bool isNumeric(const Setting& s) {
  return s.type == SettingType::Integer || s.type == SettingType::Number;
}

}  // namespace

const char* sweepParameterNames() {
  static const std::string names = [] {
    std::string list;
    for (const Setting& s : settingsSchema())
      if (s.sweepable) list += (list.empty() ? "" : "|") + s.key;
    return list;
  }();
  return names.c_str();
}

void applySweepValue(ExperimentConfig& c, const std::string& parameter, const std::string& value) {
  const Setting& s = sweepSetting(parameter);
  std::string text = value;
  if (s.type == SettingType::Integer) {  // "10.0" from a numeric range is the integer 10
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (!value.empty() && *end == '\0' && std::isfinite(v) && v == std::floor(v) &&
        std::fabs(v) < 1e15)
      text = std::to_string(static_cast<long long>(v));
  }
  s.set(c, parseSettingValue(s, text, "sweep: " + parameter));
  if (s.alsoSets) s.alsoSets(c);
  // A sweep of the init std is a sweep of N(0, std^2): the only initializer the std affects.
  if (s.path() == "model.init_std") c.model.init = "normal";
}

std::vector<SweepPoint> runSweep(const ExperimentConfig& base, const std::string& parameter,
                                 const std::vector<std::string>& values,
                                 const std::function<bool()>& cancel) {
  // Every value is checked before the first (possibly long) run starts.
  std::vector<ExperimentConfig> configs;
  for (const std::string& value : values) {
    ExperimentConfig c = base;
    applySweepValue(c, parameter, value);
    try {
      validate(c);
    } catch (const InputError& error) {
      throw InputError("sweep: " + parameter + " = " + value + ": " + error.what());
    }
    configs.push_back(std::move(c));
  }
  std::vector<SweepPoint> points;
  for (size_t i = 0; i < configs.size(); ++i) {
    if (cancel && cancel()) break;
    SweepPoint point;
    point.value = isNumeric(sweepSetting(parameter)) ? std::strtod(values[i].c_str(), nullptr)
                                                     : std::numeric_limits<double>::quiet_NaN();
    point.label = parameter + " = " + values[i];
    if (std::isfinite(point.value)) {  // "0.00316", not "0.0031622776601683794"
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.3g", point.value);
      point.label = parameter + " = " + buffer;
    }
    Trainer trainer(configs[i]);
    point.initial = trainer.probe();
    bool cancelled = false;
    while (!trainer.finished()) {
      if (cancel && cancel()) {
        cancelled = true;
        break;
      }
      trainer.trainStep();
    }
    if (cancelled) break;  // a half-trained point would compare unlike with like
    point.final = trainer.summary();
    points.push_back(std::move(point));
  }
  return points;
}

std::vector<double> logSpace(double lo, double hi, int n) {
  if (!(lo > 0.0) || !(hi > 0.0) || !std::isfinite(lo) || !std::isfinite(hi))
    throw InputError("logSpace: the bounds must be positive and finite");
  if (n < 1) throw InputError("logSpace: needs at least one value");
  std::vector<double> values(n);
  const double a = std::log10(lo), b = std::log10(hi);
  for (int i = 0; i < n; ++i) values[i] = n == 1 ? lo : std::pow(10.0, a + (b - a) * i / (n - 1));
  if (n > 1) values.back() = hi;  // exact end points, not 10^log10(hi)
  values.front() = lo;
  return values;
}

std::vector<std::string> sweepValues(const std::vector<double>& values) {
  std::vector<std::string> texts;
  for (double v : values) {
    char buffer[64];
    for (int digits = 1; digits <= 17; ++digits) {
      std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
      if (std::strtod(buffer, nullptr) == v) break;
    }
    texts.push_back(buffer);
  }
  return texts;
}

}  // namespace layerscope
