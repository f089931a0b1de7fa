#include "model/layers/dropout.h"

namespace layerscope {

void Dropout::forward(const Matrix& in, Matrix& out, Phase phase) {
  identity_ = phase == Phase::Evaluation || p_ <= 0.0;
  if (identity_) {
    out = in;
    return;
  }
  Rng& rng = phase == Phase::Probing ? probeRng_ : rng_;
  const Scalar keepScale = Scalar(1.0 / (1.0 - p_));
  // One 64-bit draw gives two 32-bit uniforms: compare each against p * 2^32.
  const std::uint64_t threshold = static_cast<std::uint64_t>(p_ * 4294967296.0);
  mask_.resize(in.rows(), in.cols());
  Scalar* m = mask_.data();
  const Eigen::Index size = mask_.size();
  Eigen::Index i = 0;
  for (; i + 1 < size; i += 2) {
    const std::uint64_t r = rng.next();
    m[i] = (r & 0xFFFFFFFFull) >= threshold ? keepScale : Scalar(0);
    m[i + 1] = (r >> 32) >= threshold ? keepScale : Scalar(0);
  }
  if (i < size) m[i] = (rng.next() & 0xFFFFFFFFull) >= threshold ? keepScale : Scalar(0);
  out = in.cwiseProduct(mask_);
}

void Dropout::backward(const Matrix&, const Matrix&, const Matrix& gradOut, Matrix& gradIn,
                       bool computeGradIn) {
  if (!computeGradIn) return;
  if (identity_)
    gradIn = gradOut;
  else
    gradIn = gradOut.cwiseProduct(mask_);
}

}  // namespace layerscope
