#include "augmentation_preview.h"

#include <ATen/CPUGeneratorImpl.h>
#include <qcustomplot.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

#include "core/config/config_table.h"
#include "core/train/augment.h"
#include "core/train/augment_policy.h"
#include "core/train/batch_stream.h"
#include "core/train/mixing.h"
#include "tensor_image.h"

namespace fewdata {
namespace {

constexpr int kTile = 224;
constexpr int kOpTile = 112;

QLabel* tile(int side = kTile) {
    auto* l = new QLabel;
    l->setFixedSize(side, side);
    l->setAlignment(Qt::AlignCenter);
    l->setFrameShape(QFrame::StyledPanel);
    return l;
}

QImage pixels(const torch::Tensor& floatChw) {
    return toQImage(floatChw.round().clamp(0, 255).to(torch::kUInt8));
}

// Nearest-neighbour scaling keeps the pixels of 28 px images visible as pixels.
QPixmap large(const QImage& image, int side = kTile) {
    return QPixmap::fromImage(
        image.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation));
}

// The op view's magnitudes are those of the policy the form trains with; RandAugment's where
// none is chosen (AutoAugment shares them).
std::string magnitudeSpaceOf(const TrainConfig& c) {
    return c.augment_policy == "none" ? std::string("randaugment") : c.augment_policy;
}

}  // namespace

AugmentationPreview::AugmentationPreview(QWidget* parent) : QWidget(parent) {
    imageA_ = new QSpinBox;
    imageB_ = new QSpinBox;
    auto* randomPair = new QPushButton(tr("Random pair"));
    lambdaSlider_ = new QSlider(Qt::Horizontal);
    lambdaSlider_->setRange(0, 100);
    lambdaSlider_->setValue(50);
    lambdaLabel_ = new QLabel;
    alpha_ = new QDoubleSpinBox;
    alpha_->setRange(0.05, 10.0);
    alpha_->setSingleStep(0.1);
    alpha_->setValue(1.0);
    auto* sample = new QPushButton(tr("Sample λ ~ Beta(α, α)"));
    auto* resample = new QPushButton(tr("New views and box"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Image A")));
    controls->addWidget(imageA_);
    controls->addWidget(new QLabel(tr("Image B")));
    controls->addWidget(imageB_);
    controls->addWidget(randomPair);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("λ")));
    controls->addWidget(lambdaSlider_, 1);
    controls->addWidget(lambdaLabel_);
    controls->addWidget(new QLabel(tr("α")));
    controls->addWidget(alpha_);
    controls->addWidget(sample);
    controls->addWidget(resample);

    tileA_ = tile();
    tileB_ = tile();
    tileMix_ = tile();
    tileCut_ = tile();
    captionMix_ = new QLabel;
    captionCut_ = new QLabel;
    auto* tiles = new QGridLayout;
    tiles->addWidget(new QLabel(tr("A: training view")), 0, 0);
    tiles->addWidget(new QLabel(tr("B: training view")), 0, 1);
    tiles->addWidget(new QLabel(tr("MixUp")), 0, 2);
    tiles->addWidget(new QLabel(tr("CutMix (box in red)")), 0, 3);
    tiles->addWidget(tileA_, 1, 0);
    tiles->addWidget(tileB_, 1, 1);
    tiles->addWidget(tileMix_, 1, 2);
    tiles->addWidget(tileCut_, 1, 3);
    tiles->addWidget(captionMix_, 2, 2);
    tiles->addWidget(captionCut_, 2, 3);
    bars_ = new QCustomPlot;
    bars_->setMinimumSize(320, kTile);
    tiles->addWidget(bars_, 1, 4, 2, 1);
    tiles->setColumnStretch(4, 1);

    batchIndex_ = new QSpinBox;
    batchIndex_->setPrefix(tr("batch "));
    auto* refresh = new QPushButton(tr("Refresh"));
    gridCaption_ = new QLabel;
    gridCaption_->setWordWrap(true);
    grid_ = new QLabel;
    grid_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    auto* scroll = new QScrollArea;
    scroll->setWidget(grid_);
    scroll->setWidgetResizable(true);
    auto* batchBox = new QGroupBox(tr("The training batch the trainer will see (first epoch)"));
    auto* batchTop = new QHBoxLayout;
    batchTop->addWidget(batchIndex_);
    batchTop->addWidget(refresh);
    batchTop->addWidget(gridCaption_, 1);
    auto* batchLayout = new QVBoxLayout(batchBox);
    batchLayout->addLayout(batchTop);
    batchLayout->addWidget(scroll, 1);

    op_ = new QComboBox;
    for (const std::string& name : augmentOpNames()) op_->addItem(QString::fromStdString(name));
    op_->setCurrentText(QStringLiteral("Rotate"));
    opBin_ = new QSlider(Qt::Horizontal);
    opBin_->setRange(0, kPolicyMagnitudeBins - 1);
    opBin_->setValue(9);
    opOriginal_ = tile(kOpTile);
    opTile_ = tile(kOpTile);
    opCaption_ = new QLabel;
    opCaption_->setWordWrap(true);
    auto* opBox = new QGroupBox(tr("One policy op on image A (its evaluation view)"));
    auto* opLayout = new QHBoxLayout(opBox);
    auto* opControls = new QVBoxLayout;
    opControls->addWidget(op_);
    opControls->addWidget(new QLabel(tr("Magnitude bin (0 to 30)")));
    opControls->addWidget(opBin_);
    opControls->addWidget(opCaption_, 1);
    opLayout->addLayout(opControls, 1);
    opLayout->addWidget(opOriginal_);
    opLayout->addWidget(opTile_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(tiles);
    layout->addWidget(opBox);
    layout->addWidget(batchBox, 1);

    connect(imageA_, &QSpinBox::valueChanged, this, &AugmentationPreview::refreshPair);
    connect(imageB_, &QSpinBox::valueChanged, this, &AugmentationPreview::refreshPair);
    connect(lambdaSlider_, &QSlider::valueChanged, this, &AugmentationPreview::refreshPair);
    connect(randomPair, &QPushButton::clicked, this, [this] {
        const int n = imageA_->maximum() + 1;
        if (n < 2) return;
        const int a = QRandomGenerator::global()->bounded(n);
        const int b = (a + 1 + QRandomGenerator::global()->bounded(n - 1)) % n;
        setPair(a, b);
    });
    connect(sample, &QPushButton::clicked, this, [this] {
        // The GUI's own stream: previewing never moves a run's generator.
        auto g = at::make_generator<at::CPUGeneratorImpl>(QRandomGenerator::global()->generate64());
        setLambda(sampleBeta(alpha_->value(), g));
    });
    connect(resample, &QPushButton::clicked, this, [this] {
        ++drawCount_;
        refreshPair();
    });
    connect(imageA_, &QSpinBox::valueChanged, this, &AugmentationPreview::refreshOp);
    connect(op_, &QComboBox::currentIndexChanged, this, &AugmentationPreview::refreshOp);
    connect(opBin_, &QSlider::valueChanged, this, &AugmentationPreview::refreshOp);
    connect(batchIndex_, &QSpinBox::valueChanged, this, &AugmentationPreview::refreshBatch);
    connect(refresh, &QPushButton::clicked, this, &AugmentationPreview::refreshBatch);

    lambdaLabel_->setText(QString::number(lambda(), 'f', 2));
}

// The jobs' destructors wait for them; nothing they computed arrives after this.
AugmentationPreview::~AugmentationPreview() = default;

void AugmentationPreview::setData(std::shared_ptr<const PreparedData> data) {
    data_ = std::move(data);
    const int n = data_ ? int(data_->splits.train.images.size(0)) : 0;
    for (QSpinBox* s : {imageA_, imageB_}) {
        s->blockSignals(true);
        s->setRange(0, std::max(0, n - 1));
        s->blockSignals(false);
    }
    if (n >= 2 && imageA_->value() == imageB_->value()) imageB_->setValue(n / 2);
    refreshPair();
    refreshBatch();
    refreshOp();
}

void AugmentationPreview::setConfig(const TrainConfig& config) {
    config_ = config;
    refreshBatch();
    refreshOp();
}

void AugmentationPreview::setPair(int a, int b) {
    imageA_->blockSignals(true);
    imageA_->setValue(a);
    imageA_->blockSignals(false);
    imageB_->setValue(b);
    refreshPair();
    refreshOp();
}

void AugmentationPreview::setOp(const QString& op, int bin) {
    op_->blockSignals(true);
    op_->setCurrentText(op);
    op_->blockSignals(false);
    opBin_->blockSignals(true);
    opBin_->setValue(bin);
    opBin_->blockSignals(false);
    refreshOp();
}

void AugmentationPreview::setLambda(double lambda) {
    lambdaSlider_->setValue(int(std::lround(lambda * 100.0)));
}

double AugmentationPreview::lambda() const {
    return lambdaSlider_->value() / 100.0;
}

bool AugmentationPreview::busy() const {
    return pairJob_.busy() || batchJob_.busy() || opJob_.busy();
}

void AugmentationPreview::refreshOp() {
    if (!data_ || data_->splits.train.images.size(0) < 1) {
        opJob_.invalidate();
        return;
    }
    const torch::Tensor image =
        data_->splits.train.images.narrow(0, imageA_->value(), 1);
    const AugmentOptions augment = trainAugmentOptions(data_->config, data_->setup);
    const std::string space = magnitudeSpaceOf(config_);
    const std::string opName = op_->currentText().toStdString();
    const int bin = opBin_->value();
    const auto compute = [image, augment, space, opName, bin] {
        OpResult r;
        try {
            r.original = evalView(image, augment);
            const AugmentOp op = augmentOpNamed(opName);
            r.magnitude = policyMagnitude(space, op, bin, kPolicyMagnitudeBins,
                                          r.original.size(2), r.original.size(3));
            r.view = applyAugmentOp(r.original, op, torch::full({1}, r.magnitude, torch::kFloat64));
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    };
    opJob_.request(compute, [this, space, opName, bin](const OpResult& r) {
        if (!r.error.isEmpty()) {
            opCaption_->setText(r.error);
            return;
        }
        opView_ = r.view;
        opMagnitude_ = r.magnitude;
        opOriginal_->setPixmap(large(toQImage(r.original[0]), kOpTile));
        opTile_->setPixmap(large(toQImage(r.view[0]), kOpTile));
        QString caption = tr("%1 at bin %2: magnitude %3 (%4's ranges; signed ops are negated "
                             "half of the time in training).")
                              .arg(QString::fromStdString(opName))
                              .arg(bin)
                              .arg(r.magnitude, 0, 'g', 4)
                              .arg(QString::fromStdString(space));
        if (opName == "Color" && r.view.size(1) == 1)
            caption += QLatin1Char(' ') + tr("Color (saturation) leaves grey images as they are.");
        opCaption_->setText(caption);
        emit opShown();
    });
}

void AugmentationPreview::refreshPair() {
    lambdaLabel_->setText(QString::number(lambda(), 'f', 2));
    if (!data_ || data_->splits.train.images.size(0) < 2) {
        pairJob_.invalidate();  // nothing computed for older data may show now
        return;
    }
    const auto& train = data_->splits.train;
    const auto idx = torch::tensor({int64_t(imageA_->value()), int64_t(imageB_->value())});
    const torch::Tensor images = train.images.index_select(0, idx);
    const torch::Tensor labels = train.labels.index_select(0, idx);
    const AugmentOptions augment = trainAugmentOptions(data_->config, data_->setup);
    const double lam = lambda();
    const uint64_t seed = uint64_t(data_->config.seed) * 1000003ull + uint64_t(drawCount_);
    const auto compute = [images, labels, augment, lam, seed] {
        PairResult r;
        try {
            auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
            r.views = augmentTrainBatch(images, augment, g);
            const auto x = r.views.to(torch::kFloat32);
            const auto partners = torch::tensor({int64_t(1), int64_t(0)});
            const int64_t cy = torch::randint(x.size(2), {1}, g, torch::kInt64).item<int64_t>();
            const int64_t cx = torch::randint(x.size(3), {1}, g, torch::kInt64).item<int64_t>();
            r.mixup = mixWith(x, labels, "mixup", partners, lam, 0, 0);
            r.cutmix = mixWith(x, labels, "cutmix", partners, lam, cy, cx);
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    };
    pairJob_.request(compute, [this](const PairResult& r) {
        if (!r.error.isEmpty()) {
            captionCut_->setText(r.error);
            return;
        }
        views_ = r.views;
        mixup_ = r.mixup;
        cutmix_ = r.cutmix;
        showPair();
    });
}

void AugmentationPreview::showPair() {
    tileA_->setPixmap(large(toQImage(views_[0])));
    tileB_->setPixmap(large(toQImage(views_[1])));
    tileMix_->setPixmap(large(pixels(mixup_.images[0])));
    QPixmap cut = large(pixels(cutmix_.images[0]));
    if (cutmix_.box.area() > 0) {
        QPainter p(&cut);
        p.setPen(QPen(Qt::red, 2));
        const double s = double(cut.width()) / double(cutmix_.images.size(3));
        p.drawRect(QRectF(cutmix_.box.left * s, cutmix_.box.top * s,
                          (cutmix_.box.right - cutmix_.box.left) * s,
                          (cutmix_.box.bottom - cutmix_.box.top) * s));
    }
    tileCut_->setPixmap(cut);
    captionMix_->setText(tr("weight of A: %1").arg(mixup_.lambda, 0, 'f', 2));
    captionCut_->setText(tr("weight of A by area: %1").arg(cutmix_.lambda, 0, 'f', 3));

    // Soft labels: lambda on A's class, 1 - lambda on B's, for both methods.
    const auto& classes = data_->splits.classes;
    const int64_t k = int64_t(classes.size());
    const auto mixT = softTargets(mixup_, k)[0];
    const auto cutT = softTargets(cutmix_, k)[0];
    bars_->clearPlottables();
    auto* group = new QCPBarsGroup(bars_);
    QVector<double> keys(k), mixV(k), cutV(k);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int64_t i = 0; i < k; ++i) {
        keys[int(i)] = double(i);
        mixV[int(i)] = mixT[i].item<double>();
        cutV[int(i)] = cutT[i].item<double>();
        ticker->addTick(double(i), QString::fromStdString(classes[size_t(i)]));
    }
    auto* mixBars = new QCPBars(bars_->xAxis, bars_->yAxis);
    mixBars->setName(tr("MixUp"));
    mixBars->setData(keys, mixV);
    mixBars->setBrush(QColor(31, 119, 180));
    mixBars->setPen(Qt::NoPen);
    auto* cutBars = new QCPBars(bars_->xAxis, bars_->yAxis);
    cutBars->setName(tr("CutMix"));
    cutBars->setData(keys, cutV);
    cutBars->setBrush(QColor(255, 127, 14));
    cutBars->setPen(Qt::NoPen);
    for (QCPBars* b : {mixBars, cutBars}) {
        b->setWidth(0.38);
        b->setBarsGroup(group);
    }
    bars_->xAxis->setTicker(ticker);
    bars_->xAxis->setTickLabelRotation(60);
    bars_->xAxis->setRange(-0.7, double(k) - 0.3);
    bars_->yAxis->setRange(0, 1.05);
    bars_->yAxis->setLabel(tr("soft label"));
    // Room on the right for the last slanted class name, which QCustomPlot would leave out.
    bars_->axisRect()->setMinimumMargins(QMargins(0, 0, 40, 0));
    // The legend above the bars, never over them.
    if (bars_->legend->layout() != bars_->plotLayout()) {
        bars_->plotLayout()->insertRow(0);
        bars_->plotLayout()->addElement(0, 0, bars_->legend);
        bars_->plotLayout()->setRowStretchFactor(0, 0.001);
        bars_->legend->setFillOrder(QCPLegend::foColumnsFirst);
        bars_->legend->setBorderPen(Qt::NoPen);
    }
    bars_->legend->setVisible(true);
    bars_->replot();
    emit pairShown();
}

void AugmentationPreview::refreshBatch() {
    if (!data_ || data_->splits.train.images.size(0) < 2) {
        batchJob_.invalidate();
        return;
    }
    // The form's method and training keys over the drawn data's dataset and protocol keys.
    TrainConfig c = config_;
    const TrainConfig& d = data_->config;
    copyProtocolKeys(d, c);
    c.image_size = d.image_size;
    const int64_t n = data_->splits.train.images.size(0);
    const int64_t perEpoch = BatchStream(n, c.batch_size, c.seed).batchesPerEpoch();
    batchIndex_->blockSignals(true);
    batchIndex_->setRange(1, int(perEpoch));
    batchIndex_->blockSignals(false);
    const int64_t b = batchIndex_->value() - 1;
    auto data = data_;
    gridCaption_->setText(tr("Forming batch %1 of %2 for %3…")
                              .arg(b + 1)
                              .arg(perEpoch)
                              .arg(QString::fromStdString(c.method)));
    const auto compute = [c, data, b] {
        BatchResult r;
        try {
            r.preview = previewTrainingBatch(c, data->setup, data->splits.train, b);
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    };
    batchJob_.request(compute, [this](const BatchResult& r) {
        if (!r.error.isEmpty()) {
            gridCaption_->setText(r.error);
            return;
        }
        batch_ = r.preview;
        showBatch();
    });
    config_ = c;
}

void AugmentationPreview::showBatch() {
    const int64_t b = batch_.samples.numel();
    const int64_t n = data_->splits.train.images.size(0);
    const int64_t perEpoch = BatchStream(n, config_.batch_size, config_.seed).batchesPerEpoch();
    QString what = tr("%1 images, method %2, seed %3")
                       .arg(b)
                       .arg(QString::fromStdString(config_.method))
                       .arg(config_.seed);
    if (batch_.batch.mixed) what += tr(", λ = %1").arg(batch_.batch.lambda, 0, 'f', 3);
    gridCaption_->setText(tr("Batch %1 of %2: %3. Under each image: its class, and its partner's "
                             "when mixed.")
                              .arg(batchIndex_->value())
                              .arg(perEpoch)
                              .arg(what));
    grid_->setPixmap(QPixmap::fromImage(batchGrid()));
    emit batchShown();
}

QImage AugmentationPreview::batchGrid() const {
    const auto px = toPixels(batch_.batch.images, batch_.normalizer);
    const int64_t b = px.size(0);
    const int side = 72, caption = 28, cols = 16;
    const int rows = int((b + cols - 1) / cols);
    QImage grid(cols * (side + 4), rows * (side + caption + 4), QImage::Format_RGB32);
    grid.fill(Qt::white);
    QPainter p(&grid);
    QFont f = p.font();
    f.setPixelSize(10);
    p.setFont(f);
    const auto& classes = data_->splits.classes;
    auto name = [&](const torch::Tensor& labels, int64_t i) {
        return QString::fromStdString(classes[size_t(labels[i].item<int64_t>())]).left(11);
    };
    const auto& box = batch_.batch.box;
    const double scale = double(side) / double(px.size(3));
    for (int64_t i = 0; i < b; ++i) {
        const int x = int(i % cols) * (side + 4) + 2, y = int(i / cols) * (side + caption + 4) + 2;
        p.drawImage(QRect(x, y, side, side), toQImage(px[i]));
        if (batch_.batch.mixed && box.area() > 0) {
            p.setPen(QPen(Qt::red, 1));
            p.drawRect(QRectF(x + box.left * scale, y + box.top * scale,
                              (box.right - box.left) * scale, (box.bottom - box.top) * scale));
        }
        p.setPen(Qt::black);
        p.drawText(QRect(x, y + side, side, 14), Qt::AlignLeft, name(batch_.batch.labelsA, i));
        if (batch_.batch.mixed)
            p.drawText(QRect(x, y + side + 13, side, 14), Qt::AlignLeft,
                       QStringLiteral("+ %1").arg(name(batch_.batch.labelsB, i)));
    }
    return grid;
}

}  // namespace fewdata
