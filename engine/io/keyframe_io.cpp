#include "io/keyframe_io.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "data/dataset.h"
#include "errors.h"

namespace layerscope {
namespace {

// Sane limits, far above any run the settings allow and far below what would exhaust memory.
constexpr std::size_t kMaxParameters = std::size_t(1) << 27;  // 512 MiB of floats: the model limit
constexpr std::size_t kMaxLayers = 8192;        // depth <= 1000: ~4 layers each, plus the output
constexpr std::size_t kMaxUnits = std::size_t(1) << 20;  // the width limit
constexpr std::size_t kMaxTextBytes = std::size_t(1) << 20;
constexpr std::size_t kMaxRngStateBytes = 64 * 1024;  // Rng::state(): ~7 KB of digits
constexpr std::size_t kMaxOptimizerBuffers = 4;       // adam has 2
// A grid index: edges are origin + k * width, so |k| beyond 2^40 means damaged bytes (and the
// bound keeps last - first from overflowing).
constexpr std::int64_t kMaxGridIndex = std::int64_t(1) << 40;
constexpr char kMagic[4] = {'L', 'S', 'K', 'F'};
constexpr std::uint32_t kVersion = 1;

void writeFloats(BinaryWriter& out, const Vector& v) {
  out.u32(std::uint32_t(v.size()));
  out.raw(v.data(), std::size_t(v.size()) * sizeof(Scalar));
}

Vector readFloats(BinaryReader& in, const char* field, std::size_t limit) {
  const std::size_t n = in.count(field, "values", limit, sizeof(Scalar));
  Vector v(static_cast<Eigen::Index>(n));
  in.raw(field, v.data(), n * sizeof(Scalar));
  return v;
}

}  // namespace

void writeKeyframe(BinaryWriter& out, const Keyframe& k) {
  out.i64(k.step);
  out.i64(k.epoch);
  out.text(k.architecture);
  writeFloats(out, k.parameters);
  out.u32(std::uint32_t(k.runningMeans.size()));
  for (size_t i = 0; i < k.runningMeans.size(); ++i) {
    writeFloats(out, k.runningMeans[i]);
    writeFloats(out, k.runningVars[i]);
  }
  out.text(k.optimizer.kind);
  out.i64(k.optimizer.steps);
  out.u32(std::uint32_t(k.optimizer.buffers.size()));
  for (const Vector& b : k.optimizer.buffers) writeFloats(out, b);
  out.text(k.shuffleRng);
  out.u32(std::uint32_t(k.dropoutRngs.size()));
  for (size_t i = 0; i < k.dropoutRngs.size(); ++i) {
    out.text(k.dropoutRngs[i]);
    out.text(k.probeDropoutRngs[i]);
  }
  out.u32(std::uint32_t(k.order.size()));
  out.raw(k.order.data(), k.order.size() * sizeof(int));
  out.i64(k.position);
  out.f64(k.lossSum);
  out.i64(k.lossCount);
  out.u32(std::uint32_t(k.updateRatios.size()));
  out.raw(k.updateRatios.data(), k.updateRatios.size() * sizeof(double));
  out.u32(std::uint32_t(k.histogramGrids.layers.size()));
  for (const auto& grids : k.histogramGrids.layers)
    for (const HistogramGrid& g : grids) {
      out.f64(g.origin);
      out.f64(g.width);
      out.i64(g.first);
      out.i64(g.last);
    }
  out.f64(k.firstLoss);
  out.u8(k.diverged ? 1 : 0);
  out.text(k.divergence);
  out.f64(k.trainSeconds);
  out.f64(k.statsSeconds);
}

Keyframe readKeyframe(BinaryReader& in) {
  constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();
  Keyframe k;
  k.step = long(in.integer("step", 0, kMaxCount));
  k.epoch = int(in.integer("epoch", 0, std::numeric_limits<int>::max()));
  k.architecture = in.text("architecture", kMaxTextBytes);
  k.parameters = readFloats(in, "parameters", kMaxParameters);
  const std::size_t batchNorms = in.count("batch-norm layers", "layers", kMaxLayers, 8);
  for (std::size_t i = 0; i < batchNorms; ++i) {
    k.runningMeans.push_back(readFloats(in, "batch-norm running mean", kMaxUnits));
    k.runningVars.push_back(readFloats(in, "batch-norm running variance", kMaxUnits));
  }
  k.optimizer.kind = in.text("optimizer kind", 32);
  k.optimizer.steps = long(in.integer("optimizer steps", 0, kMaxCount));
  const std::size_t buffers = in.count("optimizer buffers", "buffers", kMaxOptimizerBuffers, 4);
  for (std::size_t i = 0; i < buffers; ++i)
    k.optimizer.buffers.push_back(readFloats(in, "optimizer buffer", kMaxParameters));
  k.shuffleRng = in.text("shuffle random state", kMaxRngStateBytes);
  const std::size_t dropouts = in.count("dropout layers", "layers", kMaxLayers, 8);
  for (std::size_t i = 0; i < dropouts; ++i) {
    k.dropoutRngs.push_back(in.text("dropout random state", kMaxRngStateBytes));
    k.probeDropoutRngs.push_back(in.text("probe dropout random state", kMaxRngStateBytes));
  }
  const std::size_t samples =
      in.count("batch order", "samples", std::size_t(kMaxDatasetValues), sizeof(int));
  k.order.resize(samples);
  in.raw("batch order", k.order.data(), samples * sizeof(int));
  k.position = long(in.integer("batch position", 0, std::int64_t(samples)));
  k.lossSum = in.f64("loss sum");
  k.lossCount = long(in.integer("loss count", 0, kMaxCount));
  const std::size_t ratios = in.count("update ratios", "layers", kMaxLayers, sizeof(double));
  k.updateRatios.resize(ratios);
  in.raw("update ratios", k.updateRatios.data(), ratios * sizeof(double));
  const std::size_t gridLayers =
      in.count("histogram grids", "layers", kMaxLayers, kHistogramQuantities * 32);
  k.histogramGrids.layers.resize(gridLayers);
  for (auto& grids : k.histogramGrids.layers)
    for (HistogramGrid& g : grids) {
      g.origin = in.f64("histogram grid origin");
      g.width = in.f64("histogram grid width");
      g.first = long(in.integer("histogram grid first bin", -kMaxGridIndex, kMaxGridIndex));
      g.last = long(in.integer("histogram grid last bin", -kMaxGridIndex, kMaxGridIndex));
      if (!std::isfinite(g.origin) || !std::isfinite(g.width) || g.width < 0.0 ||
          g.last < g.first || g.last - g.first > kMaxGridBins)
        in.fail("histogram grid", "not a grid (origin " + std::to_string(g.origin) + ", width " +
                                      std::to_string(g.width) + ", bins " +
                                      std::to_string(g.first) + " to " + std::to_string(g.last) +
                                      ")");
    }
  k.firstLoss = in.f64("first loss");
  k.diverged = in.flag("diverged");
  k.divergence = in.text("divergence", kMaxTextBytes);
  k.trainSeconds = in.f64("train seconds");
  k.statsSeconds = in.f64("stats seconds");
  return k;
}

std::string keyframeToBytes(const Keyframe& keyframe) {
  BinaryWriter out;
  out.raw(kMagic, sizeof kMagic);
  out.u32(kVersion);
  writeKeyframe(out, keyframe);
  return std::move(out.bytes());
}

Keyframe keyframeFromBytes(const std::string& bytes, const std::string& source) {
  BinaryReader in(bytes, source);
  char magic[4];
  in.raw("format", magic, sizeof magic);
  if (std::string(magic, 4) != std::string(kMagic, 4)) in.fail("format", "not a LayerScope keyframe");
  const std::uint32_t version = in.u32("version");
  if (version != kVersion)
    in.fail("version", "version " + std::to_string(version) + ", this LayerScope reads version " +
                           std::to_string(kVersion));
  Keyframe k = readKeyframe(in);
  if (in.left() != 0) in.fail("", std::to_string(in.left()) + " bytes after the keyframe");
  return k;
}

}  // namespace layerscope
