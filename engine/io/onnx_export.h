// Export a trained network as an ONNX model (IR version 7, opset 13: what torch 1.13 exports and
// Debian's onnx 1.12 checker accepts), runnable by any ONNX runtime on RAW features:
//
//   input (batch, features)          raw features, in the training data's column order, in the
//                                    units of the file they came from (IDX: bytes 0-255)
//   -> Sub(mean) -> Mul(scale)       the loader's scaling and the fitted preprocessing, folded
//                                    into one affine map (left out when it is the identity)
//   -> per hidden layer l:  Gemm(layer<l>.weight [out,in], transB=1, layer<l>.bias)
//                           [BatchNormalization (inference form, running statistics)]
//                           activation (GELU as the Erf pattern; none for linear)
//   -> Gemm (output layer) -> "logits" (batch, classes)
//   -> Softmax(axis=1)     -> "probabilities" (batch, classes)
//
// The loader's scaling (loaded = raw * s, data/dataset.h InputEncoding) folds into the
// preprocessing: (raw * s - mean) * scale = (raw - mean / s) * (scale * s). Dropout is the
// identity at inference and is left out. The experiment (JSON), the preprocessing kind, the
// input's scale, units and shape, the class names (the data's, else "0".."K-1") and, when
// known, the feature names (CSV column names, IDX "pixel_R_C") travel in metadata_props.
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
                           const std::vector<std::string>& featureNames = {},
                           const InputEncoding& input = {});

// Checks, then writes atomically (atomic_file.h): a failed export never leaves a broken file.
void exportOnnx(const std::string& path, const Network& network, const Preprocessor& preprocessor,
                const ExperimentConfig& config, const std::vector<std::string>& classNames = {},
                const std::vector<std::string>& featureNames = {},
                const InputEncoding& input = {});

// Metadata keys (metadata_props) written by the exporter and read by the importer.
inline constexpr const char* kOnnxExperimentKey = "layerscope.experiment";
inline constexpr const char* kOnnxPreprocessKey = "layerscope.preprocess";
inline constexpr const char* kOnnxClassNamesKey = "layerscope.class_names";      // JSON array
inline constexpr const char* kOnnxFeatureNamesKey = "layerscope.feature_names";  // JSON array
inline constexpr const char* kOnnxInputScaleKey = "layerscope.input_scale";  // loaded = raw * s
inline constexpr const char* kOnnxInputUnitsKey = "layerscope.input_units";
inline constexpr const char* kOnnxInputShapeKey = "layerscope.input_shape";  // JSON array

}  // namespace layerscope
