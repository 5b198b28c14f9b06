// The workbench window: a page per task (experiment, training, results) chosen from a side
// list, menus with shortcuts, the device in the status bar, and window state kept in
// QSettings. Training runs through the EngineController, never on this thread.
#pragma once

#include <QMainWindow>
#include <vector>

#include "core/run_folder.h"
#include "engine_controller.h"

class QListWidget;
class QStackedWidget;
class QLabel;
class QProgressBar;
class QPushButton;

namespace fewdata {

class ExperimentForm;
class TrainingCharts;
class ResultsView;
class DatasetBrowser;
class AugmentationPreview;
class GraphView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    enum Page { DataPage, AugmentPage, ExperimentPage, TrainingPage, GraphPage, ResultsPage };

    // Page names in order, for --screenshot and the View menu.
    QStringList pageNames() const;
    void showPage(int index);
    QWidget* page(int index) const;

    ExperimentForm* experiment() const { return form_; }
    DatasetBrowser* dataset() const { return browser_; }
    AugmentationPreview* augmentation() const { return preview_; }
    GraphView* graph() const { return graph_; }
    ResultsView* results() const { return results_; }
    EngineController* controller() { return &controller_; }
    // Queues the form's experiment, one run per seed, each in a new folder under the runs
    // folder, and starts the first when the engine is idle.
    bool startRun();
    int queuedRuns() const { return int(queue_.size()); }
    // Looks for runs under the runs folder that stopped without a result (a crash, a killed
    // process) off the GUI thread, and asks whether to resume them.
    void offerUnfinishedRuns();
    // Queues each unfinished run to continue in its own folder from its last checkpoint.
    void resumeRuns(const std::vector<UnfinishedRun>& runs);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void onStarted(const RunStarted& s);
    void onEpoch(const EpochMetrics& m);
    void onEnded(const RunResult& r);
    // The data pages follow the experiment's dataset and protocol keys.
    void syncDataPages();
    bool startNext();
    void showQueue();

    EngineController controller_;
    QListWidget* nav_;
    QStackedWidget* pages_;
    DatasetBrowser* browser_;
    AugmentationPreview* preview_;
    GraphView* graph_;
    ExperimentForm* form_;
    TrainingCharts* charts_;
    ResultsView* results_;
    QLabel* runStatus_;
    QProgressBar* progress_;
    QLabel* deviceLabel_;
    struct QueuedRun {
        TrainConfig config;
        QString resumeDir;  // empty: a new run
        int fromEpoch = -1;
    };
    QList<QueuedRun> queue_;
    QListWidget* queueList_;
    QPushButton* pauseButton_;
    int totalEpochs_ = 0;
    double epochSeconds_ = 0;
    int epochsSeen_ = 0;
    bool closeAfterRun_ = false;
};

}  // namespace fewdata
