// Shared numeric types of the engine.
//
// Convention: a batch of samples is a column-major matrix of shape (features, batch): one sample
// per column, so a dense layer is Z = W * X + b with W of shape (out, in), exactly the textbook
// formula, and a contiguous block of columns is a contiguous block of memory.
#pragma once

#include <Eigen/Core>

namespace layerscope {

using Scalar = float;
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;  // column-major
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
using MatrixMap = Eigen::Map<Matrix>;
using VectorMap = Eigen::Map<Vector>;

}  // namespace layerscope
