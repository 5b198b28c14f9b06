#include "main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "augmentation_preview.h"
#include "core/errors.h"
#include "core/runtime.h"
#include "core/train_job.h"
#include "dataset_browser.h"
#include "experiment_form.h"
#include "graph_view.h"
#include "results_view.h"
#include "training_charts.h"

namespace fewdata {
namespace {

QString runsRoot() {
    QSettings s;
    return s.value("runsFolder", QDir::current().filePath("runs")).toString();
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("FewData Workbench"));
    nav_ = new QListWidget;
    nav_->setFixedWidth(150);
    nav_->setIconSize(QSize(16, 16));
    pages_ = new QStackedWidget;

    browser_ = new DatasetBrowser;
    pages_->addWidget(browser_);
    preview_ = new AugmentationPreview;
    pages_->addWidget(preview_);
    form_ = new ExperimentForm;
    pages_->addWidget(form_);

    auto* training = new QWidget;
    charts_ = new TrainingCharts;
    runStatus_ = new QLabel(tr("No run yet: set up an experiment and start it."));
    progress_ = new QProgressBar;
    auto* cancel = new QPushButton(tr("Cancel run"));
    pauseButton_ = new QPushButton(tr("Pause"));
    pauseButton_->setCheckable(true);
    auto* clearQueue = new QPushButton(tr("Clear queue"));
    queueList_ = new QListWidget;
    queueList_->setMaximumHeight(70);
    auto* saveCharts = new QPushButton(tr("Save charts…"));
    auto* trainingBar = new QHBoxLayout;
    trainingBar->addWidget(runStatus_, 1);
    trainingBar->addWidget(progress_);
    trainingBar->addWidget(pauseButton_);
    trainingBar->addWidget(cancel);
    trainingBar->addWidget(saveCharts);
    auto* trainingLayout = new QVBoxLayout(training);
    trainingLayout->addLayout(trainingBar);
    trainingLayout->addWidget(charts_, 1);
    auto* queueBar = new QHBoxLayout;
    queueBar->addWidget(new QLabel(tr("Queued runs")));
    queueBar->addWidget(queueList_, 1);
    queueBar->addWidget(clearQueue, 0, Qt::AlignTop);
    trainingLayout->addLayout(queueBar);
    connect(clearQueue, &QPushButton::clicked, this, [this] {
        queue_.clear();
        showQueue();
    });
    connect(&controller_, &EngineController::pauseHeld, this, [this](bool holding) {
        if (holding) statusBar()->showMessage(tr("Paused."));
    });
    connect(pauseButton_, &QPushButton::toggled, &controller_, &EngineController::setPaused);
    connect(&controller_, &EngineController::pausedChanged, this, [this](bool paused) {
        pauseButton_->setChecked(paused);
        pauseButton_->setText(paused ? tr("Resume") : tr("Pause"));
        if (paused) statusBar()->showMessage(tr("Pausing: the run stops at its next batch."));
    });
    pages_->addWidget(training);

    graph_ = new GraphView;
    pages_->addWidget(graph_);
    results_ = new ResultsView;
    pages_->addWidget(results_);

    const QStyle::StandardPixmap icons[] = {QStyle::SP_DirOpenIcon,
                                            QStyle::SP_FileDialogContentsView,
                                            QStyle::SP_FileDialogDetailedView,
                                            QStyle::SP_MediaPlay,
                                            QStyle::SP_DriveNetIcon,
                                            QStyle::SP_FileDialogListView};
    const QStringList names = pageNames();
    for (int i = 0; i < names.size(); ++i)
        nav_->addItem(new QListWidgetItem(style()->standardIcon(icons[i]), names[i]));
    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    layout->addWidget(nav_);
    layout->addWidget(pages_, 1);
    setCentralWidget(central);
    connect(nav_, &QListWidget::currentRowChanged, this, [this](int row) {
        pages_->setCurrentIndex(row);
        if (row == DataPage || row == AugmentPage) syncDataPages();
    });
    connect(browser_, &DatasetBrowser::protocolEdited, this, [this](const TrainConfig& edited) {
        TrainConfig c;
        try {
            c = form_->config();
        } catch (const InputError&) {
            return;  // the form shows its own error; the browser keeps its values
        }
        c.dataset = edited.dataset;
        c.layout = edited.layout;
        c.per_class = edited.per_class;
        c.seed = edited.seed;
        c.val_fraction = edited.val_fraction;
        form_->setConfig(c);
        QSettings().setValue("lastDataset", QString::fromStdString(c.dataset));
    });
    connect(browser_, &DatasetBrowser::splitsDrawn, preview_, &AugmentationPreview::setData);
    connect(browser_, &DatasetBrowser::failed, this,
            [this](const QString& m) { statusBar()->showMessage(m, 10000); });

    const bool cuda = torch::cuda::is_available();
    deviceLabel_ =
        new QLabel(cuda ? tr("Device: CUDA (%1 GPU)").arg(torch::cuda::device_count())
                        : tr("Device: CPU, %1 threads").arg(QThread::idealThreadCount()));
    statusBar()->addPermanentWidget(deviceLabel_);

    connect(form_, &ExperimentForm::startRequested, this, &MainWindow::startRun);
    connect(cancel, &QPushButton::clicked, &controller_, &EngineController::cancel);
    connect(saveCharts, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Save charts"), {},
                                                       tr("PNG (*.png);;PDF (*.pdf)"));
        if (!f.isEmpty() && !charts_->save(f))
            QMessageBox::warning(this, tr("Save charts"), tr("Cannot write %1").arg(f));
    });
    connect(&controller_, &EngineController::runStarted, this, &MainWindow::onStarted);
    connect(&controller_, &EngineController::batchProgress, charts_, &TrainingCharts::addBatch);
    connect(&controller_, &EngineController::epochFinished, this, &MainWindow::onEpoch);
    connect(&controller_, &EngineController::runFinished, this, &MainWindow::onEnded);
    connect(&controller_, &EngineController::runFailed, this, &MainWindow::onEnded);
    connect(&controller_, &EngineController::runningChanged, this, [this](bool running) {
        if (running) return;
        if (closeAfterRun_)
            close();
        else  // from the event loop: the controller finishes its own signal first
            QTimer::singleShot(0, this, &MainWindow::startNext);
    });
    buildMenus();

    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    const QString lastDataset = settings.value("lastDataset").toString();
    if (!lastDataset.isEmpty()) {
        TrainConfig c;
        c.dataset = lastDataset.toStdString();
        form_->setConfig(c);
    }
    results_->setFolder(settings.value("resultsFolder").toString());
    if (geometry().width() < 900) resize(1200, 800);
    nav_->setCurrentRow(DataPage);
}

void MainWindow::syncDataPages() {
    try {
        const TrainConfig c = form_->config();
        preview_->setConfig(c);
        browser_->setConfig(c);
    } catch (const InputError& e) {
        statusBar()->showMessage(tr("The experiment has a bad value: %1").arg(e.what()), 10000);
    }
}

QStringList MainWindow::pageNames() const {
    return {tr("Dataset"),  tr("Augmentation"), tr("Experiment"),
            tr("Training"), tr("Graph"),        tr("Results")};
}

void MainWindow::showPage(int index) {
    nav_->setCurrentRow(index);
}

QWidget* MainWindow::page(int index) const {
    return pages_->widget(index);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("Open &results folder…"), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Results folder"));
        if (!d.isEmpty()) {
            results_->setFolder(d);
            showPage(ResultsPage);
        }
    });
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    QAction* start = run->addAction(tr("&Start"), this, &MainWindow::startRun);
    start->setShortcut(Qt::CTRL | Qt::Key_R);
    QAction* cancel = run->addAction(tr("&Cancel"), &controller_, &EngineController::cancel);
    cancel->setShortcut(Qt::CTRL | Qt::Key_Period);
    QAction* pause = run->addAction(tr("&Pause or resume"), this,
                                    [this] { controller_.setPaused(!controller_.isPaused()); });
    pause->setShortcut(Qt::CTRL | Qt::Key_P);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const QStringList names = pageNames();
    for (int i = 0; i < names.size(); ++i) {
        QAction* a = view->addAction(names[i], this, [this, i] { showPage(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QMenu* language = view->addMenu(tr("&Language"));
    auto* languages = new QActionGroup(this);
    const QString current = QSettings().value("language", "system").toString();
    const std::pair<QString, QString> choices[] = {
        {"system", tr("As the system")}, {"en", tr("English")}, {"de", tr("German")}};
    for (const auto& [code, label] : choices) {
        QAction* a = language->addAction(label);
        a->setCheckable(true);
        a->setChecked(code == current);
        languages->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] {
            QSettings().setValue("language", code);
            statusBar()->showMessage(tr("The language changes when the workbench starts again."),
                                     8000);
        });
    }
}

bool MainWindow::startRun() {
    if (!form_->validate()) {
        showPage(ExperimentPage);
        return false;
    }
    const TrainConfig c = form_->config();
    for (int k = 0; k < form_->seedCount(); ++k) {
        TrainConfig run = c;
        run.seed = c.seed + k;
        queue_.append({run, {}, -1});
    }
    QSettings().setValue("lastDataset", QString::fromStdString(c.dataset));
    showQueue();
    showPage(TrainingPage);
    if (controller_.isRunning()) {
        statusBar()->showMessage(tr("Queued: %1 runs wait for the current one.").arg(queue_.size()),
                                 5000);
        return true;
    }
    return startNext();
}

bool MainWindow::startNext() {
    if (queue_.isEmpty() || controller_.isRunning()) return false;
    const QueuedRun next = queue_.takeFirst();
    const TrainConfig& c = next.config;
    showQueue();
    if (!next.resumeDir.isEmpty()) {
        runStatus_->setText(tr("Resuming %1 (decoding the dataset)…").arg(next.resumeDir));
        charts_->beginRun(QString::fromStdString(c.method) + " s" + QString::number(c.seed), 1);
        return controller_.start(c, next.resumeDir, true);
    }
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    QString dir = QDir(runsRoot())
                      .filePath(QString::fromStdString(c.method) + "-seed" +
                                QString::number(c.seed) + "-" + stamp);
    // Two runs queued within a second would share a name: results are never overwritten.
    for (int k = 2; QFileInfo::exists(dir); ++k)
        dir = QDir(runsRoot())
                  .filePath(QString::fromStdString(c.method) + "-seed" + QString::number(c.seed) +
                            "-" + stamp + "-" + QString::number(k));
    runStatus_->setText(tr("Preparing %1 (decoding the dataset)…").arg(dir));
    charts_->beginRun(QString::fromStdString(c.method) + " s" + QString::number(c.seed), 1);
    return controller_.start(c, dir);
}

void MainWindow::showQueue() {
    queueList_->clear();
    for (const QueuedRun& q : queue_) {
        const TrainConfig& c = q.config;
        if (!q.resumeDir.isEmpty())
            queueList_->addItem(tr("resume %1 after epoch %2 of %3")
                                    .arg(QFileInfo(q.resumeDir).fileName())
                                    .arg(std::max(0, q.fromEpoch))
                                    .arg(c.epochs));
        else
            queueList_->addItem(tr("%1, seed %2, %3 epochs, K = %4")
                                    .arg(QString::fromStdString(c.method))
                                    .arg(c.seed)
                                    .arg(c.epochs)
                                    .arg(c.per_class));
    }
}

void MainWindow::onStarted(const RunStarted& s) {
    totalEpochs_ = s.epochs;
    epochSeconds_ = 0;
    epochsSeen_ = 0;
    progress_->setRange(0, s.epochs);
    progress_->setValue(0);
    runStatus_->setText(tr("%1: %2 train / %3 val / %4 test images on %5")
                            .arg(QString::fromStdString(s.runDir))
                            .arg(s.trainSize)
                            .arg(s.valSize)
                            .arg(s.testSize)
                            .arg(QString::fromStdString(s.device)));
}

void MainWindow::onEpoch(const EpochMetrics& m) {
    charts_->addEpoch(m);
    progress_->setValue(m.epoch);
    // The remaining epochs at the mean pace of this run's epochs so far.
    epochSeconds_ += m.seconds;
    ++epochsSeen_;
    const int eta =
        int(std::lround(epochSeconds_ / epochsSeen_ * std::max(0, totalEpochs_ - m.epoch)));
    statusBar()->showMessage(tr("epoch %1/%2  val %3 %  %4 img/s  ETA %5:%6")
                                 .arg(m.epoch)
                                 .arg(totalEpochs_)
                                 .arg(m.valAccuracy, 0, 'f', 1)
                                 .arg(m.imagesPerSecond, 0, 'f', 0)
                                 .arg(eta / 60)
                                 .arg(eta % 60, 2, 10, QChar('0')));
}

void MainWindow::onEnded(const RunResult& r) {
    if (r.status == "finished") {
        runStatus_->setText(tr("Finished: test %1 % (best epoch %2, val %3 %), %4")
                                .arg(r.testAccuracy, 0, 'f', 2)
                                .arg(r.bestEpoch)
                                .arg(r.valAccuracy, 0, 'f', 2)
                                .arg(QString::fromStdString(r.runDir)));
        results_->setFolder(runsRoot());
        QSettings().setValue("resultsFolder", runsRoot());
        graph_->setRunFolder(QString::fromStdString(r.runDir));
    } else {
        runStatus_->setText(QString::fromStdString(r.status) + ": " +
                            QString::fromStdString(r.message));
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings().setValue("window/geometry", saveGeometry());
    if (!controller_.isRunning()) {
        event->accept();
        return;
    }
    const auto answer =
        QMessageBox::question(this, tr("A run is in progress"),
                              tr("Stop the run and close? What it wrote so far is kept."));
    event->ignore();
    if (answer == QMessageBox::Yes) {
        // The engine stops within a batch; the window closes when it reports.
        closeAfterRun_ = true;
        queue_.clear();
        controller_.cancel();
    }
}

void MainWindow::offerUnfinishedRuns() {
    auto* watcher = new QFutureWatcher<std::vector<UnfinishedRun>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const std::vector<UnfinishedRun> runs = watcher->result();
        if (runs.empty()) return;
        QStringList lines;
        for (const UnfinishedRun& r : runs)
            lines << (r.checkpointEpoch > 0
                          ? tr("%1: after epoch %2 of %3")
                                .arg(QString::fromStdString(r.dir))
                                .arg(r.checkpointEpoch)
                                .arg(r.epochs)
                          : tr("%1: before its first checkpoint (starts over in its folder)")
                                .arg(QString::fromStdString(r.dir)));
        // Not exec(): the window stays live while the question waits.
        auto* box = new QMessageBox(
            QMessageBox::Question, tr("Unfinished runs"),
            tr("%n run(s) stopped without a result, probably in a crash. Resume them from "
               "their last checkpoint?",
               "", int(runs.size())),
            QMessageBox::Yes | QMessageBox::No, this);
        box->setDetailedText(lines.join("\n"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, box, runs](int) {
            if (box->clickedButton() == box->button(QMessageBox::Yes)) resumeRuns(runs);
        });
        box->open();
    });
    const std::string root = runsRoot().toStdString();
    watcher->setFuture(QtConcurrent::run([root] { return unfinishedRuns(root); }));
}

void MainWindow::resumeRuns(const std::vector<UnfinishedRun>& runs) {
    for (const UnfinishedRun& r : runs) {
        try {
            queue_.append({resumeConfig(r.dir), QString::fromStdString(r.dir), r.checkpointEpoch});
        } catch (const std::exception& e) {
            statusBar()->showMessage(
                tr("Cannot resume %1: %2").arg(QString::fromStdString(r.dir), QString(e.what())));
        }
    }
    showQueue();
    showPage(TrainingPage);
    startNext();
}

}  // namespace fewdata
