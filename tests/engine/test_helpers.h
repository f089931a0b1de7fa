// Helpers shared by the engine tests: a temporary directory (tests/common/temp_dir.h) and the
// message of an InputError.
#pragma once

#include <string>

#include "common/temp_dir.h"
#include "errors.h"

namespace layerscope::testing {

// The message of the InputError `f` throws ("" when it throws none).
template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace layerscope::testing
