#include "training_page.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <cmath>

#include "training_charts.h"

namespace fewdata {

TrainingPage::TrainingPage(QWidget* parent) : QWidget(parent) {
    charts_ = new TrainingCharts;
    runStatus_ = new QLabel(tr("No run yet: set up an experiment and start it."));
    progress_ = new QProgressBar;
    auto* cancel = new QPushButton(tr("Cancel run"));
    cancelButton_ = cancel;
    pauseButton_ = new QPushButton(tr("Pause"));
    pauseButton_->setCheckable(true);
    auto* clearQueue = new QPushButton(tr("Clear queue"));
    queueList_ = new QListWidget;
    queueList_->setMaximumHeight(70);
    auto* saveCharts = new QPushButton(tr("Save charts…"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(runStatus_, 1);
    bar->addWidget(progress_);
    bar->addWidget(pauseButton_);
    bar->addWidget(cancel);
    bar->addWidget(saveCharts);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(charts_, 1);
    auto* queueBar = new QHBoxLayout;
    queueBar->addWidget(new QLabel(tr("Queued runs")));
    queueBar->addWidget(queueList_, 1);
    queueBar->addWidget(clearQueue, 0, Qt::AlignTop);
    layout->addLayout(queueBar);

    connect(cancel, &QPushButton::clicked, this, &TrainingPage::cancelRequested);
    connect(pauseButton_, &QPushButton::toggled, this, &TrainingPage::pauseRequested);
    connect(clearQueue, &QPushButton::clicked, this, &TrainingPage::clearQueueRequested);
    connect(saveCharts, &QPushButton::clicked, this, &TrainingPage::saveCharts);
}

QString TrainingPage::statusText() const {
    return runStatus_->text();
}

QStringList TrainingPage::queueShown() const {
    QStringList lines;
    for (int i = 0; i < queueList_->count(); ++i) lines << queueList_->item(i)->text();
    return lines;
}

void TrainingPage::beginRun(const TrainConfig& config, const QString& runDir, bool resume) {
    runStatus_->setText(resume ? tr("Resuming %1 (decoding the dataset)…").arg(runDir)
                               : tr("Preparing %1 (decoding the dataset)…").arg(runDir));
    charts_->beginRun(
        QString::fromStdString(config.method) + " s" + QString::number(config.seed), 1);
}

void TrainingPage::showStarted(const RunStarted& s) {
    totalEpochs_ = s.epochs;
    epochSeconds_ = 0;
    epochsSeen_ = 0;
    progress_->setRange(0, s.epochs);
    progress_->setValue(0);
    runStatus_->setText(tr("%1: %2 train / %3 val / %4 test images on %5")
                            .arg(QString::fromStdString(s.runDir))
                            .arg(s.trainSize)
                            .arg(s.valSize)
                            .arg(s.testSize)
                            .arg(QString::fromStdString(s.device)));
}

void TrainingPage::addBatch(const BatchProgress& b) {
    charts_->addBatch(b);
}

void TrainingPage::showEpoch(const EpochMetrics& m) {
    charts_->addEpoch(m);
    progress_->setValue(m.epoch);
    // The remaining epochs at the mean pace of this run's epochs so far.
    epochSeconds_ += m.seconds;
    ++epochsSeen_;
    const int eta =
        int(std::lround(epochSeconds_ / epochsSeen_ * std::max(0, totalEpochs_ - m.epoch)));
    emit statusMessage(tr("epoch %1/%2  val %3 %  %4 img/s  ETA %5:%6")
                           .arg(m.epoch)
                           .arg(totalEpochs_)
                           .arg(m.valAccuracy, 0, 'f', 1)
                           .arg(m.imagesPerSecond, 0, 'f', 0)
                           .arg(eta / 60)
                           .arg(eta % 60, 2, 10, QChar('0')),
                       0);
}

void TrainingPage::showEnded(const RunResult& r) {
    charts_->endRun();
    if (r.status == RunStatus::Finished)
        runStatus_->setText(tr("Finished: test %1 % (best epoch %2, val %3 %), %4")
                                .arg(r.testAccuracy, 0, 'f', 2)
                                .arg(r.bestEpoch)
                                .arg(r.valAccuracy, 0, 'f', 2)
                                .arg(QString::fromStdString(r.runDir)));
    else
        runStatus_->setText(QString::fromStdString(statusName(r.status)) + ": " +
                            QString::fromStdString(r.message));
}

void TrainingPage::setRunning(bool running) {
    if (!running) charts_->endRun();  // also after a study cell that was kept, not run
    pauseButton_->setEnabled(running);
    cancelButton_->setEnabled(running);
}

void TrainingPage::showPaused(bool paused) {
    pauseButton_->setChecked(paused);  // toggles back to the controller only on a change
    pauseButton_->setText(paused ? tr("Resume") : tr("Pause"));
    if (paused) emit statusMessage(tr("Pausing: the run stops at its next batch."), 0);
}

void TrainingPage::showHeld(bool holding) {
    if (holding) emit statusMessage(tr("Paused."), 0);
}

void TrainingPage::showQueue(const QStringList& runs) {
    queueList_->clear();
    queueList_->addItems(runs);
}

void TrainingPage::saveCharts() {
    const QString f = QFileDialog::getSaveFileName(this, tr("Save charts"), {},
                                                   tr("PNG (*.png);;PDF (*.pdf)"));
    if (!f.isEmpty() && !charts_->save(f))
        QMessageBox::warning(this, tr("Save charts"), tr("Cannot write %1").arg(f));
}

}  // namespace fewdata
