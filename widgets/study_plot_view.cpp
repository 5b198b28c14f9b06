#include "study_plot_view.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <set>

namespace fewdata {

StudyPlotView::StudyPlotView(QWidget* parent) : QWidget(parent) {
    kind_ = new QComboBox;
    kind_->addItem(tr("Accuracy per method"), int(StudyPlotKind::Methods));
    kind_->addItem(tr("Learning curves (accuracy over K)"), int(StudyPlotKind::LearningCurve));
    auto* png = new QPushButton(tr("Save PNG…"));
    auto* pdf = new QPushButton(tr("Save PDF…"));
    status_ = new QLabel;
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    plot_ = new QCustomPlot;
    plot_->setMinimumSize(320, 220);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Figure:")));
    bar->addWidget(kind_);
    bar->addStretch(1);
    bar->addWidget(png);
    bar->addWidget(pdf);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(plot_, 1);
    layout->addWidget(status_);

    connect(kind_, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
    connect(png, &QPushButton::clicked, this, [this] { saveAs("png"); });
    connect(pdf, &QPushButton::clicked, this, [this] { saveAs("pdf"); });
    redraw();
}

void StudyPlotView::setRows(const std::vector<MethodRow>& rows) {
    rows_ = rows;
    // A folder of a K grid opens on its learning curves, a single K on the methods; the
    // user's choice stays while a study fills in.
    std::set<int> ks;
    for (const auto& r : rows) ks.insert(r.perClass);
    const bool grid = ks.size() > 1;
    if (grid != grid_) {
        grid_ = grid;
        kind_->blockSignals(true);
        kind_->setCurrentIndex(grid ? 1 : 0);
        kind_->blockSignals(false);
    }
    redraw();
}

void StudyPlotView::setKind(StudyPlotKind kind) {
    kind_->setCurrentIndex(kind_->findData(int(kind)));
}

StudyPlotKind StudyPlotView::kind() const {
    return StudyPlotKind(kind_->currentData().toInt());
}

void StudyPlotView::redraw() {
    content_ = drawStudyPlot(*plot_, kind(), rows_);
}

QString StudyPlotView::saveTo(const QString& path) {
    const QSize size = plot_->size().width() >= 200 ? plot_->size() : QSize(900, 560);
    return saveStudyPlot(*plot_, path, size.width(), size.height());
}

void StudyPlotView::saveAs(const QString& suffix) {
    const QString filter = suffix == "png" ? tr("PNG image (*.png)") : tr("PDF document (*.pdf)");
    // Existing files are refused by saveTo, so the dialog does not offer to replace them.
    QString path = QFileDialog::getSaveFileName(this, tr("Save figure"), QString(), filter,
                                                nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty()) return;
    if (!path.endsWith("." + suffix, Qt::CaseInsensitive)) path += "." + suffix;
    const QString error = saveTo(path);
    status_->setText(error.isEmpty() ? tr("Saved to %1").arg(path) : error);
}

}  // namespace fewdata
