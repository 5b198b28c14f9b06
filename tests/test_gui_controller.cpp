// The engine thread seen from the GUI: a run trains while the event loop keeps answering (a
// timer keeps firing), events arrive as queued signals in order, and cancel stops the run
// within a batch. Starting reaches the engine and comes back idle; a pause holds the engine
// until resumed, and a cancel ends it.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "core/run/run_folder.h"
#include "core/run/train_job.h"
#include "engine_controller.h"
#include "study_runner.h"

using namespace fewdata;

namespace {

TrainConfig tinyConfig() {
    TrainConfig c;
    c.per_class = 10;
    c.image_size = 16;
    c.epochs = 3;
    c.batch_size = 16;
    c.lr = 0.02;
    c.max_test_samples = 200;
    return c;
}

}  // namespace

class TestGuiController : public QObject {
    Q_OBJECT
private slots:
    // A study from the window: each planned run on the engine thread, prepared as the CLI
    // prepares it; a second start keeps what finished; a cancel keeps it too and stops.
    void studyRunnerRunsThePlanAndKeepsWhatFinished() {
        QTemporaryDir tmp;
        TrainConfig base = tinyConfig();
        base.epochs = 1;
        base.per_class = 5;
        base.max_test_samples = 50;
        const auto plan = planComparison(base, {"baseline", "mixup"}, 1, tmp.filePath("s").toStdString());
        QCOMPARE(plan.size(), size_t(2));
        EngineController controller;
        StudyRunner runner(&controller);
        QSignalSpy cells(&runner, &StudyRunner::cellChanged);
        QSignalSpy finished(&runner, &StudyRunner::finished);
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(180000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);  // not cancelled
        QCOMPARE(finished.at(0).at(1).toInt(), 0);       // no failures
        QStringList seen;
        for (const auto& c : cells) seen << QString("%1:%2").arg(c.at(0).toInt()).arg(c.at(1).toString());
        QCOMPARE(seen, QStringList({"0:running", "0:done", "1:running", "1:done"}));
        for (const auto& r : plan) QCOMPARE(int(runFolderState(r.dir)), int(RunFolderState::Done));
        QVERIFY(!controller.isRunning());

        // Again: both kept, nothing trained.
        cells.clear();
        finished.clear();
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(60000));
        seen.clear();
        for (const auto& c : cells) seen << QString("%1:%2").arg(c.at(0).toInt()).arg(c.at(1).toString());
        QCOMPARE(seen, QStringList({"0:running", "0:kept", "1:running", "1:kept"}));

        // A longer plan cancelled during its first run: that run is cancelled (its folder kept
        // for a resume), the second never starts.
        base.epochs = 50;
        const auto longPlan =
            planComparison(base, {"baseline"}, 2, tmp.filePath("long").toStdString());
        cells.clear();
        finished.clear();
        QSignalSpy started(&controller, &EngineController::runStarted);
        QVERIFY(runner.start(longPlan));
        QVERIFY(started.wait(60000));
        runner.cancel();
        QVERIFY(finished.count() == 1 || finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(cells.last().at(1).toString(), QString("cancelled"));
        QCOMPARE(cells.last().at(0).toInt(), 0);
        QCOMPARE(int(runFolderState(longPlan[1].dir)), int(RunFolderState::Missing));
        QVERIFY(!runner.isRunning());
    }

    // The gate the engine thread sleeps on while paused: resuming and cancelling wake it. The
    // waiting threads are detached, so a gate that never wakes fails here instead of hanging.
    void pauseGateWakesOnResumeAndCancel() {
        auto gate = std::make_shared<RunGate>();
        QVERIFY(gate->setPaused(true));
        QVERIFY(!gate->setPaused(true));  // no change
        const auto waitInThread = [gate] {
            auto released = std::make_shared<std::atomic<bool>>(false);
            std::thread([gate, released] {
                gate->waitWhilePaused();
                released->store(true);
            }).detach();
            return released;
        };
        const auto wokeWithin = [](const std::shared_ptr<std::atomic<bool>>& released, int ms) {
            QElapsedTimer t;
            t.start();
            while (!released->load() && t.elapsed() < ms)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return released->load();
        };

        auto released = waitInThread();
        QVERIFY(!wokeWithin(released, 200));  // held while paused
        QElapsedTimer woken;
        woken.start();
        QVERIFY(gate->setPaused(false));
        QVERIFY(wokeWithin(released, 5000));
        qInfo("resume woke the engine in %lld ms", woken.elapsed());

        QVERIFY(gate->setPaused(true));
        released = waitInThread();
        QVERIFY(!wokeWithin(released, 200));
        gate->cancel();  // still paused, but cancelled: the engine goes on to stop
        QVERIFY(wokeWithin(released, 5000));
        QVERIFY(gate->isPaused());
        QVERIFY(gate->isCancelled());
        gate->rearm();
        QVERIFY(!gate->isCancelled());
        gate->setPaused(false);
    }

    // start() reaches the worker (a renamed or mistyped slot would leave the window "running"
    // forever), reports running and idle around the run, and a second run starts after it.
    void pauseWithoutARunIsIgnored() {
        EngineController controller;
        QSignalSpy paused(&controller, &EngineController::pausedChanged);
        controller.setPaused(true);  // Ctrl+P before any run
        QVERIFY(!controller.isPaused());
        QCOMPARE(paused.count(), 1);  // the button that toggled is told to go back
        QCOMPARE(paused.last().at(0).toBool(), false);
    }

    void startRunsTheEngineAndComesBackIdle() {
        QTemporaryDir tmp;
        EngineController controller;
        QSignalSpy running(&controller, &EngineController::runningChanged);
        QSignalSpy started(&controller, &EngineController::runStarted);
        QSignalSpy finished(&controller, &EngineController::runFinished);
        TrainConfig c = tinyConfig();
        c.epochs = 1;
        for (int run = 1; run <= 2; ++run) {
            const QString dir = tmp.filePath(QString("run%1").arg(run));
            QVERIFY(controller.start(c, dir));
            QVERIFY(controller.isRunning());
            QCOMPARE(running.count(), 2 * run - 1);
            QCOMPARE(running.last().at(0).toBool(), true);
            QVERIFY(started.wait(120000) || started.count() == run);
            QCOMPARE(int(started.count()), run);
            QCOMPARE(QString::fromStdString(qvariant_cast<RunStarted>(started.last().at(0)).runDir),
                     dir);
            QVERIFY(QTest::qWaitFor([&] { return !controller.isRunning(); }, 300000));
            QVERIFY(!controller.isPaused());
            QCOMPARE(int(finished.count()), run);
            QCOMPARE(running.count(), 2 * run);
            QCOMPARE(running.last().at(0).toBool(), false);
        }
    }

    void eventLoopKeepsRunningDuringTraining() {
        QTemporaryDir tmp;
        EngineController controller;
        QSignalSpy finished(&controller, &EngineController::runFinished);
        QSignalSpy epochs(&controller, &EngineController::epochFinished);
        QSignalSpy idle(&controller, &EngineController::runningChanged);
        int ticks = 0;
        qint64 worstGapMs = 0;
        QElapsedTimer sinceTick;
        sinceTick.start();
        QTimer timer;
        QObject::connect(&timer, &QTimer::timeout, [&] {
            ++ticks;
            worstGapMs = std::max(worstGapMs, sinceTick.restart());
        });
        timer.start(10);
        QVERIFY(controller.start(tinyConfig(), tmp.filePath("run")));
        QVERIFY(controller.isRunning());
        QVERIFY(!controller.start(tinyConfig(), tmp.filePath("other")));  // one at a time
        QVERIFY(finished.wait(300000));
        timer.stop();
        QCOMPARE(epochs.count(), 3);
        QCOMPARE(qvariant_cast<EpochMetrics>(epochs.at(2).at(0)).epoch, 3);
        const auto r = qvariant_cast<RunResult>(finished.at(0).at(0));
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("finished"));
        // The GUI thread was never the one training: its timer fired all along.
        QVERIFY2(ticks > 20, qPrintable(QString::number(ticks)));
        qInfo("timer ticks %d, worst event-loop gap %lld ms", ticks, worstGapMs);
        QVERIFY(idle.wait(10000) || !controller.isRunning());
        QVERIFY(!controller.isRunning());
    }

    void cancelStopsWithinABatch() {
        QTemporaryDir tmp;
        EngineController controller;
        QSignalSpy failed(&controller, &EngineController::runFailed);
        QObject::connect(&controller, &EngineController::batchProgress, &controller,
                         &EngineController::cancel);
        TrainConfig c = tinyConfig();
        c.epochs = 50;
        QVERIFY(controller.start(c, tmp.filePath("run")));
        QVERIFY(failed.wait(300000));
        const auto r = qvariant_cast<RunResult>(failed.at(0).at(0));
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("cancelled"));
        QVERIFY(r.epochsCompleted < 50);
    }

    // What the window does after a crash: find the run that stopped without a result and
    // continue it on the engine thread from its checkpoint; the chart gets the kept epochs.
    void resumesARunThatStoppedWithoutAResult() {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("run");
        {
            EngineController controller;
            QSignalSpy failed(&controller, &EngineController::runFailed);
            QObject::connect(&controller, &EngineController::epochFinished, &controller,
                             [&](const EpochMetrics& m) {
                                 if (m.epoch == 2) controller.cancel();
                             });
            TrainConfig c = tinyConfig();
            c.checkpoint_seconds = 0;  // a checkpoint after every epoch
            QVERIFY(controller.start(c, dir));
            QVERIFY(failed.wait(300000));
        }
        QVERIFY(QFile::remove(dir + "/result.json"));  // as a killed process leaves it
        const auto found = unfinishedRuns(tmp.path().toStdString());
        QCOMPARE(found.size(), size_t(1));
        QCOMPARE(QString::fromStdString(found[0].dir), dir);
        QCOMPARE(found[0].checkpointEpoch, 2);
        QCOMPARE(found[0].epochs, 3);

        EngineController controller;
        QSignalSpy finished(&controller, &EngineController::runFinished);
        QSignalSpy epochs(&controller, &EngineController::epochFinished);
        QVERIFY(controller.start(resumeConfig(found[0].dir), dir, true));
        QVERIFY(finished.wait(300000));
        QCOMPARE(epochs.count(), 3);  // 1 and 2 replayed from metrics.jsonl, then 3 trained
        for (int i = 0; i < 3; ++i)
            QCOMPARE(qvariant_cast<EpochMetrics>(epochs.at(i).at(0)).epoch, i + 1);
        const auto r = qvariant_cast<RunResult>(finished.at(0).at(0));
        QCOMPARE(r.resumedFromEpoch, 2);
        QCOMPARE(r.epochsCompleted, 3);
        QVERIFY(unfinishedRuns(tmp.path().toStdString()).empty());
    }

    void badInputComesBackAsAFailure() {
        QTemporaryDir tmp;
        EngineController controller;
        QSignalSpy failed(&controller, &EngineController::runFailed);
        TrainConfig c = tinyConfig();
        c.dataset = "/no/such/folder";
        QVERIFY(controller.start(c, tmp.filePath("run")));
        QVERIFY(failed.wait(60000));
        const auto r = qvariant_cast<RunResult>(failed.at(0).at(0));
        QVERIFY2(r.message.find("/no/such/folder") != std::string::npos, r.message.c_str());
        QVERIFY(!QFileInfo::exists(tmp.filePath("run")));
    }

    void pauseHoldsTheEngineUntilResumed() {
        QTemporaryDir tmp;
        EngineController controller;
        QSignalSpy batches(&controller, &EngineController::batchProgress);
        QSignalSpy epochs(&controller, &EngineController::epochFinished);
        QSignalSpy finished(&controller, &EngineController::runFinished);
        QSignalSpy paused(&controller, &EngineController::pausedChanged);
        QSignalSpy held(&controller, &EngineController::pauseHeld);
        TrainConfig c = tinyConfig();
        c.epochs = 2;
        QVERIFY(controller.start(c, tmp.filePath("run")));
        QVERIFY(batches.wait(120000));
        controller.setPaused(true);
        QCOMPARE(paused.count(), 1);
        QVERIFY(held.wait(120000));  // the engine reached its next report and waits there
        QCOMPARE(held.at(0).at(0).toBool(), true);
        const int heldBatches = int(batches.count());
        const int heldEpochs = int(epochs.count());
        QTest::qWait(2000);
        QCOMPARE(int(batches.count()), heldBatches);
        QCOMPARE(int(epochs.count()), heldEpochs);
        QVERIFY(controller.isRunning());
        controller.setPaused(false);
        QVERIFY(finished.wait(300000));
        QCOMPARE(held.count(), 2);  // held, then released
        QCOMPARE(epochs.count(), 2);
        QCOMPARE(QString::fromStdString(statusName(qvariant_cast<RunResult>(finished.at(0).at(0)).status)),
                 QString("finished"));
        QVERIFY(!controller.isPaused());
    }

    // Cancel ends a pause: the held engine wakes, stops within its batch, and reports.
    void cancelDuringPauseEndsTheRun() {
        QTemporaryDir tmp;
        EngineController controller;
        QSignalSpy batches(&controller, &EngineController::batchProgress);
        QSignalSpy failed(&controller, &EngineController::runFailed);
        QSignalSpy finished(&controller, &EngineController::runFinished);
        QSignalSpy paused(&controller, &EngineController::pausedChanged);
        QSignalSpy held(&controller, &EngineController::pauseHeld);
        TrainConfig c = tinyConfig();
        c.epochs = 50;
        QVERIFY(controller.start(c, tmp.filePath("run")));
        QVERIFY(batches.wait(120000));
        controller.setPaused(true);
        QVERIFY(held.wait(120000));
        QCOMPARE(held.at(0).at(0).toBool(), true);
        QElapsedTimer sinceCancel;
        sinceCancel.start();
        controller.cancel();
        QVERIFY(!controller.isPaused());  // cancel ends the pause
        QCOMPARE(paused.count(), 2);
        QCOMPARE(paused.last().at(0).toBool(), false);
        QVERIFY(failed.wait(60000));
        qInfo("a paused run reported its cancel after %lld ms", sinceCancel.elapsed());
        QCOMPARE(held.count(), 2);
        QCOMPARE(held.last().at(0).toBool(), false);
        QCOMPARE(finished.count(), 0);
        const auto r = qvariant_cast<RunResult>(failed.at(0).at(0));
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("cancelled"));
        QVERIFY(r.epochsCompleted < 50);
        QVERIFY(QTest::qWaitFor([&] { return !controller.isRunning(); }, 60000));
    }
};

QTEST_GUILESS_MAIN(TestGuiController)
#include "test_gui_controller.moc"
