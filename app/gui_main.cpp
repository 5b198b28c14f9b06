// fewdata: the desktop workbench. `--screenshot DIR` trains a short run on the embedded
// default, then saves one PNG per page into DIR and quits (the README's pictures).
#include <cstdio>
#include <cstring>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QIcon>
#include <QLibraryInfo>
#include <QListView>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QTranslator>

#include "augmentation_preview.h"
#include "dataset_browser.h"
#include "experiment_form.h"
#include "graph_view.h"
#include "main_window.h"
#include "results_view.h"
#include "run_details.h"
#include "sample_gallery.h"
#include "study_page.h"
#include "study_plot_view.h"

#include <QTabWidget>
#include <memory>
#include "thumbnail_model.h"
#include "version_text.h"

namespace {

// Lets the page's background work (thumbnails, previews) finish before it is grabbed.
void settle(fewdata::MainWindow& w) {
    QElapsedTimer t;
    t.start();
    do {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(20);
        QApplication::processEvents();
    } while (t.elapsed() < 15000 &&
             (w.dataset()->model()->pendingCount() > 0 || w.dataset()->prepared() == nullptr ||
              w.augmentation()->busy() || w.graph()->busy() || t.elapsed() < 500));
}

// The Results page's Plots tab, and the run's details with the test images of its most
// frequent confusion: pictures that follow the pages'.
bool grabPlotsAndGallery(fewdata::MainWindow& w, const QString& dir, int pages) {
    w.showPage(fewdata::MainWindow::PageId::Results);
    auto* tabs = w.results()->findChild<QTabWidget*>();
    if (!tabs) return false;
    tabs->setCurrentWidget(w.results()->plots());
    settle(w);
    bool ok = w.grab().save(QDir(dir).filePath(QString("%1-plots.png").arg(pages + 1)), "PNG");
    std::unique_ptr<fewdata::RunDetails> details(w.results()->details(0));
    if (!details) return false;
    details->resize(1100, 820);
    details->show();
    QElapsedTimer t;
    t.start();
    while (!details->predictionsReady() && t.elapsed() < 15000) QApplication::processEvents();
    // The largest off-diagonal cell: the mistake the model makes most.
    int bestRow = 0, bestColumn = 1, most = -1;
    const auto& m = w.results()->runRecord(0).testConfusion;
    for (size_t r = 0; r < m.size(); ++r)
        for (size_t c = 0; c < m[r].size(); ++c)
            if (r != c && m[r][c] > most) {
                most = int(m[r][c]);
                bestRow = int(r);
                bestColumn = int(c);
            }
    details->showCell(bestRow, bestColumn);
    t.restart();
    while ((details->cellGallery()->busy() || t.elapsed() < 500) && t.elapsed() < 15000) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(20);
    }
    ok = details->grab().save(QDir(dir).filePath(QString("%1-run-details.png").arg(pages + 2)),
                              "PNG") &&
         ok;
    return ok;
}

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
    c.method = "cutmix";  // the augmentation page then shows a mixed training batch
    c.max_test_samples = 1000;
    w.experiment()->setConfig(c);
    w.resize(1440, 880);  // the Augmentation page's widest row without scrolling
    w.show();
    auto* controller = w.controller();
    QObject::connect(controller, &fewdata::EngineController::runFailed, &w,
                     [](const fewdata::RunResult& r) {
                         qCritical("run %s: %s", statusName(r.status).c_str(), r.message.c_str());
                         QApplication::exit(2);
                     });
    // Once the run is over and its results are listed, every page has real content. Polled
    // rather than chained to one scan: the run's end starts scans of its own.
    auto* poll = new QTimer(&w);
    poll->setInterval(250);
    QObject::connect(poll, &QTimer::timeout, &w, [&w, dir, poll] {
        static int ticks = 0;
        if (w.controller()->isRunning()) return;
        if (w.results()->rowCount() == 0) {
            if (++ticks % 20 == 0)
                w.results()->setFolder(QSettings().value("runsFolder").toString());
            return;
        }
        poll->stop();
        // The Study page with a learning-curve study planned beside the run.
        w.study()->applyPreset("fmnist-table1");
        w.study()->setPerClassText("5,10,20,50");
        w.study()->setOutDir(QDir(QSettings().value("runsFolder").toString()).filePath("study"));
        const QStringList names = w.pageNames();
        bool ok = true;
        for (int i = 0; i < names.size(); ++i) {
            w.showPage(i);
            settle(w);
            const QString file =
                QDir(dir).filePath(QString("%1-%2.png").arg(i + 1).arg(names[i].toLower()));
            ok = w.grab().save(file, "PNG") && ok;
        }
        ok = grabPlotsAndGallery(w, dir, names.size()) && ok;
        QApplication::exit(ok ? 0 : 1);
    });
    QObject::connect(controller, &fewdata::EngineController::runningChanged, &w,
                     [&w, poll](bool running) {
                         if (running) return;
                         w.results()->setFolder(QSettings().value("runsFolder").toString());
                         poll->start();
                     });
    // The dataset page shows the protocol's draw before the run takes the CPU.
    QObject::connect(w.dataset(), &fewdata::DatasetBrowser::splitsDrawn, &w, [&w] {
        static bool started = false;
        if (started) return;
        started = true;
        // A pair of two classes, and a training image in the details pane.
        const auto labels = w.dataset()->prepared()->splits.train.labels;
        int b = 1;
        while (b + 1 < labels.size(0) && labels[b].item<int64_t>() == labels[0].item<int64_t>())
            ++b;
        w.augmentation()->setPair(0, b);
        w.augmentation()->setLambda(0.6);
        w.dataset()->filterSplit(int(fewdata::SplitTag::Train));
        settle(w);
        w.dataset()->view()->setCurrentIndex(w.dataset()->view()->model()->index(3, 0));
        w.dataset()->filterSplit(-1);
        w.startRun();
    });
    QTimer::singleShot(20 * 60 * 1000, [] { QApplication::exit(3); });  // a stuck run
    return QApplication::exec();
}

// --lang as given, before the real parser exists: its help texts must already be translated.
QString requestedLanguage() {
    QCommandLineParser early;
    const QCommandLineOption language("lang", QString(), "code");
    early.addOption(language);
    early.addOption(QCommandLineOption("screenshot", QString(), "folder"));
    early.parse(QCoreApplication::arguments());  // errors are the real parser's to report
    return early.isSet(language) ? early.value(language) : QString();
}

// fewdata's own strings (embedded under :/i18n) and Qt's (dialog buttons, --help) from the
// system's qt6-translations-l10n. English is the source language and needs no file.
void installTranslators(const QString& code, bool requested) {
    const QLocale locale = code == "system" ? QLocale::system() : QLocale(code);
    if (locale.language() == QLocale::English || locale.language() == QLocale::C) return;
    static QTranslator app, qt;
    if (app.load(locale, "fewdata", "_", ":/i18n"))
        QApplication::installTranslator(&app);
    else if (requested)
        qWarning("no translation for '%s'; the interface stays in English", qPrintable(code));
    if (qt.load(locale, "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qt);
}

// --version or -v among the options (not as the value of --screenshot or --lang, not after
// "--"): answered before QApplication, which needs a display, exists.
bool versionRequested(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (std::strcmp(a, "--") == 0) return false;
        if (std::strcmp(a, "--version") == 0 || std::strcmp(a, "-v") == 0) return true;
        if (std::strcmp(a, "--screenshot") == 0 || std::strcmp(a, "--lang") == 0) ++i;
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    if (versionRequested(argc, argv)) {
        std::printf("%s\n", fewdata::versionText("fewdata").c_str());
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName("FewData");
    QApplication::setApplicationName("FewData Workbench");
    QApplication::setApplicationVersion(FEWDATA_VERSION_STRING);
    QApplication::setDesktopFileName("fewdata");
    QIcon icon;
    for (int size : {32, 64, 256}) icon.addFile(QString(":/icons/fewdata-%1.png").arg(size));
    QApplication::setWindowIcon(icon);

    const QString requested = requestedLanguage();
    const QString effective =
        requested.isEmpty() ? QSettings().value("language", "system").toString() : requested;
    installTranslators(effective, !requested.isEmpty());
    // The window offers a restart only for a language other than the one it is built in.
    app.setProperty("fewdataLanguage", effective);

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
    QCommandLineOption language(
        "lang",
        QApplication::translate("main",
                                "Interface language: de, en or system (default: the "
                                "language chosen in the View menu, else the system's)."),
        QApplication::translate("main", "code"));
    parser.addOption(language);
    parser.process(app);

    if (parser.isSet(screenshot)) return takeScreenshots(parser.value(screenshot));
    fewdata::MainWindow window;
    window.show();
    window.offerUnfinishedRuns();
    const int status = QApplication::exec();
    if (window.restartRequested() &&
        !QProcess::startDetached(
            QApplication::applicationFilePath(),
            fewdata::MainWindow::restartArguments(QApplication::arguments())))
        qWarning("could not start the workbench again; start it by hand");
    return status;
}
