#include "io/run_file.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "data/dataset.h"
#include "data/gzip_reader.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/binary_stream.h"
#include "io/experiment_file.h"
#include "io/keyframe_io.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

// "LSRUN", then CR LF and ^Z: a transfer that rewrites line ends or stops at ^Z (as PNG's
// signature detects) breaks the magic, not some number further in.
constexpr char kMagic[8] = {'L', 'S', 'R', 'U', 'N', '\r', '\n', '\x1a'};
// Version 2 added three f64 per layer after the update ratio (effective rank, its normalized
// value, gradient SNR); version 1 files still read, with those NaN (not measured).
constexpr std::uint32_t kVersion = 2;
constexpr std::uint32_t kOldestVersion = 1;

// Section tags, four ASCII letters read as a little-endian u32.
constexpr std::uint32_t tag(const char (&s)[5]) {
  return std::uint32_t(std::uint8_t(s[0])) | std::uint32_t(std::uint8_t(s[1])) << 8 |
         std::uint32_t(std::uint8_t(s[2])) << 16 | std::uint32_t(std::uint8_t(s[3])) << 24;
}
constexpr std::uint32_t kSnapshots = tag("SNAP");
constexpr std::uint32_t kLosses = tag("LOSS");
constexpr std::uint32_t kPoints = tag("PNTS");
constexpr std::uint32_t kKeyframes = tag("KEYF");
constexpr std::uint32_t kSummary = tag("SUMM");

// Sane limits: far above what a run makes, far below what would exhaust memory. Every count is
// also checked against the bytes left, so the decompressed size bounds every allocation.
constexpr std::size_t kMaxExperimentBytes = std::size_t(16) << 20;  // the experiment file's
constexpr std::size_t kMaxSnapshots = std::size_t(1) << 26;
constexpr std::size_t kMaxLayers = 2048;           // depth <= 1000, plus input and output
constexpr std::size_t kMaxHistogramBins = 10000;   // the stats.histogram_bins setting's limit
constexpr std::size_t kMaxDecisionResolution = 4096;
constexpr std::size_t kMaxLosses = std::size_t(1) << 28;
constexpr std::size_t kMaxPoints = std::size_t(kMaxDatasetValues / 2);
constexpr std::size_t kMaxKeyframes = std::size_t(1) << 20;
constexpr std::size_t kMaxKindBytes = 16;
// A grid index (Histogram::first): edges are origin + k * width, so |k| beyond 2^40 means a
// damaged file, and bounding it keeps first + bin far from overflowing a long.
constexpr std::int64_t kMaxGridIndex = std::int64_t(1) << 40;
constexpr std::size_t kMaxDivergenceBytes = 64 * 1024;
constexpr std::int64_t kMaxStep = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();
// Smallest encodings, for the bytes-left check of their counts.
constexpr std::size_t kMinSnapshotBytes = 8 * 9 + 4 + 1 + 4 + 4;
constexpr std::size_t kMinLayerBytes = 8 * 2 + 4 + 8 * 15 + 1 + 5 * 90;
constexpr std::size_t kMinKeyframeBytes = 100;

// ---- writing -----------------------------------------------------------------------------

void writeHistogram(BinaryWriter& out, const Histogram& h) {
  out.f64(h.lo);
  out.f64(h.hi);
  out.u64(h.nonFinite);
  out.f64(h.origin);
  out.f64(h.width);
  out.i64(h.first);
  out.u64(h.underflow);
  out.u64(h.overflow);
  out.u64(h.zeros);
  out.u8(h.fixedRange ? 1 : 0);
  out.f64(h.robustLo);
  out.f64(h.robustHi);
  out.u32(std::uint32_t(h.counts.size()));
  out.raw(h.counts.data(), h.counts.size() * sizeof(std::uint32_t));
}

void writeMoments(BinaryWriter& out, const Moments& m) {
  out.f64(m.mean);
  out.f64(m.std);
  out.f64(m.min);
  out.f64(m.max);
}

void writeSnapshot(BinaryWriter& out, const StatsSnapshot& s) {
  out.i64(s.step);
  out.i64(s.epoch);
  for (double v : {s.elapsedSeconds, s.learningRate, s.trainLoss, s.probeLoss, s.probeAccuracy,
                   s.validationLoss, s.validationAccuracy})
    out.f64(v);
  out.u8(s.diverged ? 1 : 0);
  out.text(s.divergence);
  out.u32(std::uint32_t(s.layers.size()));
  for (const LayerStats& l : s.layers) {
    out.i64(l.layer);
    out.text(l.kind);
    out.i64(l.units);
    writeMoments(out, l.activation);
    writeMoments(out, l.preActivation);
    for (double v : {l.saturatedFraction, l.deadFraction, l.deadUnitFraction, l.gradientStd,
                     l.weightStd, l.weightGradientStd, l.updateRatio, l.effectiveRank,
                     l.effectiveRankNormalized, l.gradientSnr})
      out.f64(v);
    out.u8(l.finite ? 1 : 0);
    for (const Histogram* h : {&l.activationHistogram, &l.preActivationHistogram,
                               &l.gradientHistogram, &l.weightHistogram,
                               &l.weightGradientHistogram})
      writeHistogram(out, *h);
  }
  const DecisionGrid& d = s.decision;
  out.u32(std::uint32_t(d.resolution));
  if (d.resolution > 0) {
    for (double v : {d.xMin, d.xMax, d.yMin, d.yMax}) out.f64(v);
    out.raw(d.classIndex.data(), d.classIndex.size());
    out.raw(d.confidence.data(), d.confidence.size() * sizeof(float));
  }
}

// A section: its tag, its length (u64), its content.
template <typename Write>
void section(BinaryWriter& out, std::uint32_t sectionTag, Write&& write) {
  out.u32(sectionTag);
  const std::size_t lengthAt = out.size();
  out.u64(0);
  const std::size_t start = out.size();
  write();
  const std::uint64_t length = out.size() - start;
  std::memcpy(&out.bytes()[lengthAt], &length, sizeof length);
}

// gzip (RFC 1952) at zlib's default level: histogram counts are mostly small numbers in u32s,
// and compress several-fold.
std::string gzip(const std::string& bytes) {
  // The reader refuses more (and zlib's counts are 32-bit): say so now, not when it is opened.
  if (bytes.size() > kMaxRunFileBytes)
    throw InputError("run file: " + std::to_string(bytes.size()) + " bytes, more than the " +
                     std::to_string(kMaxRunFileBytes) + " a saved run may hold: keep fewer " +
                     "probes (--stats-every) or keyframes");
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw InputError("run file: cannot compress (out of memory)");
  std::string out(deflateBound(&z, uLong(bytes.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = uInt(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(&out[0]);
  z.avail_out = uInt(out.size());
  const int status = deflate(&z, Z_FINISH);
  const std::size_t written = z.total_out;
  deflateEnd(&z);
  if (status != Z_STREAM_END) throw InputError("run file: cannot compress");
  out.resize(written);
  return out;
}

// ---- reading -----------------------------------------------------------------------------

Moments readMoments(BinaryReader& in, const char* field) {
  Moments m;
  m.mean = in.f64(field);
  m.std = in.f64(field);
  m.min = in.f64(field);
  m.max = in.f64(field);
  return m;
}

Histogram readHistogram(BinaryReader& in, const char* field) {
  Histogram h;
  h.lo = in.f64(field);
  h.hi = in.f64(field);
  h.nonFinite = in.u64(field);
  h.origin = in.f64(field);
  h.width = in.f64(field);
  h.first = long(in.integer(field, -kMaxGridIndex, kMaxGridIndex));
  h.underflow = in.u64(field);
  h.overflow = in.u64(field);
  h.zeros = in.u64(field);
  h.fixedRange = in.flag(field);
  h.robustLo = in.f64(field);
  h.robustHi = in.f64(field);
  if (!std::isfinite(h.origin) || !std::isfinite(h.width) || h.width < 0.0)
    in.fail(field, "not a grid (origin " + std::to_string(h.origin) + ", width " +
                       std::to_string(h.width) + ")");
  const std::size_t bins = in.count(field, "bins", kMaxHistogramBins, sizeof(std::uint32_t));
  h.counts.resize(bins);
  in.raw(field, h.counts.data(), bins * sizeof(std::uint32_t));
  return h;
}

StatsSnapshot readSnapshot(BinaryReader& in, const std::string& where, std::uint32_t version) {
  StatsSnapshot s;
  in.setContext(where);
  s.step = long(in.integer("step", 0, kMaxStep));
  s.epoch = int(in.integer("epoch", 0, kMaxInt));
  s.elapsedSeconds = in.f64("elapsed seconds");
  s.learningRate = in.f64("learning rate");
  s.trainLoss = in.f64("train loss");
  s.probeLoss = in.f64("probe loss");
  s.probeAccuracy = in.f64("probe accuracy");
  s.validationLoss = in.f64("validation loss");
  s.validationAccuracy = in.f64("validation accuracy");
  s.diverged = in.flag("diverged");
  s.divergence = in.text("divergence", kMaxDivergenceBytes);
  const std::size_t layers = in.count("layers", "layers", kMaxLayers, kMinLayerBytes);
  s.layers.resize(layers);
  for (std::size_t i = 0; i < layers; ++i) {
    LayerStats& l = s.layers[i];
    in.setContext(where + ", layer " + std::to_string(i));
    l.layer = int(in.integer("layer number", 0, kMaxInt));
    l.kind = in.text("kind", kMaxKindBytes);
    l.units = int(in.integer("units", 0, kMaxInt));
    l.activation = readMoments(in, "activation moments");
    l.preActivation = readMoments(in, "pre-activation moments");
    l.saturatedFraction = in.f64("saturated fraction");
    l.deadFraction = in.f64("dead fraction");
    l.deadUnitFraction = in.f64("dead unit fraction");
    l.gradientStd = in.f64("gradient std");
    l.weightStd = in.f64("weight std");
    l.weightGradientStd = in.f64("weight gradient std");
    l.updateRatio = in.f64("update ratio");
    if (version >= 2) {
      l.effectiveRank = in.f64("effective rank");
      l.effectiveRankNormalized = in.f64("normalized effective rank");
      l.gradientSnr = in.f64("gradient SNR");
    }  // else: the NaN defaults of LayerStats, not measured
    l.finite = in.flag("finite");
    l.activationHistogram = readHistogram(in, "activation histogram");
    l.preActivationHistogram = readHistogram(in, "pre-activation histogram");
    l.gradientHistogram = readHistogram(in, "gradient histogram");
    l.weightHistogram = readHistogram(in, "weight histogram");
    l.weightGradientHistogram = readHistogram(in, "weight gradient histogram");
  }
  in.setContext(where);
  DecisionGrid& d = s.decision;
  const std::uint32_t resolution = in.u32("decision grid resolution");
  if (resolution > kMaxDecisionResolution)
    in.fail("decision grid", std::to_string(resolution) + " points a side, more than the " +
                                 std::to_string(kMaxDecisionResolution) + " allowed");
  d.resolution = int(resolution);
  if (resolution > 0) {
    d.xMin = in.f64("decision grid range");
    d.xMax = in.f64("decision grid range");
    d.yMin = in.f64("decision grid range");
    d.yMax = in.f64("decision grid range");
    const std::size_t points = std::size_t(resolution) * resolution;
    if (points > in.left() / (1 + sizeof(float)))
      in.fail("decision grid", std::to_string(points) + " points cannot fit in the " +
                                   std::to_string(in.left()) + " bytes left");
    d.classIndex.resize(points);
    d.confidence.resize(points);
    in.raw("decision grid classes", d.classIndex.data(), points);
    in.raw("decision grid confidence", d.confidence.data(), points * sizeof(float));
  }
  return s;
}

SavedRun readContent(const std::string& content, const std::string& source) {
  BinaryReader in(content, source);
  char magic[sizeof kMagic];
  if (content.size() < sizeof kMagic ||
      std::memcmp(content.data(), kMagic, sizeof kMagic) != 0)
    in.fail("", "not a LayerScope saved run (it does not start with the .lsrun signature)");
  in.raw("signature", magic, sizeof magic);
  const std::uint32_t version = in.u32("format version");
  if (version < kOldestVersion || version > kVersion)
    in.fail("format version", "version " + std::to_string(version) +
                                  ", this LayerScope reads versions " +
                                  std::to_string(kOldestVersion) + " to " + std::to_string(kVersion));

  SavedRun run;
  const std::string json = in.text("experiment", kMaxExperimentBytes);
  const std::string experimentSource = source + ": experiment";
  run.config = experimentFromJson(json, experimentSource);
  try {
    validate(run.config);
  } catch (const InputError& e) {
    throw InputError(experimentSource + ": " + e.what());
  }

  std::vector<std::uint32_t> seen;
  while (in.left() > 0) {
    in.setContext("");
    const std::uint32_t sectionTag = in.u32("section tag");
    std::string sectionName = "section ";
    for (int shift = 0; shift < 32; shift += 8) {
      const char c = char(sectionTag >> shift & 0xff);
      sectionName += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
    }
    for (std::uint32_t t : seen)
      if (t == sectionTag) in.fail(sectionName.c_str(), "appears twice");
    seen.push_back(sectionTag);
    const std::uint64_t length = in.u64("section length");
    if (length > in.left())
      in.fail(sectionName.c_str(), std::to_string(length) + " bytes, only " +
                                       std::to_string(in.left()) + " left (the file ends early)");
    const std::size_t end = in.offset() + std::size_t(length);

    if (sectionTag == kSnapshots) {
      const std::size_t n = in.count("snapshots", "snapshots", kMaxSnapshots, kMinSnapshotBytes);
      run.snapshots.reserve(n);
      for (std::size_t i = 0; i < n; ++i)
        run.snapshots.push_back(readSnapshot(in, "snapshot " + std::to_string(i), version));
    } else if (sectionTag == kLosses) {
      const std::size_t n = in.count("losses", "steps", kMaxLosses, 16);
      run.losses.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        run.losses[i].step = long(in.integer("loss step", 0, kMaxStep));
        run.losses[i].loss = in.f64("loss");
      }
    } else if (sectionTag == kPoints) {
      RunPoints& p = run.points;
      p.classes = int(in.integer("points classes", 0, kMaxInt));
      const std::size_t n = in.count("points", "points", kMaxPoints, 12);
      p.x.resize(n);
      p.y.resize(n);
      p.label.resize(n);
      in.raw("points x", p.x.data(), n * sizeof(float));
      in.raw("points y", p.y.data(), n * sizeof(float));
      in.raw("points labels", p.label.data(), n * sizeof(int));
      for (std::size_t i = 0; i < n; ++i)
        if (p.label[i] < 0 || p.label[i] >= p.classes)
          in.fail("points labels", "point " + std::to_string(i) + ": label " +
                                       std::to_string(p.label[i]) + ", outside [0, " +
                                       std::to_string(p.classes) + ")");
    } else if (sectionTag == kKeyframes) {
      const std::size_t n = in.count("keyframes", "keyframes", kMaxKeyframes, kMinKeyframeBytes);
      for (std::size_t i = 0; i < n; ++i) {
        in.setContext("keyframe " + std::to_string(i));
        run.keyframes.push_back(readKeyframe(in));
      }
    } else if (sectionTag == kSummary) {
      RunSummary& r = run.summary;
      r.steps = long(in.integer("summary steps", 0, kMaxStep));
      r.trainSeconds = in.f64("summary train seconds");
      r.statsSeconds = in.f64("summary stats seconds");
      r.stepsPerSecond = in.f64("summary steps per second");
      r.finalLoss = in.f64("summary final loss");
      r.trainAccuracy = in.f64("summary train accuracy");
      r.validationAccuracy = in.f64("summary validation accuracy");
      r.testAccuracy = in.f64("summary test accuracy");
      r.diverged = in.flag("summary diverged");
      r.divergence = in.text("summary divergence", kMaxDivergenceBytes);
      run.hasSummary = true;
    } else {
      in.fail(sectionName.c_str(), "unknown section");
    }
    in.setContext("");
    if (in.offset() != end)
      in.fail(sectionName.c_str(), "its content is " + std::to_string(in.offset() - (end - length)) +
                                       " bytes, its length says " + std::to_string(length));
  }
  return run;
}

}  // namespace

std::string runContent(const SavedRun& run) {
  BinaryWriter out;
  out.raw(kMagic, sizeof kMagic);
  out.u32(kVersion);
  out.text(experimentToJson(run.config));
  section(out, kSnapshots, [&] {
    out.u32(std::uint32_t(run.snapshots.size()));
    for (const StatsSnapshot& s : run.snapshots) writeSnapshot(out, s);
  });
  section(out, kLosses, [&] {
    out.u32(std::uint32_t(run.losses.size()));
    for (const LossPoint& p : run.losses) {
      out.i64(p.step);
      out.f64(p.loss);
    }
  });
  if (!run.points.empty())
    section(out, kPoints, [&] {
      const RunPoints& p = run.points;
      out.i64(p.classes);
      out.u32(std::uint32_t(p.x.size()));
      out.raw(p.x.data(), p.x.size() * sizeof(float));
      out.raw(p.y.data(), p.y.size() * sizeof(float));
      out.raw(p.label.data(), p.label.size() * sizeof(int));
    });
  if (!run.keyframes.empty())
    section(out, kKeyframes, [&] {
      out.u32(std::uint32_t(run.keyframes.size()));
      for (const Keyframe& k : run.keyframes) writeKeyframe(out, k);
    });
  if (run.hasSummary)
    section(out, kSummary, [&] {
      const RunSummary& r = run.summary;
      out.i64(r.steps);
      for (double v : {r.trainSeconds, r.statsSeconds, r.stepsPerSecond, r.finalLoss,
                       r.trainAccuracy, r.validationAccuracy, r.testAccuracy})
        out.f64(v);
      out.u8(r.diverged ? 1 : 0);
      out.text(r.divergence);
    });
  return std::move(out.bytes());
}

void writeRunFile(const std::string& path, const SavedRun& run) {
  writeFileAtomically(path, gzip(runContent(run)));
}

SavedRun runFromContent(const std::string& content, const std::string& source) {
  return readContent(content, source);
}

SavedRun readRunFile(const std::string& path) {
  GzipFileReader reader(path);
  std::string content;
  constexpr std::size_t kBlock = std::size_t(1) << 20;
  for (;;) {
    const std::size_t used = content.size();
    // One byte past the limit tells "exactly the limit" from "more".
    const std::size_t want = std::min(kBlock, kMaxRunFileBytes - used + 1);
    content.resize(used + want);
    const std::size_t got = reader.read(&content[used], want);
    content.resize(used + got);
    if (content.size() > kMaxRunFileBytes)
      throw InputError(path + ": more than " + std::to_string(kMaxRunFileBytes) +
                       " bytes after decompression: too large for a saved run");
    if (got < want) break;
  }
  reader.close();
  return readContent(content, path);
}

}  // namespace layerscope
