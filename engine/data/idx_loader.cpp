#include "data/idx_loader.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "errors.h"
#include "data/gzip_reader.h"
#include "progress.h"

namespace layerscope {

namespace {

// IDX magic: two zero bytes, the element type (0x08 = unsigned byte), the number of dimensions.
constexpr std::uint32_t kImagesMagic = 0x00000803;  // ubyte, 3 dims: count x rows x cols
constexpr std::uint32_t kLabelsMagic = 0x00000801;  // ubyte, 1 dim: count
// Refuse headers promising more than 2^31 values before reading any: a corrupt or hostile
// header must not make us allocate gigabytes (Fashion-MNIST's train set is 47 M values).
constexpr std::uint64_t kMaxElements = std::uint64_t(1) << 31;

namespace fs = std::filesystem;

// "Fashion-MNIST train images" for .../fashion-mnist/train-images-idx3-ubyte.gz: the folder's
// name (Fashion-MNIST when it says "fashion"), then train or test (t10k) images.
std::string idxFileDescription(const std::string& imagesPath) {
  const fs::path path(imagesPath);
  std::string folder = path.parent_path().filename().string();
  std::string lower = folder;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("fashion") != std::string::npos) folder = "Fashion-MNIST";
  else if (lower == "mnist") folder = "MNIST";
  const std::string name = path.filename().string();
  const char* kind = name.rfind("t10k", 0) == 0    ? "test images"
                     : name.rfind("train", 0) == 0 ? "train images"
                                                   : "images";
  return folder.empty() ? name : folder + " " + kind;
}

std::string hex32(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(value));
  return text;
}

std::string describeMagic(std::uint32_t magic) {
  if (magic == kImagesMagic) return hex32(magic) + ", an IDX images file";
  if (magic == kLabelsMagic) return hex32(magic) + ", an IDX labels file";
  return hex32(magic);
}

// The header: magic and `dims` sizes, each a big-endian uint32.
std::vector<std::uint32_t> readHeader(GzipFileReader& reader, int dims, std::uint32_t magic,
                                      const char* kind) {
  const std::size_t bytes = 4 * (1 + std::size_t(dims));
  unsigned char raw[16] = {};
  const std::size_t got = reader.read(raw, bytes);
  if (got < 4) {
    throw InputError(reader.path() + ": not an IDX " + kind + " file (only " +
                     std::to_string(got) + " bytes)");
  }
  std::vector<std::uint32_t> words(1 + dims);
  for (int i = 0; i < 1 + dims; ++i) {
    words[i] = std::uint32_t(raw[4 * i]) << 24 | std::uint32_t(raw[4 * i + 1]) << 16 |
               std::uint32_t(raw[4 * i + 2]) << 8 | std::uint32_t(raw[4 * i + 3]);
  }
  if (words[0] != magic) {
    throw InputError(reader.path() + ": not an IDX " + kind + " file (magic " +
                     describeMagic(words[0]) + ", expected " + hex32(magic) + ")");
  }
  if (got < bytes) {
    throw InputError(reader.path() + ": truncated header: expected " + std::to_string(bytes) +
                     " bytes, found " + std::to_string(got));
  }
  return {words.begin() + 1, words.end()};
}

// Exactly `expected` bytes, then the end of the file. The buffer grows with the data actually
// read, so a header that lies about its size cannot make us allocate memory the file lacks.
// Reports `phase` after every block (4 MiB: ~12 reports for Fashion-MNIST's 47 MB of pixels).
std::vector<unsigned char> readPayload(GzipFileReader& reader, std::uint64_t expected,
                                       const char* what, const Progress* progress = nullptr,
                                       const std::string& phase = {}) {
  constexpr std::size_t kBlock = std::size_t(1) << 22;
  std::vector<unsigned char> payload;
  while (payload.size() < expected) {
    const std::size_t used = payload.size();
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, expected - used));
    payload.resize(used + want);
    const std::size_t got = reader.read(payload.data() + used, want);
    payload.resize(used + got);
    if (got < want) break;
    reportProgress(progress, phase, double(payload.size()) / double(expected));
  }
  if (payload.size() < expected) {
    throw InputError(reader.path() + ": truncated: expected " + std::to_string(expected) +
                     " bytes of " + what + ", found " + std::to_string(payload.size()));
  }
  const std::size_t trailing = reader.skipToEnd();
  if (trailing > 0) {
    throw InputError(reader.path() + ": " + std::to_string(trailing) + " bytes after the " +
                     std::to_string(expected) + " bytes of " + what +
                     " the header announces: not a valid IDX file");
  }
  reader.close();
  return payload;
}

std::vector<int> readLabels(const std::string& path) {
  GzipFileReader reader(path);
  const std::uint32_t count = readHeader(reader, 1, kLabelsMagic, "labels")[0];
  if (count > kMaxElements) {
    throw InputError(path + ": " + std::to_string(count) + " labels exceed the limit of " +
                     std::to_string(kMaxElements));
  }
  const std::vector<unsigned char> bytes = readPayload(reader, count, "labels");
  return {bytes.begin(), bytes.end()};
}

Dataset readImagesAndLabels(const std::string& imagesPath, const std::string& labelsPath,
                            const Progress* progress) {
  const std::string phase = "Loading " + idxFileDescription(imagesPath);
  reportProgress(progress, phase, 0.0);
  std::vector<int> labels = readLabels(labelsPath);

  GzipFileReader reader(imagesPath);
  const std::vector<std::uint32_t> dims = readHeader(reader, 3, kImagesMagic, "images");
  const std::uint64_t count = dims[0], rows = dims[1], cols = dims[2];
  if (rows == 0 || cols == 0) {
    throw InputError(imagesPath + ": invalid image size " + std::to_string(rows) + " x " +
                     std::to_string(cols));
  }
  const std::uint64_t pixelsPerImage = rows * cols;  // < 2^64: both < 2^32
  // Checked before reading: the header alone decides how much memory the images will take.
  const std::uint64_t maxValues = kMaxDatasetValues;
  if (pixelsPerImage > maxValues || count > maxValues / pixelsPerImage) {
    throw InputError(imagesPath + ": " + std::to_string(count) + " images of " +
                     std::to_string(rows) + " x " + std::to_string(cols) +
                     " pixels exceed the limit of " + kMaxDatasetValuesText);
  }
  if (count != labels.size()) {
    throw InputError(imagesPath + " has " + std::to_string(count) + " images but " + labelsPath +
                     " has " + std::to_string(labels.size()) + " labels");
  }
  if (count == 0) throw InputError(imagesPath + ": contains no images");
  const std::vector<unsigned char> pixels =
      readPayload(reader, count * pixelsPerImage, "pixels", progress, phase);

  Dataset data;
  // Each image's rows x cols bytes are contiguous: exactly one column of (features, samples).
  const Eigen::Map<const Eigen::Matrix<unsigned char, Eigen::Dynamic, Eigen::Dynamic>> bytes(
      pixels.data(), static_cast<Eigen::Index>(pixelsPerImage), static_cast<Eigen::Index>(count));
  data.x = bytes.cast<Scalar>() * (Scalar(1) / Scalar(255));
  // An exported model takes the raw bytes and applies the 1/255 itself (io/onnx_export.h).
  data.input.scale = 1.0 / 255.0;
  data.input.units = "pixel intensity 0-255";
  data.input.shape = {static_cast<int>(rows), static_cast<int>(cols)};
  data.y = std::move(labels);
  data.classes = *std::max_element(data.y.begin(), data.y.end()) + 1;
  // "pixel_R_C", 0-based, in the file's row-major order: feature f is row f / cols, column
  // f % cols. An exported model states them (io/onnx_export.h).
  data.featureNames.reserve(pixelsPerImage);
  for (std::uint64_t r = 0; r < rows; ++r)
    for (std::uint64_t c = 0; c < cols; ++c)
      data.featureNames.push_back("pixel_" + std::to_string(r) + "_" + std::to_string(c));
  return data;
}

bool containsFashion(const std::string& path) {
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("fashion") != std::string::npos;
}

// MNIST's names, also the "train-images.idx3-ubyte" spelling some mirrors use, plain or gzip.
std::string findIdxFile(const fs::path& dir, const std::string& prefix, const std::string& kind) {
  for (const char* joint : {"-", "."}) {
    for (const char* suffix : {"", ".gz"}) {
      const fs::path candidate = dir / (prefix + joint + kind + suffix);
      std::error_code error;
      if (fs::is_regular_file(candidate, error)) return candidate.string();
    }
  }
  return {};
}

}  // namespace

const std::vector<std::string>& fashionMnistClassNames() {
  // Zalando's labels 0-9 (github.com/zalandoresearch/fashion-mnist, README "Labels").
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress",
                                                 "Coat",        "Sandal",  "Shirt",    "Sneaker",
                                                 "Bag",         "Ankle boot"};
  return names;
}

Dataset loadIdxPair(const std::string& imagesPath, const std::string& labelsPath,
                    const Progress* progress) {
  return readImagesAndLabels(imagesPath, labelsPath, progress);
}

namespace {

// Fashion-MNIST (a path that says "fashion", ten classes) gets its class names; other IDX data
// (MNIST's digits) none: an exported model then names its classes "0".."9".
void nameClasses(const std::string& imagesPath, Dataset& data) {
  if (containsFashion(imagesPath) && data.classes == 10) data.classNames = fashionMnistClassNames();
}

}  // namespace

void loadIdx(const std::string& spec, Dataset& train, Dataset& test, const Progress* progress) {
  train = Dataset();
  test = Dataset();
  const std::size_t comma = spec.find(',');
  if (comma != std::string::npos) {
    train = loadIdxPair(spec.substr(0, comma), spec.substr(comma + 1), progress);
    nameClasses(spec.substr(0, comma), train);
    return;
  }
  std::error_code error;
  if (!fs::is_directory(spec, error)) {
    throw InputError(spec + ": not a directory (idx: expects a folder holding "
                            "train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz], "
                            "or IMAGES,LABELS)");
  }
  const std::string trainImages = findIdxFile(spec, "train-images", "idx3-ubyte");
  const std::string trainLabels = findIdxFile(spec, "train-labels", "idx1-ubyte");
  if (trainImages.empty() || trainLabels.empty()) {
    throw InputError(spec + ": no " +
                     std::string(trainImages.empty() ? "train-images-idx3-ubyte[.gz]"
                                                     : "train-labels-idx1-ubyte[.gz]") +
                     " found (an MNIST-layout folder holds train-images-idx3-ubyte[.gz] and "
                     "train-labels-idx1-ubyte[.gz], optionally t10k-*)");
  }
  train = loadIdxPair(trainImages, trainLabels, progress);
  nameClasses(trainImages, train);

  const std::string testImages = findIdxFile(spec, "t10k-images", "idx3-ubyte");
  const std::string testLabels = findIdxFile(spec, "t10k-labels", "idx1-ubyte");
  if (testImages.empty() && testLabels.empty()) return;
  if (testImages.empty() || testLabels.empty()) {
    throw InputError(spec + ": found " + (testImages.empty() ? testLabels : testImages) +
                     " but no " +
                     (testImages.empty() ? "t10k-images-idx3-ubyte[.gz]"
                                         : "t10k-labels-idx1-ubyte[.gz]") +
                     " to go with it");
  }
  test = loadIdxPair(testImages, testLabels, progress);
  if (test.features() != train.features()) {
    throw InputError(testImages + " has images of " + std::to_string(test.features()) +
                     " pixels but " + trainImages + " has " + std::to_string(train.features()));
  }
  // Both splits must agree on the number of classes (the network's output width).
  const int classes = std::max(train.classes, test.classes);
  train.classes = classes;
  test.classes = classes;
  nameClasses(trainImages, train);  // again: the classes may have grown to ten just above
  nameClasses(trainImages, test);
}

}  // namespace layerscope
