#include "training_charts.h"

#include <qcustomplot.h>
#include <QDateTime>
#include <QFileInfo>
#include <QVBoxLayout>

namespace fewdata {
namespace {

QColor paletteColour(int i) {
    // Okabe-Ito: distinguishable with colour-blindness.
    static const QColor colours[] = {
        QColor(0, 114, 178), QColor(213, 94, 0),   QColor(0, 158, 115), QColor(204, 121, 167),
        QColor(230, 159, 0), QColor(86, 180, 233), QColor(0, 0, 0)};
    return colours[i % 7];
}

QCustomPlot* makePlot(const QString& yLabel, QWidget* parent) {
    auto* p = new QCustomPlot(parent);
    p->xAxis->setLabel(QObject::tr("epoch"));
    p->yAxis->setLabel(yLabel);
    p->legend->setVisible(true);
    p->legend->setFont(QFont(p->font().family(), 8));
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    p->setMinimumHeight(160);
    return p;
}

QCPGraph* addGraph(QCustomPlot* p, const QString& name, const QColor& c, Qt::PenStyle style,
                   int width = 2) {
    QCPGraph* g = p->addGraph();
    g->setName(name);
    g->setPen(QPen(c, width, style));
    return g;
}

}  // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    loss_ = makePlot(tr("loss (log scale)"), this);
    // From-scratch runs on few images often start with a validation loss thousands of times
    // the final one; on a linear axis everything after it would be a flat line.
    loss_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    loss_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    accuracy_ = makePlot(tr("accuracy (%)"), this);
    lr_ = makePlot(tr("learning rate"), this);
    layout->addWidget(loss_, 3);
    layout->addWidget(accuracy_, 3);
    layout->addWidget(lr_, 2);
}

void TrainingCharts::beginRun(const QString& name, int batchesPerEpoch) {
    const QColor c = paletteColour(static_cast<int>(runs_.size()));
    RunCurves r;
    QColor faint = c;
    faint.setAlpha(90);
    r.batchLoss = addGraph(loss_, name + tr(" batch"), faint, Qt::SolidLine, 1);
    r.trainLoss = addGraph(loss_, name + tr(" train"), c, Qt::SolidLine);
    r.valLoss = addGraph(loss_, name + tr(" val"), c, Qt::DashLine);
    r.trainAcc = addGraph(accuracy_, name + tr(" train"), c, Qt::SolidLine);
    r.valAcc = addGraph(accuracy_, name + tr(" val"), c, Qt::DashLine);
    r.lr = addGraph(lr_, name, c, Qt::SolidLine);
    r.best = new QCPItemStraightLine(accuracy_);
    r.best->setPen(QPen(c, 1, Qt::DotLine));
    r.best->setVisible(false);
    r.batchesPerEpoch = std::max(1, batchesPerEpoch);
    runs_.push_back(r);
    replot();
}

void TrainingCharts::addBatch(const BatchProgress& b) {
    if (runs_.empty()) return;
    RunCurves& r = runs_.back();
    // The batch's position as a fractional epoch, so it sits under the epoch curves.
    r.batchLoss->addData((b.epoch - 1) + double(b.batch) / std::max(1, b.batches), b.loss);
    // Throttled: a redraw per batch would take the CPU the trainer needs.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - lastReplotMs_ > 250) replot();
}

void TrainingCharts::addEpoch(const EpochMetrics& m) {
    if (runs_.empty()) return;
    RunCurves& r = runs_.back();
    r.trainLoss->addData(m.epoch, m.trainLoss);
    if (m.valLoss > 0) r.valLoss->addData(m.epoch, m.valLoss);  // < 0: a stage without one
    if (m.trainAccuracy >= 0) r.trainAcc->addData(m.epoch, m.trainAccuracy);
    if (m.valAccuracy >= 0) r.valAcc->addData(m.epoch, m.valAccuracy);
    r.lr->addData(m.epoch, m.lr);
    if (m.best) {
        r.best->point1->setCoords(m.epoch, 0);
        r.best->point2->setCoords(m.epoch, 1);
        r.best->setVisible(true);
    }
    replot();
}

void TrainingCharts::clear() {
    for (QCustomPlot* p : {loss_, accuracy_, lr_}) {
        p->clearGraphs();
        p->clearItems();
    }
    runs_.clear();
    replot();
}

void TrainingCharts::replot() {
    lastReplotMs_ = QDateTime::currentMSecsSinceEpoch();
    for (QCustomPlot* p : {loss_, accuracy_, lr_}) {
        p->rescaleAxes();
        p->replot(QCustomPlot::rpQueuedReplot);
    }
}

bool TrainingCharts::save(const QString& path) {
    const bool pdf = QFileInfo(path).suffix().compare("pdf", Qt::CaseInsensitive) == 0;
    if (!pdf) return grab().save(path, "PNG");
    // Vector output: each chart paints itself into the PDF at its place on screen.
    QPdfWriter writer(path);
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QSizeF(width(), height()), QPageSize::Point));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QCPPainter painter;
    if (!painter.begin(&writer)) return false;
    for (QCustomPlot* p : {loss_, accuracy_, lr_}) {
        painter.save();
        painter.translate(p->geometry().topLeft());
        p->toPainter(&painter, p->width(), p->height());
        painter.restore();
    }
    return painter.end();
}

int TrainingCharts::epochPoints(int run) const {
    return runs_.at(size_t(run)).trainLoss->dataCount();
}

int TrainingCharts::batchPoints(int run) const {
    return runs_.at(size_t(run)).batchLoss->dataCount();
}

}  // namespace fewdata
