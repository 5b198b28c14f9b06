// The GUI's side of a training run. A worker object lives on a QThread owned by the
// controller and runs the engine's TrainJob there; the engine's listener events cross to the
// GUI thread as queued signals; cancel sets the atomic flag the engine polls every batch, and
// a pause holds the engine thread on a condition variable until resume or cancel. The GUI
// thread never trains and never waits for the engine, except when the controller is
// destroyed (after a cancel, it waits for the current batch to end).
#pragma once

#include <QObject>
#include <QThread>
#include <atomic>
#include <condition_variable>
#include <mutex>

#include "core/config/config.h"
#include "core/run/study.h"
#include "core/train/train_events.h"

Q_DECLARE_METATYPE(fewdata::RunStarted)
Q_DECLARE_METATYPE(fewdata::BatchProgress)
Q_DECLARE_METATYPE(fewdata::EpochMetrics)
Q_DECLARE_METATYPE(fewdata::RunResult)
Q_DECLARE_METATYPE(fewdata::TrainConfig)

namespace fewdata {

// The cancel and pause flags of the engine thread, shared with the GUI thread. The engine
// polls the cancel flag every batch; a pause holds the engine in waitWhilePaused(), asleep on
// a condition variable that resuming and cancelling wake.
class RunGate {
public:
    // The flag TrainJob polls.
    std::atomic<bool>* cancelFlag() { return &cancel_; }
    bool isCancelled() const { return cancel_.load(); }
    bool isPaused() const { return paused_.load(); }
    // True when the state changed. Resuming wakes a held engine.
    bool setPaused(bool paused);
    // Raises the cancel flag and wakes a held engine; the pause flag is left as it is.
    void cancel();
    // Clears the cancel flag before a run.
    void rearm();
    // On the engine thread: returns once not paused or cancelled.
    void waitWhilePaused();

private:
    // The flags change under the mutex, so a waiter cannot miss a wake-up between testing
    // them and going to sleep; they are atomic for the readers that do not lock.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> cancel_{false};
    std::atomic<bool> paused_{false};
};

class TrainWorker : public QObject, public TrainListener {
    Q_OBJECT
public:
    explicit TrainWorker(RunGate* gate) : gate_(gate) {}

public slots:
    void run(const fewdata::TrainConfig& config, const QString& runDir, bool resume);
    // A study's run, prepared as `compare` prepares it (study.h): kept, resumed or started.
    void runPlanned(const fewdata::PlannedRun& run);

signals:
    // What prepareRun decided for the planned run in `runDir` (RunStep::Kind), and where an
    // interrupted folder was set aside.
    void stepTaken(const QString& runDir, int kind, const QString& setAsideAs);
    void runStarted(const fewdata::RunStarted& s);
    void batchProgress(const fewdata::BatchProgress& b);
    void epochFinished(const fewdata::EpochMetrics& m);
    void runFinished(const fewdata::RunResult& r);
    void runFailed(const fewdata::RunResult& r);  // cancelled, failed, or refused input
    void idle();
    void held(bool holding);

private:
    void started(const RunStarted& s) override { emit runStarted(s); }
    // A pause holds the engine here, at its next progress report (at most 0.2 s and one batch
    // later); cancel ends the pause too.
    void batch(const BatchProgress& b) override;
    void epoch(const EpochMetrics& m) override { emit epochFinished(m); }
    void finished(const RunResult& r) override { emit runFinished(r); }
    void failed(const RunResult& r) override { emit runFailed(r); }

    RunGate* gate_;
};

class EngineController : public QObject {
    Q_OBJECT
public:
    explicit EngineController(QObject* parent = nullptr);
    ~EngineController() override;

    bool isRunning() const { return running_; }
    // Queues the run on the engine thread; false (and nothing queued, still idle) while one
    // runs or when the engine thread cannot take it. `resume`: continue the unfinished run in
    // runDir from its last checkpoint.
    bool start(const TrainConfig& config, const QString& runDir, bool resume = false);
    // As start, for one run of a study: prepared on the engine thread (stepTaken says how).
    bool startPlanned(const PlannedRun& run);
    void cancel();
    void setPaused(bool paused);
    bool isPaused() const { return gate_.isPaused(); }

signals:
    void runStarted(const fewdata::RunStarted& s);
    void batchProgress(const fewdata::BatchProgress& b);
    void epochFinished(const fewdata::EpochMetrics& m);
    void runFinished(const fewdata::RunResult& r);
    void runFailed(const fewdata::RunResult& r);
    void runningChanged(bool running);
    void stepTaken(const QString& runDir, int kind, const QString& setAsideAs);
    void pausedChanged(bool paused);
    // The engine reached a pause and waits (true), or goes on (false). A pause takes effect
    // between image-training batches; evaluation and feature stages run on until then.
    void pauseHeld(bool holding);

private:
    // Queues `job` on the engine thread and turns "running"; false while a run is on.
    template <typename Job>
    bool dispatch(Job job);

    QThread thread_;
    TrainWorker* worker_;
    RunGate gate_;
    bool running_ = false;
};

}  // namespace fewdata
