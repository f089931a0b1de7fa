#include "compute_threads.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "gemm.h"

namespace layerscope {
namespace {

int readTopology(int cpu, const char* field) {
  std::ifstream in("/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/" + field);
  int value = -1;
  return in >> value ? value : -1;
}

int countPhysicalCores() {
  const int logical = std::max(1, int(std::thread::hardware_concurrency()));
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return logical;
  std::set<std::pair<int, int>> cores;  // (package, core): hyper-threads of a core share it
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    const int package = readTopology(cpu, "physical_package_id");
    const int core = readTopology(cpu, "core_id");
    if (package < 0 || core < 0) return std::min(logical, CPU_COUNT(&allowed));
    cores.emplace(package, core);
  }
  return cores.empty() ? logical : int(cores.size());
}

std::atomic<int> inUse{0};

}  // namespace

int physicalCores() {
  static const int cores = countPhysicalCores();
  return cores;
}

int resolveThreads(int setting) {
  if (setting > 0) return setting;
  if (const char* env = std::getenv("LAYERSCOPE_THREADS")) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0 && n <= 256) return int(n);
  }
  return physicalCores();
}

int setComputeThreads(int setting) {
  const int threads = resolveThreads(setting);
  setGemmThreads(threads);
  inUse = threads;
  return threads;
}

int computeThreadsInUse() { return inUse; }

}  // namespace layerscope
