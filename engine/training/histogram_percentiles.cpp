#include "training/histogram_percentiles.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace layerscope {

namespace {

// A stretch of the distribution: `mass` values spread uniformly over [a, b] (a point mass when
// a == b). Pieces are kept in increasing value order.
struct Piece {
  double a, b, mass;
};

std::vector<Piece> pieces(const Histogram& h, double min, double max) {
  const long n = static_cast<long>(h.counts.size());
  const double lo = n ? h.edge(h.first) : 0.0, hi = n ? h.edge(h.first + n) : 0.0;
  std::vector<Piece> ranged;  // underflow, bins, overflow: increasing, not overlapping
  ranged.push_back({std::isfinite(min) ? std::min(min, lo) : lo, lo, double(h.underflow)});
  for (long b = 0; b < n; ++b)
    ranged.push_back({h.edge(h.first + b), h.edge(h.first + b + 1), double(h.counts[b])});
  ranged.push_back({hi, std::isfinite(max) ? std::max(max, hi) : hi, double(h.overflow)});
  // The zeros go in at 0: a stretch that spans 0 (tanh's grid has 0 inside a bin; an
  // underflow stretch may reach across it) is split there, its mass shared by length.
  std::vector<Piece> out;
  bool zerosIn = h.zeros == 0;
  for (const Piece& p : ranged) {
    if (!(p.mass > 0.0)) continue;
    if (!zerosIn && p.a >= 0.0) {
      out.push_back({0.0, 0.0, double(h.zeros)});
      zerosIn = true;
    }
    if (!zerosIn && p.a < 0.0 && p.b > 0.0) {
      out.push_back({p.a, 0.0, p.mass * (0.0 - p.a) / (p.b - p.a)});
      out.push_back({0.0, 0.0, double(h.zeros)});
      out.push_back({0.0, p.b, p.mass * p.b / (p.b - p.a)});
      zerosIn = true;
      continue;
    }
    out.push_back(p);
  }
  if (!zerosIn) out.push_back({0.0, 0.0, double(h.zeros)});  // every other value negative
  return out;
}

}  // namespace

std::vector<double> histogramPercentiles(const Histogram& h, double min, double max,
                                         const std::vector<double>& q) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> result(q.size(), nan);
  const std::vector<Piece> ps = pieces(h, min, max);
  double total = 0.0;
  for (const Piece& p : ps) total += p.mass;
  if (!(total > 0.0)) return result;
  for (std::size_t i = 0; i < q.size(); ++i) {
    const double f = std::clamp(q[i], 0.0, 1.0);
    double value;
    if (f <= 0.0 && std::isfinite(min)) {
      value = min;
    } else if (f >= 1.0 && std::isfinite(max)) {
      value = max;
    } else {
      // The first piece whose cumulative count reaches f * total; linear inside it.
      const double target = f * total;
      double before = 0.0;
      value = ps.back().b;
      for (const Piece& p : ps) {
        if (before + p.mass >= target) {
          const double t = std::clamp((target - before) / p.mass, 0.0, 1.0);
          value = p.a + t * (p.b - p.a);
          break;
        }
        before += p.mass;
      }
    }
    if (std::isfinite(min)) value = std::max(value, min);
    if (std::isfinite(max)) value = std::min(value, max);
    result[i] = value;
  }
  return result;
}

std::array<double, 9> percentileBands(const Histogram& h, double min, double max) {
  const std::vector<double> v =
      histogramPercentiles(h, min, max, std::vector<double>(kBandFractions.begin(), kBandFractions.end()));
  std::array<double, 9> out{};
  std::copy(v.begin(), v.end(), out.begin());
  return out;
}

}  // namespace layerscope
