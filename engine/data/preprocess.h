// Data preprocessing (the article's section 1): mean subtraction and per-feature scaling,
// fitted on the training split only and applied to every split.
#pragma once

#include <string>

#include "data/dataset.h"
#include "progress.h"
#include "tensor.h"

namespace layerscope {

class Preprocessor {
 public:
  // kind: none | center | standardize. Throws InputError for an unknown kind.
  explicit Preprocessor(const std::string& kind = "none");

  // Learns mean (and std) per feature from x (features, samples). A feature with std 0 is
  // only centered (scale 1) -- dividing by zero would turn a constant feature into NaN.
  // Reports phaseName() per block of 4096 samples.
  void fit(const Matrix& x, const Progress* progress = nullptr);
  // x <- (x - mean) * scale, column by column (per block of 4096 samples, reported).
  void apply(Matrix& x, const Progress* progress = nullptr) const;
  void applyTo(DataSplits& splits, const Progress* progress = nullptr) const;  // all three splits
  // What fit and apply report doing: "Standardizing" or "Centering".
  std::string phaseName() const;

  const std::string& kind() const { return kind_; }
  const Vector& mean() const { return mean_; }    // (features), zeros for "none"
  const Vector& scale() const { return scale_; }  // (features), 1/std for "standardize", else 1
  void setFitted(const Vector& mean, const Vector& scale);  // restore from a file

 private:
  std::string kind_;
  Vector mean_;
  Vector scale_;
};

}  // namespace layerscope
