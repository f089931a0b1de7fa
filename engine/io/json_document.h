// Parsing a JSON document a user handed us (an experiment file, a lesson, a stored setting):
// every way the text can be wrong becomes one InputError naming the source and, where the parser
// knows it, the line and column ("SOURCE:LINE:COL: invalid JSON (...)"). Nesting is bounded, so
// a hostile file of 100 000 '[' is refused instead of building a huge nested value; numbers
// beyond double (1e400) are refused, not turned into another exception.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace layerscope {

using Json = nlohmann::ordered_json;  // keeps the keys in the order a reader expects

Json parseJsonDocument(const std::string& text, const std::string& source, int maxNesting);

}  // namespace layerscope
