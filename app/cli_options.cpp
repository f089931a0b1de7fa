#include "cli_options.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

#include "errors.h"
#include "experiment_file.h"

namespace layerscope {
namespace {

long parseInteger(const std::string& flag, const std::string& text, long lo, long hi) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    throw InputError(flag + ": '" + text + "' is not an integer");
  if (v < lo || v > hi)
    throw InputError(flag + ": " + text + " is out of range [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "]");
  return static_cast<long>(v);
}

double parseNumber(const std::string& flag, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    throw InputError(flag + ": '" + text + "' is not a finite number");
  return v;
}

std::uint64_t parseSeed(const std::string& flag, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || *end != '\0' || errno == ERANGE)
    throw InputError(flag + ": '" + text + "' is not a non-negative integer");
  return v;
}

std::vector<int> parseWidths(const std::string& flag, const std::string& text) {
  std::vector<int> widths;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    widths.push_back(static_cast<int>(parseInteger(flag, item, 1, 1 << 20)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return widths;
}

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

using Setter = std::function<void(CliOptions&, const std::string& flag, const std::string& value)>;
struct Flag {
  bool takesValue;
  Setter set;
};

const std::map<std::string, Flag>& flags() {
  static const std::map<std::string, Flag> table = {
      {"--config", {true, [](CliOptions& o, auto&, auto& v) { o.configPath = v; }}},
      {"--name", {true, [](CliOptions& o, auto&, auto& v) { o.config.name = v; }}},
      {"--dataset", {true, [](CliOptions& o, auto&, auto& v) { o.config.data.source = v; }}},
      {"--samples", {true, [](CliOptions& o, auto& f, auto& v) { o.config.data.samples = parseInteger(f, v, 1, 100000000); }}},
      {"--features", {true, [](CliOptions& o, auto& f, auto& v) { o.config.data.features = parseInteger(f, v, 1, 10000000); }}},
      {"--classes", {true, [](CliOptions& o, auto& f, auto& v) { o.config.data.classes = parseInteger(f, v, 1, 255); }}},
      {"--noise", {true, [](CliOptions& o, auto& f, auto& v) { o.config.data.noise = parseNumber(f, v); }}},
      {"--label-column", {true, [](CliOptions& o, auto&, auto& v) { o.config.data.labelColumn = v; }}},
      {"--validation-fraction", {true, [](CliOptions& o, auto& f, auto& v) { o.config.data.validationFraction = parseNumber(f, v); }}},
      {"--test-fraction", {true, [](CliOptions& o, auto& f, auto& v) { o.config.data.testFraction = parseNumber(f, v); }}},
      {"--preprocess", {true, [](CliOptions& o, auto&, auto& v) { o.config.data.preprocess = v; }}},
      {"--depth", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.depth = parseInteger(f, v, 0, 1000); o.config.model.widths.clear(); }}},
      {"--width", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.width = parseInteger(f, v, 1, 1 << 20); o.config.model.widths.clear(); }}},
      {"--widths", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.widths = parseWidths(f, v); }}},
      {"--activation", {true, [](CliOptions& o, auto&, auto& v) { o.config.model.activation = v; }}},
      {"--init", {true, [](CliOptions& o, auto&, auto& v) { o.config.model.init = v; }}},
      {"--init-std", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.initStd = parseNumber(f, v); }}},
      {"--init-bound", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.initBound = parseNumber(f, v); }}},
      {"--init-constant", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.initConstant = parseNumber(f, v); }}},
      {"--batch-norm", {false, [](CliOptions& o, auto&, auto&) { o.config.model.batchNorm = true; }}},
      {"--no-batch-norm", {false, [](CliOptions& o, auto&, auto&) { o.config.model.batchNorm = false; }}},
      {"--dropout", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.dropout = parseNumber(f, v); }}},
      {"--leaky-slope", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.leakySlope = parseNumber(f, v); }}},
      {"--elu-alpha", {true, [](CliOptions& o, auto& f, auto& v) { o.config.model.eluAlpha = parseNumber(f, v); }}},
      {"--l2", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.l2 = parseNumber(f, v); }}},
      {"--l1", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.l1 = parseNumber(f, v); }}},
      {"--optimizer", {true, [](CliOptions& o, auto&, auto& v) { o.config.train.optimizer = v; }}},
      {"--lr", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.learningRate = parseNumber(f, v); }}},
      {"--momentum", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.momentum = parseNumber(f, v); }}},
      {"--batch-size", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.batchSize = parseInteger(f, v, 1, 100000000); }}},
      {"--epochs", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.epochs = parseInteger(f, v, 0, 1000000); o.config.train.steps = -1; }}},
      {"--steps", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.steps = parseInteger(f, v, 0, 1000000000000L); }}},
      {"--seed", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.seed = parseSeed(f, v); }}},
      {"--threads", {true, [](CliOptions& o, auto& f, auto& v) { o.config.train.threads = parseInteger(f, v, 1, 256); }}},
      {"--stats-every", {true, [](CliOptions& o, auto& f, auto& v) { o.config.stats.every = v == "auto" ? -1 : parseInteger(f, v, 0, 1000000000000L); }}},
      {"--probe-size", {true, [](CliOptions& o, auto& f, auto& v) { o.config.stats.probeSize = parseInteger(f, v, 1, 1000000); }}},
      {"--histogram-bins", {true, [](CliOptions& o, auto& f, auto& v) { o.config.stats.histogramBins = parseInteger(f, v, 1, 10000); }}},
      {"--probe-train-mode", {false, [](CliOptions& o, auto&, auto&) { o.config.stats.probeTrainingMode = true; }}},
      {"--stats-csv", {true, [](CliOptions& o, auto&, auto& v) { o.statsCsv = v; }}},
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
      {"--quiet", {false, [](CliOptions& o, auto&, auto&) { o.quiet = true; }}},
  };
  return table;
}

}  // namespace

std::string cliUsage() {
  return R"(Usage: layerscope-cli train [FLAGS]
       layerscope-cli --help | --version

Trains a network headless and reports every layer's statistics. Flags mirror the experiment
file's keys and override --config FILE wherever they stand.

Experiment
  --config FILE            start from an experiment file (JSON, as --save-experiment writes)
  --name TEXT              experiment name
Data
  --dataset NAME           gaussian|spiral|circles|moons|xor|blobs|csv:PATH|idx:DIR|idx:IMAGES,LABELS
                           (default gaussian: x ~ N(0, 1), the article's probe data)
  --samples N              generated samples (default 1000)
  --features D             generated features, gaussian and blobs (default 500)
  --classes K              generated classes (default 10)
  --noise X                generator noise (default 0.1)
  --label-column NAME|I    CSV label column, by header name or 0-based index (default: last)
  --validation-fraction F  share of the training data held out for validation (default 0.2)
  --test-fraction F        share held out as a test set, generators and CSV (default 0)
  --preprocess KIND        none|center|standardize, fitted on the training split (default standardize)
Network
  --depth L                hidden layers (default 10)
  --width W                units per hidden layer (default 500)
  --widths W1,W2,...       one width per hidden layer (overrides --depth/--width)
  --activation NAME        tanh|sigmoid|relu|leaky_relu|elu|selu|gelu|linear (default tanh)
  --init NAME              zeros|constant|normal|uniform|xavier_normal|xavier_uniform|he_normal|
                           he_uniform|lecun_normal|lecun_uniform|orthogonal (default xavier_normal)
  --init-std S             std of --init normal (default 0.01)
  --init-bound A           bound of --init uniform: U(-A, A) (default 0.05)
  --init-constant C        value of --init constant (default 0)
  --batch-norm             batch normalization before each hidden activation
  --dropout P              inverted dropout after each hidden activation, drop probability P
  --leaky-slope A          leaky_relu negative slope (default 0.01)
  --elu-alpha A            elu alpha (default 1)
Training
  --optimizer NAME         sgd|momentum|nesterov|adam (default sgd)
  --lr R                   learning rate (default 0.01)
  --momentum M             momentum / nesterov coefficient (default 0.9)
  --l2 L                   loss += L * sum(W^2) over the weights
  --l1 L                   loss += L * sum(|W|) over the weights
  --batch-size B           (default 128)
  --epochs E               (default 20)
  --steps N                optimisation steps, overrides --epochs; 0: statistics of the
                           freshly initialized network, no training
  --seed S                 the one seed every random choice derives from (default 1)
  --threads T              compute threads (default 1)
Statistics
  --stats-every K          probe every K steps; 0: none; auto (default): at most ~2% of training time
  --probe-size N           the fixed probe batch: up to N training samples (default 1000)
  --histogram-bins N       (default 50)
  --probe-train-mode       probe with batch statistics and dropout on (default: evaluation mode)
Output
  --stats-csv FILE         one row per probe and layer: step,epoch,layer,kind,units,mean,std,...
  --histograms-csv FILE    one row per probe, layer, quantity and bin
  --stats-json FILE        every probe with histograms, and the experiment
  --summary-json FILE      steps, train_seconds, steps_per_second, final_loss, accuracies, diverged
  --export-model FILE      the trained network as ONNX (raw inputs -> class probabilities)
  --save-experiment FILE   the experiment file, to reopen or share
  --save-experiment-with-weights FILE.json
                           after the run: FILE.onnx (the trained weights) and FILE.json naming
                           it ("weights"); --config FILE.json then continues from those weights
Plots (rendered headless with the desktop app's plot classes; no display needed)
  --export-plot FILE       FILE.png, FILE.svg or FILE.pdf, after the run, from its statistics;
                           the experiment is embedded (PNG text chunk, SVG <desc>, PDF XMP)
  --plot NAME              what FILE shows: depth_profile|histograms|std_over_time|gradients|
                           loss|decision_regions|dashboard (default dashboard). Repeat the pair,
                           or give comma lists: --export-plot a.png,b.svg --plot loss,histograms;
                           one file with several names writes FILE-NAME.EXT for each
  --plot-size WxH          size in pixels at 96 dpi (default 1400x1000 dashboard, 800x560 plots)
  --plot-dpi N             PNG resolution: pixels = size x N / 96 (default 96)
  --quiet                  no progress lines

Exit status: 0 on success (also when the run diverged: see the summary), 2 for a usage or input
error, with one line on stderr naming the flag, file or line at fault.
)";
}

std::string asFlagMessage(const std::string& message) {
  const size_t colon = message.find(':');
  if (colon == std::string::npos || message.rfind("--", 0) == 0) return message;
  const std::string field = message.substr(0, colon);
  if (flags().count("--" + field)) return "--" + message;
  if (field == "init" || field == "activation" || field == "optimizer" || field == "preprocess")
    return "--" + message;
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
  } else if (args[0].rfind("--", 0) == 0) {
    options.command = "train";  // "train" may be left out
  } else {
    throw InputError("unknown command '" + args[0] + "' (expected train; try --help)");
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
  return options;
}

const std::vector<std::string>& plotNamesAccepted() {
  static const std::vector<std::string> names = {"depth_profile", "histograms", "std_over_time",
                                                 "gradients", "loss", "decision_regions",
                                                 "dashboard"};
  return names;
}

std::vector<PlotExportRequest> plotExportRequests(const CliOptions& options) {
  const auto& files = options.exportPlotFiles;
  const auto& names = options.plotNames;
  if (files.empty() && !names.empty()) throw InputError("--plot: needs --export-plot FILE");
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
  if (names.empty()) {
    for (const std::string& file : files) requests.push_back({"dashboard", file});
  } else if (files.size() == names.size()) {
    for (size_t i = 0; i < files.size(); ++i) requests.push_back({names[i], files[i]});
  } else if (files.size() == 1) {
    const std::string& file = files.front();
    const std::string ext = file.substr(file.size() - 4);
    for (const std::string& name : names)
      requests.push_back({name, file.substr(0, file.size() - 4) + "-" + name + ext});
  } else {
    throw InputError("--plot: " + std::to_string(names.size()) + " plot names for " +
                     std::to_string(files.size()) +
                     " --export-plot files (give one file per plot, or one file for all)");
  }
  return requests;
}

}  // namespace layerscope
