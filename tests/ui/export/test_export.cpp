// Export and reproducibility from the desktop app: plots at a chosen size with the experiment
// embedded, statistics history, models in and out, experiments with weights, recent files,
// drag and drop, and failed writes that leave the old file intact.
#include <gtest/gtest.h>

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QImage>
#include <QImageReader>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUrl>
#include <QXmlStreamReader>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <map>
#include <set>
#include <sys/mount.h>
#include <sys/resource.h>

#include "config_panel.h"
#include "plots/dashboard.h"
#include "io/experiment_file.h"
#include "export/file_drop.h"
#include "export/recent_files.h"
#include "run/snapshot_record.h"
#include "main_window.h"
#include "plots/depth_profile_plot.h"
#include "test_helpers.h"

namespace layerscope {

using namespace testing;  // tests/ui/test_helpers.h
using State = TrainingController::State;

namespace {

// A tiny CSV reader (no pandas on this machine): fields split on commas, no quoting needed
// for LayerScope's numeric tables; returns rows including the header.
std::vector<QStringList> readCsv(const QString& path) {
  std::vector<QStringList> rows;
  for (const QByteArray& line : readAll(path).split('\n'))
    if (!line.isEmpty()) rows.push_back(QString::fromUtf8(line).split(','));
  return rows;
}

// Snapshots at steps 0, 3, 6, ... with one layer.
StatsSnapshot snapshotAt(long step) {
  StatsSnapshot s;
  s.step = step;
  s.layers.resize(1);
  return s;
}

}  // namespace

TEST(Export, DashboardAtAChosenSizeInEveryFormatCarriesTheExperiment) {
  ReadyWindow r;
  ASSERT_TRUE(r.ok);
  MainWindow& w = r.w;
  const QSize onScreen = w.dashboard()->size();
  const QString json = QString::fromStdString(experimentToJson(w.controller()->experiment()));
  QTemporaryDir dir;
  ExportOptions options;
  options.size = QSize(900, 700);
  options.dpi = 192;
  const QString png = dir.filePath("dash.png"), svg = dir.filePath("dash.svg"),
                pdf = dir.filePath("dash.pdf");
  ASSERT_EQ(w.exportDashboard(png, options), QString());
  ASSERT_EQ(w.exportDashboard(svg, options), QString());
  ASSERT_EQ(w.exportDashboard(pdf, options), QString());
  EXPECT_EQ(w.dashboard()->size(), onScreen);  // the window is as it was

  // PNG: 900 x 700 at 192 dpi is 1800 x 1400 pixels, the experiment in a text chunk.
  QImageReader reader(png);
  EXPECT_EQ(reader.size(), QSize(1800, 1400));
  // (Qt's PNG reader collapses the text's whitespace: compare the JSON values.)
  EXPECT_EQ(QJsonDocument::fromJson(reader.text(QString::fromLatin1(kExportExperimentKey)).toUtf8()),
            QJsonDocument::fromJson(json.toUtf8()));
  EXPECT_FALSE(QJsonDocument::fromJson(json.toUtf8()).isNull());
  const QImage image = reader.read();
  EXPECT_NEAR(image.dotsPerMeterX() * 0.0254, 192, 1);
  // Not a blank page: the plots drew dark lines and text.
  int dark = 0;
  for (int y = 0; y < image.height(); y += 7)
    for (int x = 0; x < image.width(); x += 7) dark += qGray(image.pixel(x, y)) < 100;
  EXPECT_GT(dark, 200);

  // SVG: well-formed XML at the chosen size, the experiment as <desc>, titles as text.
  QXmlStreamReader xml(readAll(svg));
  QString desc, viewBox;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == QLatin1String("svg"))
      viewBox = xml.attributes().value("viewBox").toString();
    if (xml.isStartElement() && xml.name() == QLatin1String("desc") && desc.isEmpty())
      desc = xml.readElementText();
  }
  EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
  EXPECT_EQ(viewBox, "0 0 900 700");
  EXPECT_EQ(desc, json);
  EXPECT_TRUE(readAll(svg).contains("Depth profile"));

  // PDF: a PDF whose XMP metadata holds the experiment (XML-escaped).
  const QByteArray pdfBytes = readAll(pdf);
  EXPECT_TRUE(pdfBytes.startsWith("%PDF"));
  EXPECT_TRUE(pdfBytes.contains("<layerscope:experiment>"));
  EXPECT_TRUE(pdfBytes.contains(json.toHtmlEscaped().toUtf8()));
}

TEST(Export, SinglePlotAtAChosenSize) {
  ReadyWindow r;
  ASSERT_TRUE(r.ok);
  PlotView* plot = r.w.dashboard()->depthProfile();
  const QSize before = plot->size();
  QTemporaryDir dir;
  ExportOptions options;
  options.size = QSize(640, 480);
  options.dpi = 96;
  const QString png = dir.filePath("depth.png");
  ASSERT_EQ(r.w.exportPlot(plot, png, options), QString());
  EXPECT_EQ(QImage(png).size(), QSize(640, 480));
  EXPECT_EQ(plot->size(), before);
  EXPECT_EQ(r.w.exportPlot(plot, dir.filePath("depth.bmpx"), options).contains("unknown"), true);
}

// Mounts (root in a container may; elsewhere the test is skipped) and unmounts at the end.
class Mount {
 public:
  Mount(const QString& source, const QString& target, const char* type, unsigned long flags,
        const char* data) {
    ok_ = ::mount(source.toLocal8Bit().constData(), target.toLocal8Bit().constData(), type,
                  flags, data) == 0;
    if (ok_) target_ = target;
    why_ = ok_ ? QString() : QString::fromLocal8Bit(std::strerror(errno));
  }
  ~Mount() {
    if (!target_.isEmpty()) ::umount2(target_.toLocal8Bit().constData(), MNT_DETACH);
  }
  bool ok() const { return ok_; }
  QString why() const { return why_; }

 private:
  bool ok_ = false;
  QString target_, why_;
};

// Every save of the window into `folder`, over old files with known contents: each must fail
// with a message naming its file and leave the old file as it was and no temporary file.
void expectEverySaveFailsCleanly(ReadyWindow& r, const QString& folder, const char* reason) {
  const QStringList names = {"dash.png", "dash.pdf", "stats.csv", "stats.json", "run.json",
                             "weights.json"};
  std::map<QString, QByteArray> before;
  for (const QString& name : names) before[name] = readAll(QDir(folder).filePath(name));
  auto path = [&](const char* name) { return QDir(folder).filePath(QString::fromLatin1(name)); };
  const std::vector<std::pair<QString, QString>> errors = {
      {"dash.png", r.w.exportDashboard(path("dash.png"))},
      {"dash.pdf", r.w.exportDashboard(path("dash.pdf"))},
      {"stats.csv", r.w.exportStatistics(path("stats.csv"))},
      {"stats.json", r.w.exportStatistics(path("stats.json"))},
      {"run.json", r.w.saveExperiment(path("run.json"))},
  };
  for (const auto& [name, error] : errors) {
    EXPECT_TRUE(error.contains(name)) << name.toStdString() << ": " << error.toStdString();
    EXPECT_TRUE(error.contains(QString::fromLatin1(reason)) || error.contains("cannot write"))
        << name.toStdString() << ": " << error.toStdString();
  }
  // With weights: the model is written by the worker; the answer names the .onnx or the .json.
  QSignalSpy saved(&r.w, &MainWindow::weightsSaved);
  const QString direct = r.w.saveExperimentWithWeights(path("weights.json"));
  if (direct.isEmpty()) {
    ASSERT_TRUE(waitFor([&] { return !saved.isEmpty(); }));
    const QString error = saved.first().at(1).toString();
    EXPECT_TRUE(error.contains("weights")) << error.toStdString();
  }
  for (const QString& name : names)
    EXPECT_EQ(readAll(QDir(folder).filePath(name)), before[name]) << name.toStdString();
  QStringList present = QDir(folder).entryList(QDir::Files | QDir::Hidden);
  present.removeAll(QStringLiteral("filler"));
  EXPECT_EQ(present.size(), names.size()) << present.join(' ').toStdString();
}

TEST(Export, FullDiskAndReadOnlyFolderKeepEveryOldFile) {
  ReadyWindow r;
  ASSERT_TRUE(r.ok);
  QTemporaryDir dir;
  const QString tiny = dir.filePath(QStringLiteral("tiny"));
  ASSERT_TRUE(QDir().mkpath(tiny));
  {
    // A 64 KiB tmpfs holding the old files, then filled to the last block.
    Mount mounted(QStringLiteral("tmpfs"), tiny, "tmpfs", 0, "size=64k");
    if (!mounted.ok()) GTEST_SKIP() << "cannot mount a tmpfs here: " << mounted.why().toStdString();
    for (const char* name : {"dash.png", "dash.pdf", "stats.csv", "stats.json", "run.json",
                             "weights.json"})
      ASSERT_TRUE(writeBytes(QDir(tiny).filePath(QString::fromLatin1(name)),
                             QByteArray("old ") + name));
    {
      QFile filler(QDir(tiny).filePath(QStringLiteral("filler")));
      ASSERT_TRUE(filler.open(QIODevice::WriteOnly));
      const QByteArray block(4096, 'f');
      while (filler.write(block) == block.size()) {
      }
    }
    expectEverySaveFailsCleanly(r, tiny, "No space left on device");
  }
  const QString ro = dir.filePath(QStringLiteral("ro"));
  ASSERT_TRUE(QDir().mkpath(ro));
  for (const char* name : {"dash.png", "dash.pdf", "stats.csv", "stats.json", "run.json",
                           "weights.json"})
    ASSERT_TRUE(writeBytes(QDir(ro).filePath(QString::fromLatin1(name)), QByteArray("old ") + name));
  // Root ignores permission bits: a read-only bind mount is what stops it.
  Mount bind(ro, ro, nullptr, MS_BIND, nullptr);
  if (!bind.ok()) GTEST_SKIP() << "cannot bind-mount here: " << bind.why().toStdString();
  Mount readOnly(QStringLiteral("none"), ro, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr);
  if (!readOnly.ok()) GTEST_SKIP() << readOnly.why().toStdString();
  expectEverySaveFailsCleanly(r, ro, "Read-only file system");
}

TEST(Export, FailedWritesLeaveTheOldFileAndSayWhy) {
  ReadyWindow r;
  ASSERT_TRUE(r.ok);
  QTemporaryDir dir;
  const QString png = dir.filePath("old.png");
  ASSERT_TRUE(writeBytes(png, "the old file"));
  const QString csv = dir.filePath("old.csv");
  ASSERT_TRUE(writeBytes(csv, "the old table"));

  // A full disk, simulated with a file-size limit (works as root too): every write beyond
  // 512 bytes fails with EFBIG.
  struct rlimit old {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 512;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const QString pngError = r.w.exportDashboard(png);
  const QString csvError = r.w.exportStatistics(csv);
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previousHandler);
  EXPECT_TRUE(pngError.contains("old.png") && pngError.contains("cannot write"))
      << pngError.toStdString();
  EXPECT_TRUE(csvError.contains("old.csv")) << csvError.toStdString();
  EXPECT_EQ(readAll(png), QByteArray("the old file"));
  EXPECT_EQ(readAll(csv), QByteArray("the old table"));
  EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2)
      << QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).join(' ').toStdString();

  // A device: written through, not replaced; /dev/full says why.
  EXPECT_TRUE(r.w.exportDashboard(QStringLiteral("/dev/full")).contains("unknown image format"));
  const QString statsFull = r.w.exportStatistics(QStringLiteral("/dev/full"));
  EXPECT_TRUE(statsFull.contains("/dev/full") && statsFull.contains("No space"))
      << statsFull.toStdString();
  EXPECT_TRUE(QFileInfo(QStringLiteral("/dev/full")).exists());
  EXPECT_FALSE(QFileInfo(QStringLiteral("/dev/full")).isFile());

  // A folder that cannot exist (under a regular file).
  const QString nested = r.w.exportDashboard(dir.filePath("old.csv/sub/dash.pdf"));
  EXPECT_TRUE(nested.contains("cannot create the folder")) << nested.toStdString();
  EXPECT_FALSE(r.w.exportPlot(r.w.dashboard()->depthProfile(), dir.filePath("old.csv/x.svg")).isEmpty());
}

TEST(SnapshotRecordTest, KeepsEverythingUntilFullThenDecimatesUniformlyInStep) {
  SnapshotRecord record(100);
  for (long i = 0; i < 80; ++i) record.add(snapshotAt(i * 3));
  EXPECT_TRUE(record.complete());
  EXPECT_EQ(record.size(), 80u);
  for (long i = 80; i < 10000; ++i) record.add(snapshotAt(i * 3));
  const std::vector<StatsSnapshot> kept = record.snapshots();
  EXPECT_FALSE(record.complete());
  EXPECT_LE(kept.size(), 101u);
  EXPECT_GE(kept.size(), 40u);
  EXPECT_EQ(kept.front().step, 0);
  EXPECT_EQ(kept.back().step, 9999 * 3);
  // Uniform: consecutive kept steps (but the latest) are one bin apart, within a probe's step.
  const long stride = record.strideSteps();
  for (size_t i = 1; i + 1 < kept.size(); ++i) {
    EXPECT_GE(kept[i].step - kept[i - 1].step, stride - 3) << i;
    EXPECT_LE(kept[i].step - kept[i - 1].step, stride + 3) << i;
  }
  EXPECT_TRUE(record.describe().contains(QString::number(record.seen())));
}

TEST(Export, StatisticsHistoryAsCsvAndJsonSaysWhichStepsArePresent) {
  ExperimentConfig c = blobs16d();
  c.train.steps = 60;
  c.stats.every = 10;
  ReadyWindow r(c);
  ASSERT_TRUE(r.ok);
  QSignalSpy states(r.w.controller(), &TrainingController::stateChanged);
  r.w.controller()->train();
  ASSERT_TRUE(waitFor([&] { return r.w.controller()->state() == State::Finished; }, 30000));
  ASSERT_TRUE(waitFor([&] { return r.w.statisticsRecord().size() > 0 &&
                                   r.w.statisticsRecord().snapshots().back().step == 60; }));
  QTemporaryDir dir;
  const QString csv = dir.filePath("stats.csv");
  ASSERT_EQ(r.w.exportStatistics(csv), QString());
  const auto rows = readCsv(csv);
  ASSERT_GT(rows.size(), 1u);
  const QStringList header = rows.front();
  EXPECT_EQ(header.mid(0, 4), QStringList({"step", "epoch", "layer", "kind"}));
  const int stepColumn = 0, stdColumn = int(header.indexOf("std"));
  ASSERT_GE(stdColumn, 0);
  std::set<long> steps;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), header.size()) << i;  // rectangular, as pandas needs
    bool ok = false;
    steps.insert(rows[i][stepColumn].toLong(&ok));
    EXPECT_TRUE(ok);
    rows[i][stdColumn].toDouble(&ok);
    EXPECT_TRUE(ok) << rows[i][stdColumn].toStdString();
  }
  std::set<long> recorded;
  for (const StatsSnapshot& s : r.w.statisticsRecord().snapshots()) recorded.insert(s.step);
  EXPECT_EQ(steps, recorded);
  EXPECT_TRUE(steps.count(0) && steps.count(60));
  // Every layer at every step: 6 layers (input, 4 hidden, output).
  EXPECT_EQ(rows.size() - 1, recorded.size() * 6);
  const auto histograms = readCsv(dir.filePath("stats-histograms.csv"));
  ASSERT_GT(histograms.size(), 1u);
  EXPECT_EQ(histograms.front().mid(0, 3), QStringList({"step", "layer", "quantity"}));

  const QString json = dir.filePath("stats.json");
  ASSERT_EQ(r.w.exportStatistics(json), QString());
  const QJsonDocument doc = QJsonDocument::fromJson(readAll(json));
  ASSERT_TRUE(doc.isObject());
  const QJsonObject record = doc.object().value("record").toObject();
  EXPECT_TRUE(record.value("complete").toBool());
  EXPECT_EQ(record.value("last_step").toInt(), 60);
  EXPECT_EQ(doc.object().value("snapshots").toArray().size(), int(recorded.size()));
}

TEST(Export, OpenModelShowsItsStatisticsAndRefusesDataThatDoesNotFit) {
  ReadyWindow r;
  ASSERT_TRUE(r.ok);
  MainWindow& w = r.w;
  QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
  for (int i = 0; i < 5; ++i) {
    w.controller()->step();
    ASSERT_TRUE(waitFor([&] { return w.controller()->stepsDone() == i + 1; }));
  }
  ASSERT_TRUE(waitFor([&] {
    return !snapshots.isEmpty() && snapshots.last().at(0).value<StatsSnapshot>().step == 5;
  }));
  const StatsSnapshot trained = snapshots.last().at(0).value<StatsSnapshot>();
  QTemporaryDir dir;
  const QString onnx = dir.filePath("model.onnx");
  QSignalSpy exported(w.controller(), &TrainingController::modelExported);
  w.controller()->exportModel(onnx);
  ASSERT_TRUE(waitFor([&] { return !exported.isEmpty(); }));
  ASSERT_EQ(exported.first().at(1).toString(), QString());

  // Reopened: step 0 of the opened model is the trained network's step 5, layer by layer.
  MainWindow other(fresh());
  other.show();
  QSignalSpy opened(other.controller(), &TrainingController::snapshotReceived);
  other.configPanel()->setConfig(blobs16d());
  ASSERT_EQ(other.openModel(onnx), QString());
  EXPECT_TRUE(other.controller()->startsFromModel());
  ASSERT_TRUE(waitFor([&] { return !opened.isEmpty(); }));
  const StatsSnapshot start = opened.last().at(0).value<StatsSnapshot>();
  EXPECT_EQ(start.step, 0);
  ASSERT_EQ(start.layers.size(), trained.layers.size());
  for (size_t l = 0; l < start.layers.size(); ++l)
    EXPECT_NEAR(start.layers[l].activation.std, trained.layers[l].activation.std,
                1e-5 * (1 + trained.layers[l].activation.std)) << l;
  EXPECT_EQ(other.recentFiles()->files().value(0), QFileInfo(onnx).absoluteFilePath());
  // Training continues from there.
  other.controller()->train();
  ASSERT_TRUE(waitFor([&] { return other.controller()->stepsDone() > 3; }));

  // The 16-feature model on 2-D moons: a clear error, not a crash.
  ExperimentConfig moons = blobs16d();
  moons.data.source = "moons";
  moons.data.classes = 2;
  other.configPanel()->setConfig(moons);
  ASSERT_EQ(other.openModel(onnx), QString());
  ASSERT_TRUE(waitFor([&] { return other.controller()->state() == State::Failed; }));
  EXPECT_TRUE(other.statusText().contains("does not fit")) << other.statusText().toStdString();
  EXPECT_FALSE(other.openModel(dir.filePath("missing.onnx")).isEmpty());
}

TEST(Export, ExperimentWithWeightsReopensFromThem) {
  ReadyWindow r;
  ASSERT_TRUE(r.ok);
  for (int i = 0; i < 3; ++i) {
    r.w.controller()->step();
    ASSERT_TRUE(waitFor([&] { return r.w.controller()->stepsDone() == i + 1; }));
  }
  QTemporaryDir dir;
  QSignalSpy saved(&r.w, &MainWindow::weightsSaved);
  ASSERT_EQ(r.w.saveExperimentWithWeights(dir.filePath("run.json")), QString());
  ASSERT_TRUE(waitFor([&] { return !saved.isEmpty(); }));
  EXPECT_EQ(saved.first().at(1).toString(), QString());
  EXPECT_TRUE(QFileInfo::exists(dir.filePath("run.onnx")));
  const ExperimentDocument document = readExperimentDocument(dir.filePath("run.json").toStdString());
  EXPECT_EQ(document.weights, "run.onnx");  // relative: the folder can move

  MainWindow other(fresh());
  ASSERT_EQ(other.openExperiment(dir.filePath("run.json")), QString());
  EXPECT_TRUE(other.controller()->startsFromModel());
  ASSERT_TRUE(waitFor([&] { return other.controller()->state() == State::Ready; }));
  // Drag and drop of the experiment does the same; a .txt is refused.
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(dir.filePath("run.json"))});
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&other, &enter);
  EXPECT_TRUE(enter.isAccepted());
  QMimeData text;
  text.setUrls({QUrl::fromLocalFile(dir.filePath("notes.txt"))});
  QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
  refused.setAccepted(false);
  QCoreApplication::sendEvent(&other, &refused);
  EXPECT_FALSE(refused.isAccepted());
}

TEST(Export, DroppedCsvBecomesTheDataSetAndRecentFilesKeepEight) {
  QTemporaryDir dir;
  const QString csv = dir.filePath("points.csv");
  QByteArray text = "a,b,label\n";
  for (int i = 0; i < 60; ++i)
    text += QByteArray::number(i % 7 * 0.3) + "," + QByteArray::number(i % 5 * 0.2) + "," +
            (i % 2 ? "yes" : "no") + "\n";
  ASSERT_TRUE(writeBytes(csv, text));
  MainWindow w(fresh());
  w.show();
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(csv)});
  QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  // QApplication delivers a Drop only during a real drag: hand it to the window's filter.
  QObject* filter = w.findChild<FileDropFilter*>();
  ASSERT_NE(filter, nullptr);
  filter->eventFilter(&w, &drop);
  EXPECT_TRUE(drop.isAccepted()) << w.statusText().toStdString();
  EXPECT_EQ(w.controller()->experiment().data.source, "csv:" + csv.toStdString());
  ASSERT_TRUE(waitFor([&] { return w.controller()->state() == State::Ready; }));
  EXPECT_EQ(w.controller()->runInfo().classes, 2);

  for (int i = 0; i < 10; ++i) {
    const QString path = dir.filePath(QStringLiteral("e%1.json").arg(i));
    writeExperimentFile(path.toStdString(), blobs16d());
    w.recentFiles()->add(path);
  }
  const QStringList recent = w.recentFiles()->files();
  EXPECT_EQ(recent.size(), RecentFiles::kMaxFiles);
  EXPECT_EQ(recent.front(), QFileInfo(dir.filePath("e9.json")).absoluteFilePath());
  EXPECT_FALSE(recent.contains(QFileInfo(csv).absoluteFilePath()));  // pushed out
}

TEST(Export, ReopenedExperimentTrainsToTheSameNumbers) {
  // The panel trains by epochs (it has no steps field): 2 epochs of 400 samples in batches of
  // 32 is 26 steps.
  ExperimentConfig c = blobs16d();
  c.train.epochs = 2;
  c.stats.every = 5;
  ReadyWindow r(c);
  ASSERT_TRUE(r.ok);
  const auto trainToEnd = [](MainWindow& w) {
    QSignalSpy snapshots(w.controller(), &TrainingController::snapshotReceived);
    w.controller()->train();
    EXPECT_TRUE(waitFor([&] { return w.controller()->state() == State::Finished; }, 30000));
    const long last = w.controller()->runInfo().plannedSteps;
    EXPECT_EQ(last, 26);
    EXPECT_TRUE(waitFor([&] {
      return !snapshots.isEmpty() && snapshots.last().at(0).value<StatsSnapshot>().step == last;
    }));
    return snapshots.isEmpty() ? StatsSnapshot{} : snapshots.last().at(0).value<StatsSnapshot>();
  };
  const StatsSnapshot first = trainToEnd(r.w);
  QTemporaryDir dir;
  const QString path = dir.filePath("exp.json");
  ASSERT_EQ(r.w.saveExperiment(path), QString());

  MainWindow other(fresh());
  other.show();
  ASSERT_EQ(other.openExperiment(path), QString());
  ASSERT_TRUE(waitFor([&] { return other.controller()->state() == State::Ready; }));
  const StatsSnapshot again = trainToEnd(other);
  ASSERT_EQ(again.layers.size(), first.layers.size());
  // The final probe's numbers, measured on the final weights. Not trainLoss: that averages the
  // steps since the previous probe, and the worker skips a due probe when too little wall time
  // has passed since the last one (training_worker.cpp), so its window depends on the machine's
  // load (it differed once in CI: 0.0845 against 0.1693).
  EXPECT_EQ(again.probeLoss, first.probeLoss);
  EXPECT_EQ(again.probeAccuracy, first.probeAccuracy);
  for (size_t l = 0; l < first.layers.size(); ++l) {
    EXPECT_EQ(again.layers[l].activation.mean, first.layers[l].activation.mean) << l;
    EXPECT_EQ(again.layers[l].activation.std, first.layers[l].activation.std) << l;
    const double a = again.layers[l].gradientStd, b = first.layers[l].gradientStd;
    EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << l;  // NaN: the input layer
  }
}

}  // namespace layerscope
