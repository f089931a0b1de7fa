#include "data/data_paths.h"

#include <filesystem>
#include <functional>
#include <mutex>

namespace layerscope {

namespace fs = std::filesystem;

namespace {

std::mutex& directoryMutex() {
  static std::mutex m;
  return m;
}
std::string& directoryValue() {
  static std::string d;
  return d;
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// Applies `map` to each file path of a csv:/idx: source (idx:IMAGES,LABELS names two).
std::string mapPaths(const std::string& source,
                     const std::function<std::string(const std::string&)>& map) {
  for (const char* prefix : {"csv:", "idx:"}) {
    if (!startsWith(source, prefix)) continue;
    const std::string spec = source.substr(4);
    if (spec.empty()) return source;
    const bool several = std::string(prefix) == "idx:";
    std::string out;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = several ? spec.find(',', start) : std::string::npos;
      const std::string part =
          spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      out += (out.empty() ? "" : ",") + map(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return prefix + out;
  }
  return source;
}

// `path` relative to `folder` when it lies inside it ("" when it does not).
std::string inside(const std::string& path, const std::string& folder) {
  if (folder.empty() || !fs::path(path).is_absolute()) return {};
  const fs::path p = fs::path(path).lexically_normal();
  const fs::path f = fs::path(folder).lexically_normal();
  const fs::path rel = p.lexically_relative(f);
  if (rel.empty() || *rel.begin() == "..") return {};
  return rel.generic_string();
}

}  // namespace

void setBundledDataDirectory(const std::string& directory) {
  std::lock_guard<std::mutex> lock(directoryMutex());
  directoryValue() = directory;
}

std::string bundledDataDirectory() {
  std::lock_guard<std::mutex> lock(directoryMutex());
  return directoryValue();
}

std::string resolveDataSource(const std::string& source, const std::string& folder) {
  const std::string bundled = bundledDataDirectory();
  return mapPaths(source, [&](const std::string& part) -> std::string {
    if (startsWith(part, kBundledDataPrefix)) {
      if (bundled.empty()) return part;  // loadData names the file it cannot open
      return (fs::path(bundled) / part.substr(std::string(kBundledDataPrefix).size()))
          .lexically_normal()
          .string();
    }
    if (folder.empty() || fs::path(part).is_absolute()) return part;
    return (fs::path(folder) / part).lexically_normal().string();
  });
}

std::string portableDataSource(const std::string& source, const std::string& folder) {
  const std::string bundled = bundledDataDirectory();
  return mapPaths(source, [&](const std::string& part) -> std::string {
    if (const std::string rel = inside(part, bundled); !rel.empty()) return kBundledDataPrefix + rel;
    if (const std::string rel = inside(part, folder); !rel.empty()) return rel;
    return part;
  });
}

}  // namespace layerscope
