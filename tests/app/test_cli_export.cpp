// layerscope-cli --export-plot (the desktop app's plots rendered without a display) and
// experiments that carry trained weights.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace {

namespace fs = std::filesystem;

using layerscope::testing::CliResult;

// Without a display: no DISPLAY, no WAYLAND_DISPLAY, whatever QT_QPA_PLATFORM says.
class CliExport : public layerscope::testing::CliHarness {
 protected:
  CliExport()
      : CliHarness("layerscope-cli-export", "env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb ") {}
};

const char* const kSmallRun =
    "train --dataset moons --samples 300 --depth 3 --width 16 --activation tanh --steps 40 "
    "--stats-every 10 --batch-size 32 --seed 7 --quiet";

std::uint32_t bigEndian(const std::string& s, size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

std::string inflate(const std::string& compressed) {
  std::string out(1 << 20, '\0');
  uLongf size = out.size();
  if (uncompress(reinterpret_cast<Bytef*>(&out[0]), &size,
                 reinterpret_cast<const Bytef*>(compressed.data()), compressed.size()) != Z_OK)
    return {};
  out.resize(size);
  return out;
}

// The text chunks of a PNG (tEXt, zTXt, iTXt without compression), keyword -> text.
std::map<std::string, std::string> pngText(const std::string& png) {
  std::map<std::string, std::string> text;
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const std::uint32_t length = bigEndian(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (at + 12 + length > png.size()) break;
    const std::string data = png.substr(at + 8, length);
    const size_t nul = data.find('\0');
    if (nul != std::string::npos) {
      const std::string key = data.substr(0, nul);
      if (type == "tEXt") text[key] = data.substr(nul + 1);
      if (type == "zTXt") text[key] = inflate(data.substr(nul + 2));
      if (type == "iTXt") {
        const bool compressed = data[nul + 1] != 0;
        size_t p = data.find('\0', nul + 3);      // language tag
        p = data.find('\0', p + 1);               // translated keyword
        const std::string body = data.substr(p + 1);
        text[key] = compressed ? inflate(body) : body;
      }
    }
    at += 12 + length;
  }
  return text;
}

std::string xmlUnescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&quot;", "\""}, {"&#34;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}, {"&lt;", "<"},
      {"&gt;", ">"}, {"&#10;", "\n"}, {"&#xa;", "\n"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities)
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + 1))
      s.replace(p, std::string(from).size(), to);
  return s;
}

// Rows of a numeric CSV as maps column -> text (a stand-in for pandas.read_csv).
std::vector<std::map<std::string, std::string>> readCsv(const std::string& text) {
  std::vector<std::map<std::string, std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> header;
  const auto split = [](const std::string& l) {
    std::vector<std::string> f;
    std::stringstream s(l);
    for (std::string x; std::getline(s, x, ',');) f.push_back(x);
    if (!l.empty() && l.back() == ',') f.push_back("");
    return f;
  };
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto fields = split(line);
    if (header.empty()) {
      header = fields;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

TEST_F(CliExport, HelpNamesThePlotFlags) {
  const CliResult r = run("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* s : {"--export-plot", "--plot ", "depth_profile", "decision_regions",
                        "dashboard", "--plot-size", "--plot-dpi", "--save-experiment-with-weights"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

TEST_F(CliExport, RendersEveryPlotHeadlessWithTheExperimentEmbedded) {
  const CliResult r = run(std::string(kSmallRun) +
                          " --export-plot " + path("dash.png") + " --plot dashboard"
                          " --export-plot " + path("loss.svg") + " --plot loss"
                          " --export-plot " + path("hist.pdf") + " --plot histograms"
                          " --export-plot " + path("regions.png") + "," + path("std.svg") +
                          " --plot decision_regions,std_over_time"
                          " --export-plot " + path("depth.png") + " --plot depth_profile"
                          " --export-plot " + path("grad.pdf") + " --plot gradients"
                          " --plot-size 700x500 --plot-dpi 144");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");

  for (const char* name : {"dash.png", "regions.png", "depth.png"}) {
    const std::string png = read(path(name));
    ASSERT_GT(png.size(), 1000u) << name;
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << name;
    // IHDR: 700 x 500 at 144 dpi is 1050 x 750 pixels.
    EXPECT_EQ(bigEndian(png, 16), 1050u) << name;
    EXPECT_EQ(bigEndian(png, 20), 750u) << name;
    const auto text = pngText(png);
    ASSERT_TRUE(text.count("layerscope.experiment")) << name;
    const std::string& json = text.at("layerscope.experiment");
    EXPECT_NE(json.find("\"format\": \"layerscope-experiment\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"dataset\": \"moons\""), std::string::npos);
    EXPECT_NE(json.find("\"seed\": 7"), std::string::npos);
  }

  for (const char* name : {"loss.svg", "std.svg"}) {
    const std::string svg = read(path(name));
    // Well-formed XML (Python's parser from the standard library).
    const std::string check = "/usr/bin/python3 -c \"import sys, xml.etree.ElementTree as E; "
                              "E.parse(sys.argv[1])\" " + path(name);
    EXPECT_EQ(std::system(check.c_str()), 0) << name;
    const size_t open = svg.find("<desc>"), close = svg.find("</desc>");
    ASSERT_NE(open, std::string::npos) << name;
    ASSERT_NE(close, std::string::npos) << name;
    const std::string desc = xmlUnescape(svg.substr(open + 6, close - open - 6));
    EXPECT_NE(desc.find("\"format\": \"layerscope-experiment\""), std::string::npos) << desc;
    EXPECT_NE(desc.find("\"depth\": 3"), std::string::npos) << desc;
    EXPECT_NE(svg.find("<title>"), std::string::npos);
  }

  for (const char* name : {"hist.pdf", "grad.pdf"}) {
    const std::string pdf = read(path(name));
    EXPECT_EQ(pdf.substr(0, 5), "%PDF-") << name;
    EXPECT_NE(pdf.find("<layerscope:experiment>"), std::string::npos) << name;
    EXPECT_NE(pdf.find("%%EOF"), std::string::npos) << name;
  }
}

TEST_F(CliExport, OneFileForSeveralPlotsWritesOnePerPlot) {
  const CliResult r = run(std::string(kSmallRun) + " --export-plot " + path("p.svg") +
                          " --plot depth_profile,gradients");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(path("p-depth_profile.svg")));
  EXPECT_TRUE(fs::exists(path("p-gradients.svg")));
  EXPECT_FALSE(fs::exists(path("p.svg")));
}

// The Over time plots render from the run's snapshots like the others: the two heatmaps as
// images under their headings, the percentile bands as vector paths.
TEST_F(CliExport, RendersTheOverTimePlots) {
  const CliResult r = run(std::string(kSmallRun) + " --export-plot " + path("t.svg") +
                          " --plot layer_heatmap,histogram_over_time,percentiles");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string heatmap = read(path("t-layer_heatmap.svg"));
  EXPECT_NE(heatmap.find("<image"), std::string::npos);
  EXPECT_NE(heatmap.find("by layer and step"), std::string::npos);
  const std::string histogram = read(path("t-histogram_over_time.svg"));
  EXPECT_NE(histogram.find("<image"), std::string::npos);
  EXPECT_NE(histogram.find("Layer 3"), std::string::npos);  // the last hidden layer
  const std::string bands = read(path("t-percentiles.svg"));
  EXPECT_NE(bands.find("<path"), std::string::npos);
  EXPECT_NE(bands.find("percentiles"), std::string::npos);
  for (const char* name : {"t-layer_heatmap.svg", "t-histogram_over_time.svg", "t-percentiles.svg"}) {
    const std::string check = "/usr/bin/python3 -c \"import sys, xml.etree.ElementTree as E; "
                              "E.parse(sys.argv[1])\" " + path(name);
    EXPECT_EQ(std::system(check.c_str()), 0) << name;
  }
}

// --heatmap-statistic picks what the layer heatmap colours; the heading names it.
TEST_F(CliExport, TheHeatmapStatisticIsChosenByName) {
  CliResult r = run(std::string(kSmallRun) + " --export-plot " + path("rank.svg") +
                    " --plot layer_heatmap --heatmap-statistic effective_rank");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(read(path("rank.svg")).find("effective rank"), std::string::npos);
  r = run(std::string(kSmallRun) + " --export-plot " + path("snr.svg") +
          " --plot layer_heatmap --heatmap-statistic gradient_snr");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(read(path("snr.svg")).find("gradient SNR"), std::string::npos);
  r = run(std::string(kSmallRun) + " --export-plot " + path("x.svg") +
          " --plot layer_heatmap --heatmap-statistic rank");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--heatmap-statistic: unknown statistic 'rank'"), std::string::npos) << r.err;
}

TEST_F(CliExport, OnePlotForSeveralFilesWritesItToEach) {
  const CliResult r = run(std::string(kSmallRun) + " --export-plot " + path("d.png") + "," +
                          path("d.svg") + "," + path("d.pdf") + " --plot dashboard");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* name : {"d.png", "d.svg", "d.pdf"}) {
    EXPECT_TRUE(fs::exists(path(name))) << name;
    EXPECT_GT(fs::file_size(path(name)), 1000u) << name;
  }
}

TEST_F(CliExport, AnImpossibleRequestWritesNoFileAtAll) {
  // Every output is checked before the first is written: decision regions of 500-D data must
  // not leave the experiment, statistics and model files of the other flags behind.
  const CliResult r = run(
      "train --samples 100 --depth 2 --width 8 --steps 3 --quiet --save-experiment " +
      path("e.json") + " --stats-csv " + path("s.csv") + " --summary-json " + path("s.json") +
      " --export-model " + path("m.onnx") + " --export-plot " + path("l.png") + "," +
      path("r.png") + " --plot loss,decision_regions");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("decision_regions: only for 2-D data (this data set has 500 features)"),
            std::string::npos) << r.err;
  for (const char* name : {"e.json", "s.csv", "s.json", "m.onnx", "l.png", "r.png"})
    EXPECT_FALSE(fs::exists(path(name))) << name;
}

TEST_F(CliExport, BadPlotRequestsFailBeforeTrainingWithOneLine) {
  CliResult r = run(std::string(kSmallRun) + " --export-plot " + path("x.png") + " --plot lossy");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--plot: unknown plot 'lossy'"), std::string::npos) << r.err;
  r = run(std::string(kSmallRun) + " --export-plot " + path("x.bmp"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown image type"), std::string::npos) << r.err;
  r = run(std::string(kSmallRun) + " --export-plot " + path("a.png") + "," + path("b.png") +
          " --plot loss,depth_profile,gradients");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("3 plot names for 2"), std::string::npos) << r.err;
  r = run(std::string(kSmallRun) + " --plot loss");
  EXPECT_EQ(r.status, 2);
  r = run(std::string(kSmallRun) + " --export-plot " + path("x.png") + " --plot-size 12");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--plot-size"), std::string::npos) << r.err;
  // A folder that cannot be written; decision regions of 16-D data.
  r = run(std::string(kSmallRun) + " --export-plot /nonexistent-dir/x.png");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/nonexistent-dir/x.png"), std::string::npos) << r.err;
  r = run("train --dataset blobs --features 16 --classes 3 --samples 200 --depth 2 --width 8 "
          "--steps 5 --quiet --export-plot " + path("r.png") + " --plot decision_regions");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("only for 2-D data"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("r.png")));
  // /dev/full: the device stays a device, the error says why.
  r = run(std::string(kSmallRun) + " --export-plot /dev/full --plot loss");
  EXPECT_EQ(r.status, 2);  // no image suffix
}

TEST_F(CliExport, ExperimentWithWeightsContinuesFromThem) {
  const CliResult a = run(std::string(kSmallRun) + " --stats-csv " + path("a.csv") +
                          " --save-experiment-with-weights " + path("run.json"));
  ASSERT_EQ(a.status, 0) << a.err;
  const std::string json = read(path("run.json"));
  EXPECT_NE(json.find("\"weights\": \"run.onnx\""), std::string::npos) << json;
  ASSERT_TRUE(fs::exists(path("run.onnx")));

  // Step 0 from the saved weights is the trained network's last probe (step 40), every layer.
  const CliResult b = run("train --config " + path("run.json") + " --steps 0 --quiet --stats-csv " +
                          path("b.csv"));
  ASSERT_EQ(b.status, 0) << b.err;
  const auto rowsA = readCsv(read(path("a.csv")));
  const auto rowsB = readCsv(read(path("b.csv")));
  std::map<std::string, std::map<std::string, std::string>> lastA;
  for (const auto& row : rowsA)
    if (row.at("step") == "40") lastA[row.at("layer")] = row;
  ASSERT_EQ(lastA.size(), 5u);  // input, 3 hidden, output
  ASSERT_EQ(rowsB.size(), 5u);
  for (const auto& row : rowsB) {
    EXPECT_EQ(row.at("step"), "0");
    const auto& trained = lastA.at(row.at("layer"));
    for (const char* column : {"mean", "std"})
      EXPECT_NEAR(std::stod(row.at(column)), std::stod(trained.at(column)),
                  1e-5 * (1 + std::abs(std::stod(trained.at(column)))))
          << "layer " << row.at("layer") << " " << column;
  }
  // Continue training from them, the folder moved elsewhere: the weights path is relative.
  fs::create_directories(dir_ / "moved");
  fs::rename(path("run.json"), path("moved/run.json"));
  fs::rename(path("run.onnx"), path("moved/run.onnx"));
  const CliResult c = run("train --config " + path("moved/run.json") + " --steps 20");
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_NE(c.out.find("starting from the trained weights"), std::string::npos) << c.out;
  // A missing weights file: exit 2 naming it.
  fs::remove(path("moved/run.onnx"));
  const CliResult d = run("train --config " + path("moved/run.json") + " --steps 1");
  EXPECT_EQ(d.status, 2);
  EXPECT_NE(d.err.find("run.onnx"), std::string::npos) << d.err;
}
