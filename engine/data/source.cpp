#include "data/source.h"

#include <string>
#include <utility>

#include "errors.h"
#include "data/csv_loader.h"
#include "data/data_paths.h"
#include "data/generators.h"
#include "data/idx_loader.h"
#include "data/split.h"

namespace layerscope {

namespace {

bool startsWith(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

// The source with "@layerscope/NAME" expanded; a bundled name this process has no folder for is
// refused here, with the name, rather than as a file that cannot be opened.
std::string openableSource(const std::string& configured) {
  const std::string source = resolveDataSource(configured, "");
  if (source.find(kBundledDataPrefix) != std::string::npos)
    throw InputError("data set '" + configured + "' names data bundled with LayerScope, but " +
                     "this program found no bundled data folder (install LayerScope, or set " +
                     "LAYERSCOPE_LESSONS_DIR to its lessons folder)");
  return source;
}

}  // namespace

DataSplits loadData(const DataConfig& config, std::uint64_t seed, const Progress* progress) {
  const std::string source = openableSource(config.source);
  if (isGeneratorName(source)) {
    GeneratorParams params;
    params.samples = config.samples;
    params.features = config.features;
    params.classes = config.classes;
    params.noise = config.noise;
    params.labels = config.labels;
    params.seed = seed;
    return splitDataset(generateDataset(source, params), config.validationFraction,
                        config.testFraction, seed);
  }
  if (startsWith(source, "csv:")) {
    const std::string path = source.substr(4);
    if (path.empty()) throw InputError("data set 'csv:' names no file (expected csv:PATH)");
    return splitDataset(loadCsv(path, config.labelColumn, nullptr, progress),
                        config.validationFraction,
                        config.testFraction, seed);
  }
  if (startsWith(source, "idx:")) {
    const std::string spec = source.substr(4);
    if (spec.empty()) {
      throw InputError("data set 'idx:' names no folder (expected idx:DIR or idx:IMAGES,LABELS)");
    }
    Dataset train, test;
    loadIdx(spec, train, test, progress);
    // IDX brings its own test set (t10k-*): test-fraction does not apply.
    DataSplits splits = splitDataset(train, config.validationFraction, 0.0, seed);
    splits.test = std::move(test);
    return splits;
  }
  throw InputError("unknown data set '" + source +
                   "' (expected gaussian, spiral, circles, moons, xor, blobs, csv:PATH or "
                   "idx:DIR)");
}

void checkLabelColumn(const DataConfig& config) {
  if (!startsWith(config.source, "csv:") || !config.labelColumn.empty()) return;
  const std::string path = openableSource(config.source).substr(4);
  if (path.empty()) return;  // loadData() names this problem
  CsvInfo info;
  loadCsv(path, "", &info);
  if (info.continuousLabel) throw InputError(continuousLabelMessage(path, info, "--label-column"));
}

}  // namespace layerscope
