// fewdata-long-run: many short runs in one process, as an overnight comparison makes, with the
// process's memory and threads along the way: resident memory must not grow with the number of
// runs, and no run may leave a thread behind.
//   fewdata-long-run --runs 200 --via job          TrainJob on this thread (the CLI's way)
//   fewdata-long-run --runs 200 --via controller   EngineController's engine thread (the GUI's)
// Prints one line per report: runs done, RSS in MiB, threads; then the growth from the first
// run to the last (the first run fills the allocator's and LibTorch's caches, so it is the
// baseline rather than the process start).
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/run/train_job.h"
#include "engine_controller.h"
#include "imaging/dataset_factory.h"
#include "process_status.h"

namespace {

struct ProcessFigures {
    double rssMiB = 0;
    int threads = 0;
};

ProcessFigures processFigures() {
    return {fewdata::bench::procStatus("VmRSS:"),
            static_cast<int>(fewdata::bench::procStatus("Threads:"))};
}

fewdata::TrainConfig tinyConfig(int seed) {
    fewdata::TrainConfig c;
    c.per_class = 5;
    c.image_size = 8;
    c.epochs = 1;
    c.batch_size = 16;
    c.max_test_samples = 20;
    c.threads = 2;
    c.seed = seed;
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int runs = 200;
    QString via = "job";
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == "--runs") runs = args[i + 1].toInt();
        if (args[i] == "--via") via = args[i + 1];
    }
    if (runs < 2 || (via != "job" && via != "controller")) {
        std::fprintf(stderr, "usage: fewdata-long-run [--runs N>=2] [--via job|controller]\n");
        return 2;
    }
    QTemporaryDir scratch;
    fewdata::EngineController controller;
    const ProcessFigures start = processFigures();
    std::printf("via %s runs %d\n", qPrintable(via), runs);
    std::printf("start rss_mib %.1f threads %d\n", start.rssMiB, start.threads);
    ProcessFigures first, last = start, peak = start;
    int failures = 0;
    for (int i = 0; i < runs; ++i) {
        const QString dir = scratch.filePath(QString("run-%1").arg(i));
        std::string status;
        if (via == "job") {
            try {
                status = fewdata::statusName(fewdata::TrainJob({tinyConfig(i), dir.toStdString()}, fewdata::openDataset)
                             .run(nullptr, nullptr)
                             .status);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "run %d: %s\n", i, e.what());
                status = "failed";
            }
        } else {
            QEventLoop loop;
            auto done = [&](const fewdata::RunResult& r) {
                status = fewdata::statusName(r.status);
                loop.quit();
            };
            auto a = QObject::connect(&controller, &fewdata::EngineController::runFinished, done);
            auto b = QObject::connect(&controller, &fewdata::EngineController::runFailed, done);
            controller.start(tinyConfig(i), dir);
            loop.exec();
            QObject::disconnect(a);
            QObject::disconnect(b);
            // The engine thread reports idle just after the result: let it get there.
            while (controller.isRunning())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        }
        failures += status != "finished";
        QDir(dir).removeRecursively();  // about 200 MB each: weights, training state, features
        last = processFigures();
        peak.rssMiB = std::max(peak.rssMiB, last.rssMiB);
        peak.threads = std::max(peak.threads, last.threads);
        if (i == 0) first = last;
        if (i == 0 || (i + 1) % 50 == 0 || i + 1 == runs)
            std::printf("after %d rss_mib %.1f threads %d\n", i + 1, last.rssMiB, last.threads);
        std::fflush(stdout);
    }
    std::printf("failed_runs %d\n", failures);
    std::printf("rss_growth_mib %.1f (after run 1: %.1f, after run %d: %.1f, peak %.1f)\n",
                last.rssMiB - first.rssMiB, first.rssMiB, runs, last.rssMiB, peak.rssMiB);
    std::printf("thread_growth %d\n", last.threads - first.threads);
    return failures ? 1 : 0;
}
