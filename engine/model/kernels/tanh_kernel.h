#pragma once
// tanh over an array, compiled for three x86-64 instruction-set levels and chosen once per
// process by the CPU's features, so that a portable build (no -march) runs it as fast as a
// native one (docs/BENCHMARKS.md, "One build for every CPU").
//
// The formula is Eigen 3.4's float tanh (MathFunctionsImpl.h, generic_fast_tanh_float): x clamped
// to [-c, c], then x p(x^2) / q(x^2), a 13/6 rational approximation, and x itself for |x| below
// 4e-4. Eigen evaluates the polynomials with fused multiply-adds where the CPU has them (and then
// clamps at 7.9988, else at 7.9053); each level below does the same, so a native build and the
// portable build's level for its CPU compute the same bits.
//
// Why not Eigen in the per-level files: an inline template instantiated in files compiled for
// different levels is one symbol to the linker, which may keep the AVX-512 copy for the baseline
// caller (an illegal instruction on an older CPU). The per-level files hold plain loops only.
#include <cstddef>

#include "cpu_level.h"

namespace layerscope {

// y[i] = tanh(x[i]) for i < n, on kernelLevel(); y may be x.
void tanhArray(const float* x, float* y, std::ptrdiff_t n);
// The same on a given level (tests compare the levels the CPU has).
void tanhArrayOn(KernelLevel level, const float* x, float* y, std::ptrdiff_t n);

}  // namespace layerscope
