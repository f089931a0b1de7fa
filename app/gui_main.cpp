// layerscope: the desktop app. Argument parsing only; the window is ui/main_window.
//   layerscope [--config FILE] [--autostart] [--no-restore]
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include "main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("LayerScope"));
  QApplication::setApplicationName(QStringLiteral("LayerScope"));
  QApplication::setApplicationVersion(QStringLiteral(LAYERSCOPE_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/layerscope.svg")));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("LayerScope: watch every layer of a deep network train, or fail to."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption config(QStringLiteral("config"),
                                  QStringLiteral("Open the experiment FILE (JSON)."),
                                  QStringLiteral("FILE"));
  const QCommandLineOption autostart(QStringLiteral("autostart"),
                                     QStringLiteral("Start training as soon as the window is up."));
  const QCommandLineOption noRestore(
      QStringLiteral("no-restore"),
      QStringLiteral("Ignore the previous session's experiment and window layout."));
  parser.addOptions({config, autostart, noRestore});
  parser.process(app);

  layerscope::StartOptions options;
  options.configPath = parser.value(config);
  options.autostart = parser.isSet(autostart);
  options.restoreSettings = !parser.isSet(noRestore);
  layerscope::MainWindow window(options);
  window.show();
  return app.exec();
}
