// File > Export animation's dialog (ui/export/animation_dialog.h): the fields make the request,
// the export runs a frame per event-loop turn (the event loop keeps turning: a timer set before
// it fires before the export ends), Cancel leaves no file, and a bad field is a message in the
// dialog, not a file.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <QTimer>

#include "common/temp_dir.h"
#include "export/animation_dialog.h"
#include "export/recorded_spiral.h"

namespace layerscope {
namespace {

using testing::TempDir;

template <typename T>
T* child(QWidget& parent, const char* name) {
  T* w = parent.findChild<T*>(QString::fromLatin1(name));
  EXPECT_NE(w, nullptr) << name;
  return w;
}

TEST(AnimationDialog, FieldsMakeTheRequest) {
  TempDir dir("layerscope-anim-dialog");
  const QString path = QString::fromStdString(dir.file("a.gif"));
  AnimationDialog dialog(testing::recordedSpiral(), path);
  EXPECT_EQ(child<QComboBox>(dialog, "animationPlot")->currentText(), QStringLiteral("dashboard"));
  EXPECT_EQ(child<QSpinBox>(dialog, "animationFps")->maximum(), kGifMaxFps);  // a GIF
  EXPECT_EQ(child<QSpinBox>(dialog, "animationFrom")->value(), 0);
  EXPECT_EQ(child<QSpinBox>(dialog, "animationTo")->value(), 300);
  child<QComboBox>(dialog, "animationPlot")->setCurrentText(QStringLiteral("loss"));
  EXPECT_EQ(child<QSpinBox>(dialog, "animationWidth")->value(), 800);
  child<QSpinBox>(dialog, "animationFps")->setValue(12);
  child<QSpinBox>(dialog, "animationFrom")->setValue(100);
  const AnimationRequest r = dialog.request();
  EXPECT_EQ(r.path, path);
  EXPECT_EQ(r.plot, QStringLiteral("loss"));
  EXPECT_EQ(r.size, QSize(800, 560));
  EXPECT_EQ(r.fps, 12);
  EXPECT_EQ(r.stepsPerFrame, 0);
  EXPECT_EQ(r.fromStep, 100);
  EXPECT_EQ(r.toStep, 300);
}

TEST(AnimationDialog, ExportsAFrameAtATimeAndCancelLeavesNoFile) {
  TempDir dir("layerscope-anim-dialog");
  const QString path = QString::fromStdString(dir.file("a.mp4"));
  AnimationDialog dialog(testing::recordedSpiral(), path);
  child<QComboBox>(dialog, "animationPlot")->setCurrentText(QStringLiteral("depth_profile"));
  child<QSpinBox>(dialog, "animationWidth")->setValue(320);
  child<QSpinBox>(dialog, "animationHeight")->setValue(240);
  child<QDoubleSpinBox>(dialog, "animationDuration")->setValue(2);  // 20 frames at 10/s
  auto* progress = child<QProgressBar>(dialog, "animationProgress");
  bool written = false;
  QObject::connect(&dialog, &AnimationDialog::exportFinished,
                   [&](bool ok, const QString&) { written = ok; });
  // A timer set when the export starts fires while it runs: frames leave the loop turning.
  int progressWhenTimerFired = -1;
  QTimer::singleShot(0, [&] { progressWhenTimerFired = progress->value(); });
  dialog.startExport();
  EXPECT_TRUE(dialog.running());
  QTRY_VERIFY_WITH_TIMEOUT(!dialog.running(), 60000);
  EXPECT_TRUE(written) << dialog.lastError().toStdString();
  EXPECT_GE(progressWhenTimerFired, 0);
  EXPECT_LT(progressWhenTimerFired, 20);
  EXPECT_EQ(progress->value(), 20);
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"a.mp4"}));

  // Again to another file, cancelled after a few frames: no file, no temporary.
  AnimationDialog second(testing::recordedSpiral(), QString::fromStdString(dir.file("b.gif")));
  child<QComboBox>(second, "animationPlot")->setCurrentText(QStringLiteral("loss"));
  child<QSpinBox>(second, "animationWidth")->setValue(320);
  child<QSpinBox>(second, "animationHeight")->setValue(240);
  second.startExport();
  auto* secondProgress = child<QProgressBar>(second, "animationProgress");
  QTRY_VERIFY_WITH_TIMEOUT(secondProgress->value() >= 3, 60000);
  child<QPushButton>(second, "animationCancel")->click();
  EXPECT_FALSE(second.running());
  EXPECT_TRUE(second.lastError().startsWith(QStringLiteral("Cancelled")));
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"a.mp4"}));
}

TEST(AnimationDialog, ABadRangeIsAMessage) {
  TempDir dir("layerscope-anim-dialog");
  AnimationDialog dialog(testing::recordedSpiral(), QString::fromStdString(dir.file("a.gif")));
  child<QSpinBox>(dialog, "animationFrom")->setValue(250);
  child<QSpinBox>(dialog, "animationTo")->setValue(100);
  dialog.startExport();
  EXPECT_FALSE(dialog.running());
  EXPECT_TRUE(dialog.lastError().startsWith(QStringLiteral("steps: "))) << dialog.lastError().toStdString();
  EXPECT_TRUE(child<QLabel>(dialog, "animationStatus")->text().startsWith(QStringLiteral("steps: ")));
  EXPECT_TRUE(dir.entries().empty());
}

}  // namespace
}  // namespace layerscope
