#include "data/generators.h"

#include <algorithm>

#include <cmath>
#include <string>
#include <vector>

#include "errors.h"
#include "rng.h"

namespace layerscope {

namespace {

constexpr double kPi = 3.14159265358979323846;

void requireAtLeastOne(int value, const char* field) {
  if (value < 1) {
    throw InputError(std::string(field) + " must be >= 1 (got " + std::to_string(value) + ")");
  }
}

void validate(const std::string& name, const GeneratorParams& params, int features) {
  requireAtLeastOne(params.samples, "samples");
  requireAtLeastOne(params.classes, "classes");
  requireAtLeastOne(params.features, "features");
  if (!std::isfinite(params.noise) || params.noise < 0.0) {
    throw InputError("noise must be a number >= 0 (got " + std::to_string(params.noise) + ")");
  }
  const long long values = static_cast<long long>(params.samples) * features;
  if (values > kMaxDatasetValues) {
    throw InputError("samples x features = " + std::to_string(values) + " exceeds the limit of " +
                     kMaxDatasetValuesText);
  }
  const bool twoClassOnly = name == "circles" || name == "moons" || name == "xor";
  if (params.labels != "teacher" && params.labels != "random")
    throw InputError("labels: unknown kind '" + params.labels + "' (expected teacher|random)");
  if (twoClassOnly && params.classes != 2) {
    throw InputError("classes must be 2 for the '" + name + "' data set (it has exactly two " +
                     "classes by construction); got classes = " + std::to_string(params.classes));
  }
}

// Class c of k gets samples / k samples, the first samples % k classes one more, so class
// sizes differ by at most one. Samples are grouped by class; splitting shuffles them.
std::vector<int> balancedLabels(int samples, int classes) {
  std::vector<int> labels(samples);
  int next = 0;
  for (int c = 0; c < classes; ++c) {
    const int count = samples / classes + (c < samples % classes ? 1 : 0);
    for (int i = 0; i < count; ++i) labels[next++] = c;
  }
  return labels;
}

Dataset emptyDataset(int features, int samples, int classes) {
  Dataset data;
  data.x.resize(features, samples);
  data.y.resize(samples);
  data.classes = classes;
  return data;
}

// The article's probe data: x ~ N(0, 1) in every dimension. The labels come from a teacher
// network drawn from the seed (below), or at random when asked ("random": nothing to learn but
// memorization). Either way x is the same: the labels are drawn after it, from other streams.
Dataset gaussian(const GeneratorParams& p, Rng& rng) {
  Dataset data = emptyDataset(p.features, p.samples, p.classes);
  for (Eigen::Index i = 0; i < data.x.size(); ++i) {
    data.x.data()[i] = static_cast<Scalar>(rng.normal());
  }
  if (p.labels == "random") {
    for (int& label : data.y) label = static_cast<int>(rng.below(p.classes));
    return data;
  }
  // The teacher, a one-layer network drawn from the seed: label = argmax_k (W x)_k with W a
  // (K, D) matrix of N(0, 1) entries, so each class is the cone of inputs that point most along
  // its own random direction. The classes are equally likely, and the labels are a function of
  // x a student can learn, so validation accuracy rises with training accuracy instead of
  // staying at chance. How far it rises is bounded by the sample size: with the article's 1,000
  // samples (800 to train on) in 500 dimensions even the best-tuned linear fit reaches about
  // 0.35 (ridge regression, measured) and the 10 x 500 tanh student about 0.2; the default's
  // 10,000 take it to about 0.44 in 6 epochs (docs/ARCHITECTURE.md, "The default data").
  // W is drawn and applied a block of features at a time: K x D floats would not fit for the
  // largest data sets the limits allow.
  Rng teacher = Rng::derived(p.seed, kStreamTeacher);
  constexpr int kBlock = 4096;
  Matrix logits = Matrix::Zero(p.classes, p.samples);
  for (int first = 0; first < p.features; first += kBlock) {
    const int width = std::min(kBlock, p.features - first);
    Matrix w(p.classes, width);
    for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = static_cast<Scalar>(teacher.normal());
    logits.noalias() += w * data.x.middleRows(first, width);
  }
  for (int i = 0; i < p.samples; ++i) logits.col(i).maxCoeff(&data.y[i]);
  return data;
}

// cs231n's spiral: arm k has radius r = 0..1 and angle t = offset_k + 4 r + noise, with the
// arms' offsets 2 pi k / K apart; the noise is on the angle (std 2 * noise: noise 0.1 gives
// cs231n's 0.2 rad), so arms blur into each other rather than swelling.
Dataset spiral(const GeneratorParams& p, Rng& rng) {
  Dataset data = emptyDataset(2, p.samples, p.classes);
  data.y = balancedLabels(p.samples, p.classes);
  int first = 0;
  while (first < p.samples) {
    const int arm = data.y[first];
    int count = 0;
    while (first + count < p.samples && data.y[first + count] == arm) ++count;
    for (int i = 0; i < count; ++i) {
      const double r = count > 1 ? static_cast<double>(i) / (count - 1) : 0.0;
      const double t = 2.0 * kPi * arm / p.classes + 4.0 * r + 2.0 * p.noise * rng.normal();
      data.x(0, first + i) = static_cast<Scalar>(r * std::sin(t));
      data.x(1, first + i) = static_cast<Scalar>(r * std::cos(t));
    }
    first += count;
  }
  return data;
}

// scikit-learn's make_circles: class 0 on the unit circle, class 1 on a circle of radius 0.5,
// Gaussian position noise of std `noise`. Not linearly separable; a one-hidden-layer net is.
Dataset circles(const GeneratorParams& p, Rng& rng) {
  constexpr double kInnerRadius = 0.5;
  Dataset data = emptyDataset(2, p.samples, 2);
  data.y = balancedLabels(p.samples, 2);
  for (int i = 0; i < p.samples; ++i) {
    const double radius = data.y[i] == 0 ? 1.0 : kInnerRadius;
    const double angle = rng.uniform(0.0, 2.0 * kPi);
    data.x(0, i) = static_cast<Scalar>(radius * std::cos(angle) + p.noise * rng.normal());
    data.x(1, i) = static_cast<Scalar>(radius * std::sin(angle) + p.noise * rng.normal());
  }
  return data;
}

// scikit-learn's make_moons: upper half circle (cos t, sin t) and the lower one
// (1 - cos t, 0.5 - sin t), t in [0, pi], interleaved; Gaussian position noise of std `noise`.
Dataset moons(const GeneratorParams& p, Rng& rng) {
  Dataset data = emptyDataset(2, p.samples, 2);
  data.y = balancedLabels(p.samples, 2);
  for (int i = 0; i < p.samples; ++i) {
    const double t = rng.uniform(0.0, kPi);
    const bool upper = data.y[i] == 0;
    const double x = upper ? std::cos(t) : 1.0 - std::cos(t);
    const double y = upper ? std::sin(t) : 0.5 - std::sin(t);
    data.x(0, i) = static_cast<Scalar>(x + p.noise * rng.normal());
    data.x(1, i) = static_cast<Scalar>(y + p.noise * rng.normal());
  }
  return data;
}

// XOR: uniform in [-1, 1]^2, label 1 when x and y have opposite signs (x * y < 0). Each class
// draws its quadrant at random among its two, so classes stay balanced; `noise` then moves
// points by N(0, noise^2), letting points near the axes cross into the other class.
Dataset xorQuadrants(const GeneratorParams& p, Rng& rng) {
  Dataset data = emptyDataset(2, p.samples, 2);
  data.y = balancedLabels(p.samples, 2);
  for (int i = 0; i < p.samples; ++i) {
    const double sx = rng.below(2) == 0 ? 1.0 : -1.0;
    const double sy = data.y[i] == 0 ? sx : -sx;
    data.x(0, i) = static_cast<Scalar>(sx * rng.uniform() + p.noise * rng.normal());
    data.x(1, i) = static_cast<Scalar>(sy * rng.uniform() + p.noise * rng.normal());
  }
  return data;
}

// Isotropic Gaussian clusters: centers uniform in [-5, 5]^features, std 1 + noise.
Dataset blobs(const GeneratorParams& p, Rng& rng) {
  Dataset data = emptyDataset(p.features, p.samples, p.classes);
  Matrix centers(p.features, p.classes);  // (features, classes)
  for (Eigen::Index i = 0; i < centers.size(); ++i) {
    centers.data()[i] = static_cast<Scalar>(rng.uniform(-5.0, 5.0));
  }
  data.y = balancedLabels(p.samples, p.classes);
  const double std = 1.0 + p.noise;
  for (Eigen::Index i = 0; i < data.x.size(); ++i) {
    data.x.data()[i] = static_cast<Scalar>(std * rng.normal());
  }
  data.x += centers(Eigen::all, data.y);
  return data;
}

}  // namespace

bool isGeneratorName(const std::string& name) {
  return name == "gaussian" || name == "spiral" || name == "circles" || name == "moons" ||
         name == "xor" || name == "blobs";
}

Dataset generateDataset(const std::string& name, const GeneratorParams& params) {
  if (!isGeneratorName(name)) {
    throw InputError("unknown generator '" + name +
                     "' (expected gaussian, spiral, circles, moons, xor or blobs)");
  }
  const bool planar = name != "gaussian" && name != "blobs";
  validate(name, params, planar ? 2 : params.features);
  // Rng (engine/rng.h): Box-Muller on mt19937_64, the same numbers with every standard library;
  // the data stream is independent of the split's shuffle drawn from the same seed.
  Rng rng = Rng::derived(params.seed, kStreamData);
  Dataset data;
  if (name == "gaussian") data = gaussian(params, rng);
  else if (name == "spiral") data = spiral(params, rng);
  else if (name == "circles") data = circles(params, rng);
  else if (name == "moons") data = moons(params, rng);
  else if (name == "xor") data = xorQuadrants(params, rng);
  else data = blobs(params, rng);
  if (planar) data.featureNames = {"x", "y"};
  return data;
}

}  // namespace layerscope
