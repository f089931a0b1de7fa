// layerscope-cli --export-animation: the run's plot over its steps as GIF or MP4, read back with
// independent readers (ffprobe from Debian's ffmpeg, Pillow from python3-pil), and the flags'
// messages, which must come before the run (exit 2, nothing trained, nothing written).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_harness.h"

namespace {

namespace fs = std::filesystem;

using layerscope::testing::CliResult;

class CliAnimation : public layerscope::testing::CliHarness {
 protected:
  CliAnimation()
      : CliHarness("layerscope-cli-animation", "env -u DISPLAY -u WAYLAND_DISPLAY ") {}
};

// The spiral, 2 hidden layers of 16, 300 steps, a probe every 10.
const char* const kSpiral =
    "train --dataset spiral --samples 300 --classes 3 --depth 2 --width 16 --activation relu "
    "--init he_normal --optimizer adam --lr 0.01 --steps 300 --stats-every 10 --seed 3 --quiet";

bool have(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

TEST_F(CliAnimation, Mp4OfTheDashboard) {
  if (!have("ffprobe -version")) GTEST_SKIP() << "ffprobe not installed (ffmpeg)";
  const std::string file = path("run.mp4");
  const CliResult r = run(std::string(kSpiral) + " --export-animation " + file +
                          " --plot-size 640x360 --fps 10 --duration 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string out = path("probe.txt");
  ASSERT_EQ(std::system(("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                         "stream=codec_name,width,height,pix_fmt,nb_read_frames -of csv=p=0 " +
                         file + " >" + out)
                            .c_str()),
            0);
  EXPECT_EQ(read(out), "h264,640,360,yuv420p,20\n");
  // Nothing but the video in the folder: the temporary sibling was renamed.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) entries += e.path().extension() == ".part";
  EXPECT_EQ(entries, 0);
}

TEST_F(CliAnimation, GifOfOnePlotOverAStepRange) {
  if (!have("/usr/bin/python3 -c 'import PIL'")) GTEST_SKIP() << "Pillow not installed (python3-pil)";
  const std::string file = path("loss.gif");
  const CliResult r = run(std::string(kSpiral) + " --export-animation " + file +
                          " --plot loss --plot-size 400x300 --fps 5 --steps-per-frame 50 "
                          "--animation-steps 100:300");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string out = path("pil.txt");
  // Targets 100, 150, ..., 300: five frames of 1/5 s, looping forever.
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"import sys; from PIL import Image; im = Image.open(sys.argv[1]); "
                         "print(im.n_frames, im.size, im.info.get('duration'), im.info.get('loop'))\" " +
                         file + " >" + out)
                            .c_str()),
            0);
  EXPECT_EQ(read(out), "5 (400, 300) 200 0\n");
}

TEST_F(CliAnimation, BadFlagsFailBeforeTheRun) {
  const std::string file = path("a.mp4");
  const std::string base = std::string(kSpiral) + " --export-animation " + file + " ";
  const struct {
    std::string args, message;
  } cases[] = {
      {"--fps x", "--fps: 'x' is not an integer"},
      {"--fps 0", "--fps: 0 is out of range [1, 60]"},
      {"--fps 61", "--fps: 61 is out of range [1, 60]"},
      {"--duration 0", "--duration: 0 must be more than 0 (seconds)"},
      {"--duration -1", "--duration: -1 is out of range [0, 3600]"},
      {"--duration 1000 --fps 60", "--duration: 60 fps x 1000 s is 60000 frames (at most 10000)"},
      {"--plot-size 60x60", "--plot-size: 60x60 is out of range for --export-animation (100 to "
                            "3840 pixels a side)"},
      {"--animation-steps 5:2", "--animation-steps: '5:2' is an empty range (FROM is after TO)"},
      {"--animation-steps 5", "--animation-steps: '5' is not FROM:TO"},
      {"--duration 2 --steps-per-frame 10",
       "--steps-per-frame: give --duration or --steps-per-frame, not both"},
      {"--plot nonsense", "--plot: unknown plot 'nonsense'"},
      {"--plot loss,gradients", "--plot: --export-animation draws one plot (2 given)"},
  };
  for (const auto& c : cases) {
    const CliResult r = run(base + c.args);
    EXPECT_EQ(r.status, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.args;
  }
  const CliResult avi = run(std::string(kSpiral) + " --export-animation " + path("a.avi"));
  EXPECT_EQ(avi.status, 2);
  EXPECT_NE(avi.err.find("--export-animation: " + path("a.avi") +
                         ": unknown animation type (use .gif or .mp4)"),
            std::string::npos)
      << avi.err;
  const CliResult gif = run(std::string(kSpiral) + " --export-animation " + path("a.gif") +
                            " --fps 55");
  EXPECT_EQ(gif.status, 2);
  EXPECT_NE(gif.err.find("--fps: 55 is out of range [1, 50] for a GIF"), std::string::npos)
      << gif.err;
  const CliResult alone = run(std::string(kSpiral) + " --fps 10");
  EXPECT_EQ(alone.status, 2);
  EXPECT_NE(alone.err.find("--fps: needs --export-animation FILE.gif|FILE.mp4"), std::string::npos)
      << alone.err;
  const CliResult noFolder =
      run(std::string(kSpiral) + " --export-animation " + path("missing/dir/a.gif"));
  EXPECT_EQ(noFolder.status, 2);
  EXPECT_NE(noFolder.err.find("--export-animation: "), std::string::npos) << noFolder.err;
  EXPECT_FALSE(fs::exists(file));
}

TEST_F(CliAnimation, ARangeWithoutRecordedStepsWritesNothing) {
  const std::string file = path("late.gif");
  const CliResult r =
      run(std::string(kSpiral) + " --export-animation " + file + " --animation-steps 900:1000");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--animation-steps: no recorded step from 900 to 1000 (the run recorded "
                       "steps 0 to 300)"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(fs::is_empty(dir_) || !fs::exists(file));
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_NE(e.path().extension(), ".part") << e.path();
}

}  // namespace
