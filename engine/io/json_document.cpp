#include "io/json_document.h"

#include <cstddef>
#include <utility>

#include "errors.h"

namespace layerscope {

namespace {

// nlohmann reports the byte offset just past the offending character; editors want line:col.
std::pair<long, long> lineAndColumn(const std::string& text, std::size_t byte) {
  // byte is 1-based; at the end of the input it is size + 1 (the end counts as a character).
  if (byte > text.size() + 1) byte = text.size() + 1;
  long line = 1;
  std::size_t lineStart = 0;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      lineStart = i + 1;
    }
  }
  const long column = byte == 0 ? 1 : static_cast<long>(byte - lineStart);
  return {line, column};
}

struct TooDeep {
  std::size_t depth;
};

}  // namespace

Json parseJsonDocument(const std::string& text, const std::string& source, int maxNesting) {
  // Depth guard: a hostile file of 100 000 '[' would otherwise build a huge nested value.
  const Json::parser_callback_t depthGuard = [maxNesting](int depth, Json::parse_event_t event, Json&) {
    if ((event == Json::parse_event_t::object_start ||
         event == Json::parse_event_t::array_start) &&
        depth >= maxNesting)
      throw TooDeep{static_cast<std::size_t>(depth) + 1};
    return true;
  };
  try {
    return Json::parse(text, depthGuard);
  } catch (const TooDeep& deep) {
    throw InputError(source + ": JSON nested deeper than " + std::to_string(maxNesting) +
                     " levels");
  } catch (const Json::parse_error& error) {
    const auto [line, column] = lineAndColumn(text, error.byte);
    // nlohmann's message starts "[json.exception.parse_error.101] parse error at line 1,
    // column 2: syntax error while parsing value - ..."; keep only the part after the place.
    std::string what = error.what();
    const auto colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    throw InputError(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                     ": invalid JSON (" + what + ")");
  } catch (const Json::exception& error) {
    // E.g. out_of_range 406 "number overflow parsing '1e400'": nlohmann gives no position,
    // so find the quoted token in the text for the line:column.
    std::string what = error.what();
    const auto bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    std::string place = source;
    const auto open = what.find('\'');
    const auto close = open == std::string::npos ? open : what.find('\'', open + 1);
    if (close != std::string::npos) {
      const auto at = text.find(what.substr(open + 1, close - open - 1));
      if (at != std::string::npos) {
        const auto [line, column] = lineAndColumn(text, at + 1);
        place += ":" + std::to_string(line) + ":" + std::to_string(column);
      }
    }
    throw InputError(place + ": invalid JSON (" + what + ")");
  }
}


}  // namespace layerscope
