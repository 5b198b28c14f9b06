#include "engine_controller.h"

#include <chrono>
#include <thread>

#include "core/errors.h"
#include "core/train_job.h"
#include "imaging/dataset_factory.h"

namespace fewdata {

void TrainWorker::run(const TrainConfig& config, const QString& runDir, bool resume) {
    try {
        TrainJob({config, runDir.toStdString(), resume}, openDataset).run(this, cancel_);
    } catch (const std::exception& e) {
        // Bad input found before the run folder exists: nothing was written.
        RunResult r;
        r.status = "failed";
        r.message = e.what();
        emit runFailed(r);
    }
    emit idle();
}

void TrainWorker::batch(const BatchProgress& b) {
    emit batchProgress(b);
    if (!pause_->load() || cancel_->load()) return;
    emit held(true);
    while (pause_->load() && !cancel_->load())
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    emit held(false);
}

EngineController::EngineController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<RunStarted>();
    qRegisterMetaType<BatchProgress>();
    qRegisterMetaType<EpochMetrics>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<TrainConfig>();
    worker_ = new TrainWorker(&cancel_, &pause_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &TrainWorker::runStarted, this, &EngineController::runStarted);
    connect(worker_, &TrainWorker::batchProgress, this, &EngineController::batchProgress);
    connect(worker_, &TrainWorker::epochFinished, this, &EngineController::epochFinished);
    connect(worker_, &TrainWorker::runFinished, this, &EngineController::runFinished);
    connect(worker_, &TrainWorker::runFailed, this, &EngineController::runFailed);
    connect(worker_, &TrainWorker::held, this, &EngineController::pauseHeld);
    connect(worker_, &TrainWorker::idle, this, [this] {
        running_ = false;
        emit runningChanged(false);
    });
    thread_.setObjectName("engine");
    thread_.start();
}

EngineController::~EngineController() {
    cancel_.store(true);
    thread_.quit();
    thread_.wait();
}

bool EngineController::start(const TrainConfig& config, const QString& runDir, bool resume) {
    if (running_) return false;
    running_ = true;
    cancel_.store(false);
    emit runningChanged(true);
    QMetaObject::invokeMethod(worker_, "run", Qt::QueuedConnection,
                              Q_ARG(fewdata::TrainConfig, config), Q_ARG(QString, runDir),
                              Q_ARG(bool, resume));
    return true;
}

void EngineController::cancel() {
    cancel_.store(true);
    setPaused(false);
}

void EngineController::setPaused(bool paused) {
    if (pause_.exchange(paused) != paused) emit pausedChanged(paused);
}

}  // namespace fewdata
