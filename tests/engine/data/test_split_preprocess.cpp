// Splitting (sizes, disjointness, determinism), loading any data source, and preprocessing
// fitted on the training split only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "config.h"
#include "data/generators.h"
#include "data/preprocess.h"
#include "data/source.h"
#include "data/split.h"
#include "errors.h"

namespace layerscope {
namespace {

// Sample i is the column (i, -i) with label i % 3: a split's columns say which samples it got.
Dataset numberedSamples(int samples) {
  Dataset data;
  data.x.resize(2, samples);
  data.y.resize(samples);
  for (int i = 0; i < samples; ++i) {
    data.x(0, i) = static_cast<Scalar>(i);
    data.x(1, i) = static_cast<Scalar>(-i);
    data.y[i] = i % 3;
  }
  data.classes = 3;
  data.classNames = {"a", "b", "c"};
  data.featureNames = {"up", "down"};
  return data;
}

std::vector<int> sampleIds(const Dataset& split) {
  std::vector<int> ids;
  for (int i = 0; i < split.samples(); ++i) {
    ids.push_back(static_cast<int>(split.x(0, i)));
    EXPECT_EQ(split.x(1, i), -split.x(0, i));
    EXPECT_EQ(split.y[i], ids.back() % 3);  // labels travel with their samples
  }
  return ids;
}

std::string errorOf(double validation, double test) {
  try {
    splitDataset(numberedSamples(10), validation, test, 1);
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(SplitDataset, SizesAreFloorOfFractions) {
  const DataSplits splits = splitDataset(numberedSamples(103), 0.2, 0.15, 4);
  EXPECT_EQ(splits.validation.samples(), 20);  // floor(103 * 0.2)
  EXPECT_EQ(splits.test.samples(), 15);        // floor(103 * 0.15)
  EXPECT_EQ(splits.train.samples(), 68);       // the rest
  // 100 * 0.29 = 28.999999999999996 in binary; the user asked for 29.
  EXPECT_EQ(splitDataset(numberedSamples(100), 0.29, 0.0, 1).validation.samples(), 29);
  const DataSplits none = splitDataset(numberedSamples(5), 0.0, 0.0, 1);
  EXPECT_EQ(none.train.samples(), 5);
  EXPECT_EQ(none.validation.samples(), 0);
  EXPECT_EQ(none.test.samples(), 0);
}

TEST(SplitDataset, SplitsAreDisjointAndCoverEverySample) {
  const DataSplits splits = splitDataset(numberedSamples(200), 0.25, 0.1, 8);
  std::vector<int> all;
  for (const Dataset* split : {&splits.train, &splits.validation, &splits.test}) {
    const std::vector<int> ids = sampleIds(*split);
    all.insert(all.end(), ids.begin(), ids.end());
    EXPECT_EQ(split->classes, 3);
    EXPECT_EQ(split->classNames, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(split->featureNames, (std::vector<std::string>{"up", "down"}));
  }
  std::sort(all.begin(), all.end());
  std::vector<int> expected(200);
  for (int i = 0; i < 200; ++i) expected[i] = i;
  EXPECT_EQ(all, expected);
}

TEST(SplitDataset, ShuffleIsDeterministicPerSeed) {
  const DataSplits a = splitDataset(numberedSamples(100), 0.3, 0.0, 21);
  const DataSplits b = splitDataset(numberedSamples(100), 0.3, 0.0, 21);
  const DataSplits c = splitDataset(numberedSamples(100), 0.3, 0.0, 22);
  EXPECT_EQ(sampleIds(a.train), sampleIds(b.train));
  EXPECT_EQ(sampleIds(a.validation), sampleIds(b.validation));
  EXPECT_NE(sampleIds(a.validation), sampleIds(c.validation));
  // Shuffled: the validation set is not simply the last 30 samples.
  std::vector<int> tail(30);
  for (int i = 0; i < 30; ++i) tail[i] = 70 + i;
  std::vector<int> validation = sampleIds(a.validation);
  std::sort(validation.begin(), validation.end());
  EXPECT_NE(validation, tail);
}

TEST(SplitDataset, SelectSamplesKeepsOrder) {
  const Dataset subset = selectSamples(numberedSamples(10), {7, 2, 7});
  EXPECT_EQ(sampleIds(subset), (std::vector<int>{7, 2, 7}));
  EXPECT_EQ(subset.classNames.size(), 3u);
}

TEST(SplitDataset, RefusesBadFractionsNamingTheFlag) {
  EXPECT_NE(errorOf(-0.1, 0.0).find("validation-fraction"), std::string::npos);
  EXPECT_NE(errorOf(1.0, 0.0).find("validation-fraction"), std::string::npos);
  EXPECT_NE(errorOf(0.0, 1.5).find("test-fraction"), std::string::npos);
  EXPECT_NE(errorOf(std::nan(""), 0.0).find("validation-fraction"), std::string::npos);
  const std::string sum = errorOf(0.6, 0.4);
  EXPECT_NE(sum.find("validation-fraction + test-fraction"), std::string::npos) << sum;
  EXPECT_EQ(errorOf(0.5, 0.49), "(no error)");
}

TEST(SplitLoadData, GeneratorSourceIsGeneratedAndSplit) {
  DataConfig config;
  config.source = "spiral";
  config.samples = 300;
  config.classes = 3;
  config.validationFraction = 0.2;
  config.testFraction = 0.1;
  const DataSplits splits = loadData(config, 5);
  EXPECT_EQ(splits.train.samples(), 210);
  EXPECT_EQ(splits.validation.samples(), 60);
  EXPECT_EQ(splits.test.samples(), 30);
  EXPECT_EQ(splits.train.features(), 2);
  EXPECT_EQ(splits.train.classes, 3);
  const DataSplits again = loadData(config, 5);
  EXPECT_EQ(splits.train.x, again.train.x);
  EXPECT_NE(splits.train.x, loadData(config, 6).train.x);
}

TEST(SplitLoadData, CsvSource) {
  DataConfig config;
  config.source = std::string("csv:") + LAYERSCOPE_TEST_DATA_DIR + "/csv/iris_names.csv";
  config.validationFraction = 0.2;
  config.testFraction = 0.0;
  const DataSplits splits = loadData(config, 1);
  EXPECT_EQ(splits.train.samples(), 4);
  EXPECT_EQ(splits.validation.samples(), 1);
  EXPECT_EQ(splits.train.classNames.size(), 3u);
  config.labelColumn = "nonexistent";
  EXPECT_THROW(loadData(config, 1), InputError);  // the label column reaches the CSV loader
}

TEST(SplitLoadData, UnknownSourceListsTheChoices) {
  DataConfig config;
  config.source = "mnist";
  try {
    loadData(config, 1);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(),
                 "unknown data set 'mnist' (expected gaussian, spiral, circles, moons, xor, "
                 "blobs, csv:PATH or idx:DIR)");
  }
  config.source = "idx:/nonexistent/layerscope/folder";
  EXPECT_THROW(loadData(config, 1), InputError);
}

TEST(Preprocessor, StandardizeGivesZeroMeanUnitStdOnTrain) {
  GeneratorParams params;
  params.samples = 500;
  params.features = 6;
  params.classes = 3;
  params.noise = 2.0;
  Dataset data = generateDataset("blobs", params);
  data.x.row(2) = data.x.row(2) * 1000.0f + Eigen::RowVectorXf::Constant(500, 5e4f);  // far off
  Preprocessor standardize("standardize");
  standardize.fit(data.x);
  standardize.apply(data.x);
  const Vector mean = data.x.rowwise().mean();
  const Vector std = (data.x.colwise() - mean).array().square().rowwise().mean().sqrt();
  for (int f = 0; f < 6; ++f) {
    EXPECT_NEAR(mean(f), 0.0f, 1e-4f) << "feature " << f;
    EXPECT_NEAR(std(f), 1.0f, 1e-4f) << "feature " << f;
  }
}

TEST(Preprocessor, PopulationStdAndHandComputedValues) {
  Matrix x(2, 4);  // (features, samples)
  x << 1, 2, 3, 4,
       10, 10, 10, 10;  // constant feature
  Preprocessor standardize("standardize");
  standardize.fit(x);
  EXPECT_FLOAT_EQ(standardize.mean()(0), 2.5f);
  EXPECT_FLOAT_EQ(standardize.mean()(1), 10.0f);
  // Population std of 1..4: sqrt(((1.5^2 + 0.5^2) * 2) / 4) = sqrt(1.25); not the n-1 version.
  EXPECT_FLOAT_EQ(standardize.scale()(0), 1.0f / std::sqrt(1.25f));
  EXPECT_FLOAT_EQ(standardize.scale()(1), 1.0f);  // std 0: centered only
  standardize.apply(x);
  EXPECT_TRUE(x.allFinite());
  EXPECT_FLOAT_EQ(x(0, 0), -1.5f / std::sqrt(1.25f));
  EXPECT_EQ(x.row(1), Eigen::RowVectorXf::Zero(4));
}

TEST(Preprocessor, CenterAndNone) {
  Matrix x(2, 3);
  x << 1, 2, 6,
       -3, 0, 3;
  Matrix centered = x;
  Preprocessor center("center");
  center.fit(centered);
  center.apply(centered);
  Matrix expected(2, 3);
  expected << -2, -1, 3,
              -3, 0, 3;
  EXPECT_TRUE(centered.isApprox(expected));
  EXPECT_EQ(center.scale(), Vector::Ones(2));

  Matrix untouched = x;
  Preprocessor none("none");
  none.fit(untouched);
  none.apply(untouched);
  EXPECT_EQ(untouched, x);
  EXPECT_EQ(none.mean(), Vector::Zero(2));

  EXPECT_THROW(Preprocessor("whiten"), InputError);
}

TEST(Preprocessor, OtherSplitsUseTrainingStatistics) {
  DataSplits splits;
  splits.train.x.resize(1, 4);
  splits.train.x << 0, 2, 4, 6;        // mean 3, population std sqrt(5)
  splits.validation.x.resize(1, 2);
  splits.validation.x << 3, 13;        // its own mean would be 8
  splits.test.x.resize(1, 1);
  splits.test.x << 3 + 2 * std::sqrt(5.0f);
  Preprocessor standardize("standardize");
  standardize.fit(splits.train.x);
  standardize.applyTo(splits);
  EXPECT_NEAR(splits.train.x.mean(), 0.0f, 1e-6f);
  EXPECT_NEAR(splits.validation.x(0, 0), 0.0f, 1e-6f);
  EXPECT_NEAR(splits.validation.x(0, 1), 10.0f / std::sqrt(5.0f), 1e-5f);
  EXPECT_NEAR(splits.test.x(0, 0), 2.0f, 1e-5f);
}

TEST(Preprocessor, EmptySplitsAndMismatchedFeatures) {
  DataSplits splits;
  splits.train.x = Matrix::Random(3, 10);
  Preprocessor standardize("standardize");
  standardize.fit(splits.train.x);
  EXPECT_NO_THROW(standardize.applyTo(splits));  // validation and test are empty
  Matrix wrongWidth = Matrix::Zero(4, 2);
  EXPECT_THROW(standardize.apply(wrongWidth), InputError);

  Preprocessor restored("standardize");
  restored.setFitted(standardize.mean(), standardize.scale());
  Matrix a = Matrix::Random(3, 5), b = a;
  standardize.apply(a);
  restored.apply(b);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace layerscope
