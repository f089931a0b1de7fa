#include "cli_lesson.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>

#include "analysis/findings.h"
#include "data/data_paths.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "lab/lesson.h"
#include "lab/plot_names.h"
#include "lab/run.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

namespace fs = std::filesystem;

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

bool isDirectory(const std::string& path) {
  std::error_code error;
  return !path.empty() && fs::is_directory(path, error);
}

}  // namespace

std::vector<std::string> lessonSearchPath() {
  std::vector<std::string> folders;
  const auto add = [&folders](const std::string& folder) {
    if (isDirectory(folder)) folders.push_back(fs::path(folder).lexically_normal().string());
  };
  add(userLessonsDirectory());
  if (const char* env = std::getenv("LAYERSCOPE_LESSONS_DIR")) add(env);
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) add((exe.parent_path() / ".." / "share" / "layerscope" / "lessons").string());
#ifdef LAYERSCOPE_SOURCE_LESSONS_DIR
  add(LAYERSCOPE_SOURCE_LESSONS_DIR);
#endif
  return folders;
}

void useBundledDataFolder() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("LAYERSCOPE_LESSONS_DIR")) candidates.push_back(env);
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) candidates.push_back((exe.parent_path() / ".." / "share" / "layerscope" / "lessons").string());
#ifdef LAYERSCOPE_SOURCE_LESSONS_DIR
  candidates.push_back(LAYERSCOPE_SOURCE_LESSONS_DIR);
#endif
  for (const std::string& lessons : candidates) {
    const fs::path data = (fs::path(lessons) / ".." / "data").lexically_normal();
    if (isDirectory(data.string())) {
      setBundledDataDirectory(data.string());
      return;
    }
  }
}

std::string resolveLessonPath(const std::string& idOrFile) {
  const bool isFile = idOrFile.find('/') != std::string::npos ||
                      (idOrFile.size() > 5 && idOrFile.substr(idOrFile.size() - 5) == ".json");
  if (isFile) return idOrFile;  // loadLesson names it when it cannot be read
  std::string searched;
  for (const std::string& folder : lessonSearchPath()) {
    const fs::path candidate = fs::path(folder) / (idOrFile + ".json");
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
    searched += (searched.empty() ? "" : ", ") + folder;
  }
  throw InputError("lesson: no lesson '" + idOrFile + "' (looked in: " +
                   (searched.empty() ? std::string("no lesson folder found") : searched) +
                   "); give a lesson file's path to run one from elsewhere");
}

int runLessonCommand(const CliOptions& options, std::ostream& out,
                     const PlotExporter& exportPlots) {
  const std::vector<PlotExportRequest> plots = plotExportRequests(options);
  if (!plots.empty() && !exportPlots)
    throw InputError("--export-plot: this layerscope-cli was built without the Qt UI (no plots)");
  const Lesson lesson = loadLesson(resolveLessonPath(options.lesson));
  if (!options.quiet)
    out << "lesson " << lesson.id << ": " << lesson.title << " (" << lesson.path << ")\n";

  std::vector<std::unique_ptr<Trainer>> trainers;
  std::vector<std::vector<StatsSnapshot>> snapshots(lesson.runs.size());
  std::vector<LessonRunResult> results;
  for (size_t i = 0; i < lesson.runs.size(); ++i) {
    const LessonRun& run = lesson.runs[i];
    trainers.push_back(startRun(run.experiment));
    Trainer& trainer = *trainers.back();
    // Every probe only when a figure needs the curves; the checks read the first and last.
    const auto keep = [&snapshots, i](const StatsSnapshot& s) { snapshots[i].push_back(s); };
    results.push_back(plots.empty()
                          ? runLessonRun(trainer, {}, {}, run.measures)
                          : runLessonRun(trainer, {}, keep, run.measures));
    const LessonRunResult& r = results.back();
    if (options.quiet) continue;
    out << "run " << i << " (" << run.label << "): " << r.summary.steps
        << " steps, train accuracy " << number(r.summary.trainAccuracy)
        << ", validation accuracy " << number(r.summary.validationAccuracy) << ", final loss "
        << number(r.summary.finalLoss) << (r.summary.diverged ? ", DIVERGED" : "") << "\n";
    FindingsContext context;
    context.validationChance = r.validationChance;
    context.validationSamples = trainer.data().validation.samples();
    context.firstTrainAccuracy = r.initial.probeAccuracy;
    const std::vector<std::string> said = findings(r.final, run.experiment, context);
    out << "  findings at step " << r.final.step << (said.empty() ? ": none\n" : ":\n");
    for (const std::string& f : said) out << "    - " << f << "\n";
  }

  const std::vector<CheckResult> checks = evaluateLessonChecks(lesson, results);
  int passed = 0;
  out << "checks:\n";
  for (const CheckResult& c : checks) {
    passed += c.passed;
    out << "  " << (c.passed ? "PASS " : "FAIL ") << c.description << "\n";
  }
  out << passed << " of " << checks.size() << " checks hold\n";

  if (!plots.empty()) {
    PlotExportJob job = plotExportJob(options, snapshots.back(), *trainers.back(),
                                      lesson.runs.back().experiment);
    job.requests = plots;
    job.histogramMode = lesson.histogramMode;
    // The heatmap colours what the lesson looks at ("layer_heatmap:dead_fraction"), unless
    // --heatmap-statistic names another than its default.
    for (const std::string& entry : lesson.lookAt)
      if (const LookAtView v = splitLookAt(entry);
          v.plot == "layer_heatmap" && !v.option.empty() && job.heatmapStatistic == "activation_std")
        job.heatmapStatistic = v.option;
    for (size_t i = 0; i + 1 < lesson.runs.size(); ++i)
      job.earlierRuns.push_back({lesson.runs[i].label, snapshots[i], trainers[i].get()});
    checkDecisionPlot(options, job.train->features(), "this lesson's last run");
    exportPlots(job);
    if (!options.quiet)
      for (const PlotExportRequest& p : plots) out << "plot " << p.name << " -> " << p.path << "\n";
  }
  return passed == static_cast<int>(checks.size()) ? 0 : 1;
}

}  // namespace layerscope
