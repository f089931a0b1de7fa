#include "cli_values.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "errors.h"

namespace layerscope {

double parseNumber(const std::string& flag, const std::string& text, double lo, double hi) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    throw InputError(flag + ": '" + text + "' is not a number");
  if (v < lo || v > hi) {
    char range[96];
    std::snprintf(range, sizeof range, "[%g, %g]", lo, hi);
    throw InputError(flag + ": " + text + " is out of range " + range);
  }
  return v;
}

long parseInteger(const std::string& flag, const std::string& text, long lo, long hi) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    throw InputError(flag + ": '" + text + "' is not an integer");
  if (v < lo || v > hi)
    throw InputError(flag + ": " + text + " is out of range [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "]");
  return static_cast<long>(v);
}

}  // namespace layerscope
