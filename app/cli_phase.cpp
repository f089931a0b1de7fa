#include "cli_phase.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <ostream>

#include "analysis/random_network_correlation.h"
#include "cli_values.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "model/activation.h"

namespace layerscope {
namespace {

// "LO:HI:N": N evenly spaced values from LO to HI, variances in [0, 1000].
GridAxis parseAxis(const std::string& flag, const std::string& text) {
  const size_t first = text.find(':');
  const size_t second = first == std::string::npos ? first : text.find(':', first + 1);
  if (second == std::string::npos || text.find(':', second + 1) != std::string::npos)
    throw InputError(flag + ": '" + text + "' is not LO:HI:N (e.g. 0.5:4:50)");
  GridAxis axis;
  axis.lo = parseNumber(flag, text.substr(0, first), 0.0, 1000.0);
  axis.hi = parseNumber(flag, text.substr(first + 1, second - first - 1), 0.0, 1000.0);
  axis.count = static_cast<int>(parseInteger(flag, text.substr(second + 1), 1, 500));
  if (axis.hi < axis.lo) throw InputError(flag + ": '" + text + "': HI is below LO");
  if (axis.count > 1 && axis.hi == axis.lo)
    throw InputError(flag + ": '" + text + "': N > 1 points need HI above LO");
  return axis;
}

void parsePlotSize(PhaseOptions& o, const std::string& flag, const std::string& text) {
  const size_t x = text.find_first_of("xX");
  if (x == std::string::npos)
    throw InputError(flag + ": '" + text + "' is not WIDTHxHEIGHT (e.g. 900x700)");
  o.plotWidth = static_cast<int>(parseInteger(flag, text.substr(0, x), 50, 20000));
  o.plotHeight = static_cast<int>(parseInteger(flag, text.substr(x + 1), 50, 20000));
}

std::string extensionOf(const std::string& path) {
  const size_t dot = path.find_last_of('.'), slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

using Setter = void (*)(PhaseOptions&, const std::string& flag, const std::string& value);
struct Flag {
  bool takesValue;
  Setter set;
};

const std::map<std::string, Flag>& phaseFlags() {
  static const std::map<std::string, Flag> table = {
      {"--activation", {true, [](PhaseOptions& o, const std::string&, const std::string& v) {
         parseActivation(v);  // throws, listing the names
         o.activation = v;
       }}},
      {"--dropout", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.dropout = parseNumber(f, v, 0.0, 0.99);
       }}},
      {"--sigma-w2", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.sigmaW2 = parseAxis(f, v);
       }}},
      {"--sigma-b2", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.sigmaB2 = parseAxis(f, v);
       }}},
      {"--depth", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.depth = static_cast<int>(parseInteger(f, v, 1, 1000));
       }}},
      {"--input-correlation", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.inputCorrelation = parseNumber(f, v, -1.0, 1.0);
       }}},
      {"--width", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.width = static_cast<int>(parseInteger(f, v, 2, 4000));
       }}},
      {"--measure", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.measured = static_cast<int>(parseInteger(f, v, 0, 50));
       }}},
      {"--seed", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.seed = static_cast<std::uint64_t>(parseInteger(f, v, 0, 2147483647L));
       }}},
      {"--csv", {true, [](PhaseOptions& o, const std::string&, const std::string& v) { o.csv = v; }}},
      {"--export-plot", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         size_t start = 0;
         for (;;) {
           const size_t comma = v.find(',', start);
           const std::string file = v.substr(start, comma == std::string::npos ? comma : comma - start);
           const std::string ext = extensionOf(file);
           if (ext != ".png" && ext != ".svg" && ext != ".pdf")
             throw InputError(f + ": " + (file.empty() ? std::string("(empty)") : file) +
                              ": unknown image type (use .png, .svg or .pdf)");
           o.exportPlots.push_back(file);
           if (comma == std::string::npos) break;
           start = comma + 1;
         }
       }}},
      {"--plot-size", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         parsePlotSize(o, f, v);
       }}},
      {"--plot-dpi", {true, [](PhaseOptions& o, const std::string& f, const std::string& v) {
         o.plotDpi = static_cast<double>(parseInteger(f, v, 24, 1200));
       }}},
      {"--quiet", {false, [](PhaseOptions& o, const std::string&, const std::string&) { o.quiet = true; }}},
  };
  return table;
}

std::string number(double value, const char* format = "%.6g") {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (std::isnan(value)) return "nan";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string axisText(const GridAxis& a) {
  return number(a.lo, "%g") + ".." + number(a.hi, "%g") + " (" + std::to_string(a.count) + ")";
}

// Where chi_1 crosses 1 along sigma_w^2 in row j (linear interpolation), NaN when it does not.
double criticalSigmaW2(const std::vector<PhasePoint>& points, const GridAxis& w, const GridAxis& b,
                       int j) {
  for (int i = 0; i + 1 < w.count; ++i) {
    const PhasePoint& p = points[static_cast<size_t>(i) * b.count + j];
    const PhasePoint& q = points[static_cast<size_t>(i + 1) * b.count + j];
    if ((p.chi1 - 1.0) * (q.chi1 - 1.0) <= 0.0 && p.chi1 != q.chi1)
      return p.sigmaW2 + (1.0 - p.chi1) / (q.chi1 - p.chi1) * (q.sigmaW2 - p.sigmaW2);
  }
  return std::nan("");
}

}  // namespace

PhaseOptions parsePhaseOptions(const std::vector<std::string>& args) {
  PhaseOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      return options;
    }
    const size_t eq = flag.find('=');
    const bool inlineValue = flag.rfind("--", 0) == 0 && eq != std::string::npos;
    if (inlineValue) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    const auto it = phaseFlags().find(flag);
    if (it == phaseFlags().end())
      throw InputError(flag.rfind("-", 0) == 0
                           ? "phase: unknown flag " + flag + " (see layerscope-cli phase --help)"
                           : "phase: unexpected argument '" + flag + "' (see layerscope-cli phase --help)");
    if (it->second.takesValue && !inlineValue) {
      if (i + 1 >= args.size()) throw InputError(flag + ": missing value");
      value = args[++i];
    } else if (!it->second.takesValue && inlineValue) {
      throw InputError(flag + ": takes no value");
    }
    it->second.set(options, flag, value);
  }
  if (options.activation.empty())
    throw InputError(std::string("--activation: missing (phase needs --activation ") +
                     activationNames() + ")");
  return options;
}

std::string phaseUsage() {
  return R"(Usage: layerscope-cli phase --activation NAME [FLAGS]

The phase diagram of signal propagation (Poole et al. 2016; Schoenholz et al. 2017): for every
initialization sigma_w2 = fan_in x Var(W), sigma_b2 = Var(b) of a grid, the fixed point q_star of
the length map, the slope chi1 of the correlation map at c = 1 (chi1 = 1: the critical line), and
the depth scales xi_q and xi_c (inf: nothing is forgotten). Formulas: docs/THEORY.md.

  --activation NAME        tanh|sigmoid|relu|leaky_relu|elu|selu|gelu|linear (required)
  --dropout P              inverted dropout after each activation, keep probability 1 - P: it
                           removes the critical line (default 0)
  --sigma-w2 LO:HI:N       weight variance axis, N points from LO to HI (default 0.5:4:50)
  --sigma-b2 LO:HI:N       bias variance axis (default 0:0.5:50)
  --csv FILE               one row per grid point, sigma_w2 outer:
                           sigma_w2,sigma_b2,q_star,chi1,xi_q,xi_c,c_star,chi_c,
                           c_depth_theory,c_depth_measured (the last two at measured points only)
  --export-plot FILE       FILE.png, FILE.svg or FILE.pdf: xi_c as a heat map (log colour), the
                           critical line chi1 = 1, the measured points; --plot-size WxH,
                           --plot-dpi N as for train
Measured overlay (random networks of the given variances beside the theory)
  --measure K              grid points measured: K sigma_w2 values, middle sigma_b2 (default 5)
  --depth L                layers the two inputs pass through (default 20)
  --input-correlation C    their correlation in layer 1 (default 0.5)
  --width N                units per layer (default 500)
  --seed S                 (default 1)
  --quiet                  no table on stdout
)";
}

std::string phaseCaption(const PhaseOptions& options, bool unboundedLength) {
  std::string text =
      "Colour: xi_c = -1/ln chi_c, the depth over which two inputs' correlation forgets where it "
      "started (log scale; inf on the critical line). Line: chi1 = 1.";
  if (options.dropout > 0)
    text += " Dropout " + number(options.dropout, "%g") +
            ": c = 1 is no longer a fixed point, so chi1 = 1 no longer separates order from chaos "
            "and xi_c stays finite everywhere.";
  if (unboundedLength)
    text += " Where q_star = inf the length grows without bound; for ReLU-like activations the "
            "correlations then approach 1 polynomially, not exponentially (xi_c = inf).";
  text += " Batch norm is not on this diagram: at initialization it makes gradients explode with "
          "depth for every sigma_w2, sigma_b2 (Yang et al. 2019).";
  return text;
}

int runPhaseCommand(const PhaseOptions& options, std::ostream& out,
                    const PhasePlotExporter& exportPlot) {
  if (options.help) {
    out << phaseUsage();
    return 0;
  }
  if (!options.exportPlots.empty() && !exportPlot)
    throw InputError("--export-plot: this layerscope-cli was built without the Qt UI (no plots)");
  Activation phi;
  phi.kind = parseActivation(options.activation);
  const double keep = 1.0 - options.dropout;
  const std::vector<PhasePoint> points =
      phaseDiagram(phi, options.sigmaW2, options.sigmaB2, keep);

  const bool unbounded = std::any_of(points.begin(), points.end(),
                                     [](const PhasePoint& p) { return std::isinf(p.qStar); });
  PhaseOverlay overlay;
  overlay.points = options.measured;
  overlay.depth = options.depth;
  overlay.inputCorrelation = options.inputCorrelation;
  overlay.width = options.width;
  overlay.seed = options.seed;
  const std::vector<PhaseMeasurement> measurements =
      measurePhaseOverlay(phi, points, options.sigmaW2, options.sigmaB2, keep, overlay);

  if (!options.csv.empty()) {
    std::string csv = "sigma_w2,sigma_b2,q_star,chi1,xi_q,xi_c,c_star,chi_c,c_depth_theory,"
                      "c_depth_measured\n";
    for (size_t k = 0; k < points.size(); ++k) {
      const PhasePoint& p = points[k];
      csv += number(p.sigmaW2) + "," + number(p.sigmaB2) + "," + number(p.qStar, "%.9g") + "," +
             number(p.chi1, "%.9g") + "," + number(p.xiQ, "%.9g") + "," + number(p.xiC, "%.9g") +
             "," + number(p.cStar, "%.9g") + "," + number(p.chiC, "%.9g") + ",";
      const auto m = std::find_if(measurements.begin(), measurements.end(),
                                  [k](const PhaseMeasurement& x) { return x.index == k; });
      if (m != measurements.end()) csv += number(m->theory, "%.6g") + "," + number(m->measured, "%.6g");
      else csv += ",";
      csv += "\n";
    }
    try {
      writeFileAtomically(options.csv, csv);
    } catch (const std::exception& e) {
      throw InputError("--csv: " + std::string(e.what()));
    }
  }

  if (!options.quiet) {
    out << "phase diagram: " << options.activation << ", sigma_w2 " << axisText(options.sigmaW2)
        << " x sigma_b2 " << axisText(options.sigmaB2)
        << (options.dropout > 0 ? ", dropout " + number(options.dropout, "%g") : std::string())
        << "\n";
    out << "critical line chi1 = 1 at:";
    const int rows = options.sigmaB2.count;
    const int step = std::max(1, (rows + 4) / 5);
    for (int j = 0; j < rows; j += step)
      out << (j == 0 ? " " : ", ") << "sigma_b2 " << number(options.sigmaB2.at(j), "%.3g")
          << ": sigma_w2 " << number(criticalSigmaW2(points, options.sigmaW2, options.sigmaB2, j), "%.3g");
    out << "\n";
    if (!measurements.empty()) {
      out << "correlation after " << options.depth << " layers from c0 = "
          << number(options.inputCorrelation, "%g") << " (random networks of width "
          << options.width << "):\n";
      out << "  sigma_w2  sigma_b2    q_star    chi1      xi_c    theory  measured\n";
      for (const PhaseMeasurement& m : measurements) {
        const PhasePoint& p = points[m.index];
        char line[160];
        std::snprintf(line, sizeof line, "  %8.3g  %8.3g  %8s  %6.3f  %8s  %8.4f  %8.4f\n",
                      p.sigmaW2, p.sigmaB2, number(p.qStar, "%.4g").c_str(), p.chi1,
                      number(p.xiC, "%.3g").c_str(), m.theory, m.measured);
        out << line;
      }
    }
    out << "note: " << phaseCaption(options, unbounded) << "\n";
    if (!options.csv.empty()) out << "csv -> " << options.csv << "\n";
  }

  for (const std::string& path : options.exportPlots) {
    PhasePlotJob job;
    job.path = path;
    job.width = options.plotWidth;
    job.height = options.plotHeight;
    job.dpi = options.plotDpi;
    job.activation = options.activation;
    job.dropout = options.dropout;
    job.sigmaW2 = options.sigmaW2;
    job.sigmaB2 = options.sigmaB2;
    job.points = points;
    job.measurements = measurements;
    job.depth = options.depth;
    job.caption = phaseCaption(options, unbounded);
    exportPlot(job);
    if (!options.quiet) out << "plot -> " << path << "\n";
  }
  return 0;
}

}  // namespace layerscope
