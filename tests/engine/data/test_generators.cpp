// Synthetic data sets: shapes, label ranges, determinism, and the geometry each one promises.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "data/generators.h"
#include "errors.h"

namespace layerscope {
namespace {

GeneratorParams params(int samples, int features, int classes, double noise, std::uint64_t seed) {
  GeneratorParams p;
  p.samples = samples;
  p.features = features;
  p.classes = classes;
  p.noise = noise;
  p.seed = seed;
  return p;
}

std::vector<int> classCounts(const Dataset& data) {
  std::vector<int> counts(data.classes, 0);
  for (int label : data.y) ++counts.at(label);
  return counts;
}

std::string errorOf(const std::string& name, const GeneratorParams& p) {
  try {
    generateDataset(name, p);
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Generators, ShapesAndLabelRanges) {
  struct Case {
    const char* name;
    int classes;
    int expectedFeatures;
  };
  for (const Case& c : {Case{"gaussian", 7, 13}, Case{"blobs", 4, 13}, Case{"spiral", 3, 2},
                        Case{"circles", 2, 2}, Case{"moons", 2, 2}, Case{"xor", 2, 2}}) {
    SCOPED_TRACE(c.name);
    const Dataset data = generateDataset(c.name, params(101, 13, c.classes, 0.1, 5));
    EXPECT_EQ(data.features(), c.expectedFeatures);
    EXPECT_EQ(data.samples(), 101);
    ASSERT_EQ(data.y.size(), 101u);
    EXPECT_EQ(data.classes, c.classes);
    EXPECT_GE(*std::min_element(data.y.begin(), data.y.end()), 0);
    EXPECT_LT(*std::max_element(data.y.begin(), data.y.end()), c.classes);
    EXPECT_TRUE(data.x.allFinite());
  }
}

TEST(Generators, SameSeedSameDataDifferentSeedDifferentData) {
  for (const char* name : {"gaussian", "blobs", "spiral", "circles", "moons", "xor"}) {
    SCOPED_TRACE(name);
    const int classes = std::string(name) == "gaussian" || std::string(name) == "blobs" ? 5
                        : std::string(name) == "spiral"                                 ? 3
                                                                                        : 2;
    const Dataset a = generateDataset(name, params(200, 6, classes, 0.1, 42));
    const Dataset b = generateDataset(name, params(200, 6, classes, 0.1, 42));
    const Dataset c = generateDataset(name, params(200, 6, classes, 0.1, 43));
    EXPECT_EQ(a.x, b.x);
    EXPECT_EQ(a.y, b.y);
    EXPECT_GT((a.x - c.x).cwiseAbs().maxCoeff(), 1e-3f);
  }
}

// The article's probe data: every entry N(0, 1). With 5e5 draws the sample mean has standard
// error 1/sqrt(5e5) = 0.0014 and the sample std about 0.001.
TEST(Generators, GaussianIsStandardNormal) {
  const Dataset data = generateDataset("gaussian", params(1000, 500, 10, 0.1, 7));
  ASSERT_EQ(data.features(), 500);
  ASSERT_EQ(data.samples(), 1000);
  const double mean = data.x.cast<double>().mean();
  const double std = std::sqrt((data.x.cast<double>().array() - mean).square().mean());
  EXPECT_NEAR(mean, 0.0, 0.007);
  EXPECT_NEAR(std, 1.0, 0.007);
  // Gaussian tails: |x| > 2 for 4.55% of draws.
  const double beyondTwo = (data.x.array().abs() > 2.0f).cast<double>().mean();
  EXPECT_NEAR(beyondTwo, 0.0455, 0.003);
  // Random labels: every class used, none dominating (expected 100 each).
  for (int count : classCounts(data)) {
    EXPECT_GT(count, 60);
    EXPECT_LT(count, 140);
  }
}

TEST(Generators, SpiralClassesBalancedAndInUnitDisk) {
  const Dataset data = generateDataset("spiral", params(301, 2, 3, 0.2, 1));
  EXPECT_EQ(classCounts(data), (std::vector<int>{101, 100, 100}));
  const Eigen::ArrayXf radius = data.x.colwise().norm().transpose().array();
  EXPECT_LE(radius.maxCoeff(), 1.0f + 1e-5f);
  EXPECT_NEAR(radius.maxCoeff(), 1.0f, 1e-5f);  // every arm reaches r = 1
}

TEST(Generators, SpiralArmsAreRotatedCopiesWithoutNoise) {
  // noise 0: arm k at radius r has angle 2 pi k / K + 4 r, so the arms' tips are 2 pi / K apart.
  const Dataset data = generateDataset("spiral", params(40, 2, 4, 0.0, 1));
  const Eigen::Vector2f tip0 = data.x.col(9);   // last sample of arm 0
  const Eigen::Vector2f tip1 = data.x.col(19);  // last sample of arm 1
  EXPECT_NEAR(tip0.dot(tip1), 0.0f, 1e-5f);     // 90 degrees apart for K = 4
}

TEST(Generators, CirclesRadiiWithoutNoise) {
  const Dataset data = generateDataset("circles", params(100, 2, 2, 0.0, 3));
  EXPECT_EQ(classCounts(data), (std::vector<int>{50, 50}));
  for (int i = 0; i < data.samples(); ++i) {
    EXPECT_NEAR(data.x.col(i).norm(), data.y[i] == 0 ? 1.0f : 0.5f, 1e-5f);
  }
}

TEST(Generators, MoonsHalvesWithoutNoise) {
  const Dataset data = generateDataset("moons", params(99, 2, 2, 0.0, 3));
  EXPECT_EQ(classCounts(data), (std::vector<int>{50, 49}));
  for (int i = 0; i < data.samples(); ++i) {
    const Eigen::Vector2f center = data.y[i] == 0 ? Eigen::Vector2f(0, 0) : Eigen::Vector2f(1, 0.5f);
    EXPECT_NEAR((data.x.col(i) - center).norm(), 1.0f, 1e-5f);
    if (data.y[i] == 0) EXPECT_GE(data.x(1, i), -1e-6f);  // upper half circle
    else EXPECT_LE(data.x(1, i), 0.5f + 1e-6f);           // lower half circle
  }
}

TEST(Generators, XorLabelsAreSignOfProductAndBalanced) {
  const Dataset data = generateDataset("xor", params(400, 2, 2, 0.0, 9));
  EXPECT_EQ(classCounts(data), (std::vector<int>{200, 200}));
  EXPECT_LE(data.x.cwiseAbs().maxCoeff(), 1.0f);
  for (int i = 0; i < data.samples(); ++i) {
    EXPECT_EQ(data.y[i], data.x(0, i) * data.x(1, i) < 0 ? 1 : 0) << "sample " << i;
  }
}

TEST(Generators, BlobsClustersHaveStdOnePlusNoise) {
  const double noise = 0.5;
  const Dataset data = generateDataset("blobs", params(3000, 4, 3, noise, 11));
  EXPECT_EQ(classCounts(data), (std::vector<int>{1000, 1000, 1000}));
  for (int c = 0; c < 3; ++c) {
    std::vector<int> members;
    for (int i = 0; i < data.samples(); ++i) if (data.y[i] == c) members.push_back(i);
    const Matrix cluster = data.x(Eigen::all, members).cast<Scalar>();
    const Vector center = cluster.rowwise().mean();
    EXPECT_LE(center.cwiseAbs().maxCoeff(), 5.0f + 0.2f);  // centers drawn in [-5, 5]
    const double std =
        std::sqrt((cluster.colwise() - center).array().square().cast<double>().mean());
    EXPECT_NEAR(std, 1.0 + noise, 0.05);
  }
}

TEST(Generators, RefusesImpossibleParameters) {
  EXPECT_NE(errorOf("gaussian", params(0, 5, 2, 0.1, 1)).find("samples"), std::string::npos);
  EXPECT_NE(errorOf("gaussian", params(10, 0, 2, 0.1, 1)).find("features"), std::string::npos);
  EXPECT_NE(errorOf("spiral", params(10, 2, 0, 0.1, 1)).find("classes"), std::string::npos);
  EXPECT_NE(errorOf("moons", params(10, 2, 2, -1.0, 1)).find("noise"), std::string::npos);
  for (const char* twoClassOnly : {"circles", "moons", "xor"}) {
    const std::string message = errorOf(twoClassOnly, params(10, 2, 3, 0.1, 1));
    EXPECT_NE(message.find("classes must be 2"), std::string::npos) << message;
    EXPECT_NE(message.find(twoClassOnly), std::string::npos) << message;
  }
  EXPECT_NE(errorOf("swirl", params(10, 2, 2, 0.1, 1)).find("'swirl'"), std::string::npos);
  EXPECT_TRUE(isGeneratorName("blobs"));
  EXPECT_FALSE(isGeneratorName("csv:x.csv"));
}

}  // namespace
}  // namespace layerscope
