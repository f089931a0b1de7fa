#include "experiment_file.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "atomic_file.h"
#include "errors.h"
#include "json_document.h"

namespace layerscope {

namespace {

constexpr const char* kFormat = "layerscope-experiment";
constexpr int kVersion = 1;
constexpr int kMaxNesting = 64;                       // an experiment nests 2 levels deep
constexpr std::size_t kMaxFileBytes = 16u << 20;      // an experiment is a few hundred bytes

Json toJson(const ExperimentConfig& c) {
  Json data;
  data["dataset"] = c.data.source;
  data["samples"] = c.data.samples;
  data["features"] = c.data.features;
  data["classes"] = c.data.classes;
  data["noise"] = c.data.noise;
  data["label_column"] = c.data.labelColumn;
  data["validation_fraction"] = c.data.validationFraction;
  data["test_fraction"] = c.data.testFraction;
  data["preprocess"] = c.data.preprocess;

  Json model;
  model["depth"] = c.model.depth;
  model["width"] = c.model.width;
  if (!c.model.widths.empty()) model["widths"] = c.model.widths;
  model["activation"] = c.model.activation;
  model["init"] = c.model.init;
  model["init_std"] = c.model.initStd;
  model["init_bound"] = c.model.initBound;
  model["init_constant"] = c.model.initConstant;
  model["batch_norm"] = c.model.batchNorm;
  model["dropout"] = c.model.dropout;
  model["leaky_slope"] = c.model.leakySlope;
  model["elu_alpha"] = c.model.eluAlpha;

  Json train;
  train["optimizer"] = c.train.optimizer;
  train["lr"] = c.train.learningRate;
  train["momentum"] = c.train.momentum;
  train["beta1"] = c.train.beta1;
  train["beta2"] = c.train.beta2;
  train["epsilon"] = c.train.epsilon;
  train["l2"] = c.train.l2;
  train["l1"] = c.train.l1;
  train["batch_size"] = c.train.batchSize;
  train["epochs"] = c.train.epochs;
  train["steps"] = c.train.steps;
  // An unsigned JSON number: all 64 bits survive (nlohmann reads it back as number_unsigned).
  train["seed"] = c.train.seed;
  train["threads"] = c.train.threads;

  Json stats;
  stats["stats_every"] = c.stats.every;
  stats["probe_size"] = c.stats.probeSize;
  stats["histogram_bins"] = c.stats.histogramBins;
  stats["probe_training_mode"] = c.stats.probeTrainingMode;

  Json root;
  root["format"] = kFormat;
  root["version"] = kVersion;
  root["name"] = c.name;
  root["data"] = std::move(data);
  root["model"] = std::move(model);
  root["train"] = std::move(train);
  root["stats"] = std::move(stats);
  return root;
}

// Reads typed values out of a parsed document, naming the file and the JSON path on error.
class FieldReader {
 public:
  explicit FieldReader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(source_ + ": " + path + ": " + what);
  }

  static std::string found(const Json& value) {
    if (value.is_number_float()) return "a fractional number";
    if (value.is_number()) return "number";
    return value.type_name();
  }

  void expect(bool ok, const std::string& path, const char* expected, const Json& value) const {
    if (!ok) fail(path, std::string("expected ") + expected + ", found " + found(value));
  }

  std::string string(const Json& v, const std::string& path) const {
    expect(v.is_string(), path, "a string", v);
    return v.get<std::string>();
  }
  bool boolean(const Json& v, const std::string& path) const {
    expect(v.is_boolean(), path, "true or false", v);
    return v.get<bool>();
  }
  double number(const Json& v, const std::string& path) const {
    expect(v.is_number(), path, "a number", v);
    return v.get<double>();
  }
  // Any integer in [lo, hi]; a fractional number such as 10.5 is refused, not truncated.
  std::int64_t integer(const Json& v, const std::string& path, std::int64_t lo,
                       std::int64_t hi) const {
    expect(v.is_number_integer(), path, "an integer", v);
    if (v.is_number_unsigned()) {
      const std::uint64_t u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(hi)) fail(path, "integer out of range");
      return static_cast<std::int64_t>(u);
    }
    const std::int64_t i = v.get<std::int64_t>();
    if (i < lo || i > hi) fail(path, "integer out of range");
    return i;
  }
  int int32(const Json& v, const std::string& path) const {
    return static_cast<int>(integer(v, path, std::numeric_limits<int>::min(),
                                    std::numeric_limits<int>::max()));
  }
  long int64(const Json& v, const std::string& path) const {
    return static_cast<long>(integer(v, path, std::numeric_limits<long>::min(),
                                     std::numeric_limits<long>::max()));
  }
  std::uint64_t uint64(const Json& v, const std::string& path) const {
    expect(v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0), path,
           "a non-negative integer", v);
    return v.get<std::uint64_t>();
  }

  // Applies `fields` (key -> setter) to every key of the object at `path`; unknown keys are
  // errors (a typo such as "lerning_rate" would otherwise be silently ignored).
  using Setter = std::function<void(const Json&, const std::string&)>;
  void object(const Json& v, const std::string& path,
              const std::vector<std::pair<std::string, Setter>>& fields) const {
    expect(v.is_object(), path, "an object", v);
    for (const auto& item : v.items()) {
      const std::string childPath = path.empty() ? item.key() : path + "." + item.key();
      bool known = false;
      for (const auto& field : fields) {
        if (field.first == item.key()) {
          field.second(item.value(), childPath);
          known = true;
          break;
        }
      }
      if (!known) {
        std::string names;
        for (const auto& field : fields) names += (names.empty() ? "" : ", ") + field.first;
        fail(childPath, "unknown key (expected one of: " + names + ")");
      }
    }
  }

 private:
  std::string source_;
};

}  // namespace

std::string experimentToJson(const ExperimentConfig& config) {
  return toJson(config).dump(2) + "\n";
}

std::string experimentToJson(const ExperimentConfig& config, const std::string& weights) {
  Json root = toJson(config);
  if (!weights.empty()) root["weights"] = weights;
  return root.dump(2) + "\n";
}

ExperimentConfig experimentFromJson(const std::string& text, const std::string& sourceName) {
  return experimentDocumentFromJson(text, sourceName).config;
}

ExperimentConfig experimentFromSetting(const std::string& json, const std::string& sourceName,
                                       std::string* problem) {
  if (problem) problem->clear();
  if (json.empty()) return {};
  ExperimentConfig config;
  try {
    config = experimentFromJson(json, sourceName);  // its messages name the source
  } catch (const InputError& error) {
    if (problem) *problem = error.what();
    return {};
  }
  try {
    validate(config);  // its messages name the field only
  } catch (const InputError& error) {
    if (problem) *problem = sourceName + ": " + error.what();
    return {};
  }
  return config;
}

ExperimentDocument experimentDocumentFromJson(const std::string& text,
                                              const std::string& sourceName) {
  const Json root = parseJsonDocument(text, sourceName, kMaxNesting);
  const FieldReader r(sourceName);
  if (!root.is_object())
    throw InputError(sourceName + ": not a LayerScope experiment (expected a JSON object, found " +
                     FieldReader::found(root) + ")");
  const auto format = root.find("format");
  if (format == root.end())
    throw InputError(sourceName + ": not a LayerScope experiment (no \"format\": \"" +
                     kFormat + "\")");
  if (!format->is_string() || format->get<std::string>() != kFormat)
    r.fail("format", std::string("expected \"") + kFormat + "\", found " + format->dump());
  if (const auto version = root.find("version"); version != root.end()) {
    if (!version->is_number_integer() || version->get<std::int64_t>() != kVersion)
      r.fail("version", "unsupported version " + version->dump() + " (this LayerScope reads " +
                            std::to_string(kVersion) + ")");
  }

  ExperimentDocument document;
  ExperimentConfig& c = document.config;
  using Fields = std::vector<std::pair<std::string, FieldReader::Setter>>;
  const auto str = [&r](std::string& out) {
    return [&r, &out](const Json& v, const std::string& p) { out = r.string(v, p); };
  };
  const auto num = [&r](double& out) {
    return [&r, &out](const Json& v, const std::string& p) { out = r.number(v, p); };
  };
  const auto i32 = [&r](int& out) {
    return [&r, &out](const Json& v, const std::string& p) { out = r.int32(v, p); };
  };
  const auto i64 = [&r](long& out) {
    return [&r, &out](const Json& v, const std::string& p) { out = r.int64(v, p); };
  };
  const auto flag = [&r](bool& out) {
    return [&r, &out](const Json& v, const std::string& p) { out = r.boolean(v, p); };
  };

  const Fields data = {
      {"dataset", str(c.data.source)},
      {"samples", i32(c.data.samples)},
      {"features", i32(c.data.features)},
      {"classes", i32(c.data.classes)},
      {"noise", num(c.data.noise)},
      {"label_column", str(c.data.labelColumn)},
      {"validation_fraction", num(c.data.validationFraction)},
      {"test_fraction", num(c.data.testFraction)},
      {"preprocess", str(c.data.preprocess)},
  };
  const Fields model = {
      {"depth", i32(c.model.depth)},
      {"width", i32(c.model.width)},
      {"widths",
       [&](const Json& v, const std::string& p) {
         r.expect(v.is_array(), p, "an array of integers", v);
         c.model.widths.clear();
         for (std::size_t i = 0; i < v.size(); ++i)
           c.model.widths.push_back(r.int32(v[i], p + "[" + std::to_string(i) + "]"));
       }},
      {"activation", str(c.model.activation)},
      {"init", str(c.model.init)},
      {"init_std", num(c.model.initStd)},
      {"init_bound", num(c.model.initBound)},
      {"init_constant", num(c.model.initConstant)},
      {"batch_norm", flag(c.model.batchNorm)},
      {"dropout", num(c.model.dropout)},
      {"leaky_slope", num(c.model.leakySlope)},
      {"elu_alpha", num(c.model.eluAlpha)},
  };
  const Fields train = {
      {"optimizer", str(c.train.optimizer)},
      {"lr", num(c.train.learningRate)},
      {"momentum", num(c.train.momentum)},
      {"beta1", num(c.train.beta1)},
      {"beta2", num(c.train.beta2)},
      {"epsilon", num(c.train.epsilon)},
      {"l2", num(c.train.l2)},
      {"l1", num(c.train.l1)},
      {"batch_size", i32(c.train.batchSize)},
      {"epochs", i32(c.train.epochs)},
      {"steps", i64(c.train.steps)},
      {"seed", [&](const Json& v, const std::string& p) { c.train.seed = r.uint64(v, p); }},
      {"threads", i32(c.train.threads)},
  };
  const Fields stats = {
      {"stats_every", i64(c.stats.every)},
      {"probe_size", i32(c.stats.probeSize)},
      {"histogram_bins", i32(c.stats.histogramBins)},
      {"probe_training_mode", flag(c.stats.probeTrainingMode)},
  };
  const auto section = [&r](const Fields& fields) {
    return [&r, &fields](const Json& v, const std::string& p) { r.object(v, p, fields); };
  };
  const Fields top = {
      {"format", [](const Json&, const std::string&) {}},   // checked above
      {"version", [](const Json&, const std::string&) {}},  // checked above
      {"name", str(c.name)},
      {"data", section(data)},
      {"model", section(model)},
      {"train", section(train)},
      {"stats", section(stats)},
      {"weights",
       [&](const Json& v, const std::string& p) {
         document.weights = r.string(v, p);
         if (document.weights.empty()) r.fail(p, "empty path (leave the key out instead)");
       }},
  };
  r.object(root, "", top);
  return document;
}

ExperimentConfig readExperimentFile(const std::string& path) {
  return experimentFromJson(readFileBytes(path, kMaxFileBytes), path);
}

void writeExperimentFile(const std::string& path, const ExperimentConfig& config) {
  writeFileAtomically(path, experimentToJson(config));
}

ExperimentDocument readExperimentDocument(const std::string& path) {
  ExperimentDocument document = experimentDocumentFromJson(readFileBytes(path, kMaxFileBytes), path);
  if (!document.weights.empty()) document.weightsPath = resolveWeightsPath(path, document.weights);
  return document;
}

void writeExperimentFile(const std::string& path, const ExperimentConfig& config,
                         const std::string& weights) {
  writeFileAtomically(path, experimentToJson(config, weights));
}

namespace {
std::string folderOf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}
}  // namespace

std::string relativeWeightsPath(const std::string& experimentPath, const std::string& weightsPath) {
  const std::string folder = folderOf(experimentPath);
  if (folderOf(weightsPath) == folder) return weightsPath.substr(folder.size());
  return weightsPath;
}

std::string resolveWeightsPath(const std::string& experimentPath, const std::string& weights) {
  if (weights.empty() || weights[0] == '/') return weights;
  return folderOf(experimentPath) + weights;
}

}  // namespace layerscope
