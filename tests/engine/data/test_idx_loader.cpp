// IDX (MNIST layout) files: round trips through plain and gzip files written here, and every
// way a file can be wrong. The real Fashion-MNIST is used only when the system has it.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_helpers.h"
#include "data/gzip_reader.h"
#include "data/idx_loader.h"
#include "errors.h"

namespace layerscope {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

void appendBigEndian(Bytes& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back((value >> shift) & 0xff);
}

// Image i has pixel p = (i * 31 + p * 7) % 256, so every image and pixel differ.
Bytes imagesFile(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                 std::uint32_t magic = 0x00000803) {
  Bytes bytes;
  appendBigEndian(bytes, magic);
  appendBigEndian(bytes, count);
  appendBigEndian(bytes, rows);
  appendBigEndian(bytes, cols);
  for (std::uint32_t i = 0; i < count; ++i) {
    for (std::uint32_t p = 0; p < rows * cols; ++p) bytes.push_back((i * 31 + p * 7) % 256);
  }
  return bytes;
}

Bytes labelsFile(const std::vector<int>& labels) {
  Bytes bytes;
  appendBigEndian(bytes, 0x00000801);
  appendBigEndian(bytes, static_cast<std::uint32_t>(labels.size()));
  for (int label : labels) bytes.push_back(static_cast<unsigned char>(label));
  return bytes;
}

class IdxLoader : public ::testing::Test {
 protected:
  std::string writePlain(const std::string& name, const Bytes& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return path;
  }

  std::string writeGzip(const std::string& name, const Bytes& bytes) {
    const std::string path = (dir_ / name).string();
    gzFile file = gzopen(path.c_str(), "wb");
    EXPECT_NE(file, nullptr);
    EXPECT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    EXPECT_EQ(gzclose(file), Z_OK);
    return path;
  }

  static std::string errorOf(const std::string& images, const std::string& labels) {
    try {
      loadIdxPair(images, labels);
    } catch (const InputError& error) {
      return error.what();
    }
    return "(no error)";
  }

  testing::TempDir tmp_{"layerscope-idx"};
  fs::path dir_ = tmp_.path;
};

void expectMatchesGenerated(const Dataset& data, int count, int pixels) {
  ASSERT_EQ(data.samples(), count);
  ASSERT_EQ(data.features(), pixels);
  for (int i = 0; i < count; ++i) {
    for (int p = 0; p < pixels; ++p) {
      ASSERT_FLOAT_EQ(data.x(p, i), static_cast<float>((i * 31 + p * 7) % 256) / 255.0f)
          << "image " << i << " pixel " << p;
    }
  }
}

TEST_F(IdxLoader, PlainRoundTrip) {
  const std::vector<int> labels{3, 0, 9, 1, 3};
  const Dataset data = loadIdxPair(writePlain("img", imagesFile(5, 4, 3)),
                                   writePlain("lbl", labelsFile(labels)));
  expectMatchesGenerated(data, 5, 12);
  EXPECT_EQ(data.y, labels);
  EXPECT_EQ(data.classes, 10);  // max label + 1
  EXPECT_TRUE(data.classNames.empty());
}

TEST_F(IdxLoader, PixelsScaledToUnitInterval) {
  Bytes images;
  appendBigEndian(images, 0x00000803);
  for (std::uint32_t dim : {1, 1, 3}) appendBigEndian(images, dim);
  images.insert(images.end(), {0, 51, 255});
  const Dataset data = loadIdxPair(writePlain("img", images), writePlain("lbl", labelsFile({0})));
  EXPECT_EQ(data.x(0, 0), 0.0f);
  EXPECT_FLOAT_EQ(data.x(1, 0), 0.2f);
  EXPECT_EQ(data.x(2, 0), 1.0f);
  EXPECT_EQ(data.classes, 1);
  // What an exported model needs to take the raw bytes instead (io/onnx_export.h).
  EXPECT_DOUBLE_EQ(data.input.scale, 1.0 / 255.0);
  EXPECT_EQ(data.input.units, "pixel intensity 0-255");
  EXPECT_EQ(data.input.shape, (std::vector<int>{1, 3}));
}

TEST_F(IdxLoader, GzipRoundTrip) {
  const std::vector<int> labels{1, 2, 0, 2, 1, 1, 0};
  const Dataset data = loadIdxPair(writeGzip("img.gz", imagesFile(7, 5, 6)),
                                   writeGzip("lbl.gz", labelsFile(labels)));
  expectMatchesGenerated(data, 7, 30);
  EXPECT_EQ(data.y, labels);
  EXPECT_EQ(data.classes, 3);
}

TEST_F(IdxLoader, WrongMagicIsRefused) {
  const std::string labels = writePlain("lbl", labelsFile({0, 1}));
  const std::string wrongMagic = writePlain("img", imagesFile(2, 2, 2, 0x00000802));
  const std::string message = errorOf(wrongMagic, labels);
  EXPECT_EQ(message.rfind(wrongMagic + ": not an IDX images file (magic 0x00000802", 0), 0u)
      << message;
  // Images and labels swapped: both files are IDX, but not what was asked for.
  const std::string images = writePlain("img2", imagesFile(2, 2, 2));
  const std::string swapped = errorOf(labels, images);
  EXPECT_NE(swapped.find("not an IDX labels file (magic 0x00000803"), std::string::npos)
      << swapped;
}

TEST_F(IdxLoader, TruncatedPixelsAreRefused) {
  Bytes images = imagesFile(4, 3, 3);
  images.resize(images.size() - 5);
  const std::string path = writePlain("img", images);
  const std::string message = errorOf(path, writePlain("lbl", labelsFile({0, 1, 2, 3})));
  EXPECT_EQ(message, path + ": truncated: expected 36 bytes of pixels, found 31");
}

TEST_F(IdxLoader, TrailingBytesAreRefused) {
  Bytes images = imagesFile(2, 2, 2);
  images.push_back(0);
  const std::string message =
      errorOf(writePlain("img", images), writePlain("lbl", labelsFile({0, 1})));
  EXPECT_NE(message.find("1 bytes after the 8 bytes of pixels"), std::string::npos) << message;
}

TEST_F(IdxLoader, TruncatedGzipIsRefused) {
  const std::string full = writeGzip("img.gz", imagesFile(50, 8, 8));
  std::ifstream in(full, std::ios::binary);
  std::string compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string half = writePlain("half.gz", Bytes(compressed.begin(),
                                                       compressed.begin() + compressed.size() / 2));
  const std::vector<int> labels(50, 1);
  const std::string message = errorOf(half, writePlain("lbl", labelsFile(labels)));
  EXPECT_EQ(message, half + ": truncated or corrupt gzip data");

  // Cut inside the 8-byte trailer (CRC and length): all pixels decompress, the check fails.
  const std::string noTrailer = writePlain(
      "notrailer.gz", Bytes(compressed.begin(), compressed.end() - 4));
  EXPECT_EQ(errorOf(noTrailer, writePlain("lbl2", labelsFile(labels))),
            noTrailer + ": truncated or corrupt gzip data");
}

TEST_F(IdxLoader, CorruptGzipIsRefused) {
  Bytes bytes = {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff};
  const std::string path = writePlain("bad.gz", bytes);
  EXPECT_EQ(errorOf(path, writePlain("lbl", labelsFile({0}))),
            path + ": truncated or corrupt gzip data");
}

TEST_F(IdxLoader, CountMismatchNamesBothFiles) {
  const std::string images = writePlain("img", imagesFile(3, 2, 2));
  const std::string labels = writePlain("lbl", labelsFile({0, 1}));
  const std::string message = errorOf(images, labels);
  EXPECT_NE(message.find(images + " has 3 images"), std::string::npos) << message;
  EXPECT_NE(message.find(labels + " has 2 labels"), std::string::npos) << message;
}

TEST_F(IdxLoader, HugeHeaderRefusedWithoutAllocating) {
  // 2^32-1 images of 65535 x 65535 pixels: refused from the header alone.
  Bytes images;
  appendBigEndian(images, 0x00000803);
  appendBigEndian(images, 0xffffffffu);
  appendBigEndian(images, 65535);
  appendBigEndian(images, 65535);
  const std::string message =
      errorOf(writePlain("img", images), writePlain("lbl", labelsFile({0})));
  EXPECT_NE(message.find("exceed the limit"), std::string::npos) << message;
  // A header promising 2^28 pixels (the limit, 1 GiB as floats) over a file holding 4: a
  // truncation error, not bad_alloc.
  Bytes liar;
  appendBigEndian(liar, 0x00000803);
  appendBigEndian(liar, 1);
  appendBigEndian(liar, 16384);
  appendBigEndian(liar, 16384);
  liar.insert(liar.end(), {1, 2, 3, 4});
  const std::string truncated =
      errorOf(writePlain("liar", liar), writePlain("lbl1", labelsFile({0})));
  EXPECT_NE(truncated.find("truncated: expected 268435456 bytes of pixels, found 4"),
            std::string::npos)
      << truncated;
}

TEST_F(IdxLoader, EmptyAndMissingFiles) {
  const std::string labels = writePlain("lbl", labelsFile({0}));
  const std::string empty = writePlain("empty", {});
  EXPECT_NE(errorOf(empty, labels).find(empty + ": not an IDX images file"), std::string::npos);
  const std::string missing = (dir_ / "missing").string();
  EXPECT_EQ(errorOf(missing, labels).rfind(missing + ": cannot open (", 0), 0u);
}

TEST_F(IdxLoader, DirectoryWithTrainAndTestSets) {
  writeGzip("train-images-idx3-ubyte.gz", imagesFile(6, 2, 3));
  writePlain("train-labels-idx1-ubyte", labelsFile({0, 1, 2, 0, 1, 2}));
  writePlain("t10k-images-idx3-ubyte", imagesFile(2, 2, 3));
  writeGzip("t10k-labels-idx1-ubyte.gz", labelsFile({4, 0}));
  Dataset train, test;
  loadIdx(dir_.string(), train, test);
  expectMatchesGenerated(train, 6, 6);
  expectMatchesGenerated(test, 2, 6);
  EXPECT_EQ(test.y, (std::vector<int>{4, 0}));
  EXPECT_EQ(train.classes, 5);  // both splits agree: max label over train and test + 1
  EXPECT_EQ(test.classes, 5);
}

TEST_F(IdxLoader, DirectoryWithoutTestSetAndFilePairSpec) {
  const std::string images = writePlain("train-images-idx3-ubyte", imagesFile(3, 1, 2));
  const std::string labels = writePlain("train-labels-idx1-ubyte", labelsFile({1, 0, 1}));
  Dataset train, test;
  loadIdx(dir_.string(), train, test);
  EXPECT_EQ(train.samples(), 3);
  EXPECT_EQ(test.samples(), 0);

  Dataset pairTrain, pairTest;
  loadIdx(images + "," + labels, pairTrain, pairTest);
  EXPECT_EQ(pairTrain.x, train.x);
  EXPECT_EQ(pairTrain.y, train.y);
  EXPECT_EQ(pairTest.samples(), 0);
}

TEST_F(IdxLoader, DirectoryMissingFilesNamesWhatWasLookedFor) {
  Dataset train, test;
  try {
    loadIdx(dir_.string(), train, test);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("train-images-idx3-ubyte[.gz]"), std::string::npos)
        << error.what();
  }
  writePlain("train-images-idx3-ubyte", imagesFile(1, 1, 1));
  writePlain("train-labels-idx1-ubyte", labelsFile({0}));
  writePlain("t10k-images-idx3-ubyte", imagesFile(1, 1, 1));
  try {
    loadIdx(dir_.string(), train, test);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("t10k-labels-idx1-ubyte[.gz]"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(loadIdx((dir_ / "nowhere").string(), train, test), InputError);
}

TEST_F(IdxLoader, GzipReaderReadsPlainAndGzipAlike) {
  const Bytes content{'h', 'e', 'l', 'l', 'o', 0, 255};
  EXPECT_EQ(readWholeFile(writePlain("a", content)), std::string(content.begin(), content.end()));
  EXPECT_EQ(readWholeFile(writeGzip("a.gz", content)), std::string(content.begin(), content.end()));
}

// The real thing, when Debian's dataset-fashion-mnist is installed.
TEST(IdxLoaderFashionMnist, LoadsSystemCopy) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(dir + "/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << dir << " not installed (Debian package dataset-fashion-mnist)";
  }
  Dataset train, test;
  loadIdx(dir, train, test);
  EXPECT_EQ(train.samples(), 60000);
  EXPECT_EQ(test.samples(), 10000);
  EXPECT_EQ(train.features(), 28 * 28);
  EXPECT_EQ(train.classes, 10);
  EXPECT_EQ(test.classes, 10);
  EXPECT_GE(train.x.minCoeff(), 0.0f);
  EXPECT_LE(train.x.maxCoeff(), 1.0f);
  std::vector<int> counts(10, 0);
  for (int label : train.y) ++counts.at(label);
  for (int count : counts) EXPECT_EQ(count, 6000);  // Fashion-MNIST is exactly balanced
}

}  // namespace
}  // namespace layerscope
