#include "data/preprocess.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "errors.h"
#include "progress.h"

namespace layerscope {

namespace {

// Sums are accumulated in double over blocks of columns: a float sum over 60 000 MNIST images
// loses ~4 of its 7 digits, and a whole-matrix double copy would double the memory.
constexpr Eigen::Index kColumnBlock = 4096;

using DoubleVector = Eigen::Matrix<double, Eigen::Dynamic, 1>;

// Each pass over the data reports its blocks as [from, to] of `progress`'s phase.
struct PassProgress {
  const Progress* progress;
  const std::string& phase;
  double from, to;
  void report(Eigen::Index done, Eigen::Index total) const {
    reportProgress(progress, phase, from + (to - from) * double(done) / double(std::max<Eigen::Index>(1, total)));
  }
};

DoubleVector rowMeans(const Matrix& x, const PassProgress& pass) {
  DoubleVector sum = DoubleVector::Zero(x.rows());
  for (Eigen::Index first = 0; first < x.cols(); first += kColumnBlock) {
    const Eigen::Index count = std::min(kColumnBlock, x.cols() - first);
    sum += x.middleCols(first, count).cast<double>().rowwise().sum();
    pass.report(first + count, x.cols());
  }
  return sum / static_cast<double>(x.cols());
}

// Population variance, two-pass: var = mean((x - mean)^2), which unlike E[x^2] - E[x]^2 cannot
// come out negative or lose everything to cancellation when |mean| >> std.
DoubleVector rowVariances(const Matrix& x, const DoubleVector& mean, const PassProgress& pass) {
  DoubleVector sum = DoubleVector::Zero(x.rows());
  for (Eigen::Index first = 0; first < x.cols(); first += kColumnBlock) {
    const Eigen::Index count = std::min(kColumnBlock, x.cols() - first);
    sum += (x.middleCols(first, count).cast<double>().colwise() - mean)
               .array()
               .square()
               .rowwise()
               .sum()
               .matrix();
    pass.report(first + count, x.cols());
  }
  return sum / static_cast<double>(x.cols());
}

}  // namespace

Preprocessor::Preprocessor(const std::string& kind) : kind_(kind) {
  if (kind != "none" && kind != "center" && kind != "standardize") {
    throw InputError("unknown preprocess '" + kind + "' (expected none, center or standardize)");
  }
}

void Preprocessor::fit(const Matrix& x, const Progress* progress) {
  const Eigen::Index features = x.rows();
  mean_ = Vector::Zero(features);
  scale_ = Vector::Ones(features);
  if (kind_ == "none") return;
  if (x.cols() == 0) throw InputError("cannot fit preprocessing '" + kind_ + "' on no samples");
  const std::string phase = phaseName();
  const bool standardize = kind_ == "standardize";
  const DoubleVector mean = rowMeans(x, {progress, phase, 0.0, standardize ? 0.5 : 1.0});
  mean_ = mean.cast<Scalar>();
  if (standardize) {
    // scale = 1 / std; a constant feature (std 0) keeps scale 1 -- it becomes all zeros after
    // centering instead of NaN -- and so does a std whose reciprocal overflows a float.
    const Eigen::ArrayXd inverseStd =
        rowVariances(x, mean, {progress, phase, 0.5, 1.0}).array().sqrt().inverse();
    const Eigen::ArrayXd finiteOrOne =
        (inverseStd <= double(std::numeric_limits<Scalar>::max())).select(inverseStd, 1.0);
    scale_ = finiteOrOne.cast<Scalar>().matrix();
  }
}

void Preprocessor::apply(Matrix& x, const Progress* progress) const {
  if (kind_ == "none") return;
  if (mean_.size() == 0) {
    throw std::logic_error("Preprocessor::apply: fit() or setFitted() must come first");
  }
  if (x.rows() != mean_.size()) {
    throw InputError("preprocessing was fitted on " + std::to_string(mean_.size()) +
                     " features, but the data has " + std::to_string(x.rows()));
  }
  const std::string phase = phaseName();
  for (Eigen::Index first = 0; first < x.cols(); first += kColumnBlock) {
    const Eigen::Index count = std::min(kColumnBlock, x.cols() - first);
    auto block = x.middleCols(first, count).array();
    // One pass: (x - mean) * scale, the same two float operations per value as before.
    if (kind_ == "standardize")
      block = (block.colwise() - mean_.array()).colwise() * scale_.array();
    else
      block.colwise() -= mean_.array();
    reportProgress(progress, phase, double(first + count) / double(x.cols()));
  }
}

void Preprocessor::applyTo(DataSplits& splits, const Progress* progress) const {
  // One phase over the three splits, each its share of the samples.
  const double total = std::max(1, splits.train.samples() + splits.validation.samples() +
                                       splits.test.samples());
  double done = 0;
  for (Dataset* split : {&splits.train, &splits.validation, &splits.test}) {
    if (split->samples() == 0) continue;
    const Progress part = progressPart(progress, done / total, (done + split->samples()) / total);
    apply(split->x, progress ? &part : nullptr);
    done += split->samples();
  }
}

std::string Preprocessor::phaseName() const {
  return kind_ == "standardize" ? "Standardizing" : "Centering";
}

void Preprocessor::setFitted(const Vector& mean, const Vector& scale) {
  if (mean.size() != scale.size()) {
    throw InputError("preprocessing: mean has " + std::to_string(mean.size()) +
                     " values but scale has " + std::to_string(scale.size()));
  }
  if (!mean.allFinite() || !scale.allFinite()) {
    throw InputError("preprocessing: mean and scale must be finite numbers");
  }
  mean_ = mean;
  scale_ = scale;
}

}  // namespace layerscope
