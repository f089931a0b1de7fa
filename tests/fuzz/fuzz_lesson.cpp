// libFuzzer: loadLesson on arbitrary bytes. A lesson's "id" must match its file name, so the
// input is written as fuzz.json in a folder of this process (seeds in corpus/lesson use
// "id": "fuzz"). An InputError is the expected outcome for most inputs; any other exception, a
// crash or a sanitizer report is a finding.
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "errors.h"
#include "fuzz_util.h"
#include "lab/lesson.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = [] {
    const std::string dir = layerscope::fuzz::scratchPath("lesson");
    ::mkdir(dir.c_str(), 0700);
    return dir + "/fuzz.json";
  }();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr || (size > 0 && std::fwrite(data, 1, size, file) != size) ||
      std::fclose(file) != 0)
    __builtin_trap();  // a harness fault, not a finding; stop loudly
  try {
    const layerscope::Lesson lesson = layerscope::loadLesson(path);
    if (lesson.id != "fuzz" || lesson.runs.empty()) __builtin_trap();  // what loadLesson promises
  } catch (const layerscope::InputError&) {
  }
  return 0;
}
