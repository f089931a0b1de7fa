#include "settings/schema.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <type_traits>

#include "errors.h"

namespace layerscope {
namespace {

// --- Accessors: a member of ExperimentConfig (or of one of its sections) as a SettingValue ---

template <typename T>
SettingValue toValue(const T& v) {
  if constexpr (std::is_same_v<T, bool>) return v;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return v;
  else if constexpr (std::is_integral_v<T>) return static_cast<std::int64_t>(v);
  else return v;  // double, std::string, std::vector<int>
}

template <typename T>
void fromValue(const SettingValue& value, T& out) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::uint64_t> ||
                std::is_same_v<T, double> || std::is_same_v<T, std::string> ||
                std::is_same_v<T, std::vector<int>>)
    out = std::get<T>(value);
  else  // int, long: the limits keep the value inside the member's type
    out = static_cast<T>(std::get<std::int64_t>(value));
}

struct Access {
  std::function<SettingValue(const ExperimentConfig&)> get;
  std::function<void(ExperimentConfig&, const SettingValue&)> set;
};

template <typename S, typename T>
Access at(S ExperimentConfig::*section, T S::*member) {
  return {[=](const ExperimentConfig& c) { return toValue(c.*section.*member); },
          [=](ExperimentConfig& c, const SettingValue& v) { fromValue(v, c.*section.*member); }};
}

template <typename T>
Access at(T ExperimentConfig::*member) {
  return {[=](const ExperimentConfig& c) { return toValue(c.*member); },
          [=](ExperimentConfig& c, const SettingValue& v) { fromValue(v, c.*member); }};
}

// --- Row builders ---

Setting row(const char* section, const char* key, SettingType type, Access access,
            const char* valueName, const char* help) {
  Setting s;
  s.section = section;
  s.key = key;
  s.type = type;
  s.valueName = valueName;
  s.help = help;
  s.get = std::move(access.get);
  s.set = std::move(access.set);
  return s;
}

Setting text(const char* section, const char* key, Access access, const char* valueName,
             const char* help) {
  return row(section, key, SettingType::Text, std::move(access), valueName, help);
}

Setting choice(const char* section, const char* key, Access access,
               std::vector<std::string> choices, const char* help) {
  Setting s = row(section, key, SettingType::Choice, std::move(access), "NAME", help);
  s.choices = std::move(choices);
  return s;
}

// A setting with a numeric range: Integer or Number.
Setting ranged(SettingType type, const char* section, const char* key, Access access, double lo,
               double hi, const char* valueName, const char* help) {
  Setting s = row(section, key, type, std::move(access), valueName, help);
  s.min = lo;
  s.max = hi;
  return s;
}
Setting integer(const char* section, const char* key, Access access, double lo, double hi,
                const char* valueName, const char* help) {
  return ranged(SettingType::Integer, section, key, std::move(access), lo, hi, valueName, help);
}
Setting number(const char* section, const char* key, Access access, double lo, double hi,
               const char* valueName, const char* help) {
  return ranged(SettingType::Number, section, key, std::move(access), lo, hi, valueName, help);
}

Setting flag(const char* section, const char* key, Access access, const char* help) {
  return row(section, key, SettingType::Flag, std::move(access), "", help);
}

Setting live(Setting s, SettingEffect effect = SettingEffect::Live) {
  s.effect = effect;
  return s;
}
Setting sweepable(Setting s) {
  s.sweepable = true;
  return s;
}
Setting openBelow(Setting s) {
  s.minOpen = true;
  return s;
}
Setting openAbove(Setting s) {
  s.maxOpen = true;
  return s;
}
Setting special(Setting s, std::int64_t value, const char* name) {
  s.specialValue = value;
  s.specialName = name;
  return s;
}
Setting also(Setting s, std::function<void(ExperimentConfig&)> f) {
  s.alsoSets = std::move(f);
  return s;
}

// Real-valued settings stay below this: a typo (1e300) is refused with the range, not run.
constexpr double kLarge = 1e6;

std::vector<Setting> buildSchema() {
  using E = ExperimentConfig;
  using D = DataConfig;
  using M = ModelConfig;
  using T = TrainConfig;
  using S = StatsConfig;
  const auto clearWidths = [](ExperimentConfig& c) { c.model.widths.clear(); };
  std::vector<Setting> rows = {
      text("", "name", at(&E::name), "TEXT", "experiment name"),

      text("data", "dataset", at(&E::data, &D::source), "NAME",
           "gaussian|spiral|circles|moons|xor|blobs|csv:PATH|idx:DIR|idx:IMAGES,LABELS; "
           "gaussian: x ~ N(0, 1), the article's probe data"),
      integer("data", "samples", at(&E::data, &D::samples), 1, 1e8, "N", "generated samples"),
      integer("data", "features", at(&E::data, &D::features), 1, 1e7, "D",
              "generated features, gaussian and blobs"),
      integer("data", "classes", at(&E::data, &D::classes), 1, 255, "K", "generated classes"),
      number("data", "noise", at(&E::data, &D::noise), 0, 100, "X", "generator noise"),
      sweepable(choice("data", "labels", at(&E::data, &D::labels), {"teacher", "random"},
                       "gaussian data: labels from a random teacher network drawn from the seed "
                       "(learnable), or at random (nothing to learn but memorization)")),
      text("data", "label_column", at(&E::data, &D::labelColumn), "NAME|I",
           "CSV label column, by header name or 0-based index (empty: the last)"),
      openAbove(number("data", "validation_fraction", at(&E::data, &D::validationFraction), 0, 1,
                       "F", "share of the training data held out for validation")),
      openAbove(number("data", "test_fraction", at(&E::data, &D::testFraction), 0, 1, "F",
                       "share held out as a test set, generators and CSV")),
      sweepable(choice("data", "preprocess", at(&E::data, &D::preprocess),
                       {"none", "center", "standardize"},
                       "fitted on the training split")),

      sweepable(also(integer("model", "depth", at(&E::model, &M::depth), 0, 1000, "L",
                             "hidden layers"),
                     clearWidths)),
      sweepable(also(integer("model", "width", at(&E::model, &M::width), 1, 1 << 20, "W",
                             "units per hidden layer"),
                     clearWidths)),
      [&] {
        Setting s = row("model", "widths", SettingType::IntegerList, at(&E::model, &M::widths),
                        "W1,W2,...", "one width per hidden layer (overrides --depth/--width)");
        s.min = 1;
        s.max = 1 << 20;
        return s;
      }(),
      sweepable(choice("model", "activation", at(&E::model, &M::activation),
                       {"tanh", "sigmoid", "relu", "leaky_relu", "elu", "selu", "gelu", "linear"},
                       "the non-linearity f in a = f(W x + b)")),
      sweepable(choice("model", "init", at(&E::model, &M::init),
                       {"normal", "uniform", "xavier_normal", "xavier_uniform", "he_normal",
                        "he_uniform", "lecun_normal", "lecun_uniform", "orthogonal", "zeros",
                        "constant"},
                       "the weight initializer (biases start at 0)")),
      sweepable(number("model", "init_std", at(&E::model, &M::initStd), 0, kLarge, "S",
                       "std of --init normal")),
      sweepable(number("model", "init_bound", at(&E::model, &M::initBound), 0, kLarge, "A",
                       "bound of --init uniform: U(-A, A)")),
      number("model", "init_constant", at(&E::model, &M::initConstant), -kLarge, kLarge, "C",
             "value of --init constant"),
      flag("model", "batch_norm", at(&E::model, &M::batchNorm),
           "batch normalization before each hidden activation"),
      sweepable(live(openAbove(number("model", "dropout", at(&E::model, &M::dropout), 0, 1, "P",
                                      "inverted dropout after each hidden activation, drop "
                                      "probability P")),
                     SettingEffect::LiveNonZero)),
      number("model", "leaky_slope", at(&E::model, &M::leakySlope), 0, kLarge, "A",
             "leaky_relu negative slope"),
      openBelow(number("model", "elu_alpha", at(&E::model, &M::eluAlpha), 0, kLarge, "A",
                       "elu alpha")),

      sweepable(choice("train", "optimizer", at(&E::train, &T::optimizer),
                       {"sgd", "momentum", "nesterov", "adam"}, "the update rule")),
      sweepable(live(number("train", "lr", at(&E::train, &T::learningRate), 0, kLarge, "R",
                            "learning rate"))),
      sweepable(openAbove(number("train", "momentum", at(&E::train, &T::momentum), 0, 1, "M",
                                 "momentum / nesterov coefficient"))),
      openAbove(number("train", "beta1", at(&E::train, &T::beta1), 0, 1, "B",
                       "adam: decay of the running mean of g")),
      openAbove(number("train", "beta2", at(&E::train, &T::beta2), 0, 1, "B",
                       "adam: decay of the running mean of g^2")),
      openBelow(number("train", "epsilon", at(&E::train, &T::epsilon), 0, 1, "E",
                       "adam: added to sqrt(v) in the denominator")),
      sweepable(live(number("train", "l2", at(&E::train, &T::l2), 0, kLarge, "L",
                            "loss += L * sum(W^2) over the weights"))),
      sweepable(live(number("train", "l1", at(&E::train, &T::l1), 0, kLarge, "L",
                            "loss += L * sum(|W|) over the weights"))),
      sweepable(integer("train", "batch_size", at(&E::train, &T::batchSize), 1, 1e8, "B",
                        "samples per step")),
      also(live(integer("train", "epochs", at(&E::train, &T::epochs), 0, 1e6, "E",
                        "passes over the training data"),
                SettingEffect::Extends),
           [](ExperimentConfig& c) { c.train.steps = -1; }),
      special(live(integer("train", "steps", at(&E::train, &T::steps), -1, 1e12, "N",
                           "optimisation steps, overrides --epochs; 0: statistics of the "
                           "freshly initialized network, no training"),
                   SettingEffect::Extends),
              -1, "by_epochs"),
      [&] {
        Setting s = row("train", "seed", SettingType::Seed, at(&E::train, &T::seed), "S",
                        "the one seed every random choice derives from");
        s.min = 0;
        s.max = 18446744073709551615.0;
        return s;
      }(),
      // Changing it changes no number (compute_threads.h), so it applies between two steps.
      special(live(integer("train", "threads", at(&E::train, &T::threads), 0, 256, "T",
                           "threads for the matrix products; auto (0): the physical cores, or\n"
                           "LAYERSCOPE_THREADS when set; results are the same for any count")),
              0, "auto"),

      special(integer("stats", "stats_every", at(&E::stats, &S::every), -1, 1e12, "K",
                      "probe every K steps; 0: none; auto: at most ~2% of training time"),
              -1, "auto"),
      integer("stats", "probe_size", at(&E::stats, &S::probeSize), 1, 1e6, "N",
              "the fixed probe batch: up to N training samples"),
      integer("stats", "histogram_bins", at(&E::stats, &S::histogramBins), 1, 10000, "N",
              "bins of each layer's histogram"),
      [&] {
        Setting s = flag("stats", "probe_training_mode", at(&E::stats, &S::probeTrainingMode),
                         "probe with batch statistics and dropout on (off: evaluation mode, "
                         "batch-norm running statistics, no dropout)");
        s.aliases = {"--probe-train-mode"};
        return s;
      }(),
  };
  return rows;
}

std::string formatNumber(double v) {
  char buffer[64];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  return buffer;
}

std::string formatBound(double v) {
  if (v >= 1e15) return formatNumber(v);
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return formatNumber(v);
}

}  // namespace

std::string Setting::flag() const {
  std::string f = "--" + key;
  for (char& c : f)
    if (c == '_') c = '-';
  return f;
}

std::string Setting::field() const { return flag().substr(2); }

const std::vector<Setting>& settingsSchema() {
  static const std::vector<Setting> schema = buildSchema();
  return schema;
}

const std::vector<std::pair<std::string, std::string>>& settingSections() {
  static const std::vector<std::pair<std::string, std::string>> sections = {
      {"", "Experiment"}, {"data", "Data"}, {"model", "Network"},
      {"train", "Training"}, {"stats", "Statistics"}};
  return sections;
}

const Setting* findSetting(const std::string& name) {
  const Setting* byKey = nullptr;
  int keyMatches = 0;
  for (const Setting& s : settingsSchema()) {
    if (s.path() == name || s.flag() == name) return &s;
    for (const std::string& alias : s.aliases)
      if (alias == name) return &s;
    if (s.key == name) {
      byKey = &s;
      ++keyMatches;
    }
  }
  return keyMatches == 1 ? byKey : nullptr;
}

std::string settingLimitsText(const Setting& s) {
  switch (s.type) {
    case SettingType::Choice: {
      std::string names;
      for (const std::string& c : s.choices) names += (names.empty() ? "" : "|") + c;
      return names;
    }
    case SettingType::Integer:
    case SettingType::Number:
    case SettingType::IntegerList:
      return std::string(s.minOpen ? "(" : "[") + formatBound(s.min) + ", " + formatBound(s.max) +
             (s.maxOpen ? ")" : "]");
    case SettingType::Seed: return "[0, 2^64 - 1]";
    case SettingType::Flag: return "true|false";
    case SettingType::Text: return "";
  }
  return "";
}

std::string choiceNames(const std::string& path) {
  const Setting* s = findSetting(path);
  return s ? settingLimitsText(*s) : std::string();
}

void checkSettingLimits(const Setting& s, const SettingValue& value) {
  const auto inside = [&s](double v) {
    return std::isfinite(v) && (s.minOpen ? v > s.min : v >= s.min) &&
           (s.maxOpen ? v < s.max : v <= s.max);
  };
  const auto fail = [&s](const std::string& what) { throw InputError(s.field() + ": " + what); };
  switch (s.type) {
    case SettingType::Choice: {
      const std::string& v = std::get<std::string>(value);
      for (const std::string& c : s.choices)
        if (c == v) return;
      fail("unknown " + s.key + " '" + v + "' (expected " + settingLimitsText(s) + ")");
      break;
    }
    case SettingType::Integer: {
      const std::int64_t v = std::get<std::int64_t>(value);
      if (!inside(static_cast<double>(v)))
        fail(std::to_string(v) + " is out of range " + settingLimitsText(s));
      break;
    }
    case SettingType::Number: {
      const double v = std::get<double>(value);
      if (!inside(v)) fail(formatNumber(v) + " is out of range " + settingLimitsText(s));
      break;
    }
    case SettingType::IntegerList: {
      const auto& list = std::get<std::vector<int>>(value);
      if (list.size() > 1000) fail("at most 1000 hidden layers");
      for (int v : list)
        if (!inside(v))
          fail("every item must be in " + settingLimitsText(s) + " (found " + std::to_string(v) +
               ")");
      break;
    }
    case SettingType::Text:
    case SettingType::Flag:
    case SettingType::Seed: break;
  }
}

SettingValue parseSettingValue(const Setting& s, const std::string& text, const std::string& where) {
  const auto fail = [&where](const std::string& what) { throw InputError(where + ": " + what); };
  const auto parseInteger = [&](const std::string& t) -> std::int64_t {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(t.c_str(), &end, 10);
    if (t.empty() || *end != '\0' || errno == ERANGE) fail("'" + t + "' is not an integer");
    return v;
  };
  SettingValue value;
  switch (s.type) {
    case SettingType::Text:
    case SettingType::Choice: value = text; break;
    case SettingType::Integer:
      value = !s.specialName.empty() && text == s.specialName ? s.specialValue
                                                               : parseInteger(text);
      break;
    case SettingType::Number: {
      errno = 0;
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
        fail("'" + text + "' is not a finite number");
      value = v;
      break;
    }
    case SettingType::Flag:
      if (text == "true" || text == "1") value = true;
      else if (text == "false" || text == "0") value = false;
      else fail("'" + text + "' is not true or false");
      break;
    case SettingType::Seed: {
      errno = 0;
      char* end = nullptr;
      const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
      if (text.empty() || text[0] == '-' || *end != '\0' || errno == ERANGE)
        fail("'" + text + "' is not a non-negative integer");
      value = static_cast<std::uint64_t>(v);
      break;
    }
    case SettingType::IntegerList: {
      std::vector<int> list;
      size_t start = 0;
      for (;;) {
        const size_t comma = text.find(',', start);
        const std::string item =
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const std::int64_t v = parseInteger(item);
        if (v < s.min || v > s.max)
          fail(item + " is out of range " + settingLimitsText(s));
        list.push_back(static_cast<int>(v));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      value = std::move(list);
      break;
    }
  }
  try {
    checkSettingLimits(s, value);
  } catch (const InputError& error) {
    // checkSettingLimits names the field; here the user typed `where`.
    const std::string message = error.what();
    fail(message.substr(message.find(": ") + 2));
  }
  return value;
}

std::string settingValueText(const Setting& s, const SettingValue& value) {
  switch (s.type) {
    case SettingType::Text:
    case SettingType::Choice: return std::get<std::string>(value);
    case SettingType::Integer: return std::to_string(std::get<std::int64_t>(value));
    case SettingType::Number: return formatNumber(std::get<double>(value));
    case SettingType::Flag: return std::get<bool>(value) ? "true" : "false";
    case SettingType::Seed: return std::to_string(std::get<std::uint64_t>(value));
    case SettingType::IntegerList: {
      std::string t;
      for (int v : std::get<std::vector<int>>(value)) t += (t.empty() ? "" : ",") + std::to_string(v);
      return t;
    }
  }
  return "";
}

std::vector<const Setting*> changedSettings(const ExperimentConfig& a, const ExperimentConfig& b) {
  std::vector<const Setting*> changed;
  for (const Setting& s : settingsSchema())
    if (s.get(a) != s.get(b)) changed.push_back(&s);
  return changed;
}

bool sameExperiment(const ExperimentConfig& a, const ExperimentConfig& b) {
  return changedSettings(a, b).empty();
}

bool needsRestart(const ExperimentConfig& before, const ExperimentConfig& after) {
  for (const Setting* s : changedSettings(before, after)) {
    if (s->effect == SettingEffect::Structural) return true;
    if (s->effect == SettingEffect::LiveNonZero) {
      const double a = std::get<double>(s->get(before)), b = std::get<double>(s->get(after));
      if ((a == 0.0) != (b == 0.0)) return true;
    }
  }
  return false;
}

}  // namespace layerscope
