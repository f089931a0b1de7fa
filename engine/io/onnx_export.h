// Export a trained network as an ONNX model (IR version 7, opset 13: what torch 1.13 exports and
// Debian's onnx 1.12 checker accepts), runnable by any ONNX runtime on RAW features:
//
//   input (batch, features)          raw features, in the training data's column order
//   -> Sub(mean) -> Mul(scale)       the fitted preprocessing (left out for "none")
//   -> per hidden layer l:  Gemm(layer<l>.weight [out,in], transB=1, layer<l>.bias)
//                           [BatchNormalization (inference form, running statistics)]
//                           activation (GELU as the Erf pattern; none for linear)
//   -> Gemm (output layer) -> "logits" (batch, classes)
//   -> Softmax(axis=1)     -> "probabilities" (batch, classes)
//
// Dropout is the identity at inference and is left out. The experiment (JSON), the
// preprocessing kind and, when known, the class and feature names travel in metadata_props.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "data/preprocess.h"
#include "model/network.h"

namespace layerscope {

// The serialized ModelProto. Runs the ONNX checker (and strict shape inference, as
// onnx.checker.check_model(full_check=True) does) and throws InputError with its message when
// the model does not pass.
std::string onnxModelBytes(const Network& network, const Preprocessor& preprocessor,
                           const ExperimentConfig& config,
                           const std::vector<std::string>& classNames = {},
                           const std::vector<std::string>& featureNames = {});

// Checks, then writes atomically (atomic_file.h): a failed export never leaves a broken file.
void exportOnnx(const std::string& path, const Network& network, const Preprocessor& preprocessor,
                const ExperimentConfig& config, const std::vector<std::string>& classNames = {},
                const std::vector<std::string>& featureNames = {});

// Metadata keys (metadata_props) written by the exporter and read by the importer.
inline constexpr const char* kOnnxExperimentKey = "layerscope.experiment";
inline constexpr const char* kOnnxPreprocessKey = "layerscope.preprocess";
inline constexpr const char* kOnnxClassNamesKey = "layerscope.class_names";      // JSON array
inline constexpr const char* kOnnxFeatureNamesKey = "layerscope.feature_names";  // JSON array

}  // namespace layerscope
