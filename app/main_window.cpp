#include "main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QScrollArea>
#include <QUrl>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThread>
#include <QTimer>

#include <optional>

#include "augmentation_preview.h"
#include "core/config/config_table.h"
#include "core/base/errors.h"
#include "core/base/file_read.h"
#include "core/base/runtime.h"
#include "core/run/provenance.h"
#include "core/run/train_job.h"
#include "core/train/training_state.h"
#include "dataset_browser.h"
#include "experiment_form.h"
#include "graph_view.h"
#include "results_view.h"
#include "slurm_submit.h"
#include "study_page.h"
#include "training_page.h"

namespace fewdata {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), queue_(&controller_), studyRunner_(&controller_) {
    setWindowTitle(tr("FewData Workbench"));
    browser_ = new DatasetBrowser;
    preview_ = new AugmentationPreview;
    form_ = new ExperimentForm;
    training_ = new TrainingPage;
    graph_ = new GraphView;
    results_ = new ResultsView;
    study_ = new StudyPage;
    study_->setQueueProbe([](const std::string& dir) {
        const SlurmView view = slurmView(dir);
        QueueState q;
        q.known = view.queried && view.error.empty();  // a failed squeue says nothing
        for (const auto& [index, task] : view.runs) {
            const bool reason = !task.reason.empty() && task.reason != "None";
            q.runs[index] =
                QString::fromStdString(task.state + (reason ? " (" + task.reason + ")" : ""));
        }
        q.tableQueued = !view.tables.empty();
        return q;
    });
    const auto syncData = [this] { syncDataPages(); };
    // The study builds on the experiment's dataset and where runs compute.
    const auto syncStudy = [this] {
        try {
            study_->setBaseConfig(form_->config());
        } catch (const InputError&) {
        }
    };
    pages_ = {
        {PageId::Dataset, tr("Dataset"), QStyle::SP_DirOpenIcon, browser_, syncData},
        {PageId::Augmentation, tr("Augmentation"), QStyle::SP_FileDialogContentsView, preview_,
         syncData},
        {PageId::Experiment, tr("Experiment"), QStyle::SP_FileDialogDetailedView, form_, {}},
        {PageId::Study, tr("Study"), QStyle::SP_FileDialogListView, study_, syncStudy},
        {PageId::Training, tr("Training"), QStyle::SP_MediaPlay, training_, {}},
        {PageId::Graph, tr("Graph"), QStyle::SP_DriveNetIcon, graph_, {}},
        {PageId::Results, tr("Results"), QStyle::SP_FileDialogListView, results_, {}},
    };
    buildPages();
    wireDataPages();
    wireTraining();
    wireStudy();

    const bool cuda = torch::cuda::is_available();
    deviceLabel_ =
        new QLabel(cuda ? tr("Device: CUDA (%1 GPU)").arg(torch::cuda::device_count())
                        : tr("Device: CPU, %1 threads").arg(QThread::idealThreadCount()));
    statusBar()->addPermanentWidget(deviceLabel_);
    buildMenus();

    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    const QString lastDataset = settings.value("lastDataset").toString();
    if (!restoreExperiment() && !lastDataset.isEmpty()) {
        TrainConfig c;
        c.dataset = lastDataset.toStdString();
        form_->setConfig(c);
    }
    results_->setFolder(settings.value("resultsFolder").toString());
    if (geometry().width() < 900) resize(1200, 800);
    showPage(PageId::Dataset);
    statusBar()->showMessage(
        tr("Next: the Experiment page's Start (Ctrl+R) trains on this dataset; Quick look there "
           "tries a method in about a minute."),
        30000);
}

void MainWindow::buildPages() {
    nav_ = new QListWidget;
    nav_->setFixedWidth(150);
    nav_->setIconSize(QSize(16, 16));
    stack_ = new QStackedWidget;
    for (const PageSpec& p : pages_) {
        // A window smaller than a page's minimum scrolls the page instead of squeezing its
        // controls (or growing past the screen).
        auto* scroll = new QScrollArea;
        scroll->setWidget(p.widget);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setFocusPolicy(Qt::NoFocus);  // no Tab stop of its own around the page
        stack_->addWidget(scroll);
        nav_->addItem(new QListWidgetItem(style()->standardIcon(p.icon), p.title));
    }
    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    layout->addWidget(nav_);
    layout->addWidget(stack_, 1);
    setCentralWidget(central);
    connect(nav_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || size_t(row) >= pages_.size()) return;
        stack_->setCurrentIndex(row);
        if (pages_[size_t(row)].onShow) pages_[size_t(row)].onShow();
    });
}

// The dataset page edits the experiment's protocol keys and feeds the augmentation page.
void MainWindow::wireDataPages() {
    connect(browser_, &DatasetBrowser::protocolEdited, this, [this](const TrainConfig& edited) {
        TrainConfig c;
        try {
            c = form_->config();
        } catch (const InputError&) {
            return;  // the form shows its own error; the browser keeps its values
        }
        copyProtocolKeys(edited, c);
        form_->setConfig(c);
        QSettings().setValue("lastDataset", QString::fromStdString(c.dataset));
        saveExperiment();
    });
    connect(browser_, &DatasetBrowser::splitsDrawn, preview_, &AugmentationPreview::setData);
    connect(results_, &ResultsView::showSamples, this,
            [this](const QStringList& ids, const QString& why) {
                browser_->filterIds(ids, why);
                showPage(PageId::Dataset);
            });
    connect(browser_, &DatasetBrowser::failed, this,
            [this](const QString& m) { statusBar()->showMessage(m, 10000); });
}

// The experiment form starts runs through the queue; the engine's events go to the training
// page, and a finished run to the results and graph pages.
void MainWindow::wireTraining() {
    connect(form_, &ExperimentForm::startRequested, this, &MainWindow::startRun);
    connect(&queue_, &RunQueue::changed, training_,
            [this] { training_->showQueue(queue_.describe()); });
    connect(&queue_, &RunQueue::dispatched, training_, &TrainingPage::beginRun);
    connect(training_, &TrainingPage::clearQueueRequested, &queue_, &RunQueue::clear);
    // Cancel ends a study too, not only its current run.
    connect(training_, &TrainingPage::cancelRequested, this, [this] {
        if (studyRunner_.isRunning())
            studyRunner_.cancel();
        else
            controller_.cancel();
    });
    connect(training_, &TrainingPage::pauseRequested, &controller_,
            &EngineController::setPaused);
    connect(training_, &TrainingPage::statusMessage, this,
            [this](const QString& text, int ms) { statusBar()->showMessage(text, ms); });
    connect(&controller_, &EngineController::pausedChanged, training_,
            &TrainingPage::showPaused);
    connect(&controller_, &EngineController::pauseHeld, training_, &TrainingPage::showHeld);
    training_->setRunning(controller_.isRunning());
    connect(&controller_, &EngineController::runningChanged, training_, &TrainingPage::setRunning);
    connect(&controller_, &EngineController::runStarted, training_, &TrainingPage::showStarted);
    connect(&controller_, &EngineController::batchProgress, training_, &TrainingPage::addBatch);
    connect(&controller_, &EngineController::epochFinished, training_, &TrainingPage::showEpoch);
    connect(&controller_, &EngineController::runFinished, this, &MainWindow::onEnded);
    connect(&controller_, &EngineController::runFailed, this, &MainWindow::onEnded);
    // The queue starts its next run by itself; closing waits for the current one to stop.
    connect(&controller_, &EngineController::runningChanged, this, [this](bool running) {
        if (!running && closeAfterRun_) close();
    });
}

// The Study page's plan runs through the study runner, one run at a time on the engine; each
// finished run refreshes the results of the study's folder.
void MainWindow::wireStudy() {
    connect(study_, &StudyPage::startRequested, this, &MainWindow::startStudy);
    connect(study_, &StudyPage::cancelRequested, &studyRunner_, &StudyRunner::cancel);
    connect(&studyRunner_, &StudyRunner::cellChanged, study_, &StudyPage::setCellState);
    connect(&studyRunner_, &StudyRunner::runBegins, training_, &TrainingPage::beginRun);
    connect(&studyRunner_, &StudyRunner::runEnded, this, [this](int) {
        results_->setFolder(studyFolder_);
    });
    connect(&studyRunner_, &StudyRunner::finished, this, [this](bool cancelled, int failures) {
        study_->setRunning(false);
        results_->setFolder(studyFolder_);
        QSettings().setValue("resultsFolder", studyFolder_);
        statusBar()->showMessage(
            cancelled ? tr("Study cancelled; the finished runs are kept.")
                      : tr("Study finished, %n run(s) failed.", nullptr, failures),
            10000);
    });
    connect(&controller_, &EngineController::epochFinished, study_, [this](const EpochMetrics& m) {
        if (m.stage.empty() || m.stage == "baseline" || m.stage == "encoder")
            study_->setMeasuredRate(m.imagesPerSecond);
    });
}

void MainWindow::startStudy(const StudySpec& spec, const QString& outDir) {
    if (controller_.isRunning() || queue_.size() > 0) {
        statusBar()->showMessage(tr("The engine is busy: start the study when the runs are done."),
                                 8000);
        return;
    }
    try {
        // The folder's plan.json first: a study of another recipe there is refused, and a
        // damaged one named, before anything runs.
        recordStudySpec(outDir.toStdString(), spec);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Study"), QString::fromStdString(e.what()));
        return;
    }
    if (study_->slurmChosen()) {
        submitStudy(spec, outDir);
        return;
    }
    if (!studyRunner_.start(planStudy(spec, outDir.toStdString()))) return;
    studyFolder_ = outDir;
    study_->setRunning(true);
    results_->setFolder(outDir);
    showPage(PageId::Training);
}

void MainWindow::submitStudy(const StudySpec& spec, const QString& outDir) {
    if (submission_.busy()) return;
    const SlurmChoice c = study_->slurmChoice();
    SlurmOptions o;
    o.partition = c.partition.toStdString();
    o.time = c.time.toStdString();
    o.cpusPerTask = c.cpusPerTask;
    o.gpusPerTask = c.gpusPerTask;
    o.maxParallel = c.maxParallel;
    for (const QString& e : c.extra) o.extra.push_back(e.toStdString());
    // The tasks run the command line beside this program (FEWDATA_CLI names another).
    const QString cli = qEnvironmentVariableIsSet("FEWDATA_CLI")
                            ? qEnvironmentVariable("FEWDATA_CLI")
                            : QCoreApplication::applicationDirPath() + "/fewdata-cli";
    const std::vector<PlannedRun> plan = planStudy(spec, outDir.toStdString());
    const std::string dir = outDir.toStdString(), cliPath = cli.toStdString();
    statusBar()->showMessage(tr("Submitting the study to Slurm…"));
    submission_.request(
        [plan, o, dir, cliPath] {
            Submitted s;
            try {
                const std::vector<size_t> which = runsToSubmit(plan, slurmView(dir));
                if (which.empty()) {
                    s.text = tr("Nothing to submit: every run is done, failed, running or in "
                                "Slurm's queue.");
                    return s;
                }
                const SlurmSubmission r = submitToSlurm(plan, which, o, dir, cliPath);
                QStringList jobs;
                for (const SubmittedJob& j : r.jobs)
                    jobs << QString::fromStdString(j.jobId + " (" + j.name + ")");
                s.text = tr("Submitted %1 of %2 runs to Slurm: jobs %3; scripts and logs in %4")
                             .arg(which.size())
                             .arg(plan.size())
                             .arg(jobs.join(", "), QString::fromStdString(r.scriptDir));
            } catch (const std::exception& e) {
                s.error = QString::fromStdString(withoutBacktrace(e.what()));
            }
            return s;
        },
        [this, outDir](const Submitted& s) {
            statusBar()->clearMessage();
            if (!s.error.isEmpty()) {
                QMessageBox::warning(this, tr("Study"), s.error);
                return;
            }
            studyFolder_ = outDir;
            study_->watchSubmission(s.text);
            results_->setFolder(outDir);
        });
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
    QStringList names;
    for (const PageSpec& p : pages_) names << p.title;
    return names;
}

int MainWindow::indexOf(PageId id) const {
    for (size_t i = 0; i < pages_.size(); ++i)
        if (pages_[i].id == id) return int(i);
    return -1;
}

void MainWindow::showPage(int index) {
    nav_->setCurrentRow(index);
}

void MainWindow::showPage(PageId id) {
    showPage(indexOf(id));
}

QWidget* MainWindow::page(int index) const {
    auto* scroll = qobject_cast<QScrollArea*>(stack_->widget(index));
    return scroll ? scroll->widget() : nullptr;
}

int MainWindow::currentPage() const {
    return stack_->currentIndex();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("Open &results folder…"), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Results folder"));
        if (!d.isEmpty()) {
            results_->setFolder(d);
            showPage(PageId::Results);
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
    // Run controls follow the engine: nothing to pause or cancel without a run.
    for (QAction* a : {cancel, pause}) {
        a->setEnabled(controller_.isRunning());
        connect(&controller_, &EngineController::runningChanged, a, &QAction::setEnabled);
    }

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < int(pages_.size()); ++i) {
        QAction* a = view->addAction(pages_[size_t(i)].title, this, [this, i] { showPage(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QMenu* language = view->addMenu(tr("&Language"));
    auto* languages = new QActionGroup(this);
    const QString current = QSettings().value("language", "system").toString();
    // What the pages are built in: --lang where it was given (gui_main), else the setting.
    const QVariant built = QCoreApplication::instance()->property("fewdataLanguage");
    startLanguage_ = built.isValid() ? built.toString() : current;
    const std::pair<QString, QString> choices[] = {
        {"system", tr("As the system")}, {"en", tr("English")}, {"de", tr("German")}};
    for (const auto& [code, label] : choices) {
        QAction* a = language->addAction(label);
        a->setCheckable(true);
        a->setChecked(code == current);
        languages->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] {
            QSettings().setValue("language", code);
            if (code != startLanguage_) offerRestart();
        });
    }
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Read me"), this, [this] {
        // The README beside the program: installed (share/doc) or in a build tree's source.
        const QDir bin(QCoreApplication::applicationDirPath());
        for (const QString& candidate :
             {bin.filePath("../share/doc/fewdata-workbench/README.md"),
              bin.filePath("../../README.md"), bin.filePath("../README.md")})
            if (QFileInfo::exists(candidate)) {
                QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(candidate).canonicalFilePath()));
                return;
            }
        QMessageBox::information(this, tr("Read me"),
                                 tr("The README was not found beside the program."));
    });
    help->addAction(tr("&About FewData Workbench"), this, [this] {
        QMessageBox::about(
            this, tr("About FewData Workbench"),
            tr("<b>FewData Workbench</b> %1<br>LibTorch %2<br>%3<br>Runs go to %4<br><br>Image "
               "classification from a few images per class: studies with honest statistics.")
                .arg(QString::fromStdString(workbenchVersion()),
                     QString::fromStdString(torchVersion()), deviceLabel_->text(),
                     runsFolder().toHtmlEscaped()));
    });
}

// The pages are built in one language; a switch shows after a restart, offered here. Not
// exec(): the window stays live while the question waits.
void MainWindow::offerRestart() {
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Language"),
        tr("The workbench shows the new language when it starts again. Restart it now?"),
        QMessageBox::NoButton, this);
    box->setObjectName("restartQuestion");
    QPushButton* now = box->addButton(tr("Restart now"), QMessageBox::AcceptRole);
    box->setDefaultButton(box->addButton(tr("Later"), QMessageBox::RejectRole));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, now](int) {
        if (box->clickedButton() != now) {
            statusBar()->showMessage(
                tr("The language changes when the workbench starts again."), 8000);
            return;
        }
        // The normal close: a running run is asked about first.
        QTimer::singleShot(0, this, [this] {
            restartRequested_ = true;
            close();
            // The run was kept: the window stays, and so does this program.
            if (isVisible() && !closeAfterRun_) restartRequested_ = false;
        });
    });
    box->open();
}

QStringList MainWindow::restartArguments(const QStringList& arguments) {
    QStringList out;
    for (int i = 1; i < arguments.size(); ++i) {
        if (arguments[i] == "--") {
            out += arguments.mid(i);
            break;
        }
        if (arguments[i] == "--lang") {
            ++i;  // and its value
            continue;
        }
        if (!arguments[i].startsWith("--lang=")) out << arguments[i];
    }
    return out;
}

bool MainWindow::startRun() {
    if (studyRunner_.isRunning()) {
        statusBar()->showMessage(tr("A study is running: cancel it on the Study page first."),
                                 8000);
        return false;
    }
    if (!form_->validate()) {
        showPage(PageId::Experiment);
        return false;
    }
    const TrainConfig c = form_->config();
    saveExperiment();
    queue_.addSeeds(c, form_->seedCount());
    QSettings().setValue("lastDataset", QString::fromStdString(c.dataset));
    showPage(PageId::Training);
    if (controller_.isRunning()) {
        statusBar()->showMessage(tr("Queued: %1 runs wait for the current one.").arg(queue_.size()),
                                 5000);
        return true;
    }
    return queue_.startNext();
}

namespace {

constexpr const char* kStoppedOnClose = "runs/stoppedOnClose";

// A run the window stopped when it was closed: cancelled, with the checkpoint the stop wrote,
// and not resumed or finished since.
std::optional<UnfinishedRun> stoppedRun(const std::string& dir) {
    try {
        const auto result = readJsonFile(dir + "/result.json");
        if (statusFromName(result.value("status", "")) != RunStatus::Cancelled ||
            !hasCheckpoint(dir) || RunFolder::isLocked(dir))
            return std::nullopt;
        return UnfinishedRun{dir, std::max(0, checkpointEpoch(dir)),
                             TrainConfig::fromFile(dir + "/config.json").epochs};
    } catch (const std::exception&) {
        return std::nullopt;  // moved, removed or damaged since: nothing to offer
    }
}

}  // namespace

void MainWindow::onEnded(const RunResult& r) {
    training_->showEnded(r);
    if (closeAfterRun_ && r.status == RunStatus::Cancelled && !r.runDir.empty()) {
        // Offered for resuming at the next start, as a crashed run is.
        QSettings s;
        QStringList dirs = s.value(kStoppedOnClose).toStringList();
        dirs << QString::fromStdString(r.runDir);
        s.setValue(kStoppedOnClose, dirs);
    }
    if (r.status != RunStatus::Finished) return;
    graph_->setRunFolder(QString::fromStdString(r.runDir));
    if (studyRunner_.isRunning()) return;  // the study's folder is the one to show
    results_->setFolder(runsFolder());
    QSettings().setValue("resultsFolder", runsFolder());
}

// The form as the user left it, from one session to the next.
void MainWindow::saveExperiment() const {
    try {
        QSettings s;
        s.setValue("experiment/config", QString::fromStdString(form_->config().toJson().dump()));
        s.setValue("experiment/seeds", form_->seedCount());
    } catch (const std::exception&) {
        // A value the form cannot give as a config is not remembered.
    }
}

bool MainWindow::restoreExperiment() {
    const QSettings s;
    const QString text = s.value("experiment/config").toString();
    if (text.isEmpty()) return false;
    try {
        // Read over today's defaults: a key of an older version is dropped, a new one defaults.
        const auto stored = nlohmann::json::parse(text.toStdString());
        nlohmann::json merged = TrainConfig().toJson();
        for (const auto& [key, value] : stored.items())
            if (merged.contains(key)) merged[key] = value;
        form_->setConfig(TrainConfig::fromJson(merged));
        form_->setSeedCount(std::max(1, s.value("experiment/seeds", 1).toInt()));
        return true;
    } catch (const std::exception&) {
        return false;  // a damaged setting: the defaults
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings().setValue("window/geometry", saveGeometry());
    saveExperiment();
    if (!controller_.isRunning() && studyRunner_.isRunning()) {
        // Between two runs of a study: stop it before the next one is handed out.
        studyRunner_.cancel();
    }
    if (!controller_.isRunning()) {
        event->accept();
        return;
    }
    event->ignore();
    if (closeAfterRun_) {
        statusBar()->showMessage(tr("Still stopping the run; the window closes when it has."));
        return;
    }
    // No is the default: Enter must not end a run of hours.
    const auto answer = QMessageBox::question(
        this, tr("A run is in progress"),
        tr("Stop the run and close? It is saved where it stops, and offered for resuming at "
           "the next start."),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes && !controller_.isRunning()) {
        // The run ended while the question was open: nothing left to stop.
        studyRunner_.cancel();
        queue_.clear();
        closeAfterRun_ = true;
        QTimer::singleShot(0, this, &QWidget::close);
        return;
    }
    if (answer == QMessageBox::Yes) {
        // The engine stops within a batch; the window closes when it reports.
        statusBar()->showMessage(tr("Stopping the run…"));
        closeAfterRun_ = true;
        queue_.clear();
        studyRunner_.cancel();
        controller_.cancel();
    }
}

void MainWindow::offerUnfinishedRuns() {
    const std::string root = runsFolder().toStdString();
    std::vector<std::string> closed;
    for (const QString& d : QSettings().value(kStoppedOnClose).toStringList())
        closed.push_back(d.toStdString());
    const auto scan = [root, closed] {
        std::vector<UnfinishedRun> runs = unfinishedRuns(root);
        for (const std::string& dir : closed)
            if (const auto r = stoppedRun(dir)) runs.push_back(*r);
        return runs;
    };
    unfinishedScan_.request(scan, [this](const std::vector<UnfinishedRun>& runs) {
        // Asked once: a run declined now can still be resumed with `fewdata-cli train --resume`.
        QSettings().remove(kStoppedOnClose);
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
            tr("%n run(s) stopped before they finished: the window was closed during them, or "
               "the program crashed. Resume them from their last checkpoint?",
               "", int(runs.size())),
            QMessageBox::Yes | QMessageBox::No, this);
        box->setDetailedText(lines.join("\n"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, box, runs](int) {
            if (box->clickedButton() == box->button(QMessageBox::Yes)) resumeRuns(runs);
        });
        box->open();
    });
}

void MainWindow::resumeRuns(const std::vector<UnfinishedRun>& runs) {
    for (const UnfinishedRun& r : runs) {
        try {
            queue_.addResume(r);
        } catch (const std::exception& e) {
            statusBar()->showMessage(
                tr("Cannot resume %1: %2").arg(QString::fromStdString(r.dir), QString(e.what())));
        }
    }
    showPage(PageId::Training);
    queue_.startNext();
}

}  // namespace fewdata
