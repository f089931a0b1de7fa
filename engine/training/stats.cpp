#include "training/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace layerscope {

Moments computeMoments(const Eigen::Ref<const Matrix>& v) {
  Moments m;
  const Eigen::Index n = v.size();
  if (n == 0) return m;
  // Two passes, the mean first, then the mean squared deviation, so a layer whose std is 1e-9 of
  // its mean (a collapsed layer) still gets an accurate std. Each column is summed in float
  // (vectorized, a few hundred terms) and the column sums in double: accurate and ~8x faster
  // than summing every element in double.
  double mean = v.colwise().sum().cast<double>().sum() / double(n);
  double var = (v.array() - static_cast<Scalar>(mean)).square().colwise().sum().cast<double>().sum() /
               double(n);
  if (!std::isfinite(mean) || !std::isfinite(var)) {
    // Finite values near FLT_MAX overflow a float sum (a diverging layer): redo it in double.
    const auto d = v.cast<double>().array();
    mean = d.mean();
    var = (d - mean).square().mean();
  }
  m.mean = mean;
  m.std = std::sqrt(var);
  m.min = v.minCoeff();
  m.max = v.maxCoeff();
  return m;
}

Histogram computeHistogram(const Matrix& v, int bins, double lo, double hi) {
  Histogram h;
  h.counts.assign(std::max(bins, 1), 0);
  const Scalar* d = v.data();
  const Eigen::Index n = v.size();
  const bool allFinite = v.allFinite();
  // A range asked for must be finite, ordered, and wide enough that its bin width is a normal
  // float: a diverged layer gives +-inf bounds, a collapsed gradient a span of 1e-40, and either
  // once made the bin index NaN. Otherwise the histogram spans the finite data.
  const auto usable = [](double a, double b) {
    return std::isfinite(a) && std::isfinite(b) && a < b && std::isfinite(1.0 / (b - a)) &&
           (b - a) > 1e-12 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
  };
  if (!usable(lo, hi)) {
    if (allFinite && n > 0) {
      lo = v.minCoeff();
      hi = v.maxCoeff();
    } else {
      lo = std::numeric_limits<double>::infinity();
      hi = -lo;
      for (Eigen::Index i = 0; i < n; ++i)
        if (std::isfinite(d[i])) {
          lo = std::min<double>(lo, d[i]);
          hi = std::max<double>(hi, d[i]);
        }
      if (!(lo <= hi)) lo = hi = 0.0;
    }
    if (!usable(lo, hi)) {  // all equal (or all but equal): a bin around the value
      const double pad = std::max(1e-6, std::max(std::abs(lo), std::abs(hi)) * 1e-3);
      lo -= pad;
      hi += pad;
    }
  }
  h.lo = lo;
  h.hi = hi;
  h.origin = lo;
  h.width = (hi - lo) / double(h.counts.size());
  const int last = static_cast<int>(h.counts.size()) - 1;
  const double scale = h.counts.size() / (hi - lo);  // finite and > 0: see usable()
  std::uint32_t* counts = h.counts.data();
  if (allFinite && std::isfinite(Scalar(lo)) && std::isfinite(Scalar(scale)) && Scalar(scale) > 0) {
    // Bin index floor((x - lo) * scale) clamped into [0, last]: branch-free, in float. The
    // product may overflow to +inf (x - lo beyond FLT_MAX), never NaN; max(0, .) with 0 first
    // would also map a NaN to bin 0.
    const Scalar loF = Scalar(lo), scaleF = Scalar(scale), lastF = Scalar(last);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Scalar b = std::min(lastF, std::max(Scalar(0), (d[i] - loF) * scaleF));
      ++counts[static_cast<int>(b)];
    }
    return h;
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = d[i];
    if (!std::isfinite(x)) {
      ++h.nonFinite;
      continue;
    }
    const double t = (x - lo) * scale;
    ++counts[t > 0 ? (t < last ? static_cast<int>(t) : last) : 0];
  }
  return h;
}

std::uint64_t Histogram::total() const {
  std::uint64_t n = underflow + overflow + zeros + nonFinite;
  for (std::uint32_t c : counts) n += c;
  return n;
}

HistogramGrid& HistogramGrids::at(int layer, HistogramQuantity q) {
  if (layer >= static_cast<int>(layers.size())) layers.resize(layer + 1);
  return layers[layer][static_cast<int>(q)];
}

std::pair<double, double> robustRange(const Eigen::Ref<const Matrix>& v, double q, bool skipZeros) {
  constexpr Eigen::Index kSample = 8192;
  const Eigen::Index n = v.size();
  const Scalar* d = v.data();
  std::vector<float> sample;
  const auto take = [&](Scalar x) {
    if (std::isfinite(x) && !(skipZeros && x == Scalar(0))) sample.push_back(x);
  };
  if (n <= kSample) {
    sample.reserve(n);
    for (Eigen::Index i = 0; i < n; ++i) take(d[i]);
  } else {
    // 32 runs of 256 consecutive values at evenly spaced starts: each run is 16 cache lines
    // (a scattered sample of 8192 values cost a cache miss each, ~1 ms per histogram of a
    // 500 x 1000 layer). Runs cover 256 units of one sample, and the starts j * n / 32 fall at
    // varied unit offsets, so the sample spreads over units and samples alike.
    constexpr Eigen::Index kRuns = 32, kRun = kSample / kRuns;
    sample.reserve(kSample);
    for (Eigen::Index j = 0; j < kRuns; ++j) {
      const Eigen::Index start = std::min(n - kRun, j * (n / kRuns));
      for (Eigen::Index i = start; i < start + kRun; ++i) take(d[i]);
    }
  }
  if (sample.empty()) return {std::numeric_limits<double>::quiet_NaN(),
                              std::numeric_limits<double>::quiet_NaN()};
  const size_t m = sample.size();
  const size_t iLo = static_cast<size_t>(std::floor(q * double(m - 1)));
  const size_t iHi = static_cast<size_t>(std::ceil((1.0 - q) * double(m - 1)));
  std::nth_element(sample.begin(), sample.begin() + iLo, sample.end());
  const double lo = sample[iLo];
  std::nth_element(sample.begin() + iLo, sample.begin() + iHi, sample.end());
  return {lo, double(sample[iHi])};
}

namespace {

// Lays the grid over [lo, hi] in `bins` bins: width (hi - lo) / bins, origin `origin`, the
// index range rounded outwards to whole bins.
void layGrid(HistogramGrid& g, double lo, double hi, int bins, double origin) {
  g.origin = origin;
  g.width = (hi - lo) / double(bins);
  g.first = static_cast<long>(std::floor((lo - origin) / g.width));
  g.last = std::max(g.first + 1, static_cast<long>(std::ceil((hi - origin) / g.width)));
}

// Indices beyond +-2^52 bins would lose integer exactness in double: such a range is merged
// first (the kMaxGridBins cap below), so this clamp only guards the conversion.
long gridIndex(double t) { return static_cast<long>(std::clamp(t, -4.0e15, 4.0e15)); }

}  // namespace

Histogram binOnGrid(const Eigen::Ref<const Matrix>& v, HistogramGrid& g, int binsWanted,
                    const BinningRule& rule) {
  const int bins = std::max(1, binsWanted);
  Histogram h;
  const bool bounded = rule.lo < rule.hi;
  const auto [qLo, qHi] = robustRange(v, kRobustQuantile, rule.separateZeros);
  h.robustLo = qLo;
  h.robustHi = qHi;
  if (bounded) {
    if (!g.laid()) layGrid(g, rule.lo, rule.hi, bins, rule.lo);
  } else if (std::isfinite(qLo) && std::isfinite(qHi)) {
    double lo = qLo, hi = qHi;
    if (!(hi - lo > 1e-6 * std::max(std::abs(lo), std::abs(hi))) || !(hi - lo > 1e-30)) {
      // All values (nearly) equal: a range around them, as computeHistogram pads it.
      const double pad = std::max(1e-30, std::max(std::abs(lo), std::abs(hi)) * 1e-3);
      lo -= pad;
      hi += pad;
    }
    if (!g.laid()) {
      layGrid(g, lo, hi, bins, 0.0);
    } else {
      // Extend by whole bins; never move an edge that exists.
      g.first = std::min(g.first, gridIndex(std::floor((lo - g.origin) / g.width)));
      g.last = std::max(g.last, gridIndex(std::ceil((hi - g.origin) / g.width)));
    }
    // Too many bins (the range grew by orders of magnitude): merge pairs. Edges origin + k * 2w
    // are the old even edges; floor / ceil keep the covered range covered.
    while (g.bins() > std::max<long>(kMaxGridBins, bins)) {
      g.width *= 2.0;
      g.first = static_cast<long>(std::floor(double(g.first) / 2.0));
      g.last = static_cast<long>(std::ceil(double(g.last) / 2.0));
    }
  }
  if (!g.laid()) {
    // Nothing to lay a grid on (every value 0 or non-finite): no bins, everything counted apart.
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      const Scalar x = v.data()[i];
      if (!std::isfinite(x)) ++h.nonFinite;
      else if (x == Scalar(0) && rule.separateZeros) ++h.zeros;
      else ++h.overflow;  // unreachable with separateZeros (a non-zero value lays a grid)
    }
    return h;
  }
  h.fixedRange = bounded;
  h.origin = g.origin;
  h.width = g.width;
  h.first = g.first;
  h.lo = g.origin + double(g.first) * g.width;
  h.hi = g.origin + double(g.last) * g.width;
  const long nBins = g.bins();
  h.counts.assign(static_cast<size_t>(nBins), 0);
  // t = (x - origin) / width in double: a value's grid index depends on nothing but the grid's
  // origin and width, so it is the same in every probe, whatever range the grid spans then.
  const double origin = g.origin, inv = 1.0 / g.width, top = h.hi;
  const double firstD = double(g.first), binsD = double(nBins);
  const bool zerosApart = rule.separateZeros;
  std::uint32_t* counts = h.counts.data();
  const Scalar* d = v.data();
  std::uint64_t under = 0, over = 0, zeros = 0, nonFinite = 0;
  if (v.allFinite() && std::abs(firstD) + binsD < 1e6) {
    // The common case, in float and branch-free (about 4x faster than the loop below): index
    // clamp(floor((x - origin) / width) - first, -1, bins) into bins + 2 slots, the outer two
    // for under- and overflow. It depends only on the grid's origin and width, so a value still
    // lands in the same grid bin in every probe. Exact zeros and the top edge are then moved
    // from the slot the same formula put them in: counted with vectorized compares, not per
    // value.
    const Scalar o = Scalar(origin), s = Scalar(inv), f = Scalar(firstD), last = Scalar(binsD);
    const auto slot = [&](Scalar x) {
      return static_cast<long>(std::min(last, std::max(Scalar(-1), std::floor((x - o) * s - f)))) + 1;
    };
    // Four interleaved tallies: consecutive values that fall in one bin (a saturated or
    // collapsed layer: nearly all of them) would otherwise wait on each other's increment.
    const size_t width = static_cast<size_t>(nBins) + 2;
    std::vector<std::uint32_t> tally(4 * width, 0);
    const Eigen::Index n = v.size(), n4 = n - n % 4;
    for (Eigen::Index i = 0; i < n4; i += 4) {
      ++tally[slot(d[i])];
      ++tally[width + slot(d[i + 1])];
      ++tally[2 * width + slot(d[i + 2])];
      ++tally[3 * width + slot(d[i + 3])];
    }
    for (Eigen::Index i = n4; i < n; ++i) ++tally[slot(d[i])];
    std::vector<std::uint64_t> ext(width, 0);
    for (size_t b = 0; b < width; ++b)
      ext[b] = std::uint64_t(tally[b]) + tally[width + b] + tally[2 * width + b] + tally[3 * width + b];
    if (zerosApart) {
      zeros = (v.array() == Scalar(0)).count();
      ext[slot(Scalar(0))] -= zeros;
    }
    if (ext.back() > 0 && slot(Scalar(top)) == nBins + 1 && Scalar(top) == top) {
      const std::uint64_t atTop = (v.array() == Scalar(top)).count();
      ext.back() -= atTop;
      ext[nBins] += atTop;  // the top edge itself belongs to the last bin
    }
    for (long b = 0; b < nBins; ++b) counts[b] = static_cast<std::uint32_t>(ext[b + 1]);
    h.underflow = ext.front();
    h.overflow = ext.back();
    h.zeros = zeros;
    return h;
  }
  for (Eigen::Index i = 0, n = v.size(); i < n; ++i) {
    const Scalar xf = d[i];
    if (zerosApart && xf == Scalar(0)) {
      ++zeros;
      continue;
    }
    const double x = xf;
    const double b = std::floor((x - origin) * inv) - firstD;  // NaN for NaN, +-inf for +-inf
    if (b >= 0.0 && b < binsD) {
      ++counts[static_cast<long>(b)];
    } else if (b < 0.0) {
      ++under;
    } else if (b >= binsD) {
      if (x <= top) ++counts[nBins - 1];  // the top edge itself belongs to the last bin
      else if (std::isinf(x)) ++nonFinite;
      else ++over;
    } else {
      ++nonFinite;  // NaN
    }
  }
  // -inf landed in `under`: move non-finite values out of it.
  if (under > 0 && !v.allFinite()) {
    const std::uint64_t negInf = (v.array() == -std::numeric_limits<Scalar>::infinity()).count();
    under -= negInf;
    nonFinite += negInf;
  }
  h.underflow = under;
  h.overflow = over;
  h.zeros = zeros;
  h.nonFinite = nonFinite;
  return h;
}

}  // namespace layerscope
