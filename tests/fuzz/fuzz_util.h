// Shared by the fuzz targets: readers that take a path get the input through a scratch file of
// this process (libFuzzer may run several jobs at once, hence the pid in the name).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace layerscope::fuzz {

inline std::string scratchPath(const char* name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/layerscope-fuzz-" +
         std::to_string(::getpid()) + "-" + name;
}

// Writes the bytes and returns the path; aborts (a harness bug, not a finding) when it cannot.
inline std::string writeScratch(const char* name, const std::uint8_t* data, std::size_t size) {
  const std::string path = scratchPath(name);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr || (size > 0 && std::fwrite(data, 1, size, file) != size) ||
      std::fclose(file) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

}  // namespace layerscope::fuzz
