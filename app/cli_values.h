// Flag values as the CLI's subcommands read them: one message naming the flag for a value that
// is not a number or lies outside its range ("--depth: 'abc' is not an integer").
#pragma once

#include <string>

namespace layerscope {

long parseInteger(const std::string& flag, const std::string& text, long lo, long hi);
// A finite number in [lo, hi].
double parseNumber(const std::string& flag, const std::string& text, double lo, double hi);

}  // namespace layerscope
