// Exported figures are read by people who never saw the window: every label must be whole,
// inside the image and clear of every other label. Checked on the SVG export with an
// independent renderer (rsvg-convert, Debian's librsvg2-bin), not with Qt's own text metrics,
// so a mistake in how Qt measures or places text cannot hide itself.
//
// Method: QSvgGenerator (ui/plots/plot_export.cpp) writes each drawn string as one <text>
// element inside the <g> groups that carry its transform and clip. For each text element the
// test writes a copy of the SVG that keeps the whole group structure (transforms, clip paths)
// but no other text and no graphics, on a canvas enlarged by a margin on every side, and
// renders it with rsvg-convert. The inked pixels of that image are the text's true box, as a
// reader sees it, rotated axis titles included. Then:
//   - every box lies inside the page (the margin shows what falls outside it);
//   - no two boxes intersect;
//   - no text is cut by a clip: the same copy rendered without its clip paths inks the same box;
//   - no text was elided ("..." or the ellipsis character): legends and titles are complete.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextDocumentFragment>
#include <vector>

#include "common/experiments.h"
#include "export/plot_render.h"
#include "plots/dashboard_export.h"
#include "run/run_history.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

constexpr int kMargin = 300;  // canvas pixels around the page: where text outside it lands

struct RecordedTrainer {
  std::vector<StatsSnapshot> snapshots;
  std::vector<StepLoss> losses;
};

RecordedTrainer record(const ExperimentConfig& c) {
  Trainer t(c);
  RecordedTrainer r;
  while (!t.finished()) {
    if (t.probeDue()) r.snapshots.push_back(t.probe());
    const StepResult s = t.trainStep();
    r.losses.push_back({s.step, s.loss});
  }
  r.snapshots.push_back(t.probe());
  return r;
}

// A current run and two pinned ones labelled as the window labels them (main_window_lab.cpp):
// the comparison a user exports, with the longest legends.
struct Comparison {
  ExperimentConfig current = testing::smallGaussian();
  RecordedRun run;
  RecordedTrainer live;
  Comparison() {
    current.train.steps = 60;
    current.stats.every = 5;
    live = record(current);
    run.snapshots = live.snapshots;
    run.losses = live.losses;
    run.experiment = &current;
    const char* labels[] = {"pinned 1: relu he_normal", "pinned 2: tanh xavier_normal lr 0.2"};
    for (int i = 0; i < 2; ++i) {
      ExperimentConfig c = current;
      c.model.activation = i == 0 ? "relu" : "tanh";
      c.model.init = i == 0 ? "he_normal" : "xavier_normal";
      if (i == 1) c.train.learningRate = 0.2;
      const RecordedTrainer earlier = record(c);
      RunHistory history;
      history.addLosses(earlier.losses);
      for (const StatsSnapshot& s : earlier.snapshots) history.addSnapshot(s);
      run.pinned.append(makePinnedRun(earlier.snapshots.back(), history,
                                      QString::fromLatin1(labels[i]), pinnedColor(i)));
    }
  }
};

struct TextBox {
  QString text;
  QRect box;       // inked pixels, page coordinates
  QRect unclipped;  // the same with every clip path removed
};

QRect inked(const QImage& image) {
  int left = image.width(), top = image.height(), right = -1, bottom = -1;
  for (int y = 0; y < image.height(); ++y) {
    const QRgb* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
    for (int x = 0; x < image.width(); ++x)
      if (qAlpha(line[x]) > 60) {  // the antialiasing fringe of a neighbour is not a collision
        left = std::min(left, x);
        right = std::max(right, x);
        top = std::min(top, y);
        bottom = std::max(bottom, y);
      }
  }
  if (right < 0) return {};
  return QRect(QPoint(left - kMargin, top - kMargin), QPoint(right - kMargin, bottom - kMargin));
}

QString rsvgConvert() { return QStandardPaths::findExecutable(QStringLiteral("rsvg-convert")); }

// Renders `svg` with rsvg-convert; an empty image (and `error`) when that fails.
QImage render(const QString& svg, const QString& dir, QString* error) {
  const QString in = dir + QStringLiteral("/one.svg"), out = dir + QStringLiteral("/one.png");
  QFile f(in);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return {};
  f.write(svg.toUtf8());
  f.close();
  QProcess p;
  p.start(rsvgConvert(), {QStringLiteral("-b"), QStringLiteral("none"), QStringLiteral("-o"), out, in});
  if (!p.waitForFinished(30000) || p.exitCode() != 0) {
    *error = QString::fromUtf8(p.readAllStandardError());
    return {};
  }
  QImage image(out);
  return image.convertToFormat(QImage::Format_ARGB32);
}

// The boxes of every text of the SVG file at `path`, whose page is `page` pixels.
std::vector<TextBox> textBoxes(const QString& path, QSize page, QString* error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("cannot read ") + path;
    return {};
  }
  QString svg = QString::fromUtf8(f.readAll());
  // The canvas: the page with a margin on every side, one pixel per user unit.
  static const QRegularExpression root(QStringLiteral("<svg\\b[^>]*>"));
  const QRegularExpressionMatch rootMatch = root.match(svg);
  if (!rootMatch.hasMatch()) {
    *error = QStringLiteral("no <svg> element");
    return {};
  }
  QString rootTag = rootMatch.captured(0);
  static const QRegularExpression sizeAttrs(
      QStringLiteral("\\s(width|height|viewBox)=\"[^\"]*\""));
  rootTag.remove(sizeAttrs);
  rootTag.insert(4, QStringLiteral(" width=\"%1\" height=\"%2\" viewBox=\"%3 %3 %1 %2\"")
                        .arg(page.width() + 2 * kMargin)
                        .arg(page.height() + 2 * kMargin)
                        .arg(-kMargin));
  svg.replace(rootMatch.capturedStart(), rootMatch.capturedLength(), rootTag);

  // Clip paths keep their shapes; every other graphic goes.
  static const QRegularExpression clipPath(QStringLiteral("<clipPath\\b.*?</clipPath>"),
                                           QRegularExpression::DotMatchesEverythingOption);
  QStringList clips;
  for (auto it = clipPath.globalMatch(svg); it.hasNext();) clips << it.next().captured(0);
  for (int i = 0; i < clips.size(); ++i)
    svg.replace(clips[i], QStringLiteral("@@CLIP%1@@").arg(i));
  static const QRegularExpression graphics(
      QStringLiteral("<(path|image|polyline|polygon|ellipse|circle|line|rect)\\b[^>]*/>"),
      QRegularExpression::DotMatchesEverythingOption);
  svg.remove(graphics);
  for (int i = 0; i < clips.size(); ++i) svg.replace(QStringLiteral("@@CLIP%1@@").arg(i), clips[i]);

  static const QRegularExpression textElement(QStringLiteral("<text\\b[^>]*>(.*?)</text>"),
                                              QRegularExpression::DotMatchesEverythingOption);
  QStringList between, texts, contents;
  qsizetype at = 0;
  for (auto it = textElement.globalMatch(svg); it.hasNext();) {
    const QRegularExpressionMatch m = it.next();
    between << svg.mid(at, m.capturedStart() - at);
    texts << m.captured(0);
    contents << QTextDocumentFragment::fromHtml(m.captured(1)).toPlainText();
    at = m.capturedEnd();
  }
  between << svg.mid(at);

  static const QRegularExpression clipRef(QStringLiteral("\\sclip-path=\"[^\"]*\""));
  QTemporaryDir dir;
  std::vector<TextBox> boxes;
  for (int i = 0; i < texts.size(); ++i) {
    if (contents[i].trimmed().isEmpty()) continue;
    QString one;
    for (int j = 0; j < texts.size(); ++j) one += between[j] + (j == i ? texts[j] : QString());
    one += between.back();
    TextBox box;
    box.text = contents[i];
    box.box = inked(render(one, dir.path(), error));
    if (!error->isEmpty()) return {};
    QString unclippedSvg = one;
    unclippedSvg.remove(clipRef);
    box.unclipped = unclippedSvg == one ? box.box : inked(render(unclippedSvg, dir.path(), error));
    if (!error->isEmpty()) return {};
    if (!box.unclipped.isEmpty()) boxes.push_back(box);
  }
  return boxes;
}

QString describe(const TextBox& b) {
  return QStringLiteral("\"%1\" at (%2, %3) %4 x %5")
      .arg(b.text)
      .arg(b.box.left())
      .arg(b.box.top())
      .arg(b.box.width())
      .arg(b.box.height());
}

// Every problem of the figure, one line each (empty: none).
QStringList layoutProblems(const std::vector<TextBox>& boxes, QSize page) {
  QStringList problems;
  const QRect inside(QPoint(0, 0), page);
  for (const TextBox& b : boxes) {
    if (b.box != b.unclipped)
      problems << QStringLiteral("clipped: %1 (whole: %2 x %3)")
                      .arg(describe(b))
                      .arg(b.unclipped.width())
                      .arg(b.unclipped.height());
    else if (!inside.contains(b.box))
      problems << QStringLiteral("outside the %1 x %2 image: %3")
                      .arg(page.width()).arg(page.height()).arg(describe(b));
    if (b.text.contains(QChar(0x2026)) || b.text.contains(QLatin1String("...")))
      problems << QStringLiteral("elided: ") + describe(b);
  }
  for (size_t i = 0; i < boxes.size(); ++i)
    for (size_t j = i + 1; j < boxes.size(); ++j)
      if (boxes[i].box.intersects(boxes[j].box))
        problems << QStringLiteral("overlap: %1 and %2").arg(describe(boxes[i]), describe(boxes[j]));
  return problems;
}

void expectCleanText(const Comparison& c, const QString& plot, QSize size) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("figure.svg"));
  ExportOptions options;
  options.size = size;
  ASSERT_EQ(renderPlotFile(plot, c.run, path, options), QString());
  const QSize page = size.isValid() ? size
                                    : (plot == QLatin1String("dashboard") ? QSize(1400, 1000)
                                                                          : QSize(800, 560));
  // The dashboard is two files: the overview and the Over time tab (plots/dashboard_export.h).
  QStringList files = {path};
  if (plot == QLatin1String("dashboard")) files << overTimeExportPath(path);
  for (const QString& file : files) {
    QString error;
    const std::vector<TextBox> boxes = textBoxes(file, page, &error);
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    ASSERT_GT(boxes.size(), 10u) << "the SVG should hold the plots' text as <text> elements";
    const QStringList problems = layoutProblems(boxes, page);
    EXPECT_TRUE(problems.isEmpty()) << QFileInfo(file).fileName().toStdString() << ": "
                                    << plot.toStdString() << " at " << page.width() << " x "
                                    << page.height() << ":\n"
                                    << problems.join(QLatin1Char('\n')).toStdString();
  }
}

const Comparison& comparison() {
  static const Comparison c;
  return c;
}

}  // namespace

TEST(ExportTextLayout, DashboardAtTheDefaultSizeHasWholeSeparateLabels) {
  if (rsvgConvert().isEmpty()) GTEST_SKIP() << "rsvg-convert not installed (librsvg2-bin)";
  expectCleanText(comparison(), QStringLiteral("dashboard"), QSize());
}

TEST(ExportTextLayout, DashboardAtOtherSizesHasWholeSeparateLabels) {
  if (rsvgConvert().isEmpty()) GTEST_SKIP() << "rsvg-convert not installed (librsvg2-bin)";
  for (const QSize size : {QSize(1000, 750), QSize(1920, 1080)})
    expectCleanText(comparison(), QStringLiteral("dashboard"), size);
}

TEST(ExportTextLayout, EachPlotAtTheDefaultSizeHasWholeSeparateLabels) {
  if (rsvgConvert().isEmpty()) GTEST_SKIP() << "rsvg-convert not installed (librsvg2-bin)";
  for (const char* plot : {"loss", "histograms", "depth_profile"})
    expectCleanText(comparison(), QString::fromLatin1(plot), QSize());
}

}  // namespace layerscope
