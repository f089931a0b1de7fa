#include "plots/dashboard_export.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTabWidget>

#include "plots/dashboard.h"
#include "plots/over_time_page.h"
#include "plots/over_time_plot.h"

namespace layerscope {

namespace {

// Shows `page` of the dashboard's tabs for the lifetime of this object.
class ShownTab {
 public:
  ShownTab(QTabWidget* tabs, QWidget* page) : tabs_(tabs), old_(tabs->currentIndex()) {
    tabs_->setCurrentWidget(page);
    // The page was hidden: its layout (and Qt Charts' layouts) run on posted requests.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
  }
  ~ShownTab() { tabs_->setCurrentIndex(old_); }

 private:
  QTabWidget* tabs_;
  int old_;
};

}  // namespace

QString overTimeExportPath(const QString& path) {
  const QFileInfo info(path);
  const QString name = info.completeBaseName() + QStringLiteral("-over-time.") + info.suffix();
  return info.path() == QLatin1String(".") && !path.startsWith(QLatin1String("./"))
             ? name
             : QDir(info.path()).filePath(name);
}

QString exportDashboardTabs(Dashboard* dashboard, const QString& path, ExportOptions options,
                            QStringList* written) {
  const QString base = options.title;
  QTabWidget* tabs = dashboard->tabs();
  QWidget* overview = tabs->widget(0);
  std::vector<PlotView*> overviewPlots;
  for (PlotView* plot : dashboard->plots())
    if (overview->isAncestorOf(plot)) overviewPlots.push_back(plot);
  {
    const ShownTab shown(tabs, overview);
    options.title = base + QStringLiteral(": overview");
    // The dashboard itself is the area: the exported overview keeps the window's layout.
    if (QString error = exportPlots(dashboard, overviewPlots, path, options); !error.isEmpty())
      return error;
  }
  OverTimePage* page = dashboard->overTime();
  const QString second = overTimeExportPath(path);
  {
    const ShownTab shown(tabs, page);
    // The page alone is the area: its pickers are widgets the export does not draw, and each
    // plot's heading names what it shows (the statistic, the layer and the quantity).
    for (PlotView* plot : page->plots())
      if (auto* overTime = qobject_cast<OverTimePlot*>(plot)) overTime->updateNow();
    options.title = base + QStringLiteral(": over time");
    if (QString error = exportPlots(page, page->plots(), second, options); !error.isEmpty())
      return error;
  }
  if (written) *written = {path, second};
  return {};
}

}  // namespace layerscope
