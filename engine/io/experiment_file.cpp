#include "io/experiment_file.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>
#include <variant>
#include <vector>

#include "io/atomic_file.h"
#include "data/data_paths.h"
#include "errors.h"
#include "io/json_document.h"
#include "settings/schema.h"

namespace layerscope {

namespace {

constexpr const char* kFormat = "layerscope-experiment";
constexpr int kVersion = 1;
constexpr int kMaxNesting = 64;                       // an experiment nests 2 levels deep
constexpr std::size_t kMaxFileBytes = 16u << 20;      // an experiment is a few hundred bytes

// One value of the schema as JSON: an unsigned seed keeps all 64 bits (nlohmann reads it back
// as number_unsigned).
Json valueToJson(const SettingValue& value) {
  return std::visit([](const auto& v) { return Json(v); }, value);
}

Json toJson(const ExperimentConfig& c) {
  Json root;
  root["format"] = kFormat;
  root["version"] = kVersion;
  for (const auto& [section, title] : settingSections()) {
    if (!section.empty()) root[section] = Json::object();
    Json& target = section.empty() ? root : root[section];
    for (const Setting& s : settingsSchema()) {
      if (s.section != section) continue;
      const SettingValue value = s.get(c);
      // An empty widths list means "depth x width": left out, as a hand-written file would.
      if (s.type == SettingType::IntegerList && std::get<std::vector<int>>(value).empty()) continue;
      target[s.key] = valueToJson(value);
    }
  }
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
  // Each schema row reads its key with the JSON type its SettingType asks for. Limits are
  // validate()'s job, after command-line overrides; here a value only has to fit its field.
  const auto reader = [&r, &c](const Setting& s) -> FieldReader::Setter {
    return [&r, &c, &s](const Json& v, const std::string& p) {
      SettingValue value;
      switch (s.type) {
        case SettingType::Text:
        case SettingType::Choice: value = r.string(v, p); break;
        case SettingType::Integer:
          value = s.max <= std::numeric_limits<int>::max()
                      ? std::int64_t{r.int32(v, p)}
                      : std::int64_t{r.int64(v, p)};
          break;
        case SettingType::Number: value = r.number(v, p); break;
        case SettingType::Flag: value = r.boolean(v, p); break;
        case SettingType::Seed: value = r.uint64(v, p); break;
        case SettingType::IntegerList: {
          r.expect(v.is_array(), p, "an array of integers", v);
          std::vector<int> list;
          for (std::size_t i = 0; i < v.size(); ++i)
            list.push_back(r.int32(v[i], p + "[" + std::to_string(i) + "]"));
          value = std::move(list);
          break;
        }
      }
      s.set(c, value);
    };
  };
  std::map<std::string, Fields> sections;
  Fields top = {
      {"format", [](const Json&, const std::string&) {}},   // checked above
      {"version", [](const Json&, const std::string&) {}},  // checked above
  };
  for (const Setting& s : settingsSchema())
    (s.section.empty() ? top : sections[s.section]).emplace_back(s.key, reader(s));
  for (const auto& [section, title] : settingSections()) {
    if (section.empty()) continue;
    const Fields& fields = sections[section];
    top.emplace_back(section, [&r, &fields](const Json& v, const std::string& p) {
      r.object(v, p, fields);
    });
  }
  top.emplace_back("weights", [&](const Json& v, const std::string& p) {
    document.weights = r.string(v, p);
    if (document.weights.empty()) r.fail(p, "empty path (leave the key out instead)");
  });
  r.object(root, "", top);
  return document;
}

namespace {
std::string folderOf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// Data paths as the file at `path` names them, and back (data/data_paths.h): bundled data by its
// stable name, files next to the experiment relative to it.
ExperimentConfig withPortableData(ExperimentConfig config, const std::string& path) {
  config.data.source = portableDataSource(config.data.source, folderOf(path));
  return config;
}
ExperimentConfig withOpenableData(ExperimentConfig config, const std::string& path) {
  config.data.source = resolveDataSource(config.data.source, folderOf(path));
  return config;
}
}  // namespace

ExperimentConfig readExperimentFile(const std::string& path) {
  return withOpenableData(experimentFromJson(readFileBytes(path, kMaxFileBytes), path), path);
}

void writeExperimentFile(const std::string& path, const ExperimentConfig& config) {
  writeFileAtomically(path, experimentToJson(withPortableData(config, path)));
}

ExperimentDocument readExperimentDocument(const std::string& path) {
  ExperimentDocument document = experimentDocumentFromJson(readFileBytes(path, kMaxFileBytes), path);
  document.config = withOpenableData(std::move(document.config), path);
  if (!document.weights.empty()) document.weightsPath = resolveWeightsPath(path, document.weights);
  return document;
}

void writeExperimentFile(const std::string& path, const ExperimentConfig& config,
                         const std::string& weights) {
  writeFileAtomically(path, experimentToJson(withPortableData(config, path), weights));
}

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
