// A study run from the window: the planned runs (study.h) one after another on the engine
// thread, each prepared as `fewdata-cli compare` prepares it, with each cell's state reported
// as it changes. Cancelling stops the current run (it keeps what it wrote) and the rest.
#pragma once

#include <QObject>
#include <QString>
#include <vector>

#include "core/run/study.h"
#include "engine_controller.h"

namespace fewdata {

class StudyRunner : public QObject {
    Q_OBJECT
public:
    explicit StudyRunner(EngineController* controller, QObject* parent = nullptr);

    // False (nothing started) while the engine runs something else or the plan is empty.
    bool start(std::vector<PlannedRun> plan);
    void cancel();
    bool isRunning() const { return active_; }
    int current() const { return current_; }

signals:
    // `state`: running, resumed, done, kept, failed, skipped, cancelled (the page names them).
    void cellChanged(int index, const QString& state, const QString& note);
    // A planned run goes to the engine (the training page starts its charts for it).
    void runBegins(const fewdata::TrainConfig& config, const QString& runDir, bool resume);
    void runEnded(int index);
    void finished(bool cancelled, int failures);

private:
    void next();
    void ended(const RunResult& r);

    EngineController* controller_;
    std::vector<PlannedRun> plan_;
    int current_ = -1;
    int failures_ = 0;
    bool active_ = false;
    bool cancelled_ = false;
    bool reported_ = false;  // the current run's end (or its step) was reported
};

}  // namespace fewdata
