#include "model/layers/dense.h"

#include <algorithm>

#include "gemm.h"
#include "model/kernels/elementwise_kernel.h"
#include "parallel_chunks.h"

namespace layerscope {

void Dense::forward(const Matrix& in, Matrix& out, Phase) {
  // (out, batch) = (out, in) (in, batch) + b 1^T: the product, then the bias added to it.
  out.resize(out_, in.cols());
  gemm(false, false, w_, in, out);
  // Columns in chunks of about kElementwiseGrain values: each is its own exact sum
  // out(i, j) + b(i), on the per-level kernel (elementwise_kernel.h).
  const std::ptrdiff_t columnsPerChunk =
      std::max<std::ptrdiff_t>(8, kElementwiseGrain / std::max<std::ptrdiff_t>(1, out.rows()));
  parallelChunks(
      out.cols(),
      [&](std::ptrdiff_t c0, std::ptrdiff_t c1) {
        addBiasColumns(out.data() + c0 * out.rows(), b_.data(), out.rows(), c1 - c0);
      },
      columnsPerChunk);
}

void Dense::backward(const Matrix& in, const Matrix&, const Matrix& gradOut, Matrix& gradIn,
                     bool computeGradIn) {
  gemm(false, true, gradOut, in, gw_);  // dL/dW = dL/dout in^T      (out, in)
  gb_ = gradOut.rowwise().sum();             // dL/db = sum over the batch (out)
  if (computeGradIn) {
    gradIn.resize(in_, gradOut.cols());
    gemm(true, false, w_, gradOut, gradIn);  // dL/din = W^T dL/dout  (in, batch)
  }
}

std::vector<ParameterInfo> Dense::parameterShapes() const {
  return {{"W", 0, out_, in_, true}, {"b", Eigen::Index(out_) * in_, out_, 1, false}};
}

void Dense::bindParameters(Scalar* values, Scalar* gradients) {
  const Eigen::Index n = Eigen::Index(out_) * in_;
  new (&w_) MatrixMap(values, out_, in_);
  new (&gw_) MatrixMap(gradients, out_, in_);
  new (&b_) VectorMap(values + n, out_);
  new (&gb_) VectorMap(gradients + n, out_);
}

}  // namespace layerscope
