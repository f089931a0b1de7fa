// The `threads` setting's "auto": the physical cores, or LAYERSCOPE_THREADS (compute_threads.h).
#include <gtest/gtest.h>

#include <sched.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "compute_threads.h"

namespace layerscope {
namespace {

// Restores LAYERSCOPE_THREADS (ctest sets it to 1) when a test ends.
class ThreadsEnvironment {
 public:
  ThreadsEnvironment() {
    if (const char* v = std::getenv("LAYERSCOPE_THREADS")) saved_ = v, had_ = true;
  }
  ~ThreadsEnvironment() {
    if (had_) setenv("LAYERSCOPE_THREADS", saved_.c_str(), 1);
    else unsetenv("LAYERSCOPE_THREADS");
  }

 private:
  std::string saved_;
  bool had_ = false;
};

TEST(ComputeThreads, AutoIsThePhysicalCoresAndTheEnvironmentOverridesIt) {
  ThreadsEnvironment keep;
  unsetenv("LAYERSCOPE_THREADS");
  EXPECT_EQ(resolveThreads(0), physicalCores());
  EXPECT_EQ(resolveThreads(3), 3);  // a count is taken as it is
  setenv("LAYERSCOPE_THREADS", "5", 1);
  EXPECT_EQ(resolveThreads(0), 5);
  EXPECT_EQ(resolveThreads(2), 2);  // the environment changes only "auto"
  for (const char* bad : {"", "0", "-2", "two", "3x", "100000"}) {
    setenv("LAYERSCOPE_THREADS", bad, 1);
    EXPECT_EQ(resolveThreads(0), physicalCores()) << "LAYERSCOPE_THREADS='" << bad << "'";
  }
  EXPECT_EQ(setComputeThreads(4), 4);
  EXPECT_EQ(computeThreadsInUse(), 4);
  setComputeThreads(1);
}

// The count agrees with another reader of the topology: util-linux's lscpu, one line per logical
// CPU with its socket and core. Hyper-threads of one core count once.
TEST(ComputeThreads, PhysicalCoresAgreeWithLscpu) {
  const int logical = int(std::thread::hardware_concurrency());
  EXPECT_GE(physicalCores(), 1);
  if (logical > 0) {
    EXPECT_LE(physicalCores(), logical);
  }
  FILE* pipe = popen("lscpu -p=SOCKET,CORE,ONLINE 2>/dev/null", "r");
  if (!pipe) GTEST_SKIP() << "lscpu is not available";
  std::set<std::pair<int, int>> cores;
  char line[256];
  while (std::fgets(line, sizeof line, pipe)) {
    int socket = 0, core = 0;
    char online = 'Y';
    if (line[0] == '#') continue;
    if (std::sscanf(line, "%d,%d,%c", &socket, &core, &online) >= 2 && online == 'Y')
      cores.emplace(socket, core);
  }
  pclose(pipe);
  if (cores.empty()) GTEST_SKIP() << "lscpu printed no CPU";
  // The process may be limited to fewer CPUs than the machine has (taskset, a container).
  EXPECT_LE(physicalCores(), int(cores.size()));
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0 &&
      CPU_COUNT(&allowed) == int(std::thread::hardware_concurrency())) {
    EXPECT_EQ(physicalCores(), int(cores.size()));
  }
}

}  // namespace
}  // namespace layerscope
