// fewdata-gui-bench: the desktop window's responsiveness, printed one figure per line.
//   window_ms        process start to the window shown and painted once
//   thumbnails_s     every thumbnail of the embedded Fashion-MNIST (70,000) decoded, asked for
//                    a screenful at a time as a user scrolling through would
//   thumbnails_per_s the same as a rate
//   worst_gap_ms     the event loop's longest pause (10 ms timer) while a short run trains
//   rss_*_mib        resident memory with the dataset open, after every thumbnail, and the
//                    process's peak (VmHWM) at the end, training included
// Run under xvfb-run, or with QT_QPA_PLATFORM=offscreen.
#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <fstream>
#include <string>

#include "dataset_browser.h"
#include "experiment_form.h"
#include "main_window.h"
#include "process_status.h"
#include "thumbnail_model.h"

namespace {

bool waitFor(const std::function<bool()>& done, int ms) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    return done();
}

}  // namespace

int main(int argc, char** argv) {
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QTemporaryDir scratch;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch.path());
    QSettings().setValue("runsFolder", scratch.filePath("runs"));

    fewdata::MainWindow w;
    w.resize(1280, 860);
    w.show();
    QApplication::processEvents();
    w.repaint();
    std::printf("window_ms %lld\n", static_cast<long long>(sinceStart.elapsed()));

    auto* browser = w.dataset();
    if (!waitFor([&] { return browser->prepared() != nullptr; }, 120000)) {
        std::fprintf(stderr, "the embedded dataset did not open\n");
        return 1;
    }
    std::printf("rss_dataset_open_mib %.1f\n", fewdata::bench::procStatus("VmRSS:"));
    fewdata::ThumbnailModel* model = browser->model();
    QElapsedTimer grid;
    grid.start();
    const int rows = model->rowCount();
    const int screen = 120;  // about a screenful of 64 px thumbnails
    for (int first = 0; first < rows; first += screen) {
        for (int r = first; r < std::min(rows, first + screen); ++r)
            model->data(model->index(r), Qt::DecorationRole);
        waitFor([&] { return model->pendingCount() == 0; }, 60000);
    }
    const double seconds = grid.elapsed() / 1000.0;
    std::printf("thumbnails %d\n", model->decodedCount());
    std::printf("thumbnails_s %.2f\n", seconds);
    std::printf("thumbnails_per_s %.0f\n", model->decodedCount() / std::max(seconds, 1e-9));
    std::printf("rss_after_thumbnails_mib %.1f\n", fewdata::bench::procStatus("VmRSS:"));

    fewdata::TrainConfig c;
    c.epochs = 2;
    c.per_class = 20;
    c.max_test_samples = 500;
    w.experiment()->setConfig(c);
    qint64 worst = 0;
    QElapsedTimer gap;
    gap.start();
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, [&] { worst = std::max(worst, gap.restart()); });
    timer.start(10);
    w.startRun();
    waitFor([&] { return w.controller()->isRunning(); }, 10000);
    waitFor([&] { return !w.controller()->isRunning(); }, 600000);
    std::printf("worst_gap_ms %lld\n", static_cast<long long>(worst));
    std::printf("peak_rss_mib %.1f\n", fewdata::bench::procStatus("VmHWM:"));
    return 0;
}
