// layerscope: the desktop app. Argument parsing only; the window is ui/main_window.
//   layerscope [--config FILE] [--autostart] [--no-restore]
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QtGlobal>

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
  // Hidden: run a built-in lesson at start (screenshots, lecture demos).
  QCommandLineOption lesson(QStringLiteral("lesson"), QStringLiteral("Run the lesson ID."),
                            QStringLiteral("ID"));
  lesson.setFlags(QCommandLineOption::HiddenFromHelp);
  parser.addOptions({config, autostart, noRestore, lesson});
  parser.process(app);

  layerscope::StartOptions options;
  options.configPath = parser.value(config);
  options.autostart = parser.isSet(autostart);
  options.restoreSettings = !parser.isSet(noRestore);
  layerscope::MainWindow window(options);
  window.show();
  if (parser.isSet(lesson))
    if (const QString e = window.runLesson(parser.value(lesson)); !e.isEmpty()) qWarning("%s", qPrintable(e));
  return app.exec();
}
