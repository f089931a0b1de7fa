// Small helpers shared by the benchmark modes: a wall clock, medians, FLOP counts and the
// command-line flags. Benchmarks print one JSON object per line so scripts/bench can parse them.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace layerscope::bench {

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Median of repeated measurements: robust to the one rep a noisy neighbour hit.
inline double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// FLOPs of one training step of a dense net with layer sizes sizes[0] (inputs) .. sizes.back()
// (classes), batch B: forward Z = W X is 2 B in out; backward dW = G X^T and dX = W^T G are
// 2 B in out each, except that the first layer needs no dX. Element-wise work (bias,
// activation, softmax, optimizer) is O(B out) or O(in out) and left out, as PyTorch's
// profilers and the usual "6 N B" rule do.
inline double trainStepFlops(const std::vector<int>& sizes, int batch) {
  double flops = 0.0;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    const double mac = double(batch) * sizes[l] * sizes[l + 1];
    flops += (l == 0 ? 4.0 : 6.0) * mac;
  }
  return flops;
}

// --name value flags; every flag takes a value except the ones listed as switches.
class Flags {
 public:
  Flags(int argc, char** argv, const std::vector<std::string>& switches) {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument '" + a + "'");
      a = a.substr(2);
      const auto eq = a.find('=');
      if (eq != std::string::npos) {
        values_[a.substr(0, eq)] = a.substr(eq + 1);
      } else if (std::find(switches.begin(), switches.end(), a) != switches.end()) {
        values_[a] = "1";
      } else {
        if (i + 1 >= argc) throw std::invalid_argument("--" + a + " needs a value");
        values_[a] = argv[++i];
      }
    }
  }
  bool has(const std::string& k) const { return values_.count(k) > 0; }
  std::string str(const std::string& k, const std::string& d) const {
    used_.push_back(k);
    auto it = values_.find(k);
    return it == values_.end() ? d : it->second;
  }
  long num(const std::string& k, long d) const {
    const std::string s = str(k, "");
    if (s.empty()) return d;
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (*end) throw std::invalid_argument("--" + k + ": not an integer: '" + s + "'");
    return v;
  }
  double real(const std::string& k, double d) const {
    const std::string s = str(k, "");
    if (s.empty()) return d;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (*end) throw std::invalid_argument("--" + k + ": not a number: '" + s + "'");
    return v;
  }
  // Flags given but never read by the chosen mode: a typo the user should hear about.
  std::vector<std::string> unused() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : values_)
      if (std::find(used_.begin(), used_.end(), k) == used_.end()) out.push_back(k);
    return out;
  }

 private:
  std::map<std::string, std::string> values_;
  mutable std::vector<std::string> used_;
};

}  // namespace layerscope::bench
