// The importer's entry points: bytes -> protobuf -> GraphReader (io/onnx_graph.h).
#include "io/onnx_import.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "io/onnx_graph.h"

namespace layerscope {

namespace {

constexpr std::size_t kMaxModelBytes = std::size_t(512) << 20;

}  // namespace

ModelState importOnnxBytes(const std::string& bytes, const std::string& sourceName) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes))
    throw InputError(sourceName + ": not an ONNX model (the protobuf cannot be parsed)");
  if (!model.has_graph()) throw InputError(sourceName + ": not an ONNX model (no graph)");
  return onnx_graph::GraphReader(model, sourceName).read();
}

ModelState importOnnx(const std::string& path) {
  return importOnnxBytes(readFileBytes(path, kMaxModelBytes), path);
}

}  // namespace layerscope
