// The training page: live charts of the current and earlier runs, the current run's status and
// progress with pause, cancel and "save charts", and the runs waiting in the queue. It shows
// the engine events it is given and asks for pause, cancel and clearing through signals; the
// window wires it to the engine controller and the run queue. Starts nothing itself.
#pragma once

#include <QStringList>
#include <QWidget>

#include "core/config/config.h"
#include "core/train/train_events.h"

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace fewdata {

class TrainingCharts;

class TrainingPage : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPage(QWidget* parent = nullptr);

    TrainingCharts* charts() const { return charts_; }
    QString statusText() const;  // the line above the charts
    QStringList queueShown() const;

    // A run went to the engine: its curves start, and it is "preparing" until it reports.
    void beginRun(const TrainConfig& config, const QString& runDir, bool resume);
    void showStarted(const RunStarted& s);
    void addBatch(const BatchProgress& b);
    void showEpoch(const EpochMetrics& m);
    void showEnded(const RunResult& r);
    // The engine's pause state (the button follows it) and whether the engine holds there.
    void showPaused(bool paused);
    // Pause and cancel work on a run only: disabled while the engine is idle.
    void setRunning(bool running);
    void showHeld(bool holding);
    // The queued runs, one line each.
    void showQueue(const QStringList& runs);

signals:
    void cancelRequested();
    void pauseRequested(bool paused);
    void clearQueueRequested();
    // A line for the window's status bar (timeout 0: until the next one).
    void statusMessage(const QString& text, int timeoutMs);

private:
    void saveCharts();

    TrainingCharts* charts_;
    QLabel* runStatus_;
    QProgressBar* progress_;
    QPushButton* pauseButton_;
    QPushButton* cancelButton_;
    QListWidget* queueList_;
    int totalEpochs_ = 0;
    double epochSeconds_ = 0;  // this run's epochs so far, for the remaining time
    int epochsSeen_ = 0;
};

}  // namespace fewdata
