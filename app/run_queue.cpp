#include "run_queue.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>
#include <algorithm>

#include "core/run/train_job.h"
#include "engine_controller.h"

namespace fewdata {

QString runsFolder() {
    return QSettings().value("runsFolder", QDir::current().filePath("runs")).toString();
}

RunQueue::RunQueue(EngineController* controller, QObject* parent)
    : QObject(parent), controller_(controller) {
    // From the event loop: the controller finishes its own signal first.
    connect(controller_, &EngineController::runningChanged, this, [this](bool running) {
        if (!running) QTimer::singleShot(0, this, &RunQueue::startNext);
    });
}

void RunQueue::addSeeds(const TrainConfig& config, int seeds) {
    for (int k = 0; k < seeds; ++k) {
        Entry e;
        e.config = config;
        e.config.seed = config.seed + k;
        entries_.append(e);
    }
    emit changed();
}

void RunQueue::addResume(const UnfinishedRun& run) {
    entries_.append({resumeConfig(run.dir), QString::fromStdString(run.dir), run.checkpointEpoch});
    emit changed();
}

void RunQueue::clear() {
    entries_.clear();
    emit changed();
}

QStringList RunQueue::describe() const {
    QStringList lines;
    for (const Entry& e : entries_) {
        const TrainConfig& c = e.config;
        if (!e.resumeDir.isEmpty())
            lines << tr("resume %1 after epoch %2 of %3")
                         .arg(QFileInfo(e.resumeDir).fileName())
                         .arg(std::max(0, e.fromEpoch))
                         .arg(c.epochs);
        else
            lines << tr("%1, seed %2, %3 epochs, K = %4")
                         .arg(QString::fromStdString(c.method))
                         .arg(c.seed)
                         .arg(c.epochs)
                         .arg(c.per_class);
    }
    return lines;
}

QString RunQueue::newRunDir(const TrainConfig& c) const {
    const QString root = runsFolder();
    const QString stem = QString::fromStdString(c.method) + "-seed" + QString::number(c.seed) +
                         "-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    QString dir = QDir(root).filePath(stem);
    // Two runs queued within a second would share a name: results are never overwritten.
    for (int k = 2; QFileInfo::exists(dir); ++k)
        dir = QDir(root).filePath(stem + "-" + QString::number(k));
    return dir;
}

bool RunQueue::startNext() {
    if (entries_.isEmpty() || controller_->isRunning()) return false;
    const Entry next = entries_.takeFirst();
    const bool resume = !next.resumeDir.isEmpty();
    const QString dir = resume ? next.resumeDir : newRunDir(next.config);
    if (!controller_->start(next.config, dir, resume)) {
        entries_.prepend(next);  // the engine did not take it: it stays first
        return false;
    }
    emit changed();
    emit dispatched(next.config, dir, resume);
    return true;
}

}  // namespace fewdata
