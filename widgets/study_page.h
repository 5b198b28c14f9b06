// The Study page: a study built by choice rather than by command line. A preset (its recipe
// shown) or methods by check box, a list of K, the seeds and the output folder give the plan
// (methods x K x seeds, as `fewdata-cli compare` plans it), with each run's state on disk and an
// estimate of the time from the measured images per second. It starts nothing itself: Start
// asks the window, which runs the plan on the engine thread and reports each cell's state.
#pragma once

#include <QWidget>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "core/run/study.h"
#include "latest_result.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;
class QWidget;

namespace fewdata {

// Where a study runs when it is handed to a Slurm cluster: what `compare --backend slurm`
// takes as flags.
struct SlurmChoice {
    QString partition;
    QString time;
    int cpusPerTask = 1;
    int gpusPerTask = 0;
    int maxParallel = 0;
    QStringList extra;  // sbatch options, split at spaces
};

// What a cluster's queue holds of a submitted study (the window asks Slurm's squeue).
struct QueueState {
    bool known = false;              // the queue could be asked
    std::map<size_t, QString> runs;  // plan index -> scheduler state, e.g. "PENDING (Dependency)"
    bool tableQueued = false;        // the job that writes table.md is still queued
};
using QueueProbe = std::function<QueueState(const std::string& studyDir)>;

class StudyPage : public QWidget {
    Q_OBJECT
public:
    explicit StudyPage(QWidget* parent = nullptr);
    ~StudyPage() override;

    // Where and how runs compute, the dataset and the seed: the experiment form's (a reopened
    // study keeps its own until a preset is chosen).
    void setBaseConfig(const TrainConfig& c);
    // The study the controls describe; InputError naming the field that does not parse.
    StudySpec spec() const;
    QString outDir() const;
    void setOutDir(const QString& dir);
    std::vector<PlannedRun> plan() const { return plan_; }
    // Controls from a spec (a reopened folder's plan.json, or a test).
    void setSpec(const StudySpec& s);
    void setMethods(const std::vector<std::string>& methods);
    void setPerClassText(const QString& text);
    void setSeeds(int seeds);
    bool applyPreset(const QString& name);  // false for an unknown name
    // Reads <dir>/plan.json in the background and shows that study where it stopped.
    void openFolder(const QString& dir);

    // The window's runner reports here: running, resumed, done, kept, failed, skipped,
    // cancelled or pending, with an optional note.
    void setCellState(int index, const QString& state, const QString& note = {});
    QString cellState(int index) const;
    void setRunning(bool running);
    // Images per second of the last image-training epoch seen (the estimate's fallback).
    void setMeasuredRate(double imagesPerSecond);
    bool busy() const { return scan_.busy() || open_.busy(); }
    bool canStart() const;
    QString summary() const;
    QString message() const;
    // "Run on": this machine (the window's engine) or a Slurm cluster (sbatch).
    bool slurmChosen() const;
    void setSlurmChosen(bool on);
    SlurmChoice slurmChoice() const;
    // A study handed to Slurm: its states on disk are read again every few seconds until each
    // run is done or failed; `note` says what was submitted.
    // While watching, the queue is asked too (off the GUI thread): a run Slurm still holds is
    // shown as queued, and once the queue holds none of the study's jobs on two reads in a
    // row, watching stops, naming the runs that never finished.
    void watchSubmission(const QString& note);
    bool watching() const;
    void setQueueProbe(QueueProbe probe) { queueProbe_ = std::move(probe); }
    void setWatchInterval(int milliseconds);
    QString note() const;

signals:
    void startRequested(const fewdata::StudySpec& spec, const QString& outDir);
    void cancelRequested();
    void planShown();  // states and estimate of the current plan are in
    void opened();     // a folder's plan.json was read (or found missing)

private:
    struct Scan {
        std::vector<CellState> states;
        int classes = 0;
        double rate = 0;
        QString error;
        std::optional<QueueState> queue;  // asked only while watching a submission
    };
    void replan();
    void showScan(const Scan& s);
    void followQueue(const QueueState& queue, size_t unfinished);
    void showMessage(const QString& text);
    QString stateText(const QString& state) const;

    // The recipe's ground: a reopened study's own config, else the experiment form's.
    TrainConfig base() const;
    TrainConfig formBase_;
    std::optional<TrainConfig> studyBase_;
    std::string studyFeatures_;  // a reopened study's featuresStudy (a tune's trial folder)
    QComboBox* preset_;
    QPlainTextEdit* recipe_;
    QListWidget* methods_;
    QLineEdit* perClass_;
    QSpinBox* seeds_;
    QLineEdit* out_;
    QPushButton* start_;
    QPushButton* cancel_;
    QTableWidget* table_;
    QLabel* summary_;
    QLabel* message_;
    std::vector<PlannedRun> plan_;
    std::vector<QString> states_;  // per cell: the state key shown
    double sessionRate_ = 0;
    bool running_ = false;
    bool loading_ = false;  // controls being set from a spec: one replan at the end
    LatestResult<Scan> scan_;
    struct Opened {
        std::optional<StudySpec> spec;
        QString error;  // a plan.json that cannot be read, named
    };
    LatestResult<Opened> open_;
    QString openError_;  // kept until another folder is chosen: Start refuses such a folder
    QPushButton* browse_;
    QComboBox* backend_;
    QWidget* slurmBox_;
    QLineEdit* partition_;
    QLineEdit* time_;
    QSpinBox* cpus_;
    QSpinBox* gpus_;
    QSpinBox* maxParallel_;
    QLineEdit* sbatchArgs_;
    QLabel* note_;
    QTimer* watch_;
    QueueProbe queueProbe_;
    int emptyQueueReads_ = 0;  // consecutive reads of a queue without the study's jobs
};

}  // namespace fewdata
