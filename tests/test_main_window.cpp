// The window after a crash: it finds the run under its runs folder that stopped without a
// result, asks whether to resume it, and on "Yes" continues it on the engine thread from its
// checkpoint, in its own folder.
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <filesystem>

#include "core/train_job.h"
#include "imaging/dataset_factory.h"
#include "main_window.h"

using namespace fewdata;

namespace {

// Cancels the run once its first epoch is reported, after that epoch's checkpoint.
struct StopAfterFirstEpoch : TrainListener {
    std::atomic<bool>* cancel;
    explicit StopAfterFirstEpoch(std::atomic<bool>* c) : cancel(c) {}
    void epoch(const EpochMetrics&) override { cancel->store(true); }
};

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir settings_;

private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings_.path());
    }

    void offersToResumeARunThatStoppedWithoutAResult() {
        QTemporaryDir runs;
        QSettings().setValue("runsFolder", runs.path());
        const std::string dir = runs.filePath("baseline-seed0-crashed").toStdString();
        TrainConfig c;
        c.per_class = 10;
        c.image_size = 16;
        c.epochs = 2;
        c.batch_size = 16;
        c.max_test_samples = 100;
        c.checkpoint_seconds = 0;
        std::atomic<bool> cancel{false};
        StopAfterFirstEpoch stop(&cancel);
        QCOMPARE(TrainJob({c, dir}, openDataset).run(&stop, &cancel).status,
                 std::string("cancelled"));
        std::filesystem::remove(dir + "/result.json");  // what a killed process leaves

        MainWindow w;
        QSignalSpy finished(w.controller(), &EngineController::runFinished);
        w.offerUnfinishedRuns();
        QMessageBox* box = nullptr;
        QVERIFY(QTest::qWaitFor(
            [&] {
                box = w.findChild<QMessageBox*>();
                return box && box->isVisible();
            },
            60000));
        QVERIFY2(box->text().startsWith("1 run"), qPrintable(box->text()));
        QVERIFY2(box->detailedText().contains("after epoch 1 of 2"),
                 qPrintable(box->detailedText()));
        box->button(QMessageBox::Yes)->click();
        QVERIFY(finished.wait(300000));
        const auto r = qvariant_cast<RunResult>(finished.at(0).at(0));
        QCOMPARE(r.resumedFromEpoch, 1);
        QCOMPARE(r.epochsCompleted, 2);
        QCOMPARE(r.runDir, dir);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
