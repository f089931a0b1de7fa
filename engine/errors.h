// Errors a user can act on. Thrown by the engine, caught at the edge (CLI: one line on stderr and
// exit status 2; UI: a dialog or the status line). The message names the file, line or field.
#pragma once

#include <stdexcept>
#include <string>

namespace layerscope {

// Bad input: a malformed file, an unknown name, an out-of-range setting.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "FILE:LINE: what" -- the place first, as compilers do, so editors and users find it.
inline InputError inputErrorAt(const std::string& file, long line, const std::string& what) {
  return InputError(file + ":" + std::to_string(line) + ": " + what);
}

}  // namespace layerscope
