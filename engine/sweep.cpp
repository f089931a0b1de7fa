#include "sweep.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "errors.h"

namespace layerscope {
namespace {

double parseNumber(const std::string& parameter, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value))
    throw InputError("sweep: " + parameter + " value '" + text + "' is not a number");
  return value;
}

int parseInteger(const std::string& parameter, const std::string& text) {
  const double value = parseNumber(parameter, text);
  if (value != std::floor(value) || std::abs(value) > 1e9)
    throw InputError("sweep: " + parameter + " value '" + text + "' is not a whole number");
  return static_cast<int>(value);
}

bool isNumeric(const std::string& parameter) {
  return parameter != "init" && parameter != "activation";
}

}  // namespace

const char* sweepParameterNames() { return "init_std|init|activation|l2|dropout|lr|depth|width"; }

void applySweepValue(ExperimentConfig& c, const std::string& parameter, const std::string& value) {
  if (parameter == "init_std") {
    c.model.init = "normal";
    c.model.initStd = parseNumber(parameter, value);
  } else if (parameter == "init") {
    c.model.init = value;
  } else if (parameter == "activation") {
    c.model.activation = value;
  } else if (parameter == "l2") {
    c.train.l2 = parseNumber(parameter, value);
  } else if (parameter == "dropout") {
    c.model.dropout = parseNumber(parameter, value);
  } else if (parameter == "lr") {
    c.train.learningRate = parseNumber(parameter, value);
  } else if (parameter == "depth") {
    c.model.widths.clear();
    c.model.depth = parseInteger(parameter, value);
  } else if (parameter == "width") {
    c.model.widths.clear();
    c.model.width = parseInteger(parameter, value);
  } else {
    throw InputError("sweep: unknown parameter '" + parameter + "' (expected " +
                     sweepParameterNames() + ")");
  }
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
    point.value = isNumeric(parameter) ? parseNumber(parameter, values[i])
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
