#include "run_details.h"

#include <qcustomplot.h>

#include <cmath>

#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "sample_gallery.h"

namespace fewdata {

QStringList runClassNames(const QString& runDir, size_t count, const std::vector<int64_t>& subset) {
    QStringList names;
    QFile f(runDir + "/manifest.json");
    if (f.open(QIODevice::ReadOnly))
        for (const auto& c : QJsonDocument::fromJson(f.readAll())["classes"].toArray())
            names << c.toString();
    if (!subset.empty()) {
        QStringList chosen;
        for (const int64_t c : subset)
            chosen << (c >= 0 && c < names.size() ? names[int(c)] : QString::number(c));
        names = chosen;
    }
    if (size_t(names.size()) != count) {
        names.clear();
        for (size_t i = 0; i < count; ++i) names << QString::number(i);
    }
    return names;
}

namespace {

QTableWidgetItem* numberItem(double v, int decimals) {
    auto* item = new QTableWidgetItem(QString::number(v, 'f', decimals));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

RunDetails::RunDetails(const RunRecord& run, QWidget* parent) : QDialog(parent) {
    const QString dir = QString::fromStdString(run.dir);
    dir_ = dir;
    setWindowTitle(tr("Run %1").arg(QFileInfo(dir).fileName()));
    QString summary =
        tr("<b>%1</b>, seed %2, %3, K = %4<br>validation %5 %, test %6 % (last epoch %7 %), best "
           "epoch %8, %9 s<br>%10")
            .arg(QString::fromStdString(run.method))
            .arg(run.seed)
            .arg(QString::fromStdString(run.model))
            .arg(run.perClass)
            .arg(run.valAccuracy, 0, 'f', 2)
            .arg(run.testAccuracy, 0, 'f', 2)
            .arg(run.testAccuracyLast, 0, 'f', 2)
            .arg(run.bestEpoch)
            .arg(run.seconds, 0, 'f', 0)
            .arg(dir.toHtmlEscaped());
    for (const auto& [name, value] : run.figures)
        summary +=
            QStringLiteral("<br>%1: %2").arg(QString::fromStdString(name)).arg(value, 0, 'f', 2);
    auto* header = new QLabel(summary);
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header->setWordWrap(true);

    auto* tabs = new QTabWidget;
    const auto& m = run.testConfusion;
    const int k = int(m.size());
    if (k > 0) {
        const QStringList names = runClassNames(dir, size_t(k), run.testConfusionClasses);
        auto* plot = new QCustomPlot;
        confusion_ = plot;
        plot->setMinimumSize(420, 360);
        auto* map = new QCPColorMap(plot->xAxis, plot->yAxis);
        map->data()->setSize(k, k);
        map->data()->setRange(QCPRange(0, k - 1), QCPRange(0, k - 1));
        // Rows normalised: each true class's share per predicted class, so classes of any
        // size read alike; the table beside gives the counts.
        auto* table = new QTableWidget(k, 4);
        table->setHorizontalHeaderLabels(
            {tr("Class"), tr("Test images"), tr("Right"), tr("Accuracy %")});
        table->verticalHeader()->hide();
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        QSharedPointer<QCPAxisTickerText> xt(new QCPAxisTickerText), yt(new QCPAxisTickerText);
        for (int t = 0; t < k; ++t) {
            int64_t rowSum = 0;
            for (int p = 0; p < k; ++p) rowSum += m[size_t(t)][size_t(p)];
            for (int p = 0; p < k; ++p)
                map->data()->setCell(p, k - 1 - t,
                                     rowSum ? double(m[size_t(t)][size_t(p)]) / double(rowSum) : 0);
            const int64_t right = m[size_t(t)][size_t(t)];
            perClass_.push_back({names[t], rowSum, right});
            table->setItem(t, 0, new QTableWidgetItem(names[t]));
            table->setItem(t, 1, numberItem(double(rowSum), 0));
            table->setItem(t, 2, numberItem(double(right), 0));
            table->setItem(t, 3,
                           numberItem(rowSum ? 100.0 * double(right) / double(rowSum) : 0, 2));
            xt->addTick(t, names[t]);
            yt->addTick(k - 1 - t, names[t]);
            cellClasses_.push_back(run.testConfusionClasses.empty()
                                       ? int64_t(t)
                                       : run.testConfusionClasses[size_t(t)]);
        }
        // Counts in the cells while they stay readable.
        if (k <= 15)
            for (int t = 0; t < k; ++t)
                for (int p = 0; p < k; ++p) {
                    const int64_t count = m[size_t(t)][size_t(p)];
                    if (count == 0) continue;
                    auto* label = new QCPItemText(plot);
                    label->position->setCoords(p, k - 1 - t);
                    label->setText(QString::number(count));
                    // The thermal map is light at the top of its range.
                    label->setColor(map->data()->cell(p, k - 1 - t) > 0.6 ? Qt::black
                                                                           : Qt::white);
                    QFont f = plot->font();
                    f.setPointSizeF(f.pointSizeF() * 0.85);
                    label->setFont(f);
                }
        connect(plot, &QCustomPlot::mousePress, this, [this, plot, k](QMouseEvent* e) {
            const int p = int(std::lround(plot->xAxis->pixelToCoord(e->position().x())));
            const int y = int(std::lround(plot->yAxis->pixelToCoord(e->position().y())));
            if (p >= 0 && p < k && y >= 0 && y < k) showCell(k - 1 - y, p);
        });
        table->resizeColumnsToContents();
        map->setGradient(QCPColorGradient::gpThermal);
        map->setDataRange(QCPRange(0, 1));
        map->setInterpolate(false);
        auto* scale = new QCPColorScale(plot);
        scale->setDataRange(QCPRange(0, 1));
        scale->setGradient(QCPColorGradient::gpThermal);
        scale->axis()->setLabel(tr("share of the true class"));
        plot->plotLayout()->addElement(0, 1, scale);
        map->setColorScale(scale);
        plot->xAxis->setTicker(xt);
        plot->yAxis->setTicker(yt);
        plot->xAxis->setTickLabelRotation(60);
        // The last slanted class name ends right of its column: room before the colour scale.
        plot->axisRect()->setMinimumMargins(QMargins(0, 0, 45, 0));
        plot->xAxis->setLabel(tr("predicted"));
        plot->yAxis->setLabel(tr("true class"));
        plot->xAxis->setRange(-0.5, k - 0.5);
        plot->yAxis->setRange(-0.5, k - 0.5);
        auto* split = new QSplitter;
        split->addWidget(plot);
        split->addWidget(table);
        cellGallery_ = new SampleGallery;
        auto* below = new QSplitter(Qt::Vertical);
        below->addWidget(split);
        below->addWidget(cellGallery_);
        below->setStretchFactor(0, 3);
        below->setStretchFactor(1, 2);
        tabs->addTab(below, tr("Confusion and per class"));
    } else {
        tabs->addTab(new QLabel(tr("This run wrote no confusion matrix (runs of this method, or "
                                   "from an older version, do not).")),
                     tr("Confusion and per class"));
    }
    hardest_ = new SampleGallery;
    auto* hardestPage = new QWidget;
    auto* hardestLayout = new QVBoxLayout(hardestPage);
    predictionsNote_ = new QLabel(tr("Reading predictions.csv…"));
    predictionsNote_->setWordWrap(true);
    hardestLayout->addWidget(predictionsNote_);
    hardestLayout->addWidget(hardest_, 1);
    auto* onDataset = new QPushButton(tr("Show these on the Dataset page"));
    onDataset->setToolTip(tr("Filters the Dataset page to these images, to look at them among "
                             "their classes"));
    hardestLayout->addWidget(onDataset, 0, Qt::AlignRight);
    connect(onDataset, &QPushButton::clicked, this, [this] {
        QStringList ids;
        for (const PredictionRow& r : hardest_->samples()) ids << QString::fromStdString(r.id);
        if (!ids.isEmpty())
            emit showOnDatasetPage(ids, tr("the hardest images of %1").arg(QFileInfo(dir_).fileName()));
    });
    tabs->addTab(hardestPage, tr("Hardest training images"));

    auto* config = new QPlainTextEdit;
    config->setReadOnly(true);
    QFile cf(dir + "/config.json");
    config->setPlainText(cf.open(QIODevice::ReadOnly)
                             ? QString::fromUtf8(QJsonDocument::fromJson(cf.readAll()).toJson())
                             : tr("config.json cannot be read"));
    tabs->addTab(config, tr("Config"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(header);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(980, 720);

    const std::string file = (dir + "/" + kPredictionsFile).toStdString();
    load_.request(
        [file] {
            Loaded l;
            try {
                l.rows = readPredictions(file);
            } catch (const std::exception& e) {
                l.error = QString::fromStdString(e.what());
            }
            return l;
        },
        [this](const Loaded& l) { takePredictions(l); });
}

int64_t RunDetails::classOfCell(int index) const {
    return index >= 0 && size_t(index) < cellClasses_.size() ? cellClasses_[size_t(index)]
                                                              : int64_t(index);
}

void RunDetails::takePredictions(const Loaded& l) {
    predictions_ = l.rows;
    predictionsRead_ = true;
    if (!l.error.isEmpty()) {
        // Runs of versions before predictions.csv, or a damaged file: the figures still show.
        predictionsNote_->setText(tr("No per-sample predictions: %1").arg(l.error));
        if (cellGallery_)
            cellGallery_->setSamples(dir_, {}, tr("No per-sample predictions: %1").arg(l.error));
        pendingRow_ = pendingColumn_ = -1;  // a click meanwhile has nothing to show
    } else {
        const auto hardest = hardestSamples(predictions_, kHardest);
        predictionsNote_->setText(
            tr("Training and validation images the model gets wrong, the surest mistakes "
               "first: likely label errors or outliers."));
        hardest_->setSamples(dir_, hardest,
                             tr("%n wrong with the highest confidence", nullptr,
                                int(hardest.size())));
        if (cellGallery_ && pendingRow_ < 0)
            cellGallery_->setSamples(dir_, {}, tr("Click a cell of the matrix for its test images."));
    }
    if (pendingRow_ >= 0) showCell(pendingRow_, pendingColumn_);
    emit predictionsLoaded();
}

QString RunDetails::predictionsNote() const {
    return predictionsNote_->text();
}

void RunDetails::showCell(int row, int column) {
    if (!cellGallery_) return;
    if (predictionsRead_ && predictions_.empty()) return;  // the gallery says why
    if (!predictionsRead_) {
        pendingRow_ = row;
        pendingColumn_ = column;
        return;
    }
    pendingRow_ = pendingColumn_ = -1;
    const int64_t t = classOfCell(row), p = classOfCell(column);
    auto rows = cellSamples(predictions_, t, p);
    QString trueName = QString::number(t), predictedName = QString::number(p);
    if (!rows.empty()) {
        trueName = QString::fromStdString(rows.front().trueClass);
        predictedName = QString::fromStdString(rows.front().predictedClass);
    }
    const QString caption =
        t == p ? tr("%1 right: %2 test images, the least sure first")
                     .arg(trueName)
                     .arg(rows.size())
               : tr("%1 taken for %2: %3 test images, the surest first")
                     .arg(trueName, predictedName)
                     .arg(rows.size());
    cellGallery_->setSamples(dir_, std::move(rows), caption);
}

}  // namespace fewdata
