#include "study_runner.h"

#include <QTimer>

namespace fewdata {

StudyRunner::StudyRunner(EngineController* controller, QObject* parent)
    : QObject(parent), controller_(controller) {
    connect(controller_, &EngineController::stepTaken, this,
            [this](const QString& dir, int kind, const QString& setAsideAs) {
                if (!active_ || current_ < 0 ||
                    dir.toStdString() != plan_[size_t(current_)].dir)
                    return;
                switch (RunStep::Kind(kind)) {
                    case RunStep::KeptDone:
                        emit cellChanged(current_, "kept", {});
                        reported_ = true;
                        break;
                    case RunStep::KeptFailed:
                        ++failures_;
                        emit cellChanged(current_, "failed", tr("failed before, kept"));
                        reported_ = true;
                        break;
                    case RunStep::WaitsForBaseline:
                    case RunStep::Busy:
                        ++failures_;
                        emit cellChanged(current_, "skipped",
                                         RunStep::Kind(kind) == RunStep::Busy
                                             ? tr("another process runs it")
                                             : tr("its baseline did not finish"));
                        reported_ = true;
                        break;
                    case RunStep::Resume:
                        emit cellChanged(current_, "resumed", {});
                        break;
                    case RunStep::Fresh:
                        if (!setAsideAs.isEmpty())
                            emit cellChanged(current_, "running",
                                             tr("interrupted before, set aside as %1").arg(setAsideAs));
                        break;
                }
            });
    connect(controller_, &EngineController::runFinished, this, &StudyRunner::ended);
    connect(controller_, &EngineController::runFailed, this, &StudyRunner::ended);
    connect(controller_, &EngineController::runningChanged, this, [this](bool running) {
        if (running || !active_) return;
        if (current_ >= 0 && !reported_) {
            // An end without a result of its folder (refused before it began): say so.
            reported_ = true;
            emit cellChanged(current_, cancelled_ ? "cancelled" : "failed", {});
            failures_ += !cancelled_;
            emit runEnded(current_);
        }
        // After the controller's own handlers: the next run starts from an idle engine.
        QTimer::singleShot(0, this, [this] { next(); });
    });
}

bool StudyRunner::start(std::vector<PlannedRun> plan) {
    if (active_ || controller_->isRunning() || plan.empty()) return false;
    plan_ = std::move(plan);
    current_ = -1;
    failures_ = 0;
    cancelled_ = false;
    active_ = true;
    next();
    return active_;
}

void StudyRunner::cancel() {
    if (!active_) return;
    cancelled_ = true;
    controller_->cancel();
    if (!controller_->isRunning()) next();
}

void StudyRunner::ended(const RunResult& r) {
    if (!active_ || current_ < 0 || r.runDir != plan_[size_t(current_)].dir) return;
    if (reported_) return;
    reported_ = true;
    if (r.status == RunStatus::Finished) {
        emit cellChanged(current_, "done", {});
    } else if (r.status == RunStatus::Cancelled) {
        // Whoever cancelled it (the study's button, the training page, closing the window),
        // the study stops with it.
        cancelled_ = true;
        emit cellChanged(current_, "cancelled", QString::fromStdString(r.message));
    } else {
        ++failures_;
        emit cellChanged(current_, "failed", QString::fromStdString(r.message));
    }
    emit runEnded(current_);
}

void StudyRunner::next() {
    if (!active_) return;
    if (controller_->isRunning()) return;  // its end calls next again
    ++current_;
    if (cancelled_ || current_ >= int(plan_.size())) {
        active_ = false;
        emit finished(cancelled_, failures_);
        return;
    }
    reported_ = false;
    emit cellChanged(current_, "running", {});
    const PlannedRun& run = plan_[size_t(current_)];
    emit runBegins(run.config, QString::fromStdString(run.dir), false);
    if (!controller_->startPlanned(plan_[size_t(current_)])) {
        // The engine took another job meanwhile: the study stops here, nothing lost.
        active_ = false;
        emit cellChanged(current_, "pending", tr("the engine was busy"));
        emit finished(true, failures_);
    }
}

}  // namespace fewdata
