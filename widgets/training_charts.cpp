#include "training_charts.h"

#include <qcustomplot.h>

#include <QDateTime>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace fewdata {
namespace {

QColor paletteColour(int i) {
    // Okabe-Ito: distinguishable with colour-blindness.
    static const QColor colours[] = {
        QColor(0, 114, 178), QColor(213, 94, 0),   QColor(0, 158, 115), QColor(204, 121, 167),
        QColor(230, 159, 0), QColor(86, 180, 233), QColor(0, 0, 0)};
    return colours[i % 7];
}

QCPGraph* addGraph(QCustomPlot* p, const QString& name, const QColor& c, Qt::PenStyle style,
                   int width = 2, QCPScatterStyle::ScatterShape marker = QCPScatterStyle::ssNone) {
    QCPGraph* g = p->addGraph();
    g->setName(name);
    g->setPen(QPen(c, width, style));
    // A marker on every point: a run's first epoch is one point, and a line needs two.
    if (marker != QCPScatterStyle::ssNone) g->setScatterStyle(QCPScatterStyle(marker, c, c, 6));
    return g;
}

// The key of the line styles, once per chart, beside the axes (never over the curves); the
// runs' colours are named in the list beside the charts.
QCustomPlot* makePlot(const QString& yLabel, const QStringList& keys, QWidget* parent) {
    auto* p = new QCustomPlot(parent);
    p->xAxis->setLabel(TrainingCharts::tr("epoch"));
    p->yAxis->setLabel(yLabel);
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    p->setMinimumHeight(140);
    p->legend->setFont(QFont(p->font().family(), 8));
    p->legend->setBorderPen(Qt::NoPen);
    p->legend->setVisible(true);
    // A column of one width in every chart, so their epoch axes line up; the legend at its
    // top, not spread over its height.
    auto* column = new QCPLayoutGrid;
    p->plotLayout()->addElement(0, 1, column);
    p->plotLayout()->setColumnStretchFactor(1, 0.001);
    column->addElement(0, 0, p->legend);
    column->addElement(1, 0, new QCPLayoutElement(p));
    column->setRowStretchFactor(0, 0.001);
    column->setMinimumSize(120, 0);
    column->setMaximumSize(120, QWIDGETSIZE_MAX);
    const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    for (int i = 0; i < keys.size(); ++i) {
        QCPGraph* g = addGraph(p, keys[i], QColor(90, 90, 90), styles[i % 4], i >= 2 ? 1 : 2);
        g->setProperty("styleKey", true);
    }
    return p;
}

// The data range of a plot's visible run graphs (not the style keys).
QCPRange valueSpan(QCustomPlot* p, bool positiveOnly, bool* found, double* maxKey) {
    // Not QCPRange's constructor: it would swap an empty (lower > upper) start.
    QCPRange span;
    span.lower = 1e300;
    span.upper = -1e300;
    *found = false;
    for (int i = 0; i < p->graphCount(); ++i) {
        QCPGraph* g = p->graph(i);
        if (!g->visible() || g->property("styleKey").toBool()) continue;
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
            if (positiveOnly && it->value <= 0) continue;
            span.lower = std::min(span.lower, it->value);
            span.upper = std::max(span.upper, it->value);
            *maxKey = std::max(*maxKey, it->key);
            *found = true;
        }
    }
    return span;
}

}  // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
    loss_ = makePlot(tr("loss (log scale)"), {tr("train"), tr("validation"), tr("each batch")},
                     this);
    // From-scratch runs on few images often start with a validation loss thousands of times
    // the final one; on a linear axis everything after it would be a flat line.
    loss_->graph(2)->setPen(QPen(QColor(90, 90, 90, 90), 1));  // as the batches are drawn
    loss_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    loss_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    accuracy_ = makePlot(tr("accuracy (%)"), {tr("train"), tr("validation"), tr("best epoch"),
                                                        tr("validation, weight EMA")},
                         this);
    lr_ = makePlot(tr("learning rate"), {tr("scheduled")}, this);
    // Every chart's left edge at the same place, so their epochs line up.
    auto* group = new QCPMarginGroup(loss_);
    for (QCustomPlot* p : {loss_, accuracy_, lr_})
        p->axisRect()->setMarginGroup(QCP::msLeft, group);
    auto* charts = new QVBoxLayout;
    charts->addWidget(loss_, 3);
    charts->addWidget(accuracy_, 3);
    charts->addWidget(lr_, 2);

    list_ = new QListWidget;
    list_->setToolTip(tr("The runs drawn: untick to hide one"));
    list_->setMinimumWidth(150);
    list_->setMaximumWidth(230);
    auto* clearButton = new QPushButton(tr("Clear finished runs"));
    auto* side = new QVBoxLayout;
    side->addWidget(list_, 1);
    side->addWidget(clearButton);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(charts, 1);
    layout->addLayout(side);
    connect(clearButton, &QPushButton::clicked, this, &TrainingCharts::clearFinished);
    connect(list_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        setRunVisible(list_->row(item), item->checkState() == Qt::Checked);
    });
    fitAxes();
}

void TrainingCharts::beginRun(const QString& name, int batchesPerEpoch) {
    const QColor c = paletteColour(colours_++);
    RunCurves r;
    const QStringList taken = runLabels();
    r.label = name + " " + QTime::currentTime().toString("HH:mm:ss");
    for (int n = 2; taken.contains(r.label); ++n)
        r.label = name + " " + QTime::currentTime().toString("HH:mm:ss") + " (" +
                  QString::number(n) + ")";
    QColor faint = c;
    faint.setAlpha(90);
    r.batchLoss = addGraph(loss_, r.label, faint, Qt::SolidLine, 1);
    r.trainLoss = addGraph(loss_, r.label, c, Qt::SolidLine, 2, QCPScatterStyle::ssDisc);
    r.valLoss = addGraph(loss_, r.label, c, Qt::DashLine, 2, QCPScatterStyle::ssCircle);
    r.trainAcc = addGraph(accuracy_, r.label, c, Qt::SolidLine, 2, QCPScatterStyle::ssDisc);
    r.valAcc = addGraph(accuracy_, r.label, c, Qt::DashLine, 2, QCPScatterStyle::ssCircle);
    r.emaValAcc = addGraph(accuracy_, r.label, c, Qt::DashDotLine, 1);
    r.lr = addGraph(lr_, r.label, c, Qt::SolidLine, 2, QCPScatterStyle::ssDisc);
    for (QCPGraph* g :
         {r.batchLoss, r.trainLoss, r.valLoss, r.trainAcc, r.valAcc, r.emaValAcc, r.lr})
        g->removeFromLegend();
    r.best = new QCPItemStraightLine(accuracy_);
    r.best->setPen(QPen(c, 1, Qt::DotLine));
    r.best->setVisible(false);
    r.batchesPerEpoch = std::max(1, batchesPerEpoch);
    runs_.push_back(r);
    active_ = true;
    relist();
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
    if (m.emaValAccuracy >= 0) r.emaValAcc->addData(m.epoch, m.emaValAccuracy);
    r.lr->addData(m.epoch, m.lr);
    if (m.best) {
        r.best->point1->setCoords(m.epoch, 0);
        r.best->point2->setCoords(m.epoch, 1);
        r.best->setVisible(r.visible);
    }
    replot();
}

void TrainingCharts::endRun() {
    // A run that never reported (a study's kept cell, a refused start) leaves no entry.
    if (active_ && !runs_.empty() && runs_.back().trainLoss->dataCount() == 0 &&
        runs_.back().batchLoss->dataCount() == 0) {
        removeRun(runs_.size() - 1);
        relist();
        replot();
    }
    active_ = false;
}

QStringList TrainingCharts::runLabels() const {
    QStringList labels;
    for (const RunCurves& r : runs_) labels << r.label;
    return labels;
}

void TrainingCharts::removeRun(size_t i) {
    RunCurves& r = runs_[i];
    loss_->removeGraph(r.batchLoss);
    loss_->removeGraph(r.trainLoss);
    loss_->removeGraph(r.valLoss);
    accuracy_->removeGraph(r.trainAcc);
    accuracy_->removeGraph(r.valAcc);
    accuracy_->removeGraph(r.emaValAcc);
    accuracy_->removeItem(r.best);
    lr_->removeGraph(r.lr);
    runs_.erase(runs_.begin() + long(i));
}

void TrainingCharts::clear() {
    while (!runs_.empty()) removeRun(runs_.size() - 1);
    active_ = false;
    relist();
    replot();
}

void TrainingCharts::clearFinished() {
    const size_t keep = active_ && !runs_.empty() ? 1 : 0;
    while (runs_.size() > keep) removeRun(0);
    relist();
    replot();
}

void TrainingCharts::setRunVisible(int run, bool visible) {
    if (run < 0 || size_t(run) >= runs_.size()) return;
    RunCurves& r = runs_[size_t(run)];
    r.visible = visible;
    for (QCPGraph* g :
         {r.batchLoss, r.trainLoss, r.valLoss, r.trainAcc, r.valAcc, r.emaValAcc, r.lr})
        g->setVisible(visible);
    r.best->setVisible(visible && r.best->point1->coords().x() > 0);
    if (QListWidgetItem* item = list_->item(run)) {
        const QSignalBlocker block(list_);
        item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
    }
    replot();
}

bool TrainingCharts::runVisible(int run) const {
    return runs_.at(size_t(run)).visible;
}

void TrainingCharts::relist() {
    const QSignalBlocker block(list_);
    list_->clear();
    for (const RunCurves& r : runs_) {
        QPixmap swatch(12, 12);
        swatch.fill(r.trainLoss->pen().color());
        auto* item = new QListWidgetItem(QIcon(swatch), r.label);
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(r.visible ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(r.label);
        list_->addItem(item);
    }
}

void TrainingCharts::fitAxes() {
    // Epochs from 0 to the last one drawn (at least 1), half an epoch of room on the right.
    double maxKey = 1;
    bool any = false;
    const QCPRange loss = valueSpan(loss_, true, &any, &maxKey);
    if (any)
        loss_->yAxis->setRange(loss.lower / 1.5, loss.upper * 1.5);
    else
        loss_->yAxis->setRange(0.1, 10);
    const QCPRange acc = valueSpan(accuracy_, false, &any, &maxKey);
    if (any) {
        double lo = std::max(0.0, std::floor((acc.lower - 5) / 10) * 10);
        double hi = std::min(100.0, std::ceil((acc.upper + 5) / 10) * 10);
        if (hi - lo < 20) {
            hi = std::min(100.0, lo + 20);
            lo = std::max(0.0, hi - 20);
        }
        accuracy_->yAxis->setRange(lo, hi);
    } else {
        accuracy_->yAxis->setRange(0, 100);
    }
    const QCPRange lr = valueSpan(lr_, true, &any, &maxKey);
    lr_->yAxis->setRange(0, any ? lr.upper * 1.15 : 1.0);
    for (QCustomPlot* p : {loss_, accuracy_, lr_}) p->xAxis->setRange(0, maxKey + 0.5);
}

void TrainingCharts::replot() {
    lastReplotMs_ = QDateTime::currentMSecsSinceEpoch();
    fitAxes();
    for (QCustomPlot* p : {loss_, accuracy_, lr_}) p->replot(QCustomPlot::rpQueuedReplot);
}

bool TrainingCharts::save(const QString& path) {
    const bool pdf = QFileInfo(path).suffix().compare("pdf", Qt::CaseInsensitive) == 0;
    if (!pdf) return grab().save(path, "PNG");
    // Vector output: each chart paints itself into the PDF at its place on screen; the page
    // is the charts' area (the run list beside them is not drawn).
    const QRect area = loss_->geometry().united(accuracy_->geometry()).united(lr_->geometry());
    QPdfWriter writer(path);
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QSizeF(area.width(), area.height()), QPageSize::Point));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QCPPainter painter;
    if (!painter.begin(&writer)) return false;
    for (QCustomPlot* p : {loss_, accuracy_, lr_}) {
        painter.save();
        painter.translate(p->geometry().topLeft() - area.topLeft());
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
