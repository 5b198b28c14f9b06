#include "dataset_browser.h"

#include <algorithm>
#include <set>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageReader>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "core/config/config_table.h"
#include "core/base/errors.h"
#include "core/train/run_setup.h"
#include "imaging/dataset_factory.h"
#include "tensor_image.h"
#include "thumbnail_model.h"

namespace fewdata {

// Class and split filters over the thumbnail model.
class SplitFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void set(int label, int split) {
        label_ = label;
        split_ = split;
        invalidateFilter();
    }
    // Only these sample ids (a run's hardest images); empty: no such filter.
    void setIds(std::set<std::string> ids) {
        ids_ = std::move(ids);
        invalidateFilter();
    }
    int label() const { return label_; }
    int split() const { return split_; }
    bool byIds() const { return !ids_.empty(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex&) const override {
        const auto* m = static_cast<const ThumbnailModel*>(sourceModel());
        if (!ids_.empty() && !ids_.count(m->sample(row).id)) return false;
        if (label_ >= 0 && m->sample(row).label != label_) return false;
        return split_ < 0 || int(m->split(row)) == split_;
    }

private:
    int label_ = -1, split_ = -1;
    std::set<std::string> ids_;
};

// The selected image, as large as its pane allows up to 256 px and down to 128 px in a small
// window: the thumbnail grid keeps its room.
class ImagePane : public QLabel {
public:
    ImagePane() {
        setAlignment(Qt::AlignCenter);
        setFrameShape(QFrame::StyledPanel);
    }
    void setImage(const QImage& image) {
        image_ = image;
        if (image_.isNull())
            clear();
        else
            rescale();
    }
    void clearImage() {
        image_ = QImage();
        clear();
    }
    QSize sizeHint() const override { return QSize(kLargest, kLargest) + frame(); }
    QSize minimumSizeHint() const override { return QSize(kSmallest, kSmallest) + frame(); }

protected:
    void resizeEvent(QResizeEvent* e) override {
        QLabel::resizeEvent(e);
        rescale();
    }

private:
    static constexpr int kLargest = 256, kSmallest = 128;
    QSize frame() const { return QSize(2 * frameWidth(), 2 * frameWidth()); }
    void rescale() {
        if (image_.isNull()) return;
        const int side = std::min({contentsRect().width(), contentsRect().height(), kLargest});
        setPixmap(QPixmap::fromImage(
            image_.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation)));
    }
    QImage image_;
};

namespace {

// Thumbnail columns the grid keeps however small the window.
constexpr int kGridColumns = 3;

QColor splitColour(SplitTag t) {
    switch (t) {
        case SplitTag::Train:
            return QColor(44, 160, 44);
        case SplitTag::Val:
            return QColor(255, 127, 14);
        case SplitTag::Test:
            return QColor(31, 119, 180);
        case SplitTag::Pool:
            break;
    }
    return QColor(200, 200, 200);
}

// A thumbnail with a bar in its split's colour under it.
class SplitDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* p, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        QStyledItemDelegate::paint(p, option, index);
        const auto tag = SplitTag(index.data(ThumbnailModel::SplitRole).toInt());
        const QRect r = option.rect;
        p->fillRect(QRect(r.left() + 4, r.bottom() - 4, r.width() - 8, 4), splitColour(tag));
    }
};

QString splitName(SplitTag t) {
    switch (t) {
        case SplitTag::Train:
            return DatasetBrowser::tr("train");
        case SplitTag::Val:
            return DatasetBrowser::tr("validation");
        case SplitTag::Test:
            return DatasetBrowser::tr("test");
        case SplitTag::Pool:
            break;
    }
    return DatasetBrowser::tr("not drawn");
}

QString datasetKey(const TrainConfig& c) {
    return QString::fromStdString(c.dataset + "\n" + c.layout);
}

QTableWidgetItem* count(int v) {
    auto* item = new QTableWidgetItem;
    item->setData(Qt::DisplayRole, v);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

DatasetBrowser::DatasetBrowser(QWidget* parent) : QWidget(parent) {
    model_ = new ThumbnailModel(this);
    filter_ = new SplitFilter(this);
    filter_->setSourceModel(model_);

    auto* embedded = new QPushButton(tr("Fashion-MNIST (embedded)"));
    auto* openFolder = new QPushButton(tr("Open folder…"));
    datasetLabel_ = new QLabel;
    datasetLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long folder path must not widen the page: what does not fit is in the tooltip.
    datasetLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    perClass_ = new QSpinBox;
    perClass_->setRange(1, 100000);
    seed_ = new QSpinBox;
    seed_->setRange(0, 1000000);
    valFraction_ = new QDoubleSpinBox;
    valFraction_->setRange(0.0, 0.9);
    valFraction_->setSingleStep(0.05);
    // Two rows: one would be wider than a small window.
    auto* top = new QHBoxLayout;
    top->addWidget(embedded);
    top->addWidget(openFolder);
    top->addWidget(datasetLabel_, 1);
    auto* protocol = new QHBoxLayout;
    protocol->addWidget(new QLabel(tr("K per class")));
    protocol->addWidget(perClass_);
    protocol->addWidget(new QLabel(tr("Seed")));
    protocol->addWidget(seed_);
    protocol->addWidget(new QLabel(tr("Validation share")));
    protocol->addWidget(valFraction_);
    protocol->addStretch(1);

    classes_ = new QTableWidget(0, 5);
    classes_->setHorizontalHeaderLabels(
        {tr("Class"), tr("Pool"), tr("Train"), tr("Val"), tr("Test")});
    // The counts at their full width (German headers are longer); a long class name is
    // elided in what is left, with a tooltip.
    classes_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    classes_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    classes_->verticalHeader()->hide();
    classes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    classes_->setSelectionBehavior(QAbstractItemView::SelectRows);
    classes_->setSelectionMode(QAbstractItemView::SingleSelection);
    // Tab leaves the table for the next control; the arrow keys move within it.
    classes_->setTabKeyNavigation(false);
    classBox_ = new QComboBox;
    splitBox_ = new QComboBox;
    splitBox_->addItem(tr("All splits"), -1);
    splitBox_->addItem(tr("Train"), int(SplitTag::Train));
    splitBox_->addItem(tr("Validation"), int(SplitTag::Val));
    splitBox_->addItem(tr("Test"), int(SplitTag::Test));
    splitBox_->addItem(tr("Not drawn"), int(SplitTag::Pool));
    unreadableLabel_ = new QLabel(tr("Unreadable images: 0"));
    unreadable_ = new QListWidget;
    unreadable_->setMaximumHeight(120);
    idsLabel_ = new QLabel;
    idsLabel_->setWordWrap(true);
    auto* showAll = new QPushButton(tr("Show all images"));
    idsRow_ = new QWidget;
    auto* idsLayout = new QHBoxLayout(idsRow_);
    idsLayout->setContentsMargins(0, 0, 0, 0);
    idsLayout->addWidget(idsLabel_, 1);
    idsLayout->addWidget(showAll);
    idsRow_->hide();
    connect(showAll, &QPushButton::clicked, this, [this] { filterIds({}, {}); });
    auto* filters = new QFormLayout;
    filters->addRow(tr("Class"), classBox_);
    filters->addRow(tr("Split"), splitBox_);
    filters->addRow(idsRow_);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(classes_, 1);
    leftLayout->addLayout(filters);
    leftLayout->addWidget(unreadableLabel_);
    leftLayout->addWidget(unreadable_);

    view_ = new QListView;
    view_->setViewMode(QListView::IconMode);
    view_->setResizeMode(QListView::Adjust);
    view_->setMovement(QListView::Static);
    view_->setUniformItemSizes(true);  // layout without asking every row for its size
    view_->setLayoutMode(QListView::Batched);
    view_->setBatchSize(2000);
    view_->setIconSize(QSize(64, 64));
    view_->setGridSize(QSize(72, 72));
    view_->setSpacing(2);
    view_->setModel(filter_);
    view_->setItemDelegate(new SplitDelegate(view_));
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setMinimumWidth(kGridColumns * view_->gridSize().width() + 2 * view_->frameWidth() +
                           view_->style()->pixelMetric(QStyle::PM_ScrollBarExtent) +
                           2 * view_->spacing() + 4);

    large_ = new ImagePane;
    details_ = new QLabel(tr("Select an image to see its details."));
    details_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* selected = new QWidget;
    auto* selectedLayout = new QHBoxLayout(selected);
    selectedLayout->setContentsMargins(0, 0, 0, 0);
    selectedLayout->addWidget(large_);
    selectedLayout->addWidget(details_, 1);

    // The selected image under the grid, not beside it: the grid keeps the width for its
    // columns, and the image shrinks with the splitter.
    auto* grid = new QSplitter(Qt::Vertical);
    grid->addWidget(view_);
    grid->addWidget(selected);
    grid->setStretchFactor(0, 1);
    grid->setChildrenCollapsible(false);
    grid->setSizes({500, 260});
    auto* split = new QSplitter;
    split->addWidget(left);
    split->addWidget(grid);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    split->setSizes({300, 980});
    status_ = new QLabel;
    status_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(protocol);
    layout->addWidget(split, 1);
    layout->addWidget(status_);

    redraw_ = new QTimer(this);
    redraw_->setSingleShot(true);
    redraw_->setInterval(300);  // one draw after a burst of spin-box steps
    connect(redraw_, &QTimer::timeout, this, &DatasetBrowser::drawProtocol);

    connect(embedded, &QPushButton::clicked, this, [this] {
        config_.dataset = "fashion-mnist";
        config_.layout = "auto";
        editedHere();
    });
    connect(openFolder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Open an ImageFolder or VIPriors folder"),
            config_.dataset == "fashion-mnist" ? QString()
                                               : QString::fromStdString(config_.dataset));
        if (dir.isEmpty()) return;
        config_.dataset = dir.toStdString();
        config_.layout = "auto";
        editedHere();
    });
    auto protocolChanged = [this] {
        config_.per_class = perClass_->value();
        config_.seed = seed_->value();
        config_.val_fraction = valFraction_->value();
        emit protocolEdited(config_);
        redraw_->start();
    };
    connect(perClass_, &QSpinBox::valueChanged, this, protocolChanged);
    connect(seed_, &QSpinBox::valueChanged, this, protocolChanged);
    connect(valFraction_, &QDoubleSpinBox::valueChanged, this, protocolChanged);
    connect(classBox_, &QComboBox::currentIndexChanged, this, [this] {
        filter_->set(classBox_->currentData().toInt(), filter_->split());
        showCounts();
        showDetails(view_->currentIndex());
    });
    connect(splitBox_, &QComboBox::currentIndexChanged, this, [this] {
        filter_->set(filter_->label(), splitBox_->currentData().toInt());
        showCounts();
        showDetails(view_->currentIndex());
    });
    connect(classes_, &QTableWidget::cellClicked, this, [this](int row, int) {
        const int label = classes_->item(row, 0)->data(Qt::UserRole).toInt();
        classBox_->setCurrentIndex(classBox_->findData(label));
    });
    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { showDetails(current); });
    connect(model_, &ThumbnailModel::unreadable, this,
            [this](const QString& id, const QString& why) { noteUnreadable(id, why); });
    fitClassTable();
}

// Wide enough for every count column in full beside a short class column: the counts are what
// the table is for.
void DatasetBrowser::fitClassTable() {
    QHeaderView* header = classes_->horizontalHeader();
    const QAbstractItemView* cells = classes_;  // QTableView hides the public sizeHintForColumn
    classes_->ensurePolished();
    int width = std::max(header->sectionSizeHint(0), header->minimumSectionSize());
    for (int c = 1; c < classes_->columnCount(); ++c)
        width += std::max(header->sectionSizeHint(c), cells->sizeHintForColumn(c));
    classes_->setMinimumWidth(width + 2 * classes_->frameWidth() +
                              classes_->style()->pixelMetric(QStyle::PM_ScrollBarExtent));
}

void DatasetBrowser::filterIds(const QStringList& ids, const QString& why) {
    std::set<std::string> wanted;
    for (const QString& id : ids) wanted.insert(id.toStdString());
    filter_->setIds(std::move(wanted));
    showDetails(view_->currentIndex());
    idsRow_->setVisible(!ids.isEmpty());
    if (!ids.isEmpty()) {
        const int found = filter_->rowCount();
        idsLabel_->setText(found == 0 ? tr("None of the %1 images (%2) is in the open dataset: "
                                           "open the run's dataset first.")
                                            .arg(ids.size())
                                            .arg(why)
                                      : tr("Only %1 of %2 images: %3")
                                            .arg(found)
                                            .arg(ids.size())
                                            .arg(why));
    }
    showCounts();
}

bool DatasetBrowser::filteredByIds() const {
    return filter_->byIds();
}

DatasetBrowser::~DatasetBrowser() {
    // Stops a running draw early; the jobs' destructors wait for what still runs.
    openJob_.invalidate();
    drawJob_.invalidate();
    largeJob_.invalidate();
}

void DatasetBrowser::setConfig(const TrainConfig& config) {
    const bool newDataset = datasetKey(config) != datasetKey(config_) || !source_;
    const bool newDraw =
        newDataset || !sameProtocol(config, config_) || config.image_size != config_.image_size ||
        config.channels != config_.channels;
    config_ = config;
    for (QObject* o : {(QObject*)perClass_, (QObject*)seed_, (QObject*)valFraction_})
        o->blockSignals(true);
    perClass_->setValue(config_.per_class);
    seed_->setValue(config_.seed);
    valFraction_->setValue(config_.val_fraction);
    for (QObject* o : {(QObject*)perClass_, (QObject*)seed_, (QObject*)valFraction_})
        o->blockSignals(false);
    if (newDataset)
        openDataset();
    else if (newDraw)
        drawProtocol();
}

void DatasetBrowser::editedHere() {
    emit protocolEdited(config_);
    openDataset();
}

void DatasetBrowser::openDataset() {
    prepared_.reset();
    drawJob_.invalidate();  // a draw of the old dataset must not arrive after this
    status_->setText(tr("Opening %1…").arg(QString::fromStdString(config_.dataset)));
    const TrainConfig c = config_;
    openJob_.request(
        [c]() -> Opened {
            try {
                return {std::shared_ptr<const DatasetSource>(fewdata::openDataset(c)), {}};
            } catch (const std::exception& e) {
                return {nullptr, QString::fromUtf8(e.what())};
            }
        },
        [this](const Opened& o) { showOpened(o); });
}

void DatasetBrowser::showOpened(const Opened& o) {
    if (!o.source) {
        status_->setText(o.error);
        emit failed(o.error);
        return;
    }
    source_ = o.source;
    model_->setSource(source_);
    view_->setCurrentIndex(QModelIndex());
    showDetails(QModelIndex());
    unreadable_->clear();
    unreadableIds_.clear();
    unreadableLabel_->setText(tr("Unreadable images: 0"));
    const auto& ix = source_->index();
    classBox_->blockSignals(true);
    classBox_->clear();
    classBox_->addItem(tr("All classes"), -1);
    for (size_t i = 0; i < ix.classes.size(); ++i)
        classBox_->addItem(QString::fromStdString(ix.classes[i]), int(i));
    classBox_->blockSignals(false);
    filter_->set(-1, filter_->split());
    datasetLabel_->setText(QStringLiteral("%1 — %2").arg(QString::fromStdString(ix.name),
                                                         QString::fromStdString(ix.root)));
    datasetLabel_->setToolTip(datasetLabel_->text());
    showCounts();
    emit datasetOpened(model_->rowCount());
    drawProtocol();
}

void DatasetBrowser::drawProtocol() {
    if (!source_ || openJob_.busy()) return;  // an opening dataset draws when it arrives
    status_->setText(
        tr("Drawing K = %1 per class with seed %2…").arg(config_.per_class).arg(config_.seed));
    const TrainConfig c = config_;
    auto source = source_;
    // A newer draw raises `cancel`: this one then stops early, and its result is dropped.
    const auto draw = [c, source](const std::atomic<bool>* cancel) -> Drawn {
        try {
            auto d = std::make_shared<PreparedData>();
            d->config = c;
            d->source = source;
            d->setup = resolveSetup(c, source->index());
            d->splits = drawSplits(*source, protocolOptionsOf(c), d->setup.cache, cancel);
            return {d, {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromUtf8(e.what())};
        }
    };
    drawJob_.request(draw, [this](const Drawn& d) { showDrawn(d); });
}

void DatasetBrowser::showDrawn(const Drawn& d) {
    if (!d.data) {
        status_->setText(d.error);
        emit failed(d.error);
        return;
    }
    prepared_ = d.data;
    const auto& s = prepared_->splits;
    model_->setSplits(s.train.samples, s.val.samples, s.test.samples);
    for (const SkippedFile& f : s.skipped)
        noteUnreadable(QString::fromStdString(f.id), QString::fromStdString(f.reason));
    filter_->invalidate();
    showCounts();
    showDetails(view_->currentIndex());  // its split may have changed with the draw
    emit splitsDrawn(prepared_);
}

void DatasetBrowser::showCounts() {
    const auto counts = model_->countsPerClass();
    const auto& classes = source_ ? source_->index().classes : std::vector<std::string>{};
    classes_->setSortingEnabled(false);
    classes_->setRowCount(int(counts.size()));
    for (int i = 0; i < int(counts.size()); ++i) {
        auto* name = new QTableWidgetItem(QString::fromStdString(classes[size_t(i)]));
        name->setData(Qt::UserRole, i);
        name->setToolTip(name->text());
        classes_->setItem(i, 0, name);
        classes_->setItem(i, 1, count(counts[size_t(i)].pool));
        classes_->setItem(i, 2, count(counts[size_t(i)].train));
        classes_->setItem(i, 3, count(counts[size_t(i)].val));
        classes_->setItem(i, 4, count(counts[size_t(i)].test));
    }
    // Sortable by clicking a header; listed in label order until then.
    classes_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    classes_->setSortingEnabled(true);
    fitClassTable();
    int train = 0, val = 0, test = 0;
    for (const auto& c : counts) {
        train += c.train;
        val += c.val;
        test += c.test;
    }
    status_->setText(tr("%1 images in %2 classes; drawn: %3 train (green), %4 validation "
                        "(orange), %5 test (blue); %6 shown")
                         .arg(model_->rowCount())
                         .arg(counts.size())
                         .arg(train)
                         .arg(val)
                         .arg(test)
                         .arg(visibleCount()));
}

void DatasetBrowser::showDetails(const QModelIndex& proxyIndex) {
    if (!proxyIndex.isValid() || !source_) {
        // Nothing selected (another dataset, a filter that hides it): no stale image.
        largeJob_.invalidate();
        large_->clearImage();
        details_->setText(tr("Select an image to see its details."));
        return;
    }
    const int row = filter_->mapToSource(proxyIndex).row();
    const SampleRef s = model_->sample(row);
    const auto& classes = source_->index().classes;
    const QString cls = s.label >= 0 && size_t(s.label) < classes.size()
                            ? QString::fromStdString(classes[size_t(s.label)])
                            : QString::number(s.label);
    details_->setText(tr("<b>%1</b><br>class: %2<br>split: %3<br>")
                          .arg(QString::fromStdString(s.id).toHtmlEscaped(), cls.toHtmlEscaped(),
                               splitName(model_->split(row))));
    auto source = source_;
    const auto decode = [source, s]() -> Large {
        Large l;
        try {
            const QString path = QString::fromStdString(s.id);
            QImageReader reader(path);
            if (QFileInfo(path).isFile() && reader.canRead()) {
                const QSize size = reader.size();
                const QImage::Format f = reader.imageFormat();
                const bool grey = f == QImage::Format_Grayscale8 ||
                                  f == QImage::Format_Grayscale16 || f == QImage::Format_Mono ||
                                  f == QImage::Format_Indexed8;
                const int channels = grey ? 1 : (QImage(1, 1, f).hasAlphaChannel() ? 4 : 3);
                const qint64 bytes = QFileInfo(path).size();
                l.info = tr("size: %1 x %2<br>channels: %3<br>file: %4")
                             .arg(size.width())
                             .arg(size.height())
                             .arg(channels)
                             .arg(bytes < 10240 ? tr("%1 bytes").arg(bytes)
                                                : tr("%1 KiB").arg(bytes / 1024));
            }
            // Small images (Fashion-MNIST) at their own size, photos at 256 for the large view.
            const ImageGeometry native = source->index().native;
            const ImageGeometry shown =
                native.height <= 64 ? native : ImageGeometry{native.channels, 256, 256};
            const DecodedImages d = source->decode({s}, shown, nullptr);
            if (!d.kept.empty()) {
                l.image = toQImage(d.images[0]);
                if (l.info.isEmpty())
                    l.info = tr("size: %1 x %2<br>channels: %3")
                                 .arg(shown.width)
                                 .arg(shown.height)
                                 .arg(shown.channels);
            } else if (!d.skipped.empty()) {
                l.info = tr("unreadable: %1").arg(QString::fromStdString(d.skipped[0].reason));
            }
        } catch (const std::exception& e) {
            l.info = tr("unreadable: %1").arg(QString::fromUtf8(e.what()));
        }
        return l;
    };
    // Only the newest selection's picture shows.
    largeJob_.request(decode, [this](const Large& l) {
        large_->setImage(l.image);
        details_->setText(details_->text() + l.info);
    });
}

int DatasetBrowser::visibleCount() const {
    return filter_->rowCount();
}

void DatasetBrowser::filterClass(int label) {
    classBox_->setCurrentIndex(std::max(0, classBox_->findData(label)));
}

void DatasetBrowser::filterSplit(int split) {
    splitBox_->setCurrentIndex(std::max(0, splitBox_->findData(split)));
}

// Every draw and every thumbnail pass meets the same bad file again: it is listed once.
void DatasetBrowser::noteUnreadable(const QString& id, const QString& why) {
    if (unreadableIds_.contains(id)) return;
    unreadableIds_.insert(id);
    unreadable_->addItem(QStringLiteral("%1: %2").arg(id, why));
    unreadable_->item(unreadable_->count() - 1)->setToolTip(QStringLiteral("%1: %2").arg(id, why));
    unreadableLabel_->setText(tr("Unreadable images: %1").arg(unreadable_->count()));
}

QString DatasetBrowser::detailsText() const {
    return details_->text();
}

int DatasetBrowser::unreadableCount() const {
    return unreadable_->count();
}

}  // namespace fewdata
