// The runs waiting for the engine: the experiment once per seed, or unfinished runs to resume
// from their checkpoints. The queue hands its first run to an EngineController when the
// controller is idle, and the next whenever a run ends; cancel ends only the current run.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "core/config/config.h"
#include "core/run/run_folder.h"
#include "engine_controller.h"  // also declares TrainConfig as a meta-type for dispatched()

namespace fewdata {

// The folder new runs go under: the "runsFolder" setting, else ./runs.
QString runsFolder();

class RunQueue : public QObject {
    Q_OBJECT
public:
    explicit RunQueue(EngineController* controller, QObject* parent = nullptr);

    int size() const { return int(entries_.size()); }
    // One run per seed (config.seed, config.seed + 1, ...), each in a new folder.
    void addSeeds(const TrainConfig& config, int seeds);
    // Continues the unfinished run in its own folder from its last checkpoint. Throws when its
    // config.json cannot be read back (InputError naming the folder or the key).
    void addResume(const UnfinishedRun& run);
    void clear();
    // One line per waiting run, first to start first.
    QStringList describe() const;
    // Hands the first waiting run to the controller; false when it is busy or nothing waits.
    bool startNext();

signals:
    void changed();
    // A run went to the engine: a new run in runDir, or (resume) the continuation of runDir.
    void dispatched(const fewdata::TrainConfig& config, const QString& runDir, bool resume);

private:
    struct Entry {
        TrainConfig config;
        QString resumeDir;  // empty: a new run
        int fromEpoch = -1;
    };
    QString newRunDir(const TrainConfig& c) const;

    EngineController* controller_;
    QList<Entry> entries_;
};

}  // namespace fewdata
