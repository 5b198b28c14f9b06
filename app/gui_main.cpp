// fewdata: the desktop workbench. `--screenshot DIR` trains a short run on the embedded
// default, then saves one PNG per page into DIR and quits (the README's pictures).
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include "experiment_form.h"
#include "main_window.h"
#include "results_view.h"

namespace {

int takeScreenshots(const QString& dir) {
    // Settings and runs of this mode stay out of the user's own.
    static QTemporaryDir scratch;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch.path());
    QSettings().setValue("runsFolder", scratch.filePath("runs"));
    QDir().mkpath(dir);

    fewdata::MainWindow w;
    fewdata::TrainConfig c;
    c.epochs = 10;
    c.max_test_samples = 1000;
    w.experiment()->setConfig(c);
    w.resize(1280, 860);
    w.show();
    auto* controller = w.controller();
    QObject::connect(controller, &fewdata::EngineController::runFailed, &w,
                     [](const fewdata::RunResult& r) {
                         qCritical("run %s: %s", r.status.c_str(), r.message.c_str());
                         QApplication::exit(2);
                     });
    // Once the run is over and its results are scanned, every page has real content.
    QObject::connect(controller, &fewdata::EngineController::runningChanged, &w,
                     [&w](bool running) {
                         if (!running)
                             w.results()->setFolder(QSettings().value("runsFolder").toString());
                     });
    QObject::connect(w.results(), &fewdata::ResultsView::scanned, &w, [&w, dir] {
        if (w.controller()->isRunning() || w.results()->rowCount() == 0) return;
        const QStringList names = w.pageNames();
        bool ok = true;
        for (int i = 0; i < names.size(); ++i) {
            w.showPage(i);
            QApplication::processEvents();
            const QString file =
                QDir(dir).filePath(QString("%1-%2.png").arg(i + 1).arg(names[i].toLower()));
            ok = w.grab().save(file, "PNG") && ok;
        }
        QApplication::exit(ok ? 0 : 1);
    });
    QTimer::singleShot(0, &w, [&w] { w.startRun(); });
    QTimer::singleShot(20 * 60 * 1000, [] { QApplication::exit(3); });  // a stuck run
    return QApplication::exec();
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("FewData");
    QApplication::setApplicationName("FewData Workbench");
    QApplication::setApplicationVersion("0.1.0");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Image classification when data is scarce"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(
        "screenshot",
        QApplication::translate("main", "Train a short run, save a PNG of every page, quit."),
        QApplication::translate("main", "folder"));
    parser.addOption(screenshot);
    parser.process(app);

    if (parser.isSet(screenshot)) return takeScreenshots(parser.value(screenshot));
    fewdata::MainWindow window;
    window.show();
    return QApplication::exec();
}
