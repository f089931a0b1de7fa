#pragma once
// Element-wise work (activations, optimizer updates) split over the compute threads.
//
// The chunks are fixed by the work's size alone: chunk c is [c grain, (c + 1) grain), whatever
// the thread count, and each element is computed by one thread with the same instructions. As
// grain is a multiple of 64 floats (256 bytes), every chunk starts as aligned as the whole array,
// so a vectorized loop peels and vectorizes each chunk exactly as it would the whole: the bits do
// not depend on the thread count (Training.TheThreadCountChangesNoBit). Only element-wise bodies
// belong here; a reduction would need a fixed combining order.
//
// The threads are the compute pool's (compute_pool.h), which also runs the products' tiles, so
// products and element-wise work never compete as two pools would.
#include <algorithm>
#include <cstddef>

#include "compute_pool.h"

namespace layerscope {

constexpr std::ptrdiff_t kElementwiseGrain = 32768;  // 128 KB of floats: microseconds of work

// body(begin, end) over [0, count) in chunks of `grain` (for flat arrays a multiple of 64; a
// count of columns, each column's work independent of its neighbours, may use any), on the
// compute pool's threads; on one thread, or when the work is a single chunk, body(0, count).
template <class Body>
void parallelChunks(std::ptrdiff_t count, Body&& body, std::ptrdiff_t grain = kElementwiseGrain) {
  const std::ptrdiff_t chunks = (count + grain - 1) / grain;
  ComputePool& pool = ComputePool::shared();
  if (chunks <= 1 || pool.threads() <= 1) {
    body(std::ptrdiff_t(0), count);
    return;
  }
  pool.forEach(int(chunks), [&](int c) {
    body(std::ptrdiff_t(c) * grain, std::min(count, std::ptrdiff_t(c + 1) * grain));
  });
}

}  // namespace layerscope
