// Live training curves (QCustomPlot): loss, accuracy and learning rate against the epoch, with
// the batch-level loss while an epoch runs and the best epoch marked. Several runs overlay in
// distinct colours, each under a label of its own (method, seed and start time) in a list
// beside the charts, where a run is shown, hidden or cleared away. Every point has a marker,
// so a run's first epoch is visible, and the axes keep sensible ranges from the first point.
// Takes plain engine events; starts nothing itself.
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "core/train/train_events.h"

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QListWidget;

namespace fewdata {

class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCharts(QWidget* parent = nullptr);

    // A new set of curves for the next run, in the next colour of the palette; `name` gets
    // the start time (and a number where that is still taken) so no two runs share a label.
    void beginRun(const QString& name, int batchesPerEpoch);
    void addBatch(const BatchProgress& b);
    void addEpoch(const EpochMetrics& m);
    // The current run ended: "Clear finished runs" may now remove it.
    void endRun();
    void clear();
    // Removes every run but one still training.
    void clearFinished();
    void setRunVisible(int run, bool visible);
    bool runVisible(int run) const;
    int runCount() const { return static_cast<int>(runs_.size()); }
    QStringList runLabels() const;
    // Points of run `run`'s epoch curve (train loss) and of its batch-level loss curve.
    int epochPoints(int run) const;
    int batchPoints(int run) const;
    QCustomPlot* lossPlot() const { return loss_; }
    QCustomPlot* accuracyPlot() const { return accuracy_; }
    QCustomPlot* lrPlot() const { return lr_; }
    QCPGraph* trainLossGraph(int run) const { return runs_.at(size_t(run)).trainLoss; }

    // PNG or PDF by the file's suffix; false when it cannot be written.
    bool save(const QString& path);

private:
    struct RunCurves {
        QString label;
        QCPGraph *trainLoss, *valLoss, *batchLoss, *trainAcc, *valAcc, *lr;
        QCPGraph* emaValAcc;  // the weight average's validation accuracy (ema_decay)
        QCPItemStraightLine* best = nullptr;
        int batchesPerEpoch = 1;
        bool visible = true;
    };
    void replot();
    void fitAxes();
    void removeRun(size_t i);
    void relist();

    QCustomPlot* loss_;
    QCustomPlot* accuracy_;
    QCustomPlot* lr_;
    QListWidget* list_;
    std::vector<RunCurves> runs_;
    int colours_ = 0;          // runs begun: the next colour
    bool active_ = false;      // the last run is still training
    qint64 lastReplotMs_ = 0;
};

}  // namespace fewdata
