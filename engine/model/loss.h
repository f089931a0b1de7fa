// Softmax cross-entropy, the output of every LayerScope network.
#pragma once

#include <vector>

#include "tensor.h"

namespace layerscope {

struct LossResult {
  double loss = 0.0;      // mean over the batch of -log p[label]
  int correct = 0;        // argmax(logits) == label
};

// logits (classes, batch), labels[batchOffset + j] for column j.
// probabilities <- softmax(logits) per column; gradLogits <- (p - onehot(label)) / batch.
LossResult softmaxCrossEntropy(const Matrix& logits, const int* labels, Matrix& probabilities,
                               Matrix* gradLogits);

// Column-wise softmax with the max subtracted first so exp never overflows.
void softmax(const Matrix& logits, Matrix& probabilities);

}  // namespace layerscope
