// The ONNX graph as the importer reads it; internal to the engine, the public entry point is
// importOnnx() in onnx_import.h. GraphReader decodes the graph's constants (initializers,
// Constant nodes and their Identity aliases) into floats and walks the single chain from the
// input: preprocessing, then per layer Gemm / MatMul, batch normalization and an activation
// and read() assembles what it found into a ModelState (all in onnx_graph.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <onnx/onnx_pb.h>  // defines ONNX_API, then includes onnx-ml.pb.h
#include <string>
#include <utility>
#include <vector>

#include "model/activation.h"
#include "errors.h"
#include "training/model_state.h"
#include "tensor.h"

namespace layerscope::onnx_graph {

// One dense layer and what follows it, as read from the graph.
struct LayerRead {
  Matrix w;  // (out, in)
  Vector b;  // (out)
  bool hasBatchNorm = false;
  Vector gamma, beta, mean, var;
  double epsilon = 1e-5;
  bool hasActivation = false;
  Activation activation;
  std::string activationNode;  // for messages
};

// Reads one model; throws InputError "SOURCE: ..." / "SOURCE: node 'name' (Op): ...".
class GraphReader {
 public:
  GraphReader(const onnx::ModelProto& model, std::string source)
      : model_(model), graph_(model.graph()), source_(std::move(source)) {}

  ModelState read();

 private:
  [[noreturn]] void fail(const std::string& what) const { throw InputError(source_ + ": " + what); }
  [[noreturn]] void failAt(const onnx::NodeProto& node, const std::string& what) const {
    const std::string name =
        node.name().empty() ? "#" + std::to_string(indexOf(node)) : node.name();
    throw InputError(source_ + ": node '" + name + "' (" + node.op_type() + "): " + what);
  }
  size_t indexOf(const onnx::NodeProto& node) const {
    for (int i = 0; i < graph_.node_size(); ++i)
      if (&graph_.node(i) == &node) return static_cast<size_t>(i);
    return 0;
  }

  void collectConstants();
  std::string findInput(int& rank, int64_t& features) const;

  // The next node of the chain, or nullptr at the end.
  const onnx::NodeProto* peek(size_t ahead = 0) const {
    return next_ + ahead < nodes_.size() ? nodes_[next_ + ahead] : nullptr;
  }
  const onnx::NodeProto& take() { return *nodes_[next_++]; }
  bool nextIs(const char* op, size_t ahead = 0) const {
    const onnx::NodeProto* node = peek(ahead);
    return node && node->op_type() == op;
  }
  // Whether `node` reads the chain's current value (as any of its inputs).
  bool readsCurrent(const onnx::NodeProto& node) const {
    for (const std::string& in : node.input())
      if (in == current_) return true;
    return false;
  }
  void advance(const onnx::NodeProto& node) {
    if (node.output_size() < 1) failAt(node, "unsupported: a node without outputs");
    current_ = node.output(0);
  }

  bool isConstant(const std::string& name) const { return constants_.count(name) > 0; }
  std::vector<float> floats(const std::string& name, const onnx::NodeProto& user) const;
  float scalar(const std::string& name, const onnx::NodeProto& user) const;
  std::vector<int64_t> dims(const std::string& name) const;
  // The constant operand of a binary op whose other operand is the current value.
  std::string constantOperand(const onnx::NodeProto& node) const;

  static const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const char* name) {
    for (const auto& a : node.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  static double floatAttribute(const onnx::NodeProto& node, const char* name, double fallback) {
    const onnx::AttributeProto* a = attribute(node, name);
    return a ? a->f() : fallback;
  }
  static int64_t intAttribute(const onnx::NodeProto& node, const char* name, int64_t fallback) {
    const onnx::AttributeProto* a = attribute(node, name);
    return a ? a->i() : fallback;
  }

  void skipPassThrough();
  void readPreprocessing(ModelState& result, int64_t features);
  bool atDense() const { return nextIs("Gemm") || nextIs("MatMul"); }
  void readDense(LayerRead& layer);
  void readBatchNorm(LayerRead& layer);
  bool readActivation(LayerRead& layer);
  bool atGelu() const;
  void readGelu(LayerRead& layer);
  void readMetadata(ModelState& result) const;

  const onnx::ModelProto& model_;
  const onnx::GraphProto& graph_;
  std::string source_;
  std::map<std::string, const onnx::TensorProto*> constants_;  // initializers + Constant nodes
  std::deque<onnx::TensorProto> ownedConstants_;              // from value_float attributes
  std::vector<const onnx::NodeProto*> nodes_;                  // the rest, in graph order
  size_t next_ = 0;
  std::string current_;  // the name of the value flowing down the chain
};

}  // namespace layerscope::onnx_graph
