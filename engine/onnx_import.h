// Import a feed-forward classifier from an ONNX file: LayerScope's own exports (onnx_export.h)
// and the same structure written by other tools, e.g. torch.onnx.export of
//   nn.Sequential(Linear, [BatchNorm1d], activation, [Dropout], ..., Linear, [Softmax])
//
// Accepted graph, a single chain from the one input:
//   [Sub(mean)] [Mul(scale) | Div(std)]                       preprocessing
//   repeated: Gemm (transB 1 with W [out,in], or transB 0 with W [in,out]) | MatMul [+ Add]
//             [BatchNormalization] [Tanh | Sigmoid | Relu | LeakyRelu | Elu | Selu |
//              GELU as x * 0.5 * (1 + Erf(x / sqrt 2))] [Dropout | Identity]
//   the last Gemm / MatMul is the output layer, optionally followed by Softmax.
// Weights may be initializers (raw_data or float_data) or Constant nodes. Every hidden layer
// must use the same activation, and batch normalization on all hidden layers or none: that is
// the family of networks LayerScope builds.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "data/preprocess.h"
#include "network.h"
#include "tensor.h"

namespace layerscope {

struct ImportedModel {
  ModelConfig model;   // depth/width (or widths when they differ), activation, batch norm
  int inputs = 0;      // raw features
  int classes = 0;
  Vector parameters;   // in the Network's buffer order (Network::parameterBlocks())
  // Per batch-norm layer, in order: the running statistics and the epsilon of the file.
  std::vector<Vector> runningMeans, runningVars;
  std::vector<double> batchNormEpsilons;
  Preprocessor preprocessor;  // fitted: mean and scale from the graph
  std::vector<std::string> classNames;    // from metadata when present (size == classes)
  std::vector<std::string> featureNames;  // from metadata when present (size == inputs)
  bool hasExperiment = false;  // a LayerScope export carries its experiment in metadata
  ExperimentConfig experiment;
};

// Throws InputError "PATH: node 'name' (OpType): unsupported ..." for anything outside the
// accepted structure, "PATH: ..." for unreadable files. Refuses files over 512 MiB.
ImportedModel importOnnx(const std::string& path);
// The same from bytes in memory; `sourceName` prefixes the messages.
ImportedModel importOnnxBytes(const std::string& bytes, const std::string& sourceName);

// Copies the parameters and batch-norm running statistics into a Network built with
// Network(imported.inputs, imported.classes, imported.model, seed). Throws InputError when the
// network's shape differs.
void applyImportedModel(const ImportedModel& imported, Network& network);

}  // namespace layerscope
