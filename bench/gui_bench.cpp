// fewdata-gui-bench: the desktop window's responsiveness, printed one figure per line.
//   window_ms        process start to the window shown and painted once
//   thumbnails_s     every thumbnail of the embedded Fashion-MNIST (70,000) decoded, asked for
//                    a screenful at a time as a user scrolling through would
//   thumbnails_per_s the same as a rate
//   worst_gap_ms     the event loop's longest pause (10 ms timer) while a short run trains
//   study500_*       a study folder of 500 finished runs opened on the Results page (tables and
//                    plots) and on the Study page (plan and states): the time until shown and
//                    the event loop's longest pause meanwhile
//   rss_*_mib        resident memory with the dataset open, after every thumbnail, and the
//                    process's peak (VmHWM) at the end, training included
// Run under xvfb-run, or with QT_QPA_PLATFORM=offscreen.
#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/run/study.h"
#include "dataset_browser.h"
#include "results_view.h"
#include "study_page.h"
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

// 5 methods x K 5, 10, 20, 50 x 25 seeds of finished runs, as a comparison writes them.
std::string writeStudyOf500(const QString& root) {
    fewdata::StudySpec spec;
    spec.methods = {"baseline", "mixup", "cutmix", "cosine", "cosine+ce"};
    spec.perClass = {5, 10, 20, 50};
    spec.seeds = 25;
    spec.base.per_class = 5;
    const std::string out = (root + "/study500").toStdString();
    const auto plan = fewdata::planStudy(spec, out);
    for (size_t i = 0; i < plan.size(); ++i) {
        std::filesystem::create_directories(plan[i].dir);
        std::ofstream(plan[i].dir + "/config.json") << plan[i].config.toJson();
        const double acc = 40.0 + plan[i].perClass * 0.6 + double(i % 7);
        std::ofstream(plan[i].dir + "/result.json")
            << nlohmann::json{{"format", 1},           {"status", "finished"},
                              {"val_accuracy", acc},   {"test_accuracy", acc},
                              {"test_accuracy_last", acc}, {"seconds", 60.0},
                              {"best_epoch", 10}};
    }
    fewdata::writeStudySpec(out, spec);
    return out;
}

// Milliseconds until `done`, and the event loop's longest pause meanwhile (a 10 ms timer).
std::pair<qint64, qint64> timedWithGaps(const std::function<void()>& start,
                                       const std::function<bool()>& done) {
    qint64 worst = 0;
    QElapsedTimer gap, total;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, [&] { worst = std::max(worst, gap.restart()); });
    timer.start(10);
    gap.start();
    total.start();
    start();
    waitFor(done, 120000);
    const qint64 ms = total.elapsed();
    timer.stop();
    worst = std::max(worst, gap.elapsed());
    return {ms, worst};
}

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

    {
        const std::string study = writeStudyOf500(scratch.path());
        auto* results = w.results();
        bool scanned = false;
        QObject::connect(results, &fewdata::ResultsView::scanned, [&] { scanned = true; });
        w.showPage(fewdata::MainWindow::PageId::Results);
        const auto [ms, gap] = timedWithGaps(
            [&] { results->setFolder(QString::fromStdString(study)); }, [&] { return scanned; });
        std::printf("study500_results_runs %d\n", results->runCount());
        std::printf("study500_results_ms %lld\n", static_cast<long long>(ms));
        std::printf("study500_results_worst_gap_ms %lld\n", static_cast<long long>(gap));
        auto* page = w.study();
        bool shown = false;
        QObject::connect(page, &fewdata::StudyPage::planShown, [&] {
            if (page->plan().size() == 500 && !page->busy()) shown = true;
        });
        w.showPage(fewdata::MainWindow::PageId::Study);
        const auto [sms, sgap] = timedWithGaps(
            [&] { page->openFolder(QString::fromStdString(study)); }, [&] { return shown; });
        std::printf("study500_plan_ms %lld\n", static_cast<long long>(sms));
        std::printf("study500_plan_worst_gap_ms %lld\n", static_cast<long long>(sgap));
    }

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
