// Large buffers (a wide net's parameters, gradients and regularization mask: 616 MB each for
// 10 x 4096; a loaded image data set) backed by 2 MiB pages instead of 4 KiB ones. Touching
// 1.8 GB in 4 KiB pages costs ~450 000 page faults, about a second of kernel time (measured with
// perf on the 10 x 4096 build, bench_train --mode build); with transparent huge pages it is
// 512 times fewer faults. Debian's kernels enable them only for memory that asks
// (/sys/kernel/mm/transparent_hugepage/enabled: madvise), hence the madvise here, before the
// first touch. No numbers change: only how the memory is mapped.
#pragma once

#include <cstddef>
#include <cstdint>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace layerscope {

// Advises the 2 MiB-aligned interior of [data, data + bytes) to use huge pages. A no-op below
// 8 MiB, off Linux, or where the kernel refuses (the buffer then simply stays in small pages).
inline void adviseHugePages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t(2) << 20;
  if (data == nullptr || bytes < 4 * kHuge) return;
  const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (start + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t end = (start + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace layerscope
