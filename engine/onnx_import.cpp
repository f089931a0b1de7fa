#include "onnx_import.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "atomic_file.h"
#include "errors.h"
#include "experiment_file.h"
#include "layers/batch_norm.h"
#include "onnx_export.h"
#include "onnx_graph.h"

namespace layerscope {

namespace onnx_graph {

void GraphReader::readMetadata(ImportedModel& result) const {
  for (const onnx::StringStringEntryProto& entry : model_.metadata_props()) {
    const auto stringList = [&](std::vector<std::string>& out, size_t expected) {
      // Metadata is a courtesy: a malformed list is ignored, not an error.
      const nlohmann::json j = nlohmann::json::parse(entry.value(), nullptr, false);
      if (!j.is_array() || j.size() != expected) return;
      std::vector<std::string> names;
      for (const auto& item : j) {
        if (!item.is_string()) return;
        names.push_back(item.get<std::string>());
      }
      out = std::move(names);
    };
    if (entry.key() == kOnnxClassNamesKey) {
      stringList(result.classNames, static_cast<size_t>(result.classes));
    } else if (entry.key() == kOnnxFeatureNamesKey) {
      stringList(result.featureNames, static_cast<size_t>(result.inputs));
    } else if (entry.key() == kOnnxExperimentKey) {
      // Strict, like the experiment file itself: a damaged experiment is news to the user.
      result.experiment = experimentFromJson(
          entry.value(), source_ + " (metadata '" + kOnnxExperimentKey + "')");
      result.hasExperiment = true;
    }
  }
}

ImportedModel GraphReader::read() {
  ImportedModel result;
  collectConstants();
  int rank = -1;
  int64_t features = -1;
  current_ = findInput(rank, features);
  if (rank != -1 && rank != 2)
    fail("input '" + current_ + "': unsupported rank " + std::to_string(rank) +
         " (LayerScope reads (batch, features) matrices)");

  readPreprocessing(result, features);

  std::vector<LayerRead> layers;
  for (;;) {
    skipPassThrough();
    if (!peek()) break;
    if (!atDense()) {
      if (layers.empty() || !nextIs("Softmax"))
        failAt(*peek(), layers.empty() ? "unsupported here (expected Gemm or MatMul, or Sub / "
                                         "Mul for the preprocessing)"
                                       : "unsupported here (expected Gemm, MatMul, "
                                         "BatchNormalization, an activation or Softmax)");
      break;
    }
    LayerRead layer;
    readDense(layer);
    if (!layers.empty() && layer.w.cols() != layers.back().w.rows())
      fail("layer " + std::to_string(layers.size() + 1) + " reads " +
           std::to_string(layer.w.cols()) + " values but layer " + std::to_string(layers.size()) +
           " produces " + std::to_string(layers.back().w.rows()));
    skipPassThrough();
    if (nextIs("BatchNormalization") && readsCurrent(*peek())) readBatchNorm(layer);
    skipPassThrough();
    readActivation(layer);
    layers.push_back(std::move(layer));
  }
  if (layers.empty()) fail("unsupported: the graph has no Gemm / MatMul layer");

  // Optional softmax over classes: probabilities out; LayerScope applies it itself.
  if (const onnx::NodeProto* node = peek()) {
    take();
    // Default axis: 1 before opset 13, -1 from 13 on; on (batch, classes) both mean classes.
    const int64_t axis = intAttribute(*node, "axis", -1);
    if (node->input_size() != 1 || node->input(0) != current_ || (axis != 1 && axis != -1))
      failAt(*node, "unsupported: expected a softmax over the classes (axis 1)");
    advance(*node);
    skipPassThrough();
    if (peek()) failAt(*peek(), "unsupported after the output softmax");
  }

  // The last dense layer is the output; every earlier one a hidden layer.
  const LayerRead& output = layers.back();
  if (output.hasBatchNorm)
    fail("unsupported: batch normalization after the output layer (LayerScope's output layer "
         "is a plain Gemm giving logits)");
  if (output.hasActivation)
    fail("unsupported: activation '" + output.activationNode +
         "' after the output layer (LayerScope's output layer gives logits)");
  const size_t hidden = layers.size() - 1;
  result.inputs = static_cast<int>(layers.front().w.cols());
  result.classes = static_cast<int>(output.w.rows());
  if (features > 0 && features != result.inputs)
    fail("the input has " + std::to_string(features) + " features but the first layer reads " +
         std::to_string(result.inputs));

  ModelConfig& model = result.model;
  model.batchNorm = hidden > 0 && layers.front().hasBatchNorm;
  model.activation = "linear";
  if (hidden > 0 && layers.front().hasActivation) {
    const Activation& a = layers.front().activation;
    model.activation = activationName(a.kind);
    model.leakySlope = a.leakySlope;
    model.eluAlpha = a.eluAlpha;
  }
  std::vector<int> widths;
  for (size_t l = 0; l < hidden; ++l) {
    const LayerRead& layer = layers[l];
    widths.push_back(static_cast<int>(layer.w.rows()));
    if (layer.hasBatchNorm != model.batchNorm)
      fail("unsupported: batch normalization on some hidden layers only (layer " +
           std::to_string(l + 1) + "); LayerScope normalizes all or none");
    const ActivationKind kind =
        layer.hasActivation ? layer.activation.kind : ActivationKind::Linear;
    const bool same =
        activationName(kind) == model.activation &&
        (kind != ActivationKind::LeakyRelu || layer.activation.leakySlope == model.leakySlope) &&
        (kind != ActivationKind::Elu || layer.activation.eluAlpha == model.eluAlpha);
    if (!same)
      fail("unsupported: hidden layer " + std::to_string(l + 1) + " uses " +
           activationName(kind) + " but layer 1 uses " + model.activation +
           "; LayerScope networks use one activation");
  }
  model.depth = static_cast<int>(hidden);
  model.widths.clear();
  if (hidden > 0) model.width = widths.front();
  // Equal widths are depth x width, as a user would type them; otherwise the list.
  if (std::any_of(widths.begin(), widths.end(), [&](int w) { return w != widths.front(); }))
    model.widths = widths;

  // Preprocessing: expand a broadcast scalar mean / scale to one value per feature.
  if (result.preprocessor.kind() != "none") {
    Vector mean = result.preprocessor.mean(), scale = result.preprocessor.scale();
    if (mean.size() == 1) mean = Vector::Constant(result.inputs, mean[0]);
    if (scale.size() == 1) scale = Vector::Constant(result.inputs, scale[0]);
    if (mean.size() != result.inputs || scale.size() != result.inputs)
      fail("the preprocessing has " + std::to_string(mean.size()) +
           " values but the first layer reads " + std::to_string(result.inputs) + " features");
    try {
      result.preprocessor.setFitted(mean, scale);
    } catch (const InputError& error) {
      fail(error.what());
    }
  } else {
    result.preprocessor.setFitted(Vector::Zero(result.inputs), Vector::Ones(result.inputs));
  }

  // The Network's buffer order: per layer W (out x in, column-major) then b; batch norm gamma
  // then beta (Network::parameterBlocks()).
  Eigen::Index total = 0;
  for (const LayerRead& layer : layers)
    total += layer.w.size() + layer.b.size() + (layer.hasBatchNorm ? 2 * layer.w.rows() : 0);
  result.parameters.resize(total);
  Eigen::Index offset = 0;
  const auto append = [&](const float* data, Eigen::Index n) {
    result.parameters.segment(offset, n) = Eigen::Map<const Vector>(data, n);
    offset += n;
  };
  for (const LayerRead& layer : layers) {
    append(layer.w.data(), layer.w.size());
    append(layer.b.data(), layer.b.size());
    if (layer.hasBatchNorm) {
      append(layer.gamma.data(), layer.gamma.size());
      append(layer.beta.data(), layer.beta.size());
      result.runningMeans.push_back(layer.mean);
      result.runningVars.push_back(layer.var);
      result.batchNormEpsilons.push_back(layer.epsilon);
    }
  }

  readMetadata(result);
  if (result.hasExperiment) {
    // Settings the graph cannot show (how the weights were initialized, the dropout rate used
    // in training) come from the experiment; the structure always comes from the graph.
    const ModelConfig& m = result.experiment.model;
    model.init = m.init;
    model.initStd = m.initStd;
    model.initBound = m.initBound;
    model.initConstant = m.initConstant;
    model.dropout = m.dropout;
  }
  return result;
}

}  // namespace onnx_graph

namespace {

constexpr std::size_t kMaxModelBytes = std::size_t(512) << 20;

}  // namespace

ImportedModel importOnnxBytes(const std::string& bytes, const std::string& sourceName) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes))
    throw InputError(sourceName + ": not an ONNX model (the protobuf cannot be parsed)");
  if (!model.has_graph()) throw InputError(sourceName + ": not an ONNX model (no graph)");
  return onnx_graph::GraphReader(model, sourceName).read();
}

ImportedModel importOnnx(const std::string& path) {
  return importOnnxBytes(readFileBytes(path, kMaxModelBytes), path);
}

void applyImportedModel(const ImportedModel& imported, Network& network) {
  if (network.inputs() != imported.inputs || network.classes() != imported.classes)
    throw InputError("imported model: " + std::to_string(imported.inputs) + " inputs and " +
                     std::to_string(imported.classes) + " classes, but the network has " +
                     std::to_string(network.inputs()) + " and " +
                     std::to_string(network.classes()));
  if (hiddenWidths(network.model()) != hiddenWidths(imported.model) ||
      network.parameters().size() != imported.parameters.size())
    throw InputError("imported model: its layers differ from the network's");
  std::vector<BatchNorm*> batchNorms;
  for (const auto& layer : network.layers())
    if (auto* bn = dynamic_cast<BatchNorm*>(layer.get())) batchNorms.push_back(bn);
  if (batchNorms.size() != imported.runningMeans.size())
    throw InputError("imported model: " + std::to_string(imported.runningMeans.size()) +
                     " batch-normalization layers, but the network has " +
                     std::to_string(batchNorms.size()));
  network.parameters() = imported.parameters;
  for (size_t i = 0; i < batchNorms.size(); ++i) {
    BatchNorm& bn = *batchNorms[i];
    if (bn.runningMean().size() != imported.runningMeans[i].size())
      throw InputError("imported model: batch normalization " + std::to_string(i + 1) +
                       " has a different number of units");
    bn.runningMean() = imported.runningMeans[i];
    // The layer's epsilon is fixed at construction; the file's may differ (torch: 1e-5, Keras:
    // 1e-3). (x - mu) / sqrt(var + eps_file) = (x - mu) / sqrt(var' + eps_layer) with
    // var' = var + eps_file - eps_layer, so shifting the variance keeps the predictions exact.
    const double shift = (i < imported.batchNormEpsilons.size() ? imported.batchNormEpsilons[i]
                                                                : bn.epsilon()) -
                         bn.epsilon();
    bn.runningVar() = imported.runningVars[i].array() + static_cast<Scalar>(shift);
  }
}

}  // namespace layerscope
