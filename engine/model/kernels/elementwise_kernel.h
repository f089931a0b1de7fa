#pragma once
// The training step's element-wise loops (ReLU forward and backward, the bias add, the SGD and
// momentum updates, tanh's backward), compiled for three x86-64 instruction-set levels and chosen
// once per process by the CPU's features, as tanh is (tanh_kernel.h).
//
// Why: the engine's own files are built for the x86-64 baseline (SSE2: 4 floats a vector), so
// Eigen ran these loops 4 floats at a time. On a small 2-D playground net (3 x 64 ReLU, batch 32,
// about 45 microseconds a step) they took about a tenth of the step; at 16 floats a vector they
// cost a quarter of that (perf, bench_train --depth 3 --width 64 --features 64 --batch 32
// --activation relu).
//
// Same bits on every level, and the same as the Eigen expressions they replace: each element is
// computed alone with the same IEEE operations in the same order (no reduction, and no fused
// multiply-add: engine/CMakeLists.txt compiles the kernel files with -ffp-contract=off, so
// a * b + c is two roundings, as Eigen's baseline packets made it). A vector width only changes
// how many elements one instruction handles. The formulas are on each function.
//
// The per-level files hold plain loops only (tanh_kernel.h says why: no inline function shared
// with files built for another level).
#include <cstddef>

#include "cpu_level.h"

namespace layerscope {

// y = x < 0 ? 0 : x, i.e. max(x, 0) as Eigen's x.max(0) computes it (NaN stays NaN, -0 stays -0).
void reluForward(const float* x, float* y, std::ptrdiff_t n);
// d = x > 0 ? g : s g (s = 0: x > 0 ? g : 0). For s != 0, (x > 0 ? 1 : s) * g: 1 * g is g.
void positivePartKernel(const float* x, const float* g, float s, float* d, std::ptrdiff_t n);
// Each of the `cols` columns of the (rows, cols) column-major matrix out: out[:, j] += b.
void addBiasColumns(float* out, const float* b, std::ptrdiff_t rows, std::ptrdiff_t cols);
// p = p - lr g
void sgdUpdate(float* p, const float* g, float lr, std::ptrdiff_t n);
// v = mu v + g; p = p - lr v, or with Nesterov p = p - lr (g + mu v) (the new v).
void momentumUpdate(float* p, float* v, const float* g, float lr, float mu, bool nesterov,
                    std::ptrdiff_t n);
// d = g (1 - y y): tanh's backward from its output y.
void tanhBackward(const float* y, const float* g, float* d, std::ptrdiff_t n);

// The same on a given level (tests compare the levels the CPU has).
struct ElementwiseKernels {
  void (*reluForward)(const float*, float*, long);
  void (*positivePart)(const float*, const float*, float, float*, long);
  void (*addBiasColumns)(float*, const float*, long, long);
  void (*sgdUpdate)(float*, const float*, float, long);
  void (*momentumUpdate)(float*, float*, const float*, float, float, int, long);
  void (*tanhBackward)(const float*, const float*, float*, long);
};
const ElementwiseKernels& elementwiseKernels(KernelLevel level);

}  // namespace layerscope
