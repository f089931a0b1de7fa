#include "io/onnx_export.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>  // defines ONNX_API, then includes onnx-ml.pb.h
#include <onnx/shape_inference/implementation.h>

#include "model/activation.h"
#include "io/atomic_file.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "model/layers/activation_layer.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dense.h"

namespace layerscope {

namespace {

constexpr int kIrVersion = 7;
constexpr int kOpsetVersion = 13;

// Builds the GraphProto node by node; every tensor name is unique and says what it holds.
class GraphBuilder {
 public:
  explicit GraphBuilder(onnx::GraphProto& graph) : graph_(graph) {}

  // A float initializer of the given shape from data already in row-major (C) order.
  void addInitializer(const std::string& name, const std::vector<int64_t>& dims,
                      const float* data, size_t count) {
    onnx::TensorProto* t = graph_.add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto_DataType_FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    // raw_data is little-endian IEEE floats, as the x86/ARM memory holding them.
    t->set_raw_data(reinterpret_cast<const char*>(data), count * sizeof(float));
  }
  void addVector(const std::string& name, const Vector& v) {
    addInitializer(name, {v.size()}, v.data(), static_cast<size_t>(v.size()));
  }
  void addScalar(const std::string& name, float value) {
    addInitializer(name, {}, &value, 1);
  }

  onnx::NodeProto& addNode(const std::string& op, const std::string& name,
                           const std::vector<std::string>& inputs, const std::string& output) {
    onnx::NodeProto* node = graph_.add_node();
    node->set_op_type(op);
    node->set_name(name);
    for (const std::string& in : inputs) node->add_input(in);
    node->add_output(output);
    return *node;
  }

  static void setFloat(onnx::NodeProto& node, const std::string& name, double value) {
    onnx::AttributeProto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_FLOAT);
    a->set_f(static_cast<float>(value));
  }
  static void setInt(onnx::NodeProto& node, const std::string& name, int64_t value) {
    onnx::AttributeProto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INT);
    a->set_i(value);
  }

 private:
  onnx::GraphProto& graph_;
};

// A float tensor of shape (batch, columns), batch symbolic.
void setMatrixType(onnx::ValueInfoProto& info, int64_t columns) {
  onnx::TypeProto_Tensor* tensor = info.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto_DataType_FLOAT);
  onnx::TensorShapeProto* shape = tensor->mutable_shape();
  shape->add_dim()->set_dim_param("batch");
  shape->add_dim()->set_dim_value(columns);
}

std::string joinNames(const std::vector<std::string>& names, size_t limit) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > limit) out += ", ...";
  return out;
}

// Emits the activation applied to `x`; returns the name of its output (x itself for linear).
std::string addActivation(GraphBuilder& g, const Activation& a, const std::string& prefix,
                          const std::string& x, bool& geluConstantsAdded) {
  const std::string y = prefix + ".activation";
  switch (a.kind) {
    case ActivationKind::Tanh: g.addNode("Tanh", prefix + "/Tanh", {x}, y); return y;
    case ActivationKind::Sigmoid: g.addNode("Sigmoid", prefix + "/Sigmoid", {x}, y); return y;
    case ActivationKind::Relu: g.addNode("Relu", prefix + "/Relu", {x}, y); return y;
    case ActivationKind::LeakyRelu:
      GraphBuilder::setFloat(g.addNode("LeakyRelu", prefix + "/LeakyRelu", {x}, y), "alpha",
                             a.leakySlope);
      return y;
    case ActivationKind::Elu:
      GraphBuilder::setFloat(g.addNode("Elu", prefix + "/Elu", {x}, y), "alpha", a.eluAlpha);
      return y;
    case ActivationKind::Selu: {
      // Klambauer et al. 2017's constants, explicit so no runtime's defaults are trusted.
      onnx::NodeProto& node = g.addNode("Selu", prefix + "/Selu", {x}, y);
      GraphBuilder::setFloat(node, "alpha", kSeluAlpha);
      GraphBuilder::setFloat(node, "gamma", kSeluLambda);
      return y;
    }
    case ActivationKind::Gelu: {
      // No Gelu op before opset 20: GELU(x) = x * 0.5 * (1 + erf(x / sqrt 2)), the pattern
      // torch.onnx exports, in its order: Div -> Erf -> Add -> Mul(x) -> Mul(0.5).
      if (!geluConstantsAdded) {
        g.addScalar("gelu.sqrt2", static_cast<float>(M_SQRT2));
        g.addScalar("gelu.one", 1.0f);
        g.addScalar("gelu.half", 0.5f);
        geluConstantsAdded = true;
      }
      g.addNode("Div", prefix + "/gelu/Div", {x, "gelu.sqrt2"}, prefix + ".gelu.scaled");
      g.addNode("Erf", prefix + "/gelu/Erf", {prefix + ".gelu.scaled"}, prefix + ".gelu.erf");
      g.addNode("Add", prefix + "/gelu/Add", {prefix + ".gelu.erf", "gelu.one"},
                prefix + ".gelu.cdf2");
      g.addNode("Mul", prefix + "/gelu/Mul", {x, prefix + ".gelu.cdf2"}, prefix + ".gelu.x_cdf2");
      g.addNode("Mul", prefix + "/gelu/Mul_half", {prefix + ".gelu.x_cdf2", "gelu.half"}, y);
      return y;
    }
    case ActivationKind::Linear: return x;
  }
  return x;
}

onnx::ModelProto buildModel(const Network& network, const Preprocessor& preprocessor,
                            const ExperimentConfig& config,
                            const std::vector<std::string>& dataClassNames,
                            const std::vector<std::string>& featureNames,
                            const InputEncoding& encoding) {
  // Every model names its classes: the data's names (CSV labels, Fashion-MNIST's), else the
  // class indices "0".."K-1" that column k of the output stands for.
  std::vector<std::string> classNames = dataClassNames;
  if (classNames.empty())
    for (int k = 0; k < network.classes(); ++k) classNames.push_back(std::to_string(k));
  onnx::ModelProto model;
  model.set_ir_version(kIrVersion);
  onnx::OperatorSetIdProto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpsetVersion);
  model.set_producer_name("LayerScope");
  model.set_producer_version("0.1.0");
  model.set_model_version(1);
  model.set_doc_string("LayerScope experiment '" + config.name + "': a " +
                       std::to_string(hiddenWidths(network.model()).size()) +
                       "-hidden-layer " + network.model().activation +
                       " classifier. Feed raw features; read class probabilities.");

  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name(config.name.empty() ? "layerscope" : config.name);
  GraphBuilder g(graph);

  onnx::ValueInfoProto& input = *graph.add_input();
  input.set_name("input");
  setMatrixType(input, network.inputs());
  std::string inputDoc =
      "Raw features (batch, " + std::to_string(network.inputs()) +
      "), one sample per row, columns in the training data's column order (before "
      "preprocessing: the model applies it).";
  if (!encoding.units.empty()) inputDoc += " Units: " + encoding.units + ".";
  if (!featureNames.empty()) inputDoc += " Columns: " + joinNames(featureNames, 64) + ".";
  input.set_doc_string(inputDoc);

  // The loader's scaling and the fitted preprocessing as one map, x <- (x - mean) * scale:
  // (raw * s - mean) * scale = (raw - mean / s) * (scale * s).
  std::string x = "input";
  const std::string& kind = preprocessor.kind();
  const double s = encoding.scale;
  if (kind != "none") {
    if (preprocessor.mean().size() != network.inputs())
      throw InputError("ONNX export: the preprocessing was fitted on " +
                       std::to_string(preprocessor.mean().size()) +
                       " features, but the network has " + std::to_string(network.inputs()) +
                       " inputs");
    g.addVector("preprocess.mean", (preprocessor.mean().cast<double>() / s).cast<Scalar>());
    g.addNode("Sub", "preprocess/Sub", {x, "preprocess.mean"}, "preprocess.centered");
    x = "preprocess.centered";
  }
  if (kind == "standardize" || s != 1.0) {
    const Vector scale = kind == "standardize"
                             ? Vector((preprocessor.scale().cast<double>() * s).cast<Scalar>())
                             : Vector(Vector::Constant(network.inputs(), static_cast<Scalar>(s)));
    g.addVector("preprocess.scale", scale);
    g.addNode("Mul", "preprocess/Mul", {x, "preprocess.scale"}, "preprocess.standardized");
    x = "preprocess.standardized";
  }

  // Walk the layers in order; layer numbers as docs/ARCHITECTURE.md counts them (1..depth
  // hidden, then the output layer depth+1).
  int layerNumber = 0;
  int denseLayers = 0;
  for (const auto& layer : network.layers())
    if (dynamic_cast<const Dense*>(layer.get())) ++denseLayers;
  bool geluConstantsAdded = false;
  std::string logits;
  for (const auto& layer : network.layers()) {
    // Batch norm and activation belong to the layer of the Dense before them.
    const std::string prefix = "layer" + std::to_string(layerNumber);
    if (const auto* dense = dynamic_cast<const Dense*>(layer.get())) {
      ++layerNumber;
      const std::string p = "layer" + std::to_string(layerNumber);
      // W is (out, in) column-major in Eigen; ONNX wants [out, in] row-major: copy through a
      // row-major matrix (a plain memcpy would export W transposed, which the checker misses).
      using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
      const RowMajor w = dense->weights();
      g.addInitializer(p + ".weight", {w.rows(), w.cols()}, w.data(),
                       static_cast<size_t>(w.size()));
      g.addVector(p + ".bias", Vector(dense->bias()));
      const bool isOutput = layerNumber == denseLayers;
      const std::string out = isOutput ? "logits" : p + ".linear";
      onnx::NodeProto& gemm = g.addNode("Gemm", p + "/Gemm", {x, p + ".weight", p + ".bias"}, out);
      GraphBuilder::setFloat(gemm, "alpha", 1.0);
      GraphBuilder::setFloat(gemm, "beta", 1.0);
      GraphBuilder::setInt(gemm, "transB", 1);  // y = x W^T + b, W [out, in] as torch's Linear
      x = out;
      if (isOutput) logits = out;
    } else if (const auto* bn = dynamic_cast<const BatchNorm*>(layer.get())) {
      // Inference form: y = scale (x - mean) / sqrt(var + epsilon) + B, the running statistics
      // the network uses in evaluation.
      g.addVector(prefix + ".bn.scale", Vector(bn->gamma()));
      g.addVector(prefix + ".bn.bias", Vector(bn->beta()));
      g.addVector(prefix + ".bn.mean", bn->runningMean());
      g.addVector(prefix + ".bn.var", bn->runningVar());
      onnx::NodeProto& node = g.addNode(
          "BatchNormalization", prefix + "/BatchNormalization",
          {x, prefix + ".bn.scale", prefix + ".bn.bias", prefix + ".bn.mean", prefix + ".bn.var"},
          prefix + ".bn");
      GraphBuilder::setFloat(node, "epsilon", bn->epsilon());
      x = prefix + ".bn";
    } else if (const auto* act = dynamic_cast<const ActivationLayer*>(layer.get())) {
      x = addActivation(g, act->activation(), prefix, x, geluConstantsAdded);
    }
    // Dropout: the identity at inference, left out.
  }

  onnx::NodeProto& softmax = g.addNode("Softmax", "output/Softmax", {logits}, "probabilities");
  GraphBuilder::setInt(softmax, "axis", 1);

  onnx::ValueInfoProto& probabilities = *graph.add_output();
  probabilities.set_name("probabilities");
  setMatrixType(probabilities, network.classes());
  std::string outputDoc = "Class probabilities (batch, " + std::to_string(network.classes()) +
                          "): softmax of the logits; each row sums to 1; column k is class k.";
  if (!classNames.empty())
    outputDoc += " Classes: " + joinNames(classNames, 64) + " (all in metadata_props '" +
                 kOnnxClassNamesKey + "').";
  probabilities.set_doc_string(outputDoc);
  onnx::ValueInfoProto& logitsInfo = *graph.add_output();
  logitsInfo.set_name("logits");
  setMatrixType(logitsInfo, network.classes());
  logitsInfo.set_doc_string("Logits (batch, " + std::to_string(network.classes()) +
                            "): the output layer before softmax, for a loss or calibration.");

  graph.set_doc_string(
      "LayerScope feed-forward classifier. Input 'input': raw features (the model applies the "
      "'" + kind + "' preprocessing fitted on the training split). Outputs 'probabilities' "
      "(softmax over classes) and 'logits'. Hidden layers: Gemm -> " +
      std::string(network.model().batchNorm ? "BatchNormalization -> " : "") +
      network.model().activation + "; the experiment that trained it is in metadata_props '" +
      kOnnxExperimentKey + "'.");

  const auto addMetadata = [&model](const std::string& key, const std::string& value) {
    onnx::StringStringEntryProto* entry = model.add_metadata_props();
    entry->set_key(key);
    entry->set_value(value);
  };
  addMetadata(kOnnxExperimentKey, experimentToJson(config));
  addMetadata(kOnnxPreprocessKey, kind);
  if (!classNames.empty()) addMetadata(kOnnxClassNamesKey, nlohmann::json(classNames).dump());
  if (!featureNames.empty())
    addMetadata(kOnnxFeatureNamesKey, nlohmann::json(featureNames).dump());
  if (encoding.scale != 1.0) addMetadata(kOnnxInputScaleKey, nlohmann::json(encoding.scale).dump());
  if (!encoding.units.empty()) addMetadata(kOnnxInputUnitsKey, encoding.units);
  if (!encoding.shape.empty()) addMetadata(kOnnxInputShapeKey, nlohmann::json(encoding.shape).dump());
  return model;
}

// onnx.checker.check_model(full_check=True) in Python is check_model followed by strict shape
// inference with type checks; the same here (on a copy: inference annotates the graph).
void checkModel(const onnx::ModelProto& model) {
  try {
    onnx::checker::check_model(model);
    onnx::ModelProto inferred = model;
    onnx::shape_inference::InferShapes(inferred, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(true, 1, false));
  } catch (const onnx::checker::ValidationError& error) {
    throw InputError(std::string("ONNX export: the model fails the ONNX checker: ") +
                     error.what());
  } catch (const onnx::InferenceError& error) {
    throw InputError(std::string("ONNX export: the model fails ONNX shape inference: ") +
                     error.what());
  } catch (const std::runtime_error& error) {  // other checker failures (e.g. schema look-up)
    throw InputError(std::string("ONNX export: the model fails the ONNX checker: ") +
                     error.what());
  }
}

}  // namespace

std::string onnxModelBytes(const Network& network, const Preprocessor& preprocessor,
                           const ExperimentConfig& config,
                           const std::vector<std::string>& classNames,
                           const std::vector<std::string>& featureNames,
                           const InputEncoding& input) {
  const onnx::ModelProto model =
      buildModel(network, preprocessor, config, classNames, featureNames, input);
  checkModel(model);
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    throw InputError("ONNX export: the model cannot be serialized (over 2 GiB?)");
  return bytes;
}

void exportOnnx(const std::string& path, const Network& network, const Preprocessor& preprocessor,
                const ExperimentConfig& config, const std::vector<std::string>& classNames,
                const std::vector<std::string>& featureNames, const InputEncoding& input) {
  std::string bytes;
  try {
    bytes = onnxModelBytes(network, preprocessor, config, classNames, featureNames, input);
  } catch (const InputError& error) {
    throw InputError(path + ": " + error.what());
  }
  writeFileAtomically(path, bytes);
}

}  // namespace layerscope
