// Live training curves (QCustomPlot): loss, accuracy and learning rate against the epoch, with
// the batch-level loss while an epoch runs and the best epoch marked. Several runs overlay in
// distinct colours. Takes plain engine events; starts nothing itself.
#pragma once

#include <QString>
#include <QWidget>
#include <vector>

#include "core/train/train_events.h"

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;

namespace fewdata {

class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCharts(QWidget* parent = nullptr);

    // A new set of curves for the next run, in the next colour of the palette.
    void beginRun(const QString& name, int batchesPerEpoch);
    void addBatch(const BatchProgress& b);
    void addEpoch(const EpochMetrics& m);
    void clear();
    int runCount() const { return static_cast<int>(runs_.size()); }
    // Points of run `run`'s epoch curve (train loss) and of its batch-level loss curve.
    int epochPoints(int run) const;
    int batchPoints(int run) const;

    // PNG or PDF by the file's suffix; false when it cannot be written.
    bool save(const QString& path);

private:
    struct RunCurves {
        QCPGraph *trainLoss, *valLoss, *batchLoss, *trainAcc, *valAcc, *lr;
        QCPItemStraightLine* best = nullptr;
        int batchesPerEpoch = 1;
    };
    void replot();

    QCustomPlot* loss_;
    QCustomPlot* accuracy_;
    QCustomPlot* lr_;
    std::vector<RunCurves> runs_;
    qint64 lastReplotMs_ = 0;
};

}  // namespace fewdata
