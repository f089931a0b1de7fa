// Help > About: what this build is and what it computes with (the matrix-product kernel, the
// elementwise kernels' CPU level, the threads). Kept apart so the engine's kernel choices are
// read in one place of the window.
#include <QMenuBar>
#include <QMessageBox>

#include "compute_threads.h"
#include "gemm.h"
#include "main_window.h"
#include "cpu_level.h"

namespace layerscope {

void MainWindow::buildHelpMenu() {
  menuBar()->addMenu(tr("&Help"))->addAction(tr("&About LayerScope"), this, [this] {
    QMessageBox::about(this, tr("About LayerScope"), aboutText());
  });
}

QString MainWindow::aboutText() {
  return tr("<p><b>LayerScope %1</b>: why a deep network trains, or fails to, layer by layer.</p>"
            "<p>Matrix products: %2<br>(%3)</p>"
            "<p>Elementwise kernels: %6</p>"
            "<p>Set LAYERSCOPE_GEMM=eigen or openblas to choose another kernel.</p>"
            "<p>Threads: auto = %4 (this machine's physical cores: %5).</p>")
      .arg(QStringLiteral(LAYERSCOPE_VERSION), QString::fromStdString(gemmChoice().name),
           QString::fromStdString(gemmChoice().reason))
      .arg(resolveThreads(0))
      .arg(physicalCores())
      .arg(QString::fromStdString(kernelLevelName(kernelLevel())));
}

}  // namespace layerscope
