#include "engine_controller.h"

#include "core/base/errors.h"
#include "core/run/train_job.h"
#include "imaging/dataset_factory.h"

namespace fewdata {

bool RunGate::setPaused(bool paused) {
    bool changed;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        changed = paused_.exchange(paused) != paused;
    }
    if (!paused) wake_.notify_all();
    return changed;
}

void RunGate::cancel() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        cancel_.store(true);
    }
    wake_.notify_all();
}

void RunGate::rearm() {
    std::lock_guard<std::mutex> lock(mutex_);
    cancel_.store(false);
}

void RunGate::waitWhilePaused() {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [this] { return !paused_.load() || cancel_.load(); });
}

void TrainWorker::run(const TrainConfig& config, const QString& runDir, bool resume) {
    try {
        TrainJob({config, runDir.toStdString(), resume}, openDataset).run(this, gate_->cancelFlag());
    } catch (const std::exception& e) {
        // Bad input found before the run folder exists: nothing was written.
        RunResult r;
        r.status = RunStatus::Failed;
        r.message = withoutBacktrace(e.what());
        emit runFailed(r);
    }
    emit idle();
}

void TrainWorker::runPlanned(const PlannedRun& run) {
    try {
        const RunStep step = prepareRun(run);
        emit stepTaken(QString::fromStdString(run.dir), int(step.kind),
                       QString::fromStdString(step.setAsideAs));
        if (step.runs())
            TrainJob({run.config, run.dir, step.kind == RunStep::Resume}, openDataset)
                .run(this, gate_->cancelFlag());
    } catch (const std::exception& e) {
        RunResult r;
        r.status = RunStatus::Failed;
        r.runDir = run.dir;
        r.message = withoutBacktrace(e.what());
        emit runFailed(r);
    }
    emit idle();
}

void TrainWorker::batch(const BatchProgress& b) {
    emit batchProgress(b);
    if (!gate_->isPaused() || gate_->isCancelled()) return;
    emit held(true);
    gate_->waitWhilePaused();
    emit held(false);
}

EngineController::EngineController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<RunStarted>();
    qRegisterMetaType<BatchProgress>();
    qRegisterMetaType<EpochMetrics>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<TrainConfig>();
    worker_ = new TrainWorker(&gate_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &TrainWorker::runStarted, this, &EngineController::runStarted);
    connect(worker_, &TrainWorker::batchProgress, this, &EngineController::batchProgress);
    connect(worker_, &TrainWorker::epochFinished, this, &EngineController::epochFinished);
    connect(worker_, &TrainWorker::runFinished, this, &EngineController::runFinished);
    connect(worker_, &TrainWorker::runFailed, this, &EngineController::runFailed);
    connect(worker_, &TrainWorker::held, this, &EngineController::pauseHeld);
    connect(worker_, &TrainWorker::stepTaken, this, &EngineController::stepTaken);
    connect(worker_, &TrainWorker::idle, this, [this] {
        // Every run starts unpaused: a pause belongs to the run it was asked for.
        if (gate_.setPaused(false)) emit pausedChanged(false);
        running_ = false;
        emit runningChanged(false);
    });
    thread_.setObjectName("engine");
    thread_.start();
}

EngineController::~EngineController() {
    gate_.cancel();
    thread_.quit();
    thread_.wait();
}

template <typename Job>
bool EngineController::dispatch(Job job) {
    if (running_ || !thread_.isRunning()) return false;
    gate_.rearm();
    // A typed call (checked by the compiler, unlike a method named by a string), queued to
    // the engine thread; the window turns "running" only once the run is really on its way.
    if (!QMetaObject::invokeMethod(worker_, std::move(job), Qt::QueuedConnection)) return false;
    running_ = true;
    emit runningChanged(true);
    return true;
}

bool EngineController::start(const TrainConfig& config, const QString& runDir, bool resume) {
    TrainWorker* worker = worker_;
    return dispatch([worker, config, runDir, resume] { worker->run(config, runDir, resume); });
}

bool EngineController::startPlanned(const PlannedRun& run) {
    TrainWorker* worker = worker_;
    return dispatch([worker, run] { worker->runPlanned(run); });
}

void EngineController::cancel() {
    gate_.cancel();
    setPaused(false);
}

void EngineController::setPaused(bool paused) {
    if (paused && !running_) {
        emit pausedChanged(false);  // nothing to pause: a toggled button goes back
        return;
    }
    if (gate_.setPaused(paused)) emit pausedChanged(paused);
}

}  // namespace fewdata
