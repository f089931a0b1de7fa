// Every file of tests/data/broken/<reader>/ goes through its reader, which must refuse it with an
// InputError naming the file (and the line, for files named *.L<n>.*): no other exception, no
// crash, no runaway allocation or time. Each input runs in a forked child with a time limit
// (and, outside AddressSanitizer, an address-space limit), so one crashing input is reported
// by name and the rest still run.
#include <gtest/gtest.h>
#include <signal.h>
#include <zlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <new>
#include <regex>
#include <string>
#include <vector>

#include "data/csv_loader.h"
#include "data/gzip_reader.h"
#include "data/idx_loader.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "lab/lesson.h"
#include "io/onnx_import.h"
#include "io/run_file.h"
#include "test_helpers.h"

#if defined(__SANITIZE_ADDRESS__)
#define LAYERSCOPE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LAYERSCOPE_ASAN 1
#endif
#endif

namespace {

namespace fs = std::filesystem;
using namespace layerscope;
using layerscope::testing::TempDir;

const fs::path kBroken = fs::path(LAYERSCOPE_TEST_DATA_DIR) / "broken";
// A reader may take this long on one small broken file (sanitizer builds are ~10x slower).
constexpr unsigned kSecondsPerInput = 20;
// Address space of a child: enough for the reader, far too little for an allocation that
// believes a header promising 2^31 images (or 2 TiB of weights).
[[maybe_unused]] constexpr rlim_t kChildAddressSpace = rlim_t(4) << 30;

struct Outcome {
  enum Kind { inputError, otherException, noError, crashed, timedOut } kind = crashed;
  std::string message;  // the exception's what(), or the signal
};

std::string describe(const Outcome& o) {
  switch (o.kind) {
    case Outcome::inputError: return "InputError: " + o.message;
    case Outcome::otherException: return "another exception (not InputError): " + o.message;
    case Outcome::noError: return "no error: the reader accepted a broken file";
    case Outcome::crashed: return "crashed: " + o.message;
    case Outcome::timedOut: return "did not finish within " + std::to_string(kSecondsPerInput) + " s";
  }
  return "?";
}

// Runs `read` in a child process; its outcome comes back through a pipe.
Outcome runIsolated(const std::function<void()>& read) {
  int fds[2];
  if (::pipe(fds) != 0) return {Outcome::crashed, "pipe failed"};
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0) return {Outcome::crashed, "fork failed"};
  if (pid == 0) {
    ::close(fds[0]);
    ::alarm(kSecondsPerInput);
#ifndef LAYERSCOPE_ASAN
    const rlimit limit{kChildAddressSpace, kChildAddressSpace};
    ::setrlimit(RLIMIT_AS, &limit);
#endif
    char kind = 'N';
    std::string message;
    try {
      read();
    } catch (const InputError& error) {
      kind = 'I';
      message = error.what();
    } catch (const std::bad_alloc& error) {
      kind = 'O';
      message = std::string("std::bad_alloc (") + error.what() + ")";
    } catch (const std::exception& error) {
      kind = 'O';
      message = error.what();
    } catch (...) {
      kind = 'O';
      message = "an exception of unknown type";
    }
    const std::string packet = kind + message;
    const char* data = packet.data();
    std::size_t left = packet.size();
    while (left > 0) {
      const ssize_t n = ::write(fds[1], data, left);
      if (n <= 0) break;
      data += n;
      left -= static_cast<std::size_t>(n);
    }
    ::_exit(0);  // no atexit handlers, no gtest teardown in the child
  }
  ::close(fds[1]);
  std::string packet;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n > 0) {
      packet.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    if (WTERMSIG(status) == SIGALRM) return {Outcome::timedOut, ""};
    return {Outcome::crashed, std::string("signal ") + ::strsignal(WTERMSIG(status))};
  }
  if (packet.empty()) return {Outcome::crashed, "exit status " + std::to_string(WEXITSTATUS(status))};
  Outcome o;
  o.kind = packet[0] == 'I' ? Outcome::inputError
                            : packet[0] == 'O' ? Outcome::otherException : Outcome::noError;
  o.message = packet.substr(1);
  return o;
}

std::vector<fs::path> filesIn(const std::string& reader) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kBroken / reader))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// "name.L12.csv" -> 12; 0 when the name promises no line.
long expectedLine(const fs::path& file) {
  static const std::regex pattern(R"(\.L([0-9]+)\.)");
  std::smatch match;
  const std::string name = file.filename().string();
  return std::regex_search(name, match, pattern) ? std::stol(match[1]) : 0;
}

// The checks every broken input must pass; `named` is the path the message must contain.
void expectRefused(const std::string& label, const Outcome& outcome, const std::string& named,
                   long line) {
  SCOPED_TRACE(label);
  ASSERT_EQ(outcome.kind, Outcome::inputError) << describe(outcome);
  EXPECT_NE(outcome.message.find(named), std::string::npos)
      << "the message does not name the file " << named << ": " << outcome.message;
  if (line > 0) {
    const std::string place = named + ":" + std::to_string(line) + ":";
    EXPECT_NE(outcome.message.find(place), std::string::npos)
        << "the message does not name line " << line << " as '" << place
        << "': " << outcome.message;
  }
}

void report(const std::string& reader, std::size_t count) {
  std::cout << "[ broken   ] " << reader << ": " << count << " broken inputs tried\n";
  ::testing::Test::RecordProperty(reader + "_inputs", static_cast<int>(count));
}

std::string bigEndian(std::initializer_list<std::uint32_t> words) {
  std::string bytes;
  for (std::uint32_t w : words) {
    bytes += static_cast<char>(w >> 24);
    bytes += static_cast<char>(w >> 16);
    bytes += static_cast<char>(w >> 8);
    bytes += static_cast<char>(w);
  }
  return bytes;
}

// A file name no UTF-8 decoder accepts (Latin-1 "é", a lone continuation byte).
const std::string kNonUtf8Name = "caf\xe9-\x80\xff";

TEST(BrokenInputs, CsvFilesAreRefusedWithFileAndLine) {
  std::size_t tried = 0;
  for (const fs::path& file : filesIn("csv")) {
    const std::string path = file.string();
    expectRefused(file.filename().string(), runIsolated([&] { loadCsv(path); }), path,
                  expectedLine(file));
    ++tried;
  }
  // Created here: names that are not UTF-8, and label-column options that do not fit.
  TempDir scratch{"layerscope-broken"};
  const std::string odd = scratch.write(kNonUtf8Name + ".csv", "a,b,label\n1,nan,0\n");
  expectRefused("non-UTF-8 name", runIsolated([&] { loadCsv(odd); }), odd, 2);
  const std::string good = scratch.write("good.csv", "a,b,label\n1,2,0\n3,4,1\n");
  for (const char* column : {"3", "99999999999999999999", "no_such_column"}) {
    expectRefused(std::string("--label-column ") + column,
                  runIsolated([&] { loadCsv(good, column); }), good, 0);
    ++tried;
  }
  const std::string missing = (scratch.path / "missing.csv").string();
  expectRefused("missing file", runIsolated([&] { loadCsv(missing); }), missing, 0);
  const std::string directory = scratch.path.string();
  expectRefused("a directory", runIsolated([&] { loadCsv(directory); }), directory, 0);
  tried += 3;
  report("csv", tried);
}

TEST(BrokenInputs, IdxFilesAreRefusedNamingTheFile) {
  TempDir scratch{"layerscope-broken"};
  // Valid partners: 3 images of 2 x 2 pixels, 3 labels.
  const std::string goodImages =
      scratch.write("good-images", bigEndian({0x803, 3, 2, 2}) + std::string(12, '\x7f'));
  const std::string goodLabels = scratch.write("good-labels", bigEndian({0x801, 3}) + std::string("\0\1\2", 3));
  ASSERT_NO_THROW(loadIdxPair(goodImages, goodLabels));

  std::size_t tried = 0;
  const std::vector<fs::path> files = filesIn("idx");
  const auto sibling = [&](const fs::path& file, const std::string& from, const std::string& to) {
    std::string name = file.filename().string();
    name.replace(name.find(from), from.size(), to);
    const fs::path other = file.parent_path() / name;
    return fs::exists(other) ? other.string() : std::string();
  };
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    const std::string path = file.string();
    if (name.find("-images") != std::string::npos) {
      const std::string labels = sibling(file, "-images", "-labels");
      const std::string partner = labels.empty() ? goodLabels : labels;
      const Outcome o = runIsolated([&] { loadIdxPair(path, partner); });
      if (labels.empty()) {
        expectRefused(name, o, path, 0);
      } else {
        // A pair that disagrees may be blamed on either file; one of them must be named.
        expectRefused(name, o, "", 0);
        EXPECT_TRUE(o.message.find(path) != std::string::npos ||
                    o.message.find(labels) != std::string::npos)
            << name << ": " << o.message;
      }
      ++tried;
    } else if (name.find("-labels") != std::string::npos) {
      if (!sibling(file, "-labels", "-images").empty()) continue;  // read as a pair above
      expectRefused(name, runIsolated([&] { loadIdxPair(goodImages, path); }), path, 0);
      ++tried;
    } else {
      ADD_FAILURE() << name << ": an IDX case must say -images or -labels in its name";
    }
  }
  // Through loadIdx: a folder that lacks files, a folder of broken ones, odd names.
  const fs::path folder = scratch.path / "mnist";
  fs::create_directories(folder);
  const std::string folderSpec = folder.string();
  expectRefused("empty folder", runIsolated([&] {
                  Dataset train, test;
                  loadIdx(folderSpec, train, test);
                }),
                folderSpec, 0);
  fs::copy_file(kBroken / "idx" / "claims_2e31_images-images", folder / "train-images-idx3-ubyte");
  fs::copy_file(goodLabels, folder / "train-labels-idx1-ubyte");
  expectRefused("folder with a 2^31-image header", runIsolated([&] {
                  Dataset train, test;
                  loadIdx(folderSpec, train, test);
                }),
                (folder / "train-images-idx3-ubyte").string(), 0);
  fs::remove(folder / "train-images-idx3-ubyte");
  fs::copy_file(goodImages, folder / "train-images-idx3-ubyte");
  fs::copy_file(goodImages, folder / "t10k-images-idx3-ubyte");
  expectRefused("t10k images without labels", runIsolated([&] {
                  Dataset train, test;
                  loadIdx(folderSpec, train, test);
                }),
                folderSpec, 0);
  const std::string odd = scratch.write(kNonUtf8Name + "-images", bigEndian({0x803, 3, 2, 2}));
  expectRefused("non-UTF-8 name", runIsolated([&] { loadIdxPair(odd, goodLabels); }), odd, 0);
  const std::string notDir = (scratch.path / "nothing-here").string();
  expectRefused("missing folder", runIsolated([&] {
                  Dataset train, test;
                  loadIdx(notDir, train, test);
                }),
                notDir, 0);
  tried += 5;
  report("idx", tried);
}

TEST(BrokenInputs, GzipFilesAreRefusedNamingTheFile) {
  std::size_t tried = 0;
  for (const fs::path& file : filesIn("gzip")) {
    const std::string path = file.string();
    expectRefused(file.filename().string(), runIsolated([&] { readWholeFile(path); }), path, 0);
    ++tried;
  }
  // A small gzip that expands past the limit (a "gzip bomb", scaled down): refused once the
  // limit is passed, not after reading it all; exactly the limit is still fine.
  TempDir scratch{"layerscope-broken"};
  const std::string bomb = (scratch.path / "bomb.csv.gz").string();
  {
    gzFile out = gzopen(bomb.c_str(), "wb9");
    ASSERT_NE(out, nullptr);
    const std::string zeros(1 << 20, '0');
    for (int i = 0; i < 4; ++i) gzwrite(out, zeros.data(), static_cast<unsigned>(zeros.size()));
    gzclose(out);
  }
  ASSERT_LT(fs::file_size(bomb), 64u << 10);
  expectRefused("4 MiB from a small gzip, limit 1 MiB",
                runIsolated([&] { readWholeFile(bomb, std::size_t(1) << 20); }), bomb, 0);
  EXPECT_EQ(readWholeFile(bomb, std::size_t(4) << 20).size(), std::size_t(4) << 20);
  ++tried;
  report("gzip", tried);
}

TEST(BrokenInputs, ExperimentFilesAreRefusedNamingTheFile) {
  std::size_t tried = 0;
  for (const fs::path& file : filesIn("json")) {
    const std::string path = file.string();
    expectRefused(file.filename().string(), runIsolated([&] { readExperimentFile(path); }), path,
                  expectedLine(file));
    ++tried;
  }
  TempDir scratch{"layerscope-broken"};
  const std::string odd = scratch.write(kNonUtf8Name + ".json", "{\"format\": 3}");
  expectRefused("non-UTF-8 name", runIsolated([&] { readExperimentFile(odd); }), odd, 0);
  // Over the 16 MiB limit: a sparse file, so the test costs no disk.
  const std::string big = (scratch.path / "big.json").string();
  { std::ofstream(big) << "{"; }
  fs::resize_file(big, (std::uintmax_t(16) << 20) + 1);
  expectRefused("17 MiB", runIsolated([&] { readExperimentFile(big); }), big, 0);
  const std::string directory = scratch.path.string();
  expectRefused("a directory", runIsolated([&] { readExperimentFile(directory); }), directory, 0);
  tried += 3;
  report("json", tried);
}

TEST(BrokenInputs, SavedRunsAreRefusedNamingTheFile) {
  std::size_t tried = 0;
  for (const fs::path& file : filesIn("run")) {
    const std::string path = file.string();
    expectRefused(file.filename().string(), runIsolated([&] { readRunFile(path); }), path, 0);
    ++tried;
  }
  TempDir scratch{"layerscope-broken"};
  const std::string directory = scratch.path.string();
  expectRefused("a directory", runIsolated([&] { readRunFile(directory); }), directory, 0);
  const std::string odd = scratch.write(kNonUtf8Name + ".lsrun", "LSRUN");
  expectRefused("non-UTF-8 name", runIsolated([&] { readRunFile(odd); }), odd, 0);
  tried += 2;
  report("run", tried);
}

TEST(BrokenInputs, BrokenJsonIsRefusedAsALessonToo) {
  // The lesson reader has a JSON parser of its own use (different keys, same hazards: deep
  // nesting, huge numbers, bad UTF-8); each broken experiment is also a broken lesson.
  std::size_t tried = 0;
  for (const fs::path& file : filesIn("json")) {
    const std::string path = file.string();
    expectRefused(file.filename().string(), runIsolated([&] { loadLesson(path); }), path, 0);
    ++tried;
  }
  report("lesson", tried);
}

TEST(BrokenInputs, BrokenJsonInTheAppSettingsGivesTheDefaultsAndAReason) {
  // The app restores its last experiment from its settings: a damaged one must not stop it.
  const std::string defaults = experimentToJson(ExperimentConfig());
  std::size_t tried = 0;
  for (const fs::path& file : filesIn("json")) {
    std::ifstream in(file, std::ios::binary);
    const std::string stored((std::istreambuf_iterator<char>(in)), {});
    std::string problem;
    ExperimentConfig config;
    ASSERT_NO_THROW(config = experimentFromSetting(stored, "settings", &problem)) << file;
    EXPECT_EQ(experimentToJson(config), defaults) << file;
    // A few broken files are valid experiments apart from being files (e.g. a UTF-16 BOM is
    // refused as a file but the setting is a string); where there is a problem, it is named.
    if (!problem.empty()) {
      EXPECT_EQ(problem.rfind("settings", 0), 0u) << problem;
    }
    ++tried;
  }
  report("settings", tried);
}

TEST(BrokenInputs, OnnxFilesAreRefusedNamingTheFile) {
  std::size_t tried = 0;
  for (const fs::path& file : filesIn("onnx")) {
    const std::string path = file.string();
    expectRefused(file.filename().string(), runIsolated([&] { importOnnx(path); }), path, 0);
    ++tried;
  }
  TempDir scratch{"layerscope-broken"};
  const std::string odd = scratch.write(kNonUtf8Name + ".onnx", "not a model");
  expectRefused("non-UTF-8 name", runIsolated([&] { importOnnx(odd); }), odd, 0);
  const std::string big = (scratch.path / "big.onnx").string();
  { std::ofstream(big) << "x"; }
  fs::resize_file(big, (std::uintmax_t(512) << 20) + 1);
  expectRefused("513 MiB", runIsolated([&] { importOnnx(big); }), big, 0);
  tried += 2;
  report("onnx", tried);
}

}  // namespace
