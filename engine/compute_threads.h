#pragma once
// How many threads the products use: the `threads` setting (settings/schema.cpp) is a count, or
// 0 = "auto", which means the physical cores this process may run on.
//
// Physical, not logical: two hyper-threads of one core share its FMA units, so a second
// OpenBLAS thread there adds contention, not speed; and OpenBLAS's threads spin while they
// wait, so more threads than cores slows everything (docs/BENCHMARKS.md: on 2 cores, two pools
// of 2 threads ran 4x slower than one). LAYERSCOPE_THREADS=N in the environment makes "auto"
// mean N, as OMP_NUM_THREADS does for OpenMP: the test suite sets it to 1 because ctest runs
// two tests at a time on the 2-core CI machine (tests/CMakeLists.txt).
//
// Results never depend on the count: each output value of a product is computed by one thread
// in one order (Training.TheThreadCountChangesNoBit trains with 1, 2, 3 and 7 threads).

namespace layerscope {

// The physical cores among the CPUs this process may run on (sched_getaffinity), counted once
// per (package, core) pair from /sys/devices/system/cpu/cpuN/topology; where that is not
// readable, std::thread::hardware_concurrency(). At least 1. Read once per process.
int physicalCores();

// The count a `threads` setting means here: itself when > 0; for 0 ("auto") LAYERSCOPE_THREADS
// when it holds a positive whole number, else physicalCores().
int resolveThreads(int setting);

// Sets the products' threads (OpenBLAS's pool and Eigen's OpenMP pool) to resolveThreads(setting)
// and returns that count. Safe to call between two steps: the next product uses it.
int setComputeThreads(int setting);

// The count of the last setComputeThreads (what is in use now); 0 before the first call.
int computeThreadsInUse();

}  // namespace layerscope
