// The graph walk of the ONNX importer: constants decoded into floats, the readers of the
// preprocessing, dense, batch-normalization and activation nodes along the chain, and read(),
// which assembles them (and the metadata) into a ModelState.
#include "io/onnx_graph.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "io/experiment_file.h"
#include "io/onnx_export.h"
#include "model/activation.h"

namespace layerscope::onnx_graph {

namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

bool near(double a, double b, double relative = 1e-6) {
  return std::abs(a - b) <= relative * std::max(std::abs(a), std::abs(b));
}

}  // namespace

void GraphReader::collectConstants() {
  for (const onnx::TensorProto& t : graph_.initializer()) constants_[t.name()] = &t;
  for (const onnx::NodeProto& node : graph_.node()) {
    // torch.onnx deduplicates equal initializers and re-creates the copies with Identity
    // (e.g. a fresh BatchNorm's weight and running_var, both ones): an alias of a constant.
    if (node.op_type() == "Identity" && node.input_size() == 1 && node.output_size() == 1 &&
        isConstant(node.input(0))) {
      constants_[node.output(0)] = constants_.at(node.input(0));
      continue;
    }
    if (node.op_type() != "Constant") {
      nodes_.push_back(&node);
      continue;
    }
    // torch.onnx writes small constants (sqrt 2 of GELU, 1, 0.5) as Constant nodes.
    if (node.output_size() != 1) failAt(node, "unsupported: expected one output");
    if (const onnx::AttributeProto* a = attribute(node, "value")) {
      constants_[node.output(0)] = &a->t();
    } else if (const onnx::AttributeProto* f = attribute(node, "value_float")) {
      onnx::TensorProto& t = ownedConstants_.emplace_back();
      t.set_data_type(onnx::TensorProto_DataType_FLOAT);
      t.add_float_data(f->f());
      constants_[node.output(0)] = &t;
    } else {
      failAt(node, "unsupported: only 'value' and 'value_float' constants are read");
    }
  }
}

std::string GraphReader::findInput(int& rank, int64_t& features) const {
  std::string name;
  for (const onnx::ValueInfoProto& input : graph_.input()) {
    if (isConstant(input.name())) continue;  // IR < 4 lists initializers as inputs too
    if (!name.empty())
      fail("unsupported: the model has more than one input ('" + name + "', '" + input.name() +
           "'); LayerScope reads one (batch, features) matrix");
    name = input.name();
    rank = -1;
    features = -1;
    if (input.type().has_tensor_type()) {
      const auto& tensor = input.type().tensor_type();
      if (tensor.elem_type() != onnx::TensorProto_DataType_FLOAT)
        fail("input '" + name + "': unsupported element type " +
             std::to_string(tensor.elem_type()) + " (expected float)");
      if (tensor.has_shape()) {
        rank = tensor.shape().dim_size();
        if (rank == 2 && tensor.shape().dim(1).has_dim_value())
          features = tensor.shape().dim(1).dim_value();
      }
    }
  }
  if (name.empty()) fail("the model has no input");
  return name;
}

std::vector<int64_t> GraphReader::dims(const std::string& name) const {
  const onnx::TensorProto& t = *constants_.at(name);
  return {t.dims().begin(), t.dims().end()};
}

std::vector<float> GraphReader::floats(const std::string& name,
                                       const onnx::NodeProto& user) const {
  const auto found = constants_.find(name);
  if (found == constants_.end())
    failAt(user, "unsupported: input '" + name + "' is not a constant (initializer)");
  const onnx::TensorProto& t = *found->second;
  if (t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
    failAt(user, "unsupported: tensor '" + name + "' is stored in an external file");
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 40) / d))
      failAt(user, "tensor '" + name + "' has an impossible shape");
    count *= d;
  }
  const auto wrongSize = [&](size_t have) {
    failAt(user, "tensor '" + name + "' holds " + std::to_string(have) + " values but its shape " +
                     "says " + std::to_string(count));
  };
  // The stored count is checked before allocating: a hostile shape must not allocate terabytes.
  const bool raw = t.has_raw_data();
  std::vector<float> values;
  switch (t.data_type()) {
    case onnx::TensorProto_DataType_FLOAT: {
      const size_t have = raw ? t.raw_data().size() / sizeof(float) : size_t(t.float_data_size());
      if (have != static_cast<size_t>(count) || (raw && t.raw_data().size() % sizeof(float)))
        wrongSize(have);
      values.resize(have);
      // raw_data is little-endian, as the memory of every machine LayerScope runs on.
      if (raw && have > 0)  // memcpy from/to a null pointer is undefined even for 0 bytes
        std::memcpy(values.data(), t.raw_data().data(), t.raw_data().size());
      else
        std::copy(t.float_data().begin(), t.float_data().end(), values.begin());
      break;
    }
    case onnx::TensorProto_DataType_DOUBLE: {
      const size_t have = raw ? t.raw_data().size() / sizeof(double) : size_t(t.double_data_size());
      if (have != static_cast<size_t>(count) || (raw && t.raw_data().size() % sizeof(double)))
        wrongSize(have);
      values.resize(have);
      for (size_t i = 0; i < have; ++i) {
        double v;
        if (raw)
          std::memcpy(&v, t.raw_data().data() + i * sizeof(double), sizeof v);
        else
          v = t.double_data(static_cast<int>(i));
        values[i] = static_cast<float>(v);
      }
      break;
    }
    default:
      failAt(user, "unsupported: tensor '" + name + "' has element type " +
                       std::to_string(t.data_type()) + " (expected float)");
  }
  return values;
}

float GraphReader::scalar(const std::string& name, const onnx::NodeProto& user) const {
  const std::vector<float> v = floats(name, user);
  if (v.size() != 1) failAt(user, "unsupported: expected a scalar constant for '" + name + "'");
  return v[0];
}

std::string GraphReader::constantOperand(const onnx::NodeProto& node) const {
  if (node.input_size() != 2) return {};
  if (node.input(0) == current_ && isConstant(node.input(1))) return node.input(1);
  // Commutative ops may have the constant first (torch writes "1 + erf" as Add(erf, 1) or not).
  if ((node.op_type() == "Add" || node.op_type() == "Mul") && node.input(1) == current_ &&
      isConstant(node.input(0)))
    return node.input(0);
  return {};
}

void GraphReader::skipPassThrough() {
  // Dropout is the identity at inference; Identity nodes appear in some exports.
  while (peek() && (nextIs("Dropout") || nextIs("Identity")) && readsCurrent(*peek()) &&
         peek()->input(0) == current_) {
    const onnx::NodeProto& node = take();
    // Dropout-12+ takes training_mode as its third input; a constant true would drop units.
    if (node.op_type() == "Dropout" && node.input_size() >= 3 && !node.input(2).empty()) {
      const auto found = constants_.find(node.input(2));
      if (found == constants_.end()) failAt(node, "unsupported: a non-constant training_mode");
      const onnx::TensorProto& mode = *found->second;
      const bool training = (mode.int32_data_size() > 0 && mode.int32_data(0) != 0) ||
                            (!mode.raw_data().empty() && mode.raw_data()[0] != 0);
      if (training) failAt(node, "unsupported: dropout in training mode");
    }
    advance(node);
  }
}

void GraphReader::readPreprocessing(ModelState& result, int64_t features) {
  // x <- (x - mean) * scale, as the Preprocessor applies it; Div(std) is Mul(1 / std).
  Vector mean, scale;
  std::string kind = "none";
  if (nextIs("Sub") && readsCurrent(*peek())) {
    const onnx::NodeProto& node = take();
    const std::string c = constantOperand(node);
    if (c.empty()) failAt(node, "unsupported: expected input - constant mean");
    const std::vector<float> m = floats(c, node);
    mean = Eigen::Map<const Vector>(m.data(), Eigen::Index(m.size()));
    kind = "center";
    advance(node);
  }
  if ((nextIs("Mul") || nextIs("Div")) && readsCurrent(*peek())) {
    const onnx::NodeProto& node = take();
    const std::string c = constantOperand(node);
    if (c.empty()) failAt(node, "unsupported: expected input * constant scale");
    const std::vector<float> s = floats(c, node);
    scale = Eigen::Map<const Vector>(s.data(), Eigen::Index(s.size()));
    if (node.op_type() == "Div") scale = scale.cwiseInverse();
    if (mean.size() == 0) mean = Vector::Zero(scale.size());
    if (mean.size() != scale.size() && mean.size() != 1 && scale.size() != 1)
      failAt(node, "the scale has " + std::to_string(scale.size()) + " values but the mean " +
                       std::to_string(mean.size()));
    kind = "standardize";
    advance(node);
  }
  result.preprocessor = Preprocessor(kind);
  // A scalar mean or scale (broadcast over features) is expanded once the feature count is
  // known from the first layer.
  if (kind == "none") return;
  if (scale.size() == 0) scale = Vector::Ones(mean.size());
  const Eigen::Index n = std::max(mean.size(), scale.size());
  if (features > 0 && n != 1 && n != features)
    fail("the preprocessing has " + std::to_string(n) + " values but the input has " +
         std::to_string(features) + " features");
  result.preprocessor.setFitted(mean, scale);  // expanded in read() when scalars
}

void GraphReader::readDense(LayerRead& layer) {
  const onnx::NodeProto& node = take();
  if (!readsCurrent(node) || node.input(0) != current_)
    failAt(node, "unsupported: does not read the previous layer's output '" + current_ + "'");
  if (node.op_type() == "Gemm") {
    // Gemm: Y = alpha A' B' + beta C; torch's Linear is transB = 1 with W [out, in].
    if (node.input_size() < 2) failAt(node, "unsupported: expected inputs A, B[, C]");
    if (intAttribute(node, "transA", 0) != 0) failAt(node, "unsupported: transA = 1");
    const bool transB = intAttribute(node, "transB", 0) != 0;
    const double alpha = floatAttribute(node, "alpha", 1.0);
    const double beta = floatAttribute(node, "beta", 1.0);
    const std::vector<float> w = floats(node.input(1), node);
    const std::vector<int64_t> d = dims(node.input(1));
    if (d.size() != 2 || d[0] < 1 || d[1] < 1)
      failAt(node, "unsupported: weight '" + node.input(1) + "' is not a non-empty 2-D matrix");
    const Eigen::Map<const RowMajorMatrix> stored(w.data(), d[0], d[1]);
    // Stored row-major: [out, in] with transB, [in, out] without.
    layer.w = transB ? Matrix(stored) : Matrix(stored.transpose());
    layer.w *= static_cast<float>(alpha);
    const Eigen::Index out = layer.w.rows();
    layer.b = Vector::Zero(out);
    if (node.input_size() >= 3 && !node.input(2).empty()) {
      const std::vector<float> c = floats(node.input(2), node);
      if (c.size() == 1) {
        layer.b.setConstant(c[0]);  // a broadcast scalar bias
      } else if (c.size() == static_cast<size_t>(out)) {
        layer.b = Eigen::Map<const Vector>(c.data(), out);
      } else {
        failAt(node, "unsupported: bias of " + std::to_string(c.size()) + " values for " +
                         std::to_string(out) + " outputs");
      }
      layer.b *= static_cast<float>(beta);
    }
    advance(node);
    return;
  }
  // MatMul(x, W [in, out]) [+ Add(b)], as torch writes a Linear on inputs of rank > 2.
  if (node.input_size() != 2 || !isConstant(node.input(1)))
    failAt(node, "unsupported: expected MatMul(input, constant weight)");
  const std::vector<float> w = floats(node.input(1), node);
  const std::vector<int64_t> d = dims(node.input(1));
  if (d.size() != 2 || d[0] < 1 || d[1] < 1)
    failAt(node, "unsupported: weight '" + node.input(1) + "' is not a non-empty 2-D matrix");
  layer.w = Eigen::Map<const RowMajorMatrix>(w.data(), d[0], d[1]).transpose();
  layer.b = Vector::Zero(layer.w.rows());
  advance(node);
  if (nextIs("Add") && readsCurrent(*peek())) {
    const onnx::NodeProto& add = take();
    const std::string c = constantOperand(add);
    if (c.empty()) failAt(add, "unsupported: expected MatMul output + constant bias");
    const std::vector<float> b = floats(c, add);
    if (b.size() == 1) {
      layer.b.setConstant(b[0]);
    } else if (b.size() == static_cast<size_t>(layer.b.size())) {
      layer.b = Eigen::Map<const Vector>(b.data(), layer.b.size());
    } else {
      failAt(add, "unsupported: bias of " + std::to_string(b.size()) + " values for " +
                      std::to_string(layer.b.size()) + " outputs");
    }
    advance(add);
  }
}

void GraphReader::readBatchNorm(LayerRead& layer) {
  const onnx::NodeProto& node = take();
  if (node.input_size() != 5 || node.input(0) != current_)
    failAt(node, "unsupported: expected inputs X, scale, B, mean, var");
  for (int i = 1; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      failAt(node, "unsupported: training-mode outputs (running mean / variance)");
  if (intAttribute(node, "training_mode", 0) != 0)
    failAt(node, "unsupported: training_mode = 1");
  const Eigen::Index units = layer.w.rows();
  const auto vector = [&](int input) {
    const std::vector<float> v = floats(node.input(input), node);
    if (v.size() != static_cast<size_t>(units))
      failAt(node, "'" + node.input(input) + "' has " + std::to_string(v.size()) +
                       " values for " + std::to_string(units) + " units");
    return Vector(Eigen::Map<const Vector>(v.data(), units));
  };
  layer.gamma = vector(1);
  layer.beta = vector(2);
  layer.mean = vector(3);
  layer.var = vector(4);
  layer.epsilon = floatAttribute(node, "epsilon", 1e-5);
  layer.hasBatchNorm = true;
  advance(node);
}

bool GraphReader::atGelu() const {
  // x / sqrt 2 (or x * (1 / sqrt 2)) -> Erf: the start of the GELU pattern.
  const onnx::NodeProto* first = peek();
  if (!first || !(first->op_type() == "Div" || first->op_type() == "Mul")) return false;
  if (first->input_size() != 2 || first->input(0) != current_) return false;
  return nextIs("Erf", 1);
}

void GraphReader::readGelu(LayerRead& layer) {
  // GELU(x) = x Phi(x) = x * 0.5 * (1 + erf(x / sqrt 2)) (Hendrycks & Gimpel 2016), the pattern
  // torch.onnx writes before opset 20 (no Gelu op): Div, Erf, Add(1), then Mul(x) and Mul(0.5)
  // in either order.
  const std::string x = current_;
  const onnx::NodeProto& scaled = take();
  const std::string c = constantOperand(scaled);
  if (c.empty()) failAt(scaled, "unsupported: expected x / sqrt(2) of a GELU");
  const double s = scalar(c, scaled);
  if (!(scaled.op_type() == "Div" ? near(s, M_SQRT2) : near(s, M_SQRT1_2)))
    failAt(scaled, "unsupported: a GELU pattern scales by " + std::to_string(s) +
                       " (expected 1 / sqrt(2))");
  advance(scaled);
  const onnx::NodeProto& erf = take();
  if (erf.input_size() != 1 || erf.input(0) != current_) failAt(erf, "unsupported GELU pattern");
  advance(erf);
  const onnx::NodeProto* add = peek();
  if (!add || add->op_type() != "Add") failAt(erf, "unsupported: Erf outside a GELU pattern");
  take();
  const std::string one = constantOperand(*add);
  if (one.empty() || !near(scalar(one, *add), 1.0))
    failAt(*add, "unsupported: expected erf(x / sqrt 2) + 1 of a GELU");
  advance(*add);
  // Two Muls remain: by x and by 0.5, in either order.
  bool timesX = false, timesHalf = false;
  for (int k = 0; k < 2; ++k) {
    const onnx::NodeProto* mul = peek();
    if (!mul || mul->op_type() != "Mul" || mul->input_size() != 2 || !readsCurrent(*mul))
      failAt(mul ? *mul : *add, "unsupported: incomplete GELU pattern (expected Mul)");
    take();
    const std::string other = mul->input(0) == current_ ? mul->input(1) : mul->input(0);
    if (!timesX && other == x) {
      timesX = true;
    } else if (!timesHalf && isConstant(other) && near(scalar(other, *mul), 0.5)) {
      timesHalf = true;
    } else {
      failAt(*mul, "unsupported: expected a multiplication by x or by 0.5 of a GELU");
    }
    advance(*mul);
  }
  layer.hasActivation = true;
  layer.activation.kind = ActivationKind::Gelu;
  layer.activationNode = scaled.name();
}

bool GraphReader::readActivation(LayerRead& layer) {
  if (atGelu()) {
    readGelu(layer);
    return true;
  }
  const onnx::NodeProto* node = peek();
  if (!node || node->input_size() < 1 || node->input(0) != current_) return false;
  const std::string& op = node->op_type();
  Activation& a = layer.activation;
  if (op == "Tanh") {
    a.kind = ActivationKind::Tanh;
  } else if (op == "Sigmoid") {
    a.kind = ActivationKind::Sigmoid;
  } else if (op == "Relu") {
    a.kind = ActivationKind::Relu;
  } else if (op == "LeakyRelu") {
    a.kind = ActivationKind::LeakyRelu;
    a.leakySlope = floatAttribute(*node, "alpha", 0.01);
  } else if (op == "Elu") {
    a.kind = ActivationKind::Elu;
    a.eluAlpha = floatAttribute(*node, "alpha", 1.0);
  } else if (op == "Selu") {
    // The ONNX defaults are Klambauer et al.'s constants rounded to float.
    const double alpha = floatAttribute(*node, "alpha", 1.67326319217681884765625);
    const double gamma = floatAttribute(*node, "gamma", 1.05070102214813232421875);
    if (!near(alpha, kSeluAlpha) || !near(gamma, kSeluLambda))
      failAt(*node, "unsupported: SELU with alpha " + std::to_string(alpha) + ", gamma " +
                        std::to_string(gamma) + " (LayerScope's SELU uses Klambauer et al.'s "
                        "constants)");
    a.kind = ActivationKind::Selu;
  } else {
    return false;
  }
  take();
  layer.hasActivation = true;
  layer.activationNode = node->name().empty() ? op : node->name();
  advance(*node);
  return true;
}

// --- The whole model: the chain above, assembled into a ModelState ---
void GraphReader::readMetadata(ModelState& result) const {
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
    } else if (entry.key() == kOnnxInputScaleKey) {
      const nlohmann::json j = nlohmann::json::parse(entry.value(), nullptr, false);
      if (j.is_number() && std::isfinite(j.get<double>()) && j.get<double>() > 0)
        result.input.scale = j.get<double>();
    } else if (entry.key() == kOnnxInputUnitsKey) {
      result.input.units = entry.value();
    } else if (entry.key() == kOnnxInputShapeKey) {
      const nlohmann::json j = nlohmann::json::parse(entry.value(), nullptr, false);
      if (j.is_array() && j.size() <= 8) {
        std::vector<int> shape;
        for (const auto& d : j)
          if (d.is_number_integer() && d.get<long long>() > 0 && d.get<long long>() < (1 << 24))
            shape.push_back(d.get<int>());
        if (shape.size() == j.size()) result.input.shape = shape;
      }
    } else if (entry.key() == kOnnxExperimentKey) {
      // Strict, like the experiment file itself: a damaged experiment is news to the user.
      result.experiment = experimentFromJson(
          entry.value(), source_ + " (metadata '" + kOnnxExperimentKey + "')");
      result.hasExperiment = true;
    }
  }
}

ModelState GraphReader::read() {
  ModelState result;
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
  if (result.input.scale != 1.0) {
    // The graph maps raw values (e.g. bytes 0-255); the Trainer applies the preprocessor to
    // loaded ones (raw * s): (raw - m) * c = (loaded - m * s) * (c / s). The kind the model
    // was trained with comes back from metadata: a "none" model carries only the Mul(s).
    const double scaleOfInput = result.input.scale;
    std::string kind = result.preprocessor.kind();
    for (const onnx::StringStringEntryProto& entry : model_.metadata_props())
      if (entry.key() == kOnnxPreprocessKey &&
          (entry.value() == "none" || entry.value() == "center" || entry.value() == "standardize"))
        kind = entry.value();
    const Preprocessor read = result.preprocessor;
    result.preprocessor = Preprocessor(kind);
    if (kind != "none" && read.mean().size() > 0) {
      const Vector mean = (read.mean().cast<double>() * scaleOfInput).cast<Scalar>();
      const Vector scale = kind == "standardize"
                               ? Vector((read.scale().cast<double>() / scaleOfInput).cast<Scalar>())
                               : Vector(Vector::Ones(read.mean().size()));
      result.preprocessor.setFitted(mean, scale);
    }
  }
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

}  // namespace layerscope::onnx_graph
