// The workbench window: a page per task chosen from a side list (the pages are one list of
// PageSpecs), menus with shortcuts, the device in the status bar, and window state kept in
// QSettings. It wires the pages to each other, to the run queue and to the EngineController;
// training runs there, never on this thread.
#pragma once

#include <QMainWindow>
#include <QStyle>
#include <functional>
#include <vector>

#include "core/run/run_folder.h"
#include "engine_controller.h"
#include "latest_result.h"
#include "run_queue.h"
#include "study_runner.h"

class QListWidget;
class QStackedWidget;
class QLabel;

namespace fewdata {

class ExperimentForm;
class TrainingPage;
class ResultsView;
class DatasetBrowser;
class AugmentationPreview;
class GraphView;
class StudyPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    enum class PageId { Dataset, Augmentation, Experiment, Study, Training, Graph, Results };
    // One page: the side list, the stack and the View menu are built from a list of these,
    // in its order.
    struct PageSpec {
        PageId id;
        QString title;
        QStyle::StandardPixmap icon;
        QWidget* widget;
        std::function<void()> onShow;  // what the page needs each time it comes up
    };
    const std::vector<PageSpec>& pages() const { return pages_; }

    // Page names in order, for --screenshot and the View menu.
    QStringList pageNames() const;
    void showPage(int index);
    void showPage(PageId id);
    QWidget* page(int index) const;
    int currentPage() const;

    ExperimentForm* experiment() const { return form_; }
    DatasetBrowser* dataset() const { return browser_; }
    AugmentationPreview* augmentation() const { return preview_; }
    GraphView* graph() const { return graph_; }
    ResultsView* results() const { return results_; }
    TrainingPage* training() const { return training_; }
    StudyPage* study() const { return study_; }
    StudyRunner* studyRunner() { return &studyRunner_; }
    EngineController* controller() { return &controller_; }
    RunQueue* queue() { return &queue_; }
    // Queues the form's experiment, one run per seed, each in a new folder under the runs
    // folder, and starts the first when the engine is idle.
    bool startRun();
    int queuedRuns() const { return queue_.size(); }
    // Looks for runs under the runs folder that stopped without a result (a crash, a killed
    // process) off the GUI thread, and asks whether to resume them.
    void offerUnfinishedRuns();
    // Queues each unfinished run to continue in its own folder from its last checkpoint.
    void resumeRuns(const std::vector<UnfinishedRun>& runs);
    // The user chose "Restart now" after a language switch and the window closed: the program
    // starts itself again with restartArguments once its event loop has ended.
    bool restartRequested() const { return restartRequested_; }
    // The program's arguments (its name first) for the restart: --lang is dropped, so that the
    // language chosen in the View menu applies.
    static QStringList restartArguments(const QStringList& arguments);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildPages();
    void wireDataPages();
    void wireTraining();
    void wireStudy();
    void startStudy(const StudySpec& spec, const QString& outDir);
    void buildMenus();
    void onEnded(const RunResult& r);
    void offerRestart();
    void saveExperiment() const;
    bool restoreExperiment();  // false: nothing (readable) was kept
    // The data pages follow the experiment's dataset and protocol keys.
    void syncDataPages();
    int indexOf(PageId id) const;

    EngineController controller_;
    RunQueue queue_;  // declared after the controller: destroyed before it
    StudyRunner studyRunner_;
    DatasetBrowser* browser_;
    AugmentationPreview* preview_;
    ExperimentForm* form_;
    TrainingPage* training_;
    GraphView* graph_;
    ResultsView* results_;
    StudyPage* study_;
    QString studyFolder_;  // the running (or last) study's folder
    std::vector<PageSpec> pages_;
    QListWidget* nav_;
    QStackedWidget* stack_;
    QLabel* deviceLabel_;
    LatestResult<std::vector<UnfinishedRun>> unfinishedScan_;
    // A study handed to Slurm: sbatch runs off the GUI thread.
    struct Submitted {
        QString text;   // what was submitted, or that nothing was left to
        QString error;  // named by the submission, empty when it went through
    };
    LatestResult<Submitted> submission_;
    void submitStudy(const StudySpec& spec, const QString& outDir);
    bool closeAfterRun_ = false;
    bool restartRequested_ = false;
    QString startLanguage_;  // the language setting the window was built in
};

}  // namespace fewdata
