// The layer contract (after mlpack's ann layers and tiny-dnn): every layer maps a batch
// in (inSize, batch) to out (outSize, batch); backward maps dL/dout to dL/din and writes the
// gradients of its own parameters. Parameters live in the network's one contiguous buffer
// (llm.c style), so the optimizer is a single loop; a layer only holds views into it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tensor.h"

namespace layerscope {

enum class Phase {
  Training,    // batch statistics, dropout on, batch-norm running averages updated
  Evaluation,  // running averages, dropout off
  Probing,     // as Training, but touches no state (running averages, the training RNG)
};

// One named parameter tensor inside the network's buffer.
struct ParameterInfo {
  std::string name;     // "W", "b", "gamma", "beta"
  Eigen::Index offset;  // into the network's parameter / gradient buffers
  Eigen::Index rows, cols;
  bool regularized;     // L2 / L1 apply to weights only, not to biases or batch-norm affine terms
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string kind() const = 0;  // "dense", "batch_norm", "activation", "dropout"
  virtual int inputSize() const = 0;
  virtual int outputSize() const = 0;

  // Precondition: in.rows() == inputSize(). Resizes out to (outputSize(), in.cols()).
  virtual void forward(const Matrix& in, Matrix& out, Phase phase) = 0;
  // Precondition: the last forward() saw `in` and produced `out` in the same phase.
  // Writes gradIn (unless computeGradIn is false: the first layer's input needs none) and the
  // parameter gradients (overwritten, not accumulated).
  virtual void backward(const Matrix& in, const Matrix& out, const Matrix& gradOut,
                        Matrix& gradIn, bool computeGradIn) = 0;

  // Parameters: their shapes, then the views into the network's buffers.
  virtual std::vector<ParameterInfo> parameterShapes() const { return {}; }
  virtual void bindParameters(Scalar* /*values*/, Scalar* /*gradients*/) {}
};

using LayerPtr = std::unique_ptr<Layer>;

}  // namespace layerscope
