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

#include "training/model_state.h"

namespace layerscope {


// Throws InputError "PATH: node 'name' (OpType): unsupported ..." for anything outside the
// accepted structure, "PATH: ..." for unreadable files. Refuses files over 512 MiB.
ModelState importOnnx(const std::string& path);
// The same from bytes in memory; `sourceName` prefixes the messages.
ModelState importOnnxBytes(const std::string& bytes, const std::string& sourceName);

}  // namespace layerscope
