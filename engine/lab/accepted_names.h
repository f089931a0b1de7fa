// The names a field of a lesson or a plot accepts (plots, quantities, statistics, keys):
// whether a name is one of them, and the list an "(expected one of: ...)" message gives.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace layerscope {

inline bool isAccepted(const std::vector<std::string>& accepted, const std::string& name) {
  return std::find(accepted.begin(), accepted.end(), name) != accepted.end();
}

// "a, b, c", in the order given.
inline std::string acceptedList(const std::vector<std::string>& accepted) {
  std::string text;
  for (const std::string& n : accepted) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace layerscope
