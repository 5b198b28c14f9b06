// The GUI's side of a training run. A worker object lives on a QThread owned by the
// controller and runs the engine's TrainJob there; the engine's listener events cross to the
// GUI thread as queued signals; cancel sets the atomic flag the engine polls every batch. The
// GUI thread never trains and never waits for the engine, except when the controller is
// destroyed (after a cancel, it waits for the current batch to end).
#pragma once

#include <QObject>
#include <QThread>
#include <atomic>

#include "core/config.h"
#include "core/train_events.h"

Q_DECLARE_METATYPE(fewdata::RunStarted)
Q_DECLARE_METATYPE(fewdata::BatchProgress)
Q_DECLARE_METATYPE(fewdata::EpochMetrics)
Q_DECLARE_METATYPE(fewdata::RunResult)
Q_DECLARE_METATYPE(fewdata::TrainConfig)

namespace fewdata {

class TrainWorker : public QObject, public TrainListener {
    Q_OBJECT
public:
    TrainWorker(std::atomic<bool>* cancel, std::atomic<bool>* pause)
        : cancel_(cancel), pause_(pause) {}

public slots:
    void run(const fewdata::TrainConfig& config, const QString& runDir, bool resume);

signals:
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

    std::atomic<bool>* cancel_;
    std::atomic<bool>* pause_;
};

class EngineController : public QObject {
    Q_OBJECT
public:
    explicit EngineController(QObject* parent = nullptr);
    ~EngineController() override;

    bool isRunning() const { return running_; }
    // Queues the run on the engine thread; false (and nothing queued) while one runs. `resume`:
    // continue the unfinished run in runDir from its last checkpoint.
    bool start(const TrainConfig& config, const QString& runDir, bool resume = false);
    void cancel();
    void setPaused(bool paused);
    bool isPaused() const { return pause_.load(); }

signals:
    void runStarted(const fewdata::RunStarted& s);
    void batchProgress(const fewdata::BatchProgress& b);
    void epochFinished(const fewdata::EpochMetrics& m);
    void runFinished(const fewdata::RunResult& r);
    void runFailed(const fewdata::RunResult& r);
    void runningChanged(bool running);
    void pausedChanged(bool paused);
    // The engine reached a pause and waits (true), or goes on (false). A pause takes effect
    // between image-training batches; evaluation and feature stages run on until then.
    void pauseHeld(bool holding);

private:
    QThread thread_;
    TrainWorker* worker_;
    std::atomic<bool> cancel_{false};
    std::atomic<bool> pause_{false};
    bool running_ = false;
};

}  // namespace fewdata
