// A feed-forward classifier built from a ModelConfig: for each hidden layer
//   Dense -> [BatchNorm] -> Activation -> [Dropout]
// then a Dense output layer producing logits (softmax cross-entropy lives in loss.h).
// All parameters live in one contiguous buffer, so the optimizer and the regularizer are single
// vectorized loops over it.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "config.h"
#include "model/layers/layer.h"
#include "progress.h"

namespace layerscope {

class Dense;
class BatchNorm;
class Dropout;

// One layer as a user reads it (docs/ARCHITECTURE.md): 0 is the input, 1..depth the hidden layers'
// post-activation outputs, depth+1 the output logits.
struct LayerView {
  int index = 0;
  int units = 0;
  int dense = -1;          // index in layers() of the Dense feeding it; -1 for the input
  int batchNorm = -1;      // index in layers() of its BatchNorm, or -1
  int preActivation = 0;   // index in values() of the input to its activation
  int activation = 0;      // index in values() of its output (before dropout)
};

class Network {
 public:
  // Throws InputError for impossible shapes or unknown names. Reports drawing the weights
  // ("Drawing weights, layer 4/11") to `progress`, which may cancel it (progress.h).
  Network(int inputs, int classes, const ModelConfig& model, std::uint64_t seed,
          const Progress* progress = nullptr);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;
  ~Network();

  int inputs() const { return inputs_; }
  int classes() const { return classes_; }
  const ModelConfig& model() const { return model_; }

  // The batch to run: fill input() (inputs, batch), then forward().
  Matrix& input() { return values_[0]; }
  // Returns the logits (classes, batch).
  const Matrix& forward(Phase phase);
  // gradLogits = dL/dlogits (classes, batch) from the same batch as the last forward().
  // Overwrites every parameter gradient and the per-value gradients.
  void backward(const Matrix& gradLogits);
  // The same, calling layerDone(offset, size) as soon as a layer's parameter gradients are
  // final, with its parameters' range in parameters(): from the last layer to the first, each
  // range once. Nothing reads that layer's parameters again in this pass, so the callback may
  // update them (Trainer::trainStep applies the optimizer there, on gradients still in cache).
  template <class LayerDone>
  void backward(const Matrix& gradLogits, LayerDone&& layerDone) {
    gradients_.back() = gradLogits;
    for (size_t i = layers_.size(); i-- > 0;) {
      backwardLayer(i);
      const auto [offset, size] = layerParameters_[i];
      if (size > 0) layerDone(offset, size);
    }
  }

  // Forward of any number of samples in evaluation mode, in chunks of at most `chunk` columns
  // (bounded memory): probabilities (classes, samples).
  void predictProbabilities(const Matrix& x, Matrix& probabilities, int chunk = 1024);

  // Every intermediate value: values()[0] = input, values()[i + 1] = output of layers()[i].
  const std::vector<Matrix>& values() const { return values_; }
  // dL/d values()[i] after backward() (empty for the input).
  const std::vector<Matrix>& valueGradients() const { return gradients_; }
  const std::vector<LayerPtr>& layers() const { return layers_; }
  const std::vector<LayerView>& layerViews() const { return views_; }
  const Dense& dense(int layerIndex) const;

  // The one parameter buffer and its gradient, and what lies where.
  Vector& parameters() { return parameters_; }
  const Vector& parameters() const { return parameters_; }
  Vector& parameterGradients() { return parameterGradients_; }
  const Vector& parameterGradients() const { return parameterGradients_; }
  struct ParameterBlock {
    int layer;  // index in layers()
    ParameterInfo info;  // offset is into parameters()
  };
  const std::vector<ParameterBlock>& parameterBlocks() const { return blocks_; }
  // 1 where a parameter is a weight (regularized), 0 for biases and batch-norm affine terms.
  // Made on first use (the first L2 / L1 step): a 10 x 4096 net's is 617 MB that a run without
  // regularization, and the first statistics, never need.
  const Vector& regularizationMask() const;

  // loss += l2 sum W^2 + l1 sum |W| (weights only); gradient += 2 l2 W + l1 sign(W).
  double regularizationLoss(double l2, double l1) const;
  void addRegularizationGradient(double l2, double l1);
  // The same on parameters [offset, offset + size) only: the same values there.
  void addRegularizationGradient(double l2, double l1, Eigen::Index offset, Eigen::Index size);

  void setDropout(double dropProbability);  // live change, between steps
  bool hasDropout() const;

 private:
  int inputs_, classes_;
  ModelConfig model_;
  std::vector<LayerPtr> layers_;
  std::vector<LayerView> views_;
  std::vector<Matrix> values_, gradients_;
  Vector parameters_, parameterGradients_;
  mutable Vector regularizationMask_;  // empty until regularizationMask() is first asked
  std::vector<ParameterBlock> blocks_;
  // Per layer: its parameters' offset and count in parameters_ (count 0: none).
  std::vector<std::pair<Eigen::Index, Eigen::Index>> layerParameters_;
  void backwardLayer(size_t i);
  Matrix chunk_;  // reused by predictProbabilities
};

}  // namespace layerscope
