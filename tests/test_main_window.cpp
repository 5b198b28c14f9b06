// The window after a crash: it finds the run under its runs folder that stopped without a
// result, asks whether to resume it, and on "Yes" continues it on the engine thread from its
// checkpoint, in its own folder. The pages come from one list, and the run queue runs its
// seeds one after another (a cancel ends only the current run).
#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/run/train_job.h"
#include "dataset_browser.h"
#include "imaging/dataset_factory.h"
#include "experiment_form.h"
#include "main_window.h"
#include "run_queue.h"
#include "study_page.h"
#include "training_page.h"

using namespace fewdata;

namespace {

// Cancels the run once its first epoch is reported, after that epoch's checkpoint.
struct StopAfterFirstEpoch : TrainListener {
    std::atomic<bool>* cancel;
    explicit StopAfterFirstEpoch(std::atomic<bool>* c) : cancel(c) {}
    void epoch(const EpochMetrics&) override { cancel->store(true); }
};

// The German translation while it lives: built pages show German.
struct German {
    QTranslator translator;
    bool loaded = translator.load(FEWDATA_DE_QM);
    German() { QCoreApplication::installTranslator(&translator); }
    ~German() { QCoreApplication::removeTranslator(&translator); }
};

// The window at 800 x 600 on its Dataset page, once the embedded dataset's draw is shown.
bool showDatasetPageAt800x600(MainWindow& w) {
    w.resize(800, 600);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) return false;
    w.showPage(MainWindow::PageId::Dataset);
    if (!QTest::qWaitFor([&] { return w.dataset()->prepared() != nullptr; }, 120000))
        return false;
    QApplication::processEvents();
    return true;
}

// The View menu's language item called `text`.
QAction* languageAction(MainWindow& w, const QString& text) {
    for (QAction* menu : w.menuBar()->actions())
        if (menu->menu())
            for (QAction* a : menu->menu()->actions())
                if (a->menu())
                    for (QAction* l : a->menu()->actions())
                        if (l->text() == text) return l;
    return nullptr;
}

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
        QCOMPARE(statusName(TrainJob({c, dir}, openDataset).run(&stop, &cancel).status),
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

    // Closing during a run: No is the default; Yes stops the run where it is, saved, and the
    // next start offers to resume it from there.
    void aRunStoppedByClosingIsOfferedAtTheNextStart() {
        QTemporaryDir runs;
        QSettings().setValue("runsFolder", runs.path());
        const QString dir = runs.filePath("closed");
        TrainConfig c;
        c.per_class = 20;
        c.image_size = 16;
        c.epochs = 3;
        c.batch_size = 8;
        c.max_test_samples = 100;
        c.checkpoint_seconds = 1e6;  // no epoch-end checkpoint: only the one the stop writes
        {
            MainWindow w;
            w.show();
            QSignalSpy running(w.controller(), &EngineController::runningChanged);
            bool inSecondEpoch = false;
            connect(w.controller(), &EngineController::batchProgress, this,
                    [&](const BatchProgress& b) { inSecondEpoch = inSecondEpoch || b.epoch == 2; });
            QVERIFY(w.controller()->start(c, dir));
            QVERIFY(QTest::qWaitFor([&] { return inSecondEpoch; }, 300000));
            QString question;
            QMessageBox::StandardButton preset = QMessageBox::NoButton;
            QTimer::singleShot(0, this, [&] {
                auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
                QVERIFY(box);
                question = box->text();
                preset = box->standardButton(box->defaultButton());
                box->button(QMessageBox::Yes)->click();
            });
            w.close();
            QCOMPARE(preset, QMessageBox::No);
            QVERIFY2(question.contains("resuming"), qPrintable(question));
            QVERIFY(QTest::qWaitFor([&] { return !w.controller()->isRunning(); }, 60000));
            QVERIFY(QTest::qWaitFor([&] { return !w.isVisible(); }, 10000));
        }
        const auto progress = nlohmann::json::parse(
            std::ifstream((dir + "/training_state.json").toStdString()));
        QCOMPARE(progress["epoch"].get<int>(), 1);
        QVERIFY(progress["batch_in_epoch"].get<int>() > 0);

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
        QVERIFY2(box->detailedText().contains(dir + ": after epoch 1 of 3"),
                 qPrintable(box->detailedText()));
        box->button(QMessageBox::Yes)->click();
        QVERIFY(finished.wait(300000));
        const auto r = qvariant_cast<RunResult>(finished.at(0).at(0));
        QCOMPARE(r.resumedFromEpoch, 1);
        QCOMPARE(r.epochsCompleted, 3);
        QCOMPARE(QString::fromStdString(r.runDir), dir);
        // Offered once: the next start asks nothing.
        QVERIFY(QSettings().value("runs/stoppedOnClose").toStringList().isEmpty());
    }

    void pagesComeFromOneList() {
        MainWindow w;
        const QStringList names = w.pageNames();
        QCOMPARE(names, QStringList({"Dataset", "Augmentation", "Experiment", "Study", "Training",
                                     "Graph", "Results"}));
        QCOMPARE(int(w.pages().size()), names.size());
        auto* nav = w.findChild<QListWidget*>();
        QVERIFY(nav);
        QCOMPARE(nav->count(), names.size());
        for (int i = 0; i < names.size(); ++i) {
            QCOMPARE(nav->item(i)->text(), names[i]);
            QCOMPARE(w.page(i), w.pages()[size_t(i)].widget);
            w.showPage(i);
            QCOMPARE(w.currentPage(), i);
            QCOMPARE(nav->currentRow(), i);
        }
        w.showPage(MainWindow::PageId::Training);
        QCOMPARE(w.page(w.currentPage()), static_cast<QWidget*>(w.training()));
        w.showPage(MainWindow::PageId::Dataset);
        QVERIFY(w.pages()[size_t(w.currentPage())].id == MainWindow::PageId::Dataset);
        // The View menu lists the same pages, Ctrl+1 to Ctrl+6.
        QStringList viewed;
        for (QAction* menu : w.menuBar()->actions())
            if (menu->text() == "&View")
                for (QAction* a : menu->menu()->actions())
                    if (!a->isSeparator() && !a->menu()) viewed << a->text();
        QCOMPARE(viewed, names);
    }

    // A small screen: at 800 x 600 every page keeps each visible control at least at its
    // minimum size (pages scroll or split instead of squeezing a slider to a stub).
    void pagesFitA800x600Window() {
        MainWindow w;
        w.resize(800, 600);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QStringList squeezed;
        for (int i = 0; i < int(w.pages().size()); ++i) {
            w.showPage(i);
            QApplication::processEvents();
            QTest::qWait(50);
            for (QWidget* c : w.page(i)->findChildren<QWidget*>()) {
                if (!c->isVisible() || c->width() == 0) continue;
                const bool control = qobject_cast<QAbstractSlider*>(c) ||
                                     qobject_cast<QAbstractButton*>(c) ||
                                     qobject_cast<QComboBox*>(c) || qobject_cast<QAbstractSpinBox*>(c);
                if (!control) continue;
                const QSize need = c->minimumSizeHint();
                if (c->width() + 1 < need.width() || c->height() + 1 < need.height())
                    squeezed << QString("%1: %2 %3 (%4x%5 < %6x%7)")
                                    .arg(w.pageNames()[i], c->metaObject()->className(),
                                         c->objectName().isEmpty()
                                             ? c->property("text").toString()
                                             : c->objectName())
                                    .arg(c->width())
                                    .arg(c->height())
                                    .arg(need.width())
                                    .arg(need.height());
            }
        }
        QVERIFY2(w.width() <= 800 && w.height() <= 600,
                 qPrintable(QString("the window grew to %1x%2").arg(w.width()).arg(w.height())));
        QVERIFY2(squeezed.isEmpty(), qPrintable(squeezed.join("\n")));
    }

    // German headers and Fashion-MNIST's counts: every count column of the class table is shown
    // in full at 800 x 600, its header and its widest figure.
    void germanClassTableShowsEveryCountColumn() {
        German de;
        QVERIFY(de.loaded);
        MainWindow w;
        QVERIFY(showDatasetPageAt800x600(w));
        auto* table = w.dataset()->findChild<QTableWidget*>();
        QVERIFY(table);
        QHeaderView* header = table->horizontalHeader();
        QCOMPARE(table->horizontalHeaderItem(2)->text(), QString("Training"));
        QCOMPARE(table->rowCount(), 10);
        for (int c = 1; c < table->columnCount(); ++c) {
            const QString text = table->horizontalHeaderItem(c)->text();
            const QString where = QString("%1: %2 px at %3, viewport %4")
                                      .arg(text)
                                      .arg(header->sectionSize(c))
                                      .arg(header->sectionViewportPosition(c))
                                      .arg(table->viewport()->width());
            QVERIFY2(header->fontMetrics().horizontalAdvance(text) <= header->sectionSize(c),
                     qPrintable(where));
            const QAbstractItemView* cells = table;
            QVERIFY2(cells->sizeHintForColumn(c) <= header->sectionSize(c), qPrintable(where));
            QVERIFY2(header->sectionViewportPosition(c) >= 0 &&
                         header->sectionViewportPosition(c) + header->sectionSize(c) <=
                             table->viewport()->width(),
                     qPrintable(where));
        }
    }

    // At 800 x 600 (in German, the wider labels) the grid keeps three thumbnail columns: the
    // large view shrinks instead, and the page does not scroll sideways for them.
    void datasetGridKeepsThreeColumnsAt800x600() {
        German de;
        QVERIFY(de.loaded);
        MainWindow w;
        QVERIFY(showDatasetPageAt800x600(w));
        QListView* view = w.dataset()->view();
        QVERIFY(view->model()->rowCount() > 10);
        const int top = view->visualRect(view->model()->index(0, 0)).top();
        int columns = 0;
        for (int r = 0; r < 10; ++r) {
            const QRect cell = view->visualRect(view->model()->index(r, 0));
            if (cell.top() == top && cell.right() < view->viewport()->width()) ++columns;
        }
        QVERIFY2(columns >= 3, qPrintable(QString("%1 columns in a %2 px wide grid")
                                              .arg(columns)
                                              .arg(view->viewport()->width())));
        auto* scroll = qobject_cast<QScrollArea*>(w.dataset()->parentWidget()->parentWidget());
        QVERIFY(scroll);
        QVERIFY2(w.dataset()->width() <= scroll->viewport()->width(),
                 qPrintable(QString("the page is %1 px wide in a %2 px view")
                                .arg(w.dataset()->width())
                                .arg(scroll->viewport()->width())));
    }

    // Switching the language asks whether to restart now; "Later" leaves the window as it is,
    // "Restart now" closes it the normal way and asks for the restart (done by main()).
    void aLanguageSwitchOffersARestart() {
        QSettings().setValue("language", "en");
        struct Forget {
            ~Forget() { QSettings().remove("language"); }
        } forget;
        MainWindow w;
        w.show();
        auto question = [&] {
            auto* box = w.findChild<QMessageBox*>("restartQuestion");
            return box && box->isVisible() ? box : nullptr;
        };
        auto button = [](QMessageBox* box, const QString& text) -> QAbstractButton* {
            for (QAbstractButton* b : box->buttons())
                if (b->text() == text) return b;
            return nullptr;
        };
        QAction* german = languageAction(w, "German");
        QAction* english = languageAction(w, "English");
        QVERIFY(german && english);
        german->trigger();
        QMessageBox* box = question();
        QVERIFY(box);
        QVERIFY(button(box, "Restart now") && button(box, "Later"));
        QCOMPARE(static_cast<QAbstractButton*>(box->defaultButton()), button(box, "Later"));
        button(box, "Later")->click();
        QApplication::processEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QVERIFY(w.isVisible());
        QVERIFY(!w.restartRequested());
        QCOMPARE(QSettings().value("language").toString(), QString("de"));
        // Back to the language the window shows: nothing to restart for.
        english->trigger();
        QVERIFY(!question());
        QCOMPARE(QSettings().value("language").toString(), QString("en"));

        german->trigger();
        box = question();
        QVERIFY(box);
        button(box, "Restart now")->click();
        QApplication::processEvents();
        QVERIFY(!w.isVisible());
        QVERIFY(w.restartRequested());
        // The restart drops --lang: the language chosen here applies.
        QCOMPARE(MainWindow::restartArguments({"/opt/fewdata", "--lang", "en", "--lang=de",
                                               "-style", "fusion"}),
                 QStringList({"-style", "fusion"}));
    }

    void quickLookAndHelp() {
        MainWindow w;
        TrainConfig c = w.experiment()->config();
        c.method = "cutmix";
        c.lr = 0.02;
        w.experiment()->setConfig(c);
        w.experiment()->applyQuickLook();
        const TrainConfig q = w.experiment()->config();
        QCOMPARE(q.per_class, 5);
        QCOMPARE(q.epochs, 2);
        QCOMPARE(q.max_test_samples, 200);
        QCOMPARE(QString::fromStdString(q.method), QString("cutmix"));  // the rest kept
        QCOMPARE(q.lr, 0.02);
        QStringList menus;
        for (QAction* m : w.menuBar()->actions()) menus << m->text();
        QCOMPARE(menus.last(), QString("&Help"));
        QStringList items;
        for (QAction* a : w.menuBar()->actions().last()->menu()->actions()) items << a->text();
        QVERIFY(items.contains("&About FewData Workbench") && items.contains("&Read me"));
    }

    // "Run on: Slurm cluster": Start becomes Submit, sbatch (a stand-in on the PATH that
    // records its arguments) runs off the GUI thread, and the page then follows the folders.
    void aStudyIsSubmittedToSlurm() {
        QTemporaryDir bin, tmp;
        {
            std::ofstream sbatch((bin.path() + "/sbatch").toStdString());
            sbatch << "#!/bin/sh\necho \"$*\" >>\"$(dirname \"$0\")/calls\"\n"
                      "n=$(wc -l <\"$(dirname \"$0\")/calls\")\necho $((99 + n))\n";
        }
        QFile(bin.path() + "/sbatch").setPermissions(QFile::ReadOwner | QFile::ExeOwner);
        // squeue prints what the file `queue` beside it holds; with none of the ids it knows,
        // it fails as Slurm's does.
        {
            std::ofstream squeue((bin.path() + "/squeue").toStdString());
            squeue << "#!/bin/sh\nq=\"$(dirname \"$0\")/queue\"\n"
                      "[ -s \"$q\" ] || { echo 'Invalid job id specified' >&2; exit 1; }\n"
                      "cat \"$q\"\n";
        }
        QFile(bin.path() + "/squeue").setPermissions(QFile::ReadOwner | QFile::ExeOwner);
        const auto setQueue = [&](const std::string& text) {
            std::ofstream((bin.path() + "/queue").toStdString()) << text;
        };
        setQueue("");
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", bin.path().toUtf8() + ":" + path);
        MainWindow w;
        auto* page = w.findChild<StudyPage*>();
        QVERIFY(page);
        const QString out = tmp.filePath("study");
        page->setOutDir(out);
        page->setPerClassText("10");
        page->setMethods({"baseline", "gnn"});
        page->setSeeds(2);
        page->setSlurmChosen(true);
        page->findChild<QLineEdit*>("slurmPartition")->setText("p1");
        auto* start = page->findChild<QPushButton*>("studyStart");
        QCOMPARE(start->text(), QString("Submit to Slurm"));
        QTRY_VERIFY(page->canStart() && !page->busy());
        start->click();
        page->setWatchInterval(200);
        QTRY_VERIFY_WITH_TIMEOUT(page->watching(), 20000);
        QVERIFY2(page->note().startsWith("Submitted 4 of 4 runs to Slurm: jobs 100 (runs), "
                                         "101 (features-gnn), 102 (table)"),
                 qPrintable(page->note()));
        QFile runs(out + "/slurm/1/runs.sbatch");
        QVERIFY(runs.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(runs.readAll());
        QVERIFY2(text.contains("#SBATCH --partition=p1\n") &&
                     text.contains("#SBATCH --array=0,2\n") &&
                     text.contains(QFileInfo(qEnvironmentVariable("FEWDATA_CLI")).fileName()),
                 qPrintable(text));
        QVERIFY(QFileInfo::exists(out + "/plan.json"));
        // Task 0 of the runs' array waits in the queue; run 1 (gnn, on run 0's features) was
        // never in it: pending on disk.
        setQueue("100_0|PENDING|Dependency\n");
        QTRY_COMPARE(page->cellState(0), QString("queued"));
        QCOMPARE(page->cellState(1), QString("pending"));
        QVERIFY(page->watching());
        // The jobs left the queue without their runs ever starting: the page stops watching
        // and says so, where it would otherwise wait for ever.
        setQueue("");
        QTRY_VERIFY_WITH_TIMEOUT(!page->watching(), 10000);
        qputenv("PATH", path);
        QCOMPARE(page->cellState(0), QString("pending"));
        QVERIFY2(page->note().contains("Slurm's queue holds none of this study's jobs any more, "
                                       "and 4 run(s) never finished") &&
                     page->note().contains(out + "/slurm"),
                 qPrintable(page->note()));
    }

    void theFormIsKeptFromOneSessionToTheNext() {
        // Whatever happens below, later tests start from the defaults.
        struct Forget {
            ~Forget() { QSettings().remove("experiment"); }
        } forget;
        {
            MainWindow w;
            TrainConfig c = w.experiment()->config();
            c.method = "mixup";
            c.epochs = 7;
            c.per_class = 12;
            w.experiment()->setConfig(c);
            w.experiment()->setSeedCount(3);
            QVERIFY(w.close());
        }
        {
            MainWindow w;
            const TrainConfig c = w.experiment()->config();
            QCOMPARE(QString::fromStdString(c.method), QString("mixup"));
            QCOMPARE(c.epochs, 7);
            QCOMPARE(c.per_class, 12);
            QCOMPARE(w.experiment()->seedCount(), 3);
        }
        // A damaged setting gives the defaults, not an error.
        QSettings().setValue("experiment/config", "{ not json");
        {
            MainWindow w;
            QCOMPARE(w.experiment()->config().epochs, TrainConfig().epochs);
        }
    }

    void queueRunsItsSeedsOneAfterAnother() {
        QTemporaryDir runs;
        QSettings().setValue("runsFolder", runs.path());
        EngineController controller;
        RunQueue queue(&controller);
        TrainingPage page;
        QObject::connect(&queue, &RunQueue::changed, &page,
                         [&] { page.showQueue(queue.describe()); });
        QObject::connect(&queue, &RunQueue::dispatched, &page, &TrainingPage::beginRun);
        QSignalSpy dispatched(&queue, &RunQueue::dispatched);
        QSignalSpy finished(&controller, &EngineController::runFinished);
        QSignalSpy failed(&controller, &EngineController::runFailed);
        // The first run is cancelled at its first batch; the second then starts by itself.
        QObject::connect(&controller, &EngineController::batchProgress, &controller, [&] {
            if (dispatched.count() == 1) controller.cancel();
        });
        TrainConfig c;
        c.per_class = 10;
        c.image_size = 16;
        c.epochs = 1;
        c.batch_size = 16;
        c.max_test_samples = 100;
        c.seed = 3;
        queue.addSeeds(c, 2);
        QCOMPARE(queue.size(), 2);
        QCOMPARE(page.queueShown(), QStringList({"baseline, seed 3, 1 epochs, K = 10",
                                                 "baseline, seed 4, 1 epochs, K = 10"}));
        QVERIFY(queue.startNext());
        QVERIFY(!queue.startNext());  // one run at a time
        QCOMPARE(queue.size(), 1);
        QCOMPARE(page.queueShown().size(), 1);
        QVERIFY(page.statusText().startsWith("Preparing " + runs.path()));
        QVERIFY(QTest::qWaitFor([&] { return finished.count() == 1; }, 300000));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(QString::fromStdString(statusName(qvariant_cast<RunResult>(failed.at(0).at(0)).status)),
                 QString("cancelled"));
        QCOMPARE(dispatched.count(), 2);
        QCOMPARE(queue.size(), 0);
        QVERIFY(page.queueShown().isEmpty());
        const auto seedOf = [&](int i) {
            return qvariant_cast<TrainConfig>(dispatched.at(i).at(0)).seed;
        };
        QCOMPARE(seedOf(0), 3);
        QCOMPARE(seedOf(1), 4);
        const QString first = dispatched.at(0).at(1).toString();
        const QString second = dispatched.at(1).at(1).toString();
        QVERIFY(first != second);
        QVERIFY2(QFileInfo(first).fileName().startsWith("baseline-seed3-"), qPrintable(first));
        QVERIFY2(QFileInfo(second).fileName().startsWith("baseline-seed4-"), qPrintable(second));
        const auto r = qvariant_cast<RunResult>(finished.at(0).at(0));
        QCOMPARE(QString::fromStdString(r.runDir), second);
        QVERIFY(QTest::qWaitFor([&] { return !controller.isRunning(); }, 60000));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
