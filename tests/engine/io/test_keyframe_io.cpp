// Keyframes as bytes (io/keyframe_io.h): a real keyframe reads back equal and still continues
// its run bit for bit; bytes cut short or of another format are an InputError naming the source.
#include <gtest/gtest.h>

#include <cstring>

#include "io/keyframe_io.h"
#include "test_helpers.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

ExperimentConfig small() {
  ExperimentConfig c;
  c.data.source = "blobs";
  c.data.samples = 120;
  c.data.features = 4;
  c.data.classes = 3;
  c.model.depth = 2;
  c.model.width = 10;
  c.model.dropout = 0.3;
  c.model.batchNorm = true;
  c.train.optimizer = "adam";
  c.train.batchSize = 16;
  c.train.steps = 30;
  c.stats.every = 7;
  return c;
}

Keyframe keyframeAt(Trainer& t, long step) {
  while (t.stepsDone() < step) {
    t.trainStep();
    if (t.probeDue()) t.probe();
  }
  return t.keyframe();
}

TEST(KeyframeIo, AKeyframeReadsBackAndContinuesItsRun) {
  Trainer a(small());
  const Keyframe k = keyframeAt(a, 11);
  const std::string bytes = keyframeToBytes(k);
  const Keyframe back = keyframeFromBytes(bytes, "k.bin");
  EXPECT_EQ(keyframeToBytes(back), bytes);  // every field, in the format's order
  EXPECT_EQ(back.step, 11);
  EXPECT_EQ(back.optimizer.kind, "adam");
  EXPECT_EQ(back.optimizer.steps, 11);
  EXPECT_EQ(back.dropoutRngs.size(), 2u);
  EXPECT_EQ(back.runningMeans.size(), 2u);
  EXPECT_FALSE(back.histogramGrids.layers.empty());

  Trainer b(small());
  b.restore(back);
  keyframeAt(a, 30);
  keyframeAt(b, 30);
  const Vector& pa = a.network().parameters();
  const Vector& pb = b.network().parameters();
  ASSERT_EQ(pa.size(), pb.size());
  EXPECT_EQ(std::memcmp(pa.data(), pb.data(), size_t(pa.size()) * sizeof(Scalar)), 0);
}

TEST(KeyframeIo, CutOrForeignBytesAreAnErrorNamingTheSource) {
  Trainer a(small());
  const std::string bytes = keyframeToBytes(keyframeAt(a, 5));
  for (size_t n = 0; n < bytes.size(); n += 1 + n / 8) {
    const std::string message =
        testing::errorOf([&] { keyframeFromBytes(bytes.substr(0, n), "k.bin"); });
    EXPECT_EQ(message.rfind("k.bin: ", 0), 0u) << "cut at " << n << ": '" << message << "'";
  }
  std::string other = bytes;
  other[0] = 'X';
  EXPECT_EQ(testing::errorOf([&] { keyframeFromBytes(other, "k.bin"); }),
            "k.bin: format: not a LayerScope keyframe");
  EXPECT_NE(testing::errorOf([&] { keyframeFromBytes(bytes + "x", "k.bin"); }).find("after the keyframe"),
            std::string::npos);
}

TEST(KeyframeIo, RandomStatesRoundTripExactly) {
  Rng rng = Rng::derived(42, 7);
  rng.normal();  // leaves a spare
  Rng copy(0);
  ASSERT_TRUE(copy.setState(rng.state()));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(rng.normal(), copy.normal());
  EXPECT_EQ(rng.next(), copy.next());
  EXPECT_FALSE(copy.setState("1 2 3"));
  EXPECT_FALSE(copy.setState(rng.state() + " trailing"));
}

}  // namespace
}  // namespace layerscope
