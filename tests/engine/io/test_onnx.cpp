// ONNX export and import. A model must (1) pass the ONNX checker, (2) give the app's
// predictions when read back by LayerScope, (3) give them when run by an independent reader
// (onnx_reference.py: a numpy forward built from the file alone -- the checker misses a Gemm
// with transposed weights, numbers do not), and (4) the importer must read the same network
// as other tools write it (torch.onnx.export, onnx.helper layouts).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "model/activation.h"
#include "io/atomic_file.h"
#include "data/preprocess.h"
#include "errors.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dense.h"
#include "model/loss.h"
#include "model/network.h"
#include "io/onnx_export.h"
#include "io/onnx_import.h"
#include "rng.h"
#include "test_helpers.h"

namespace layerscope {
namespace {

namespace fs = std::filesystem;

constexpr int kFeatures = 5, kClasses = 3, kSamples = 32;

using testing::errorOf;
using testing::TempDir;

// Deterministic pseudo-random numbers for test data, independent of the engine's RNG.
Matrix randomMatrix(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  std::srand(seed);
  return Matrix::Random(rows, cols);
}

// Raw features with unequal means and scales, so that the preprocessing changes the answer.
Matrix rawInputs(int samples, unsigned seed) {
  Matrix x = randomMatrix(kFeatures, samples, seed) * 2.0f;
  for (int f = 0; f < kFeatures; ++f) {
    x.row(f) *= 0.5f + float(f);
    x.row(f).array() += 3.0f - 1.5f * float(f);
  }
  return x;
}

ModelConfig modelConfig(const std::string& activation, bool batchNorm) {
  ModelConfig m;
  m.widths = {7, 4, 6};  // unequal, and no weight matrix square: a transposed W cannot pass
  m.depth = 3;
  m.activation = activation;
  m.leakySlope = 0.2;
  m.eluAlpha = 0.7;
  m.batchNorm = batchNorm;
  m.init = "xavier_normal";
  return m;
}

// Non-trivial batch-norm state: gamma, beta and the running statistics all matter.
void randomizeBatchNorm(Network& net, unsigned seed) {
  std::srand(seed);
  for (const Network::ParameterBlock& block : net.parameterBlocks()) {
    auto values = net.parameters().segment(block.info.offset, block.info.rows * block.info.cols);
    if (block.info.name == "gamma") values = Vector::Ones(values.size()) + 0.3f * Vector::Random(values.size());
    if (block.info.name == "beta") values = 0.2f * Vector::Random(values.size());
    if (block.info.name == "b") values = 0.1f * Vector::Random(values.size());
  }
  for (const auto& layer : net.layers()) {
    if (auto* bn = dynamic_cast<BatchNorm*>(layer.get())) {
      bn->runningMean() = 0.5f * Vector::Random(bn->runningMean().size());
      bn->runningVar() = Vector::Ones(bn->runningVar().size()) + 0.8f * Vector::Random(bn->runningVar().size());
    }
  }
}

// What the app predicts for raw inputs: preprocess, forward in evaluation mode, softmax.
Matrix predict(Network& net, const Preprocessor& preprocessor, const Matrix& raw) {
  Matrix x = raw;
  preprocessor.apply(x);
  net.input() = x;
  const Matrix logits = net.forward(Phase::Evaluation);
  Matrix probabilities;
  softmax(logits, probabilities);
  return probabilities;
}

Preprocessor fittedPreprocessor(const std::string& kind) {
  Preprocessor p(kind);
  p.fit(rawInputs(200, 7));
  return p;
}

// One sample per row, 9 significant digits (every float exactly).
void writeCsv(const std::string& path, const Matrix& columnsAreSamples) {
  std::ofstream out(path);
  char buffer[32];
  for (Eigen::Index j = 0; j < columnsAreSamples.cols(); ++j) {
    for (Eigen::Index i = 0; i < columnsAreSamples.rows(); ++i) {
      std::snprintf(buffer, sizeof buffer, "%.9g", double(columnsAreSamples(i, j)));
      out << (i ? "," : "") << buffer;
    }
    out << "\n";
  }
}

Matrix readCsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<float>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::vector<float> row;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) row.push_back(std::stof(field));
    rows.push_back(row);
  }
  Matrix m(rows.empty() ? 0 : Eigen::Index(rows[0].size()), Eigen::Index(rows.size()));
  for (size_t j = 0; j < rows.size(); ++j)
    for (size_t i = 0; i < rows[j].size(); ++i) m(Eigen::Index(i), Eigen::Index(j)) = rows[j][i];
  return m;
}

// Scripts next to this file: tests/data/../engine (the test data dir is a compile definition).
std::string scriptPath(const std::string& name) {
  const fs::path fromData = fs::path(LAYERSCOPE_TEST_DATA_DIR "/../engine/io/" + name).lexically_normal();
  if (fs::exists(fromData)) return fromData.string();
  return (fs::path(__FILE__).parent_path() / name).string();
}

bool pythonHasOnnx() {
  return std::system("/usr/bin/python3 -c 'import onnx, numpy' >/dev/null 2>&1") == 0;
}

// Runs a command, returns its exit status and (via `output`) what it printed.
int run(const std::string& command, std::string& output, const std::string& logPath) {
  const int status = std::system((command + " >" + logPath + " 2>&1").c_str());
  std::ifstream in(logPath);
  std::ostringstream s;
  s << in.rdbuf();
  output = s.str();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// -- Export, then import into a fresh network: the same predictions --------------------------

using RoundTripCase = std::tuple<std::string, bool, std::string>;  // activation, BN, preprocess

class OnnxRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(OnnxRoundTrip, ImportedNetworkPredictsTheSame) {
  const auto& [activation, batchNorm, preprocess] = GetParam();
  TempDir dir("layerscope-onnx");
  ExperimentConfig config;
  config.name = "round trip";
  config.model = modelConfig(activation, batchNorm);
  config.data.preprocess = preprocess;
  Network net(kFeatures, kClasses, config.model, 11);
  randomizeBatchNorm(net, 3);
  const Preprocessor preprocessor = fittedPreprocessor(preprocess);
  const Matrix raw = rawInputs(kSamples, 5);
  const Matrix expected = predict(net, preprocessor, raw);

  const std::string path = dir.file("model.onnx");
  exportOnnx(path, net, preprocessor, config);  // throws if the checker objects
  const ModelState imported = importOnnx(path);

  EXPECT_EQ(imported.inputs, kFeatures);
  EXPECT_EQ(imported.classes, kClasses);
  EXPECT_EQ(imported.model.activation, activation);
  EXPECT_EQ(imported.model.batchNorm, batchNorm);
  EXPECT_EQ(hiddenWidths(imported.model), (std::vector<int>{7, 4, 6}));
  if (activation == "leaky_relu") {
    EXPECT_FLOAT_EQ(imported.model.leakySlope, 0.2f);
  }
  if (activation == "elu") {
    EXPECT_FLOAT_EQ(imported.model.eluAlpha, 0.7f);
  }
  EXPECT_EQ(imported.preprocessor.kind(), preprocess);
  ASSERT_TRUE(imported.hasExperiment);
  EXPECT_EQ(imported.experiment.name, "round trip");

  Network copy(imported.inputs, imported.classes, imported.model, 999);  // other weights...
  applyModelState(imported, copy);                                    // ...replaced
  EXPECT_EQ(copy.parameters(), net.parameters());  // bit for bit
  const Matrix actual = predict(copy, imported.preprocessor, raw);
  EXPECT_LT((actual - expected).cwiseAbs().maxCoeff(), 1e-6f);
}

std::string caseName(const ::testing::TestParamInfo<RoundTripCase>& info) {
  return std::get<0>(info.param) + (std::get<1>(info.param) ? "_bn_" : "_") +
         std::get<2>(info.param);
}

INSTANTIATE_TEST_SUITE_P(
    Onnx, OnnxRoundTrip,  // "Onnx/OnnxRoundTrip...": matched by --gtest_filter=Onnx*
    ::testing::Combine(::testing::Values("tanh", "sigmoid", "relu", "leaky_relu", "elu", "selu",
                                         "gelu", "linear"),
                       ::testing::Bool(), ::testing::Values("none", "center", "standardize")),
    caseName);

// -- An independent reader agrees ------------------------------------------------------------

TEST(OnnxExport, IndependentReaderComputesTheSameProbabilities) {
  if (!pythonHasOnnx())
    GTEST_SKIP() << "python3-onnx not installed: apt-get install python3-onnx python3-numpy";
  TempDir dir("layerscope-onnx");
  const Matrix raw = rawInputs(kSamples, 9);
  writeCsv(dir.file("inputs.csv"), raw);
  std::string arguments;
  const char* kinds[] = {"none", "center", "standardize"};
  int k = 0;
  for (const char* activation :
       {"tanh", "sigmoid", "relu", "leaky_relu", "elu", "selu", "gelu", "linear"}) {
    for (bool batchNorm : {false, true}) {
      ExperimentConfig config;
      config.model = modelConfig(activation, batchNorm);
      config.model.dropout = batchNorm ? 0.0 : 0.3;  // dropout: the identity in the file
      config.data.preprocess = kinds[k % 3];
      Network net(kFeatures, kClasses, config.model, 100 + k);
      randomizeBatchNorm(net, 200 + k);
      const Preprocessor preprocessor = fittedPreprocessor(config.data.preprocess);
      const std::string name = std::string(activation) + (batchNorm ? "_bn" : "");
      exportOnnx(dir.file(name + ".onnx"), net, preprocessor, config);
      writeCsv(dir.file(name + ".expected.csv"), predict(net, preprocessor, raw));
      arguments += " " + dir.file(name + ".onnx") + " " + dir.file("inputs.csv") + " " +
                   dir.file(name + ".expected.csv");
      ++k;
    }
  }
  std::string output;
  const int status =
      run("/usr/bin/python3 " + scriptPath("onnx_reference.py") + arguments, output,
          dir.file("reference.log"));
  EXPECT_EQ(status, 0) << output;
}

// A loader that scales (IDX: x = byte / 255) must not leave that to the model's user: the model
// takes the file's raw values. An independent reader fed raw bytes 0-255 computes what the app
// computes on the loaded values, and the importer gives back the preprocessing in loaded units.
TEST(OnnxExport, AModelOfScaledDataTakesTheFilesRawValues) {
  if (!pythonHasOnnx())
    GTEST_SKIP() << "python3-onnx not installed: apt-get install python3-onnx python3-numpy";
  TempDir dir("layerscope-onnx");
  Matrix bytes = (randomMatrix(kFeatures, kSamples, 11).array() * 127.5f + 127.5f).round();
  const Matrix loaded = bytes * (1.0f / 255.0f);
  InputEncoding encoding;
  encoding.scale = 1.0 / 255.0;
  encoding.units = "pixel intensity 0-255";
  encoding.shape = {1, kFeatures};
  writeCsv(dir.file("raw.csv"), bytes);
  std::string arguments;
  int k = 0;
  for (const char* kind : {"none", "center", "standardize"}) {
    ExperimentConfig config;
    config.model = modelConfig("tanh", false);
    config.data.preprocess = kind;
    Network net(kFeatures, kClasses, config.model, 300 + k++);
    Preprocessor preprocessor(kind);
    preprocessor.fit(loaded);
    const std::string name = dir.file(std::string("scaled_") + kind);
    exportOnnx(name + ".onnx", net, preprocessor, config, {}, {}, encoding);
    writeCsv(name + ".expected.csv", predict(net, preprocessor, loaded));
    arguments += " " + name + ".onnx " + dir.file("raw.csv") + " " + name + ".expected.csv";

    const ModelState imported = importOnnx(name + ".onnx");
    EXPECT_EQ(imported.preprocessor.kind(), kind);
    EXPECT_DOUBLE_EQ(imported.input.scale, 1.0 / 255.0);
    EXPECT_EQ(imported.input.units, "pixel intensity 0-255");
    EXPECT_EQ(imported.input.shape, (std::vector<int>{1, kFeatures}));
    Network copy(kFeatures, kClasses, imported.model, 999);
    applyModelState(imported, copy);
    const Matrix a = predict(net, preprocessor, loaded);
    const Matrix b = predict(copy, imported.preprocessor, loaded);  // loaded units again
    EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-5f) << kind;
  }
  std::string output;
  const int status = run("/usr/bin/python3 " + scriptPath("onnx_reference.py") + arguments,
                         output, dir.file("reference.log"));
  EXPECT_EQ(status, 0) << output;
}

TEST(OnnxExport, WeightsAreStoredRowMajorOutByIn) {
  // Gemm(transB=1) wants W as [out, in] in row-major order; Eigen holds it column-major. The
  // exact row-major bytes of layer 1's W must appear in the file.
  ExperimentConfig config;
  config.model = modelConfig("tanh", false);
  Network net(kFeatures, kClasses, config.model, 1);
  const std::string bytes = onnxModelBytes(net, Preprocessor("none"), config);
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const RowMajor w = net.dense(0).weights();
  ASSERT_EQ(w.rows(), 7);
  ASSERT_EQ(w.cols(), kFeatures);
  const std::string rowMajor(reinterpret_cast<const char*>(w.data()), w.size() * sizeof(float));
  const Matrix colMajorW = net.dense(0).weights();
  const std::string colMajor(reinterpret_cast<const char*>(colMajorW.data()),
                             colMajorW.size() * sizeof(float));
  EXPECT_NE(bytes.find(rowMajor), std::string::npos);
  EXPECT_EQ(bytes.find(colMajor), std::string::npos);
}

TEST(OnnxExport, NamesDocumentationAndMetadata) {
  ExperimentConfig config;
  config.name = "iris demo";
  config.model = modelConfig("gelu", true);
  config.data.preprocess = "standardize";
  Network net(kFeatures, kClasses, config.model, 1);
  const std::vector<std::string> classes = {"setosa", "versicolor", "virginica"};
  const std::vector<std::string> features = {"a", "b", "c", "d", "e"};
  TempDir dir("layerscope-onnx");
  exportOnnx(dir.file("m.onnx"), net, fittedPreprocessor("standardize"), config, classes,
             features);
  const std::string bytes = readFileBytes(dir.file("m.onnx"));
  for (const char* expected :
       {"LayerScope", "layer1.weight", "layer1.bias", "layer1.bn.scale", "layer1.bn.var",
        "layer4.weight", "preprocess.mean", "preprocess.scale", "probabilities", "logits",
        "Raw features", "layerscope.experiment", "layerscope.preprocess", "Erf", "batch"})
    EXPECT_NE(bytes.find(expected), std::string::npos) << expected;
  const ModelState imported = importOnnx(dir.file("m.onnx"));
  EXPECT_EQ(imported.classNames, classes);
  EXPECT_EQ(imported.featureNames, features);
  EXPECT_EQ(imported.experiment.name, "iris demo");
}

TEST(OnnxExport, NetworkWithoutHiddenLayersIsLogisticRegression) {
  ExperimentConfig config;
  config.model.depth = 0;
  Network net(kFeatures, kClasses, config.model, 4);
  TempDir dir("layerscope-onnx");
  exportOnnx(dir.file("m.onnx"), net, fittedPreprocessor("center"), config);
  const ModelState imported = importOnnx(dir.file("m.onnx"));
  EXPECT_EQ(hiddenWidths(imported.model).size(), 0u);
  Network copy(imported.inputs, imported.classes, imported.model, 5);
  applyModelState(imported, copy);
  const Matrix raw = rawInputs(8, 3);
  EXPECT_LT((predict(copy, imported.preprocessor, raw) -
             predict(net, fittedPreprocessor("center"), raw)).cwiseAbs().maxCoeff(), 1e-6f);
}

TEST(OnnxExport, UnwritablePathIsAnInputErrorAndWritesNothing) {
  ExperimentConfig config;
  config.model = modelConfig("relu", false);
  Network net(kFeatures, kClasses, config.model, 1);
  TempDir dir("layerscope-onnx");
  const std::string path = dir.file("missing/m.onnx");
  EXPECT_EQ(errorOf([&] { exportOnnx(path, net, Preprocessor("none"), config); }),
            path + ": cannot write: No such file or directory");
}

// -- Models written by other tools import ----------------------------------------------------

TEST(OnnxImport, TorchAndHelperWrittenModelsImportAndPredictTheSame) {
  if (!pythonHasOnnx())
    GTEST_SKIP() << "python3-onnx not installed: apt-get install python3-onnx python3-numpy";
  TempDir dir("layerscope-onnx");
  std::string output;
  ASSERT_EQ(run("/usr/bin/python3 " + scriptPath("onnx_torch_models.py") + " " +
                    dir.path.string(),
                output, dir.file("generate.log")),
            0)
      << output;
  const Matrix raw = readCsv(dir.file("inputs.csv"));
  ASSERT_EQ(raw.rows(), kFeatures);
  std::ifstream manifest(dir.file("manifest.txt"));
  int models = 0;
  for (std::string line; std::getline(manifest, line);) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string name, activation, preprocess, widths;
    int batchNorm = 0;
    fields >> name >> activation >> batchNorm >> preprocess >> widths;
    SCOPED_TRACE(name);
    const ModelState imported = importOnnx(dir.file(name + ".onnx"));
    EXPECT_EQ(imported.model.activation, activation);
    EXPECT_EQ(imported.model.batchNorm, batchNorm != 0);
    EXPECT_EQ(imported.preprocessor.kind(), preprocess);
    std::string importedWidths;
    for (int w : hiddenWidths(imported.model))
      importedWidths += (importedWidths.empty() ? "" : ",") + std::to_string(w);
    EXPECT_EQ(importedWidths, widths);
    if (activation == "leaky_relu") {
      EXPECT_FLOAT_EQ(imported.model.leakySlope, 0.2f);
    }
    if (activation == "elu") {
      EXPECT_FLOAT_EQ(imported.model.eluAlpha, 0.7f);
    }
    EXPECT_FALSE(imported.hasExperiment);

    Network net(imported.inputs, imported.classes, imported.model, 1);
    applyModelState(imported, net);
    const Matrix expected = readCsv(dir.file(name + ".expected.csv"));
    const Matrix actual = predict(net, imported.preprocessor, raw);
    ASSERT_EQ(actual.rows(), expected.rows());
    ASSERT_EQ(actual.cols(), expected.cols());
    EXPECT_LT((actual - expected).cwiseAbs().maxCoeff(), 1e-5f);
    ++models;
  }
  EXPECT_GE(models, 1);
  if (models == 1) std::cout << "note: torch not installed; only the onnx.helper model ran\n";
}

// -- Bad files are refused with a message naming what is wrong -------------------------------

TEST(OnnxImport, UnsupportedNodeIsNamedWithItsOpType) {
  ExperimentConfig config;
  config.model = modelConfig("tanh", false);
  Network net(kFeatures, kClasses, config.model, 1);
  std::string bytes = onnxModelBytes(net, Preprocessor("none"), config);
  // Same-length replacement keeps the protobuf valid: every Tanh op becomes Acos.
  for (size_t at = bytes.find("Tanh"); at != std::string::npos; at = bytes.find("Tanh", at))
    bytes.replace(at, 4, "Acos");
  const std::string message = errorOf([&] { importOnnxBytes(bytes, "m.onnx"); });
  EXPECT_EQ(message.rfind("m.onnx: node 'layer1/Acos' (Acos): unsupported", 0), 0u) << message;
}

TEST(OnnxImport, GarbageMissingAndMismatchedFiles) {
  EXPECT_EQ(errorOf([] { importOnnxBytes("this is not protobuf \xff\xff\xff", "g.onnx"); })
                .rfind("g.onnx: not an ONNX model", 0),
            0u);
  EXPECT_NE(errorOf([] { importOnnxBytes("", "empty.onnx"); }).find("empty.onnx: "),
            std::string::npos);
  EXPECT_EQ(errorOf([] { importOnnx("/nonexistent/m.onnx"); }),
            "/nonexistent/m.onnx: cannot open: No such file or directory");

  // A network of another shape cannot take the imported parameters.
  ExperimentConfig config;
  config.model = modelConfig("relu", true);
  Network net(kFeatures, kClasses, config.model, 1);
  const ModelState imported =
      importOnnxBytes(onnxModelBytes(net, Preprocessor("none"), config), "m.onnx");
  ModelConfig other = imported.model;
  other.widths = {7, 4, 5};
  Network wrong(kFeatures, kClasses, other, 1);
  EXPECT_NE(errorOf([&] { applyModelState(imported, wrong); }).find("imported model"),
            std::string::npos);
}

TEST(OnnxImport, CorruptedBytesAreRefusedNeverACrash) {
  // Flipped bytes anywhere in a valid file: every outcome is a model or an InputError.
  ExperimentConfig config;
  config.model = modelConfig("gelu", true);
  config.model.widths = {3, 2};
  Network net(kFeatures, kClasses, config.model, 1);
  const std::string valid = onnxModelBytes(net, fittedPreprocessor("standardize"), config);
  Rng rng(12345);
  int refused = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bytes = valid;
    for (int flips = 0; flips < 3; ++flips)
      bytes[rng.below(bytes.size())] ^= static_cast<char>(1 + rng.below(255));
    try {
      importOnnxBytes(bytes, "fuzz.onnx");
    } catch (const InputError&) {
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace layerscope
