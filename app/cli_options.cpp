#include "cli_options.h"

#include "cli_values.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>

#include "errors.h"
#include "io/experiment_file.h"
#include "lab/plot_names.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

void parsePlotSize(CliOptions& o, const std::string& flag, const std::string& text) {
  const size_t x = text.find_first_of("xX");
  if (x == std::string::npos) throw InputError(flag + ": '" + text + "' is not WIDTHxHEIGHT (e.g. 1200x800)");
  o.plotWidth = static_cast<int>(parseInteger(flag, text.substr(0, x), 50, 20000));
  o.plotHeight = static_cast<int>(parseInteger(flag, text.substr(x + 1), 50, 20000));
}

// FROM:TO, FROM: (to the end) or :TO (from step 0).
void parseAnimationSteps(CliOptions& o, const std::string& flag, const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos)
    throw InputError(flag + ": '" + text + "' is not FROM:TO (e.g. 0:2000, or 500: to the end)");
  const std::string from = text.substr(0, colon), to = text.substr(colon + 1);
  constexpr long kMaxStep = 1000000000000L;
  o.animationFrom = from.empty() ? 0 : parseInteger(flag, from, 0, kMaxStep);
  o.animationTo = to.empty() ? -1 : parseInteger(flag, to, 0, kMaxStep);
  if (o.animationTo >= 0 && o.animationTo < o.animationFrom)
    throw InputError(flag + ": '" + text + "' is an empty range (FROM is after TO)");
}

using Setter = std::function<void(CliOptions&, const std::string& flag, const std::string& value)>;
struct Flag {
  bool takesValue;
  Setter set;
};

// The options that are not experiment settings: files to read and write, plots, output.
const std::map<std::string, Flag>& outputFlags() {
  static const std::map<std::string, Flag> table = {
      {"--config", {true, [](CliOptions& o, auto&, auto& v) { o.configPath = v; }}},
      {"--stats-csv", {true, [](CliOptions& o, auto&, auto& v) { o.statsCsv = v; }}},
      {"--loss-csv", {true, [](CliOptions& o, auto&, auto& v) { o.lossCsv = v; }}},
      {"--stats-json", {true, [](CliOptions& o, auto&, auto& v) { o.statsJson = v; }}},
      {"--histograms-csv", {true, [](CliOptions& o, auto&, auto& v) { o.histogramsCsv = v; }}},
      {"--summary-json", {true, [](CliOptions& o, auto&, auto& v) { o.summaryJson = v; }}},
      {"--export-model", {true, [](CliOptions& o, auto&, auto& v) { o.exportModel = v; }}},
      {"--save-experiment", {true, [](CliOptions& o, auto&, auto& v) { o.saveExperiment = v; }}},
      {"--save-experiment-with-weights", {true, [](CliOptions& o, auto&, auto& v) { o.saveWithWeights = v; }}},
      {"--export-plot", {true, [](CliOptions& o, auto&, auto& v) { for (auto& f : splitList(v)) o.exportPlotFiles.push_back(f); }}},
      {"--plot", {true, [](CliOptions& o, auto&, auto& v) { for (auto& n : splitList(v)) o.plotNames.push_back(n); }}},
      {"--plot-size", {true, [](CliOptions& o, auto& f, auto& v) { parsePlotSize(o, f, v); }}},
      {"--plot-dpi", {true, [](CliOptions& o, auto& f, auto& v) { o.plotDpi = parseInteger(f, v, 24, 1200); }}},
      {"--heatmap-statistic", {true, [](CliOptions& o, auto& f, auto& v) {
         const auto& names = heatmapStatisticsAccepted();
         if (std::find(names.begin(), names.end(), v) == names.end()) {
           std::string list;
           for (const std::string& n : names) list += (list.empty() ? "" : "|") + n;
           throw InputError(f + ": unknown statistic '" + v + "' (" + list + ")");
         }
         o.heatmapStatistic = v;
       }}},
      {"--export-animation", {true, [](CliOptions& o, auto&, auto& v) { o.exportAnimation = v; }}},
      {"--fps", {true, [](CliOptions& o, auto& f, auto& v) { o.animationFps = static_cast<int>(parseInteger(f, v, 1, 60)); }}},
      {"--duration", {true, [](CliOptions& o, auto& f, auto& v) { o.animationSeconds = parseNumber(f, v, 0, 3600); }}},
      {"--steps-per-frame", {true, [](CliOptions& o, auto& f, auto& v) { o.animationStepsPerFrame = parseInteger(f, v, 1, 1000000000000L); }}},
      {"--animation-steps", {true, [](CliOptions& o, auto& f, auto& v) { parseAnimationSteps(o, f, v); }}},
      {"--save-run", {true, [](CliOptions& o, auto&, auto& v) { o.saveRun = v; }}},
      {"--keyframe-every", {true, [](CliOptions& o, auto& f, auto& v) { o.keyframeEvery = parseInteger(f, v, 0, 1000000000000L); }}},
      {"--jacobian-every", {true, [](CliOptions& o, auto& f, auto& v) { o.jacobianEvery = parseInteger(f, v, 1, 1000000000000L); }}},
      {"--jacobian-csv", {true, [](CliOptions& o, auto&, auto& v) { o.jacobianCsv = v; }}},
      {"--continue", {false, [](CliOptions& o, auto&, auto&) { o.continueRun = true; }}},
      {"--quiet", {false, [](CliOptions& o, auto&, auto&) { o.quiet = true; }}},
      // Sharpness (analysis/sharpness.h, app/cli_sharpness.h).
      {"--sharpness-every", {true, [](CliOptions& o, auto& f, auto& v) { o.sharpnessEvery = parseInteger(f, v, 1, 1000000000000L); }}},
      {"--sharpness-csv", {true, [](CliOptions& o, auto&, auto& v) { o.sharpnessCsv = v; }}},
      {"--sharpness-iterations", {true, [](CliOptions& o, auto& f, auto& v) { o.sharpnessIterations = static_cast<int>(parseInteger(f, v, 1, 100000)); }}},
  };
  return table;
}

// Every experiment setting of the schema (settings/schema.h) as a flag named after its file
// key, plus --no-NAME for the true/false ones and the schema's aliases.
const std::map<std::string, Flag>& flags() {
  static const std::map<std::string, Flag> table = [] {
    std::map<std::string, Flag> t = outputFlags();
    for (const Setting& s : settingsSchema()) {
      const Setting* setting = &s;
      const bool isFlag = s.type == SettingType::Flag;
      const Setter set = [setting, isFlag](CliOptions& o, const std::string& flag,
                                           const std::string& value) {
        const bool negated = flag.rfind("--no-", 0) == 0;
        const SettingValue v = isFlag ? SettingValue(!negated)
                                      : parseSettingValue(*setting, value, flag);
        setting->set(o.config, v);
        if (setting->alsoSets) setting->alsoSets(o.config);
      };
      t[s.flag()] = {!isFlag, set};
      for (const std::string& alias : s.aliases) t[alias] = {!isFlag, set};
      if (isFlag) t["--no-" + s.flag().substr(2)] = {false, set};
    }
    return t;
  }();
  return table;
}

// Wraps `text` into lines of at most `width` characters, breaking at spaces and, inside a long
// list of names, after a '|'. A '\n' in the text starts a new line.
std::vector<std::string> wrapText(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(" \n", start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    for (;;) {  // a word longer than a line breaks after a '|'
      const size_t room = width - (line.empty() ? 0 : line.size() + 1);
      if (word.size() <= room) break;
      const size_t bar = word.rfind('|', room - 1);
      if (bar == std::string::npos || bar == 0) break;
      line += (line.empty() ? "" : " ") + word.substr(0, bar + 1);
      lines.push_back(line);
      line.clear();
      word = word.substr(bar + 1);
    }
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() || word.empty() ? "" : " ") + word;
    if (end < text.size() && text[end] == '\n') {
      lines.push_back(line);
      line.clear();
    }
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// "  --batch-size B           samples per step [1, 100000000] (default 128)": the schema's
// rows as --help lists them, by section, wrapped to 96 columns.
std::string settingsUsage() {
  constexpr size_t kColumn = 27, kWidth = 96;
  const ExperimentConfig defaults;
  std::string out;
  for (const auto& [section, title] : settingSections()) {
    out += title + "\n";
    if (section.empty())
      out += "  --config FILE            start from an experiment file (JSON, as --save-experiment writes)\n";
    for (const Setting& s : settingsSchema()) {
      if (s.section != section) continue;
      std::string head = "  " + s.flag() + (s.valueName.empty() ? "" : " " + s.valueName);
      if (s.type == SettingType::Flag) head += ", --no-" + s.flag().substr(2);
      const SettingValue value = s.get(defaults);
      std::string byDefault = settingValueText(s, value);
      if (!s.specialName.empty() && value == SettingValue(s.specialValue)) byDefault = s.specialName;
      std::string help = s.help;
      if (s.type == SettingType::Choice) help = settingLimitsText(s) + ": " + help;
      // '\x01' is a space that does not break: "[0, 1)" and "(default 0.2)" stay whole.
      if (s.type == SettingType::Integer || s.type == SettingType::Number) {
        std::string limits = settingLimitsText(s);
        limits.replace(limits.find(", "), 2, ",\x01");
        help += " " + limits;
      }
      if (!(s.type == SettingType::IntegerList || (s.type == SettingType::Text && byDefault.empty())))
        help += " (default\x01" + byDefault + ")";
      for (const std::string& alias : s.aliases) help += "; also " + alias;
      std::vector<std::string> lines = wrapText(help, kWidth - kColumn);
      for (std::string& line : lines)
        for (char& c : line)
          if (c == '\x01') c = ' ';
      if (head.size() + 1 > kColumn) {
        out += head + "\n";
        head.clear();
      }
      head.resize(kColumn, ' ');
      for (size_t i = 0; i < lines.size(); ++i)
        out += (i == 0 ? head : std::string(kColumn, ' ')) + lines[i] + "\n";
    }
  }
  return out;
}

// --export-animation and its flags, checked before the run (the frames are drawn after it).
void checkAnimationOptions(const CliOptions& o,
                           const std::vector<std::pair<std::string, std::string>>& pairs) {
  bool durationGiven = false, stepsPerFrameGiven = false;
  for (const auto& [flag, value] : pairs) {
    const bool animationFlag = flag == "--fps" || flag == "--duration" ||
                               flag == "--steps-per-frame" || flag == "--animation-steps";
    if (animationFlag && o.exportAnimation.empty())
      throw InputError(flag + ": needs --export-animation FILE.gif|FILE.mp4");
    durationGiven = durationGiven || flag == "--duration";
    stepsPerFrameGiven = stepsPerFrameGiven || flag == "--steps-per-frame";
  }
  if (o.exportAnimation.empty()) return;
  const std::string& file = o.exportAnimation;
  const size_t dot = file.find_last_of('.'), slash = file.find_last_of('/');
  std::string ext = dot == std::string::npos || (slash != std::string::npos && dot < slash)
                        ? std::string() : file.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".gif" && ext != ".mp4")
    throw InputError("--export-animation: " + (file.empty() ? std::string("(empty)") : file) +
                     ": unknown animation type (use .gif or .mp4)");
  if (o.exportPlotFiles.empty() && o.plotNames.size() > 1)
    throw InputError("--plot: --export-animation draws one plot (" +
                     std::to_string(o.plotNames.size()) + " given)");
  if (ext == ".gif" && o.animationFps > 50)
    throw InputError("--fps: " + std::to_string(o.animationFps) +
                     " is out of range [1, 50] for a GIF (its frame delays are whole hundredths "
                     "of a second; browsers slow shorter ones down)");
  if (durationGiven && stepsPerFrameGiven)
    throw InputError("--steps-per-frame: give --duration or --steps-per-frame, not both");
  if (!stepsPerFrameGiven) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", o.animationSeconds);
    if (o.animationSeconds <= 0)
      throw InputError(std::string("--duration: ") + seconds + " must be more than 0 (seconds)");
    const double frames = std::round(o.animationFps * o.animationSeconds);
    if (frames > 10000)
      throw InputError("--duration: " + std::to_string(o.animationFps) + " fps x " + seconds +
                       " s is " + std::to_string(static_cast<long>(frames)) +
                       " frames (at most 10000)");
  }
  const auto side = [](int v) { return v == 0 || (v >= 100 && v <= 3840); };
  if (!side(o.plotWidth) || !side(o.plotHeight))
    throw InputError("--plot-size: " + std::to_string(o.plotWidth) + "x" +
                     std::to_string(o.plotHeight) +
                     " is out of range for --export-animation (100 to 3840 pixels a side)");
}

}  // namespace

std::string cliUsage() {
  return std::string(R"(Usage: layerscope-cli train [FLAGS]
       layerscope-cli open FILE.lsrun [--stats-csv F] [--histograms-csv F] [--loss-csv F]
                            [--stats-json F] [--summary-json F] [--export-plot F --plot NAME]
                            [--continue --steps M [--save-run F.lsrun] [--keyframe-every N]]
       layerscope-cli lesson ID|FILE [--export-plot FILE --plot NAME ...] [--quiet]
       layerscope-cli phase --activation NAME [--dropout P] [--sigma-w2 LO:HI:N]
                            [--sigma-b2 LO:HI:N] [--depth L] [--csv FILE] [--export-plot FILE]
       layerscope-cli sweep ... (a two-setting sweep here or on a scheduler: sweep --help)
       layerscope-cli --help | --version

Trains a network headless and reports every layer's statistics. Flags mirror the experiment
file's keys and override --config FILE wherever they stand.

)" + settingsUsage() + R"(Output
  --stats-csv FILE         one row per probe and layer: step,epoch,layer,kind,units,mean,std,...
  --loss-csv FILE          step,loss: the training batch loss of every step (complete,
                           not decimated; the probes' train loss is its mean since the last)
  --histograms-csv FILE    one row per probe, layer, quantity and bin
  --stats-json FILE        every probe with histograms, and the experiment
  --summary-json FILE      steps, train_seconds, steps_per_second, final_loss, accuracies, diverged
  --save-run FILE.lsrun    the whole run, to reopen without retraining (layerscope-cli open, the
                           app): the experiment, every probe's statistics and histograms, every
                           step's loss, the 2-D training points, keyframes (docs/RUN_FILE.md)
  --keyframe-every N       with --save-run: a keyframe (the complete training state, to continue
                           or branch the run exactly) every N steps and at the end; 0: none;
                           without the flag: only the final state's
  --jacobian-csv FILE      step,sample,index,singular_value: the singular values of the
                           input-output Jacobian (network input -> last hidden layer, evaluation
                           mode) on the first 16 probe samples, at step 0, every
                           --jacobian-every K steps and the last step; index 0 is the largest
                           (dynamical isometry, docs/THEORY.md; 10 x 500: ~0.15 s a sample)
  --jacobian-every K       how often --jacobian-csv is written (default: step 0 and the last)
  --export-model FILE      the trained network as ONNX (raw inputs -> class probabilities)
  --save-experiment FILE   the experiment file, to reopen or share
  --save-experiment-with-weights FILE.json
                           after the run: FILE.onnx (the trained weights) and FILE.json naming
                           it ("weights"); --config FILE.json then continues from those weights
Plots (rendered headless with the desktop app's plot classes; no display needed)
  --export-plot FILE       FILE.png, FILE.svg or FILE.pdf, after the run, from its statistics;
                           the experiment is embedded (PNG text chunk, SVG <desc>, PDF XMP)
  --plot NAME              what FILE shows: depth_profile|histograms|std_over_time|gradients|
                           loss|decision_regions|layer_heatmap|histogram_over_time|percentiles|
                           dashboard (default dashboard). The last three: activation std of
                           every layer over steps, and the last hidden layer's histogram and
                           percentile bands over steps. Repeat the pair,
                           or give comma lists: --export-plot a.png,b.svg --plot loss,histograms;
                           one file with several names writes FILE-NAME.EXT for each
  --heatmap-statistic NAME what layer_heatmap colours: activation_std (default)|
                           saturated_fraction|dead_fraction|update_ratio|gradient_std|
                           effective_rank (normalized)|gradient_snr
  --plot-size WxH          size in pixels at 96 dpi (default 1400x1000 dashboard, 800x560 plots)
  --plot-dpi N             PNG resolution: pixels = size x N / 96 (default 96)
  --export-animation FILE  FILE.gif or FILE.mp4 (H.264): the --plot (default dashboard) as the
                           run went, each frame the run as it was at its step ("step S / LAST"
                           above the plot); --plot-size is the frame (default 1280x720 dashboard,
                           800x560 plots)
  --fps N                  frames per second, 1 to 60 (GIF: up to 50; default 10)
  --duration S             seconds: fps x S frames spread evenly over the steps (default 10)
  --steps-per-frame N      instead of --duration: one frame every N steps
  --animation-steps FROM:TO
                           only these steps (default all; FROM: to the end); each frame shows
                           the nearest recorded step at or below its own
  --quiet                  no progress lines

Sharpness (the edge of stability, docs/THEORY.md)
  --sharpness-every K      the sharpness, the largest eigenvalue of the Hessian of the training
                           loss (cross-entropy + L2 + L1, dropout off), by power iteration on
                           Hessian-vector products, at step 0, every K steps and the last step;
                           on the whole training set for full-batch training (batch size >=
                           training samples), else on the probe batch
  --sharpness-csv FILE     step,sharpness,threshold,iterations,seconds,preconditioned_sharpness,
                           preconditioned_threshold; threshold: 2/lr (sgd), (2+2 momentum)/lr
                           (momentum), (2+2 momentum)/((1+2 momentum) lr) (nesterov), empty for
                           adam, whose edge is of P^-1 H: the last two columns, adam only, from
                           step 1 (lambda_max(P^-1 H), (2+2 beta1)/((1-beta1) lr))
  --sharpness-iterations N at most N Hessian-vector products per estimate (default 100; it stops
                           earlier at a relative change of 1e-3)

Saved runs
  open FILE.lsrun          replays a run saved with --save-run, without retraining: prints its
                           probes and final table as train did, and writes --stats-csv,
                           --histograms-csv, --loss-csv, --stats-json, --summary-json and
                           --export-plot from the saved statistics (the same bytes train wrote)
  open FILE.lsrun --continue --steps M
                           trains M more steps from the run's last keyframe (its data is loaded
                           again from the experiment), exactly as the run would have gone on;
                           the files then hold the whole run, --save-run writes it

Lessons
  lesson ID|FILE           runs a lesson's runs headless (a built-in id such as small_random,
                           one from ~/.local/share/layerscope/lessons, or a lesson file; format:
                           docs/LESSONS.md), prints each run's findings and each check with its
                           measured value and verdict. --export-plot FILE --plot NAME draws
                           the lesson's figure: its last run, the earlier runs pinned over it.
                           Exit status 0: every check holds; 1: a check fails; 2: a bad lesson

Phase diagram
  phase --activation NAME  q_star, chi1, xi_q, xi_c of the mean-field signal propagation over a
                           grid of sigma_w2 = fan_in x Var(W) and sigma_b2 = Var(b), the
                           critical line chi1 = 1, random networks measured beside the theory
                           (docs/THEORY.md); all its flags: layerscope-cli phase --help

Exit status: 0 on success (also when the run diverged: see the summary), 2 for a usage or input
error, with one line on stderr naming the flag, file or line at fault; 130 when Ctrl-C stopped
the run (no output file is written after it). On a terminal, loading, building and the final
evaluation show a progress line on stderr once they take over a second.
)");
}

std::string asFlagMessage(const std::string& message) {
  const size_t colon = message.find(':');
  if (colon == std::string::npos || message.rfind("--", 0) == 0) return message;
  const std::string field = message.substr(0, colon);
  if (flags().count("--" + field)) return "--" + message;
  return message;
}

CliOptions parseCliOptions(const std::vector<std::string>& args) {
  CliOptions options;
  if (args.empty()) throw InputError("missing command: try 'layerscope-cli --help'");
  size_t first = 0;
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    options.command = "help";
    return options;
  }
  if (args[0] == "--version") {
    options.command = "version";
    return options;
  }
  if (args[0] == "train") {
    options.command = "train";
    first = 1;
  } else if (args[0] == "lesson") {
    // layerscope-cli lesson ID|FILE [--export-plot FILE --plot NAME ...] [--quiet]: the lesson's
    // runs are its own, so only the output flags apply.
    options.command = "lesson";
    first = 1;
    if (first < args.size() && (args[first] == "--help" || args[first] == "-h")) {
      options.command = "help";
      return options;
    }
    if (first >= args.size() || args[first].rfind("--", 0) == 0)
      throw InputError("lesson: missing the lesson's id or file (e.g. layerscope-cli lesson "
                       "small_random)");
    options.lesson = args[first++];
    static const std::vector<std::string> allowed = {"--export-plot", "--plot", "--plot-size",
                                                     "--plot-dpi", "--heatmap-statistic",
                                                     "--quiet"};
    for (size_t i = first; i < args.size(); ++i) {
      const std::string flag = args[i].substr(0, args[i].find('='));
      if (std::find(allowed.begin(), allowed.end(), flag) == allowed.end())
        throw InputError(flag.rfind("-", 0) == 0
                             ? "lesson: " + flag + " does not apply to a lesson (it takes "
                               "--export-plot, --plot, --plot-size, --plot-dpi, "
                               "--heatmap-statistic, --quiet)"
                             : "lesson: unexpected argument '" + flag + "' (one lesson at a time)");
      if (flags().at(flag).takesValue && args[i].find('=') == std::string::npos) ++i;
    }
  } else if (args[0] == "open") {
    // layerscope-cli open FILE.lsrun [outputs]: the run is the file's, so only the flags that
    // write what it holds apply (app/cli_open.h).
    options.command = "open";
    first = 1;
    if (first < args.size() && (args[first] == "--help" || args[first] == "-h")) {
      options.command = "help";
      return options;
    }
    if (first >= args.size() || args[first].rfind("--", 0) == 0)
      throw InputError("open: missing the saved run's file (e.g. layerscope-cli open run.lsrun)");
    options.runFile = args[first++];
    static const std::vector<std::string> allowed = {
        "--stats-csv", "--histograms-csv", "--loss-csv", "--stats-json", "--summary-json",
        "--export-plot", "--plot", "--plot-size", "--plot-dpi", "--heatmap-statistic", "--quiet",
        "--continue", "--steps", "--save-run", "--keyframe-every"};
    for (size_t i = first; i < args.size(); ++i) {
      const std::string flag = args[i].substr(0, args[i].find('='));
      if (std::find(allowed.begin(), allowed.end(), flag) == allowed.end())
        throw InputError(flag.rfind("-", 0) == 0
                             ? "open: " + flag + " does not apply to a saved run (it takes "
                               "--stats-csv, --histograms-csv, --loss-csv, --stats-json, "
                               "--summary-json, --export-plot, --plot, --plot-size, --plot-dpi, "
                               "--heatmap-statistic, --quiet, and --continue --steps M [--save-run F "
                               "--keyframe-every N])"
                             : "open: unexpected argument '" + flag + "' (one run at a time)");
      if (flags().at(flag).takesValue && args[i].find('=') == std::string::npos) ++i;
    }
  } else if (args[0] == "phase") {
    // layerscope-cli phase --activation NAME ...: no experiment, its own flags
    // (app/cli_phase.h parses them).
    options.command = "phase";
    options.phaseArgs.assign(args.begin() + 1, args.end());
    return options;
  } else if (args[0].rfind("--", 0) == 0) {
    options.command = "train";  // "train" may be left out
  } else {
    throw InputError("unknown command '" + args[0] + "' (expected train, open, lesson, phase or sweep; try --help)");
  }

  // Split into (flag, value) pairs first, so --config applies before every other flag.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = first; i < args.size(); ++i) {
    std::string flag = args[i], value;
    if (flag == "--help" || flag == "-h") {
      options.command = "help";
      return options;
    }
    const size_t eq = flag.find('=');
    const bool inlineValue = flag.rfind("--", 0) == 0 && eq != std::string::npos;
    if (inlineValue) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    const auto it = flags().find(flag);
    if (it == flags().end())
      throw InputError(flag.rfind("-", 0) == 0 ? "unknown flag " + flag + " (see --help)"
                                               : "unexpected argument '" + flag + "' (see --help)");
    if (it->second.takesValue && !inlineValue) {
      if (i + 1 >= args.size()) throw InputError(flag + ": missing value");
      value = args[++i];
    } else if (!it->second.takesValue && inlineValue) {
      throw InputError(flag + ": takes no value");
    }
    pairs.emplace_back(flag, value);
  }
  for (const auto& [flag, value] : pairs)
    if (flag == "--config") {
      options.configPath = value;
      ExperimentDocument document = readExperimentDocument(value);
      options.config = document.config;
      options.weightsPath = document.weightsPath;
    }
  bool classesGiven = false;
  for (const auto& [flag, value] : pairs) {
    if (flag != "--config") flags().at(flag).set(options, flag, value);
    classesGiven = classesGiven || flag == "--classes";
  }
  // circles, moons and xor are two-class problems: don't make the user say so.
  const std::string& source = options.config.data.source;
  if (!classesGiven && options.configPath.empty() &&
      (source == "circles" || source == "moons" || source == "xor"))
    options.config.data.classes = 2;
  plotExportRequests(options);  // a bad --plot fails now, not after the run
  checkAnimationOptions(options, pairs);
  return options;
}

std::string animationPlotName(const CliOptions& options) {
  return options.plotNames.empty() ? "dashboard" : options.plotNames.front();
}

const std::vector<std::string>& plotNamesAccepted() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all = overviewPlotNames();  // lab/plot_names.h, as lessons name them
    for (const std::string& n : overTimePlotNames()) all.push_back(n);
    all.push_back("dashboard");
    return all;
  }();
  return names;
}

const std::vector<std::string>& heatmapStatisticsAccepted() { return heatmapStatisticNames(); }

std::vector<PlotExportRequest> plotExportRequests(const CliOptions& options) {
  const auto& files = options.exportPlotFiles;
  const auto& names = options.plotNames;
  if (files.empty() && !names.empty() && options.exportAnimation.empty())
    throw InputError("--plot: needs --export-plot FILE or --export-animation FILE");
  for (const std::string& name : names) {
    bool known = false;
    for (const std::string& n : plotNamesAccepted()) known = known || n == name;
    if (!known) {
      std::string list;
      for (const std::string& n : plotNamesAccepted()) list += (list.empty() ? "" : "|") + n;
      throw InputError("--plot: unknown plot '" + name + "' (expected " + list + ")");
    }
  }
  std::vector<PlotExportRequest> requests;
  const auto extension = [](const std::string& path) {
    const size_t dot = path.find_last_of('.');
    const size_t slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::string();
    std::string ext = path.substr(dot);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
  };
  for (const std::string& file : files) {
    const std::string ext = extension(file);
    if (ext != ".png" && ext != ".svg" && ext != ".pdf")
      throw InputError("--export-plot: " + (file.empty() ? std::string("(empty)") : file) +
                       ": unknown image type (use .png, .svg or .pdf)");
  }
  if (files.empty()) {
    // --plot names what --export-animation draws.
  } else if (names.empty()) {
    for (const std::string& file : files) requests.push_back({"dashboard", file});
  } else if (files.size() == names.size()) {
    for (size_t i = 0; i < files.size(); ++i) requests.push_back({names[i], files[i]});
  } else if (files.size() == 1) {
    const std::string& file = files.front();
    const std::string ext = file.substr(file.size() - 4);
    for (const std::string& name : names)
      requests.push_back({name, file.substr(0, file.size() - 4) + "-" + name + ext});
  } else if (names.size() == 1) {
    // One plot, several files: the same figure as PNG for a slide and SVG/PDF for print.
    for (const std::string& file : files) requests.push_back({names.front(), file});
  } else {
    throw InputError("--plot: " + std::to_string(names.size()) + " plot names for " +
                     std::to_string(files.size()) +
                     " --export-plot files (give one file per plot, one file for all, or one "
                     "plot for all files)");
  }
  return requests;
}

}  // namespace layerscope
