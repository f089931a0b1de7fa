// The experiment's random numbers. Every random choice (data, weights, dropout masks, probe
// batch, shuffling) draws from a generator derived from the one experiment seed, so the same
// experiment, seed and thread count give the same numbers.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>

namespace layerscope {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // A generator for one purpose ("weights", "dropout", ...): independent streams, so adding a
  // probe or a layer does not shift the numbers every other part draws.
  static Rng derived(std::uint64_t seed, std::uint64_t stream) {
    return Rng(splitmix64(seed ^ splitmix64(stream + 0x9E3779B97F4A7C15ull)));
  }

  std::uint64_t next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return unitOf(engine_()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Box-Muller: the same sequence on every standard library (std::normal_distribution is not).
  double normal() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    const std::uint64_t first = engine_();
    double cosHalf;
    boxMuller(first, engine_(), cosHalf, spare_);
    hasSpare_ = true;
    return cosHalf;
  }
  double normal(double mean, double std) { return mean + std * normal(); }

  // The formulas above on given engine words, for code that draws the words in bulk and turns
  // them into numbers on several threads (initializeAllWeights): the very same bits.
  static double unitOf(std::uint64_t word) { return (word >> 11) * (1.0 / 9007199254740992.0); }
  // The normal pair of two consecutive words: r cos(2 pi u2) is drawn first, r sin(2 pi u2) second.
  static void boxMuller(std::uint64_t first, std::uint64_t second, double& cosHalf, double& sinHalf) {
    double u1 = unitOf(first), u2 = unitOf(second);
    if (u1 < 1e-300) u1 = 1e-300;
    const double r = std::sqrt(-2.0 * std::log(u1));
    sinHalf = r * std::sin(2.0 * M_PI * u2);
    cosHalf = r * std::cos(2.0 * M_PI * u2);
  }
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }

  std::mt19937_64& engine() { return engine_; }

  // The whole state as text: the engine's standard textual form (its 312 words and position),
  // then normal()'s spare. What a keyframe (training/keyframe.h) keeps to continue a run bit
  // for bit. setState() returns false, leaving the generator as it was, for text that is not
  // such a state (a damaged file).
  std::string state() const {
    std::ostringstream out;
    out << engine_ << ' ' << (hasSpare_ ? 1 : 0) << ' ' << std::hexfloat << spare_;
    return out.str();
  }
  bool setState(const std::string& text) {
    std::istringstream in(text);
    std::mt19937_64 engine;
    int hasSpare = 0;
    double spare = 0.0;
    in >> engine >> hasSpare;
    if (!in || (hasSpare != 0 && hasSpare != 1)) return false;
    // hexfloat input is not portable through operator>> (libstdc++ reads 0 for "0x1p+0"):
    // strtod reads it exactly.
    std::string spareText;
    in >> spareText;
    char* end = nullptr;
    if (!in) return false;
    spare = std::strtod(spareText.c_str(), &end);
    if (end == spareText.c_str() || *end != '\0' || !(in >> std::ws).eof()) return false;
    engine_ = engine;
    hasSpare_ = hasSpare == 1;
    spare_ = spare;
    return true;
  }

  static std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool hasSpare_ = false;
};

// Stream numbers for Rng::derived, one per purpose.
enum RngStream : std::uint64_t {
  kStreamData = 1,
  kStreamSplit = 2,
  kStreamWeights = 3,
  kStreamShuffle = 4,
  kStreamDropout = 5,
  kStreamProbe = 6,
  kStreamProbeDropout = 7,
  kStreamTeacher = 8,
};

}  // namespace layerscope
