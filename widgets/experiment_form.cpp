#include "experiment_form.h"
#include "core/json_text.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "core/atomic_file.h"

namespace fewdata {
namespace {

QComboBox* combo(const QStringList& items) {
    auto* c = new QComboBox;
    c->addItems(items);
    return c;
}

QSpinBox* spin(int lo, int hi) {
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    return s;
}

}  // namespace

ExperimentForm::ExperimentForm(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout;
    dataset_ = new QLineEdit;
    auto* browse = new QPushButton(tr("Folder…"));
    auto* embedded = new QPushButton(tr("Fashion-MNIST"));
    auto* datasetRow = new QHBoxLayout;
    datasetRow->addWidget(dataset_, 1);
    datasetRow->addWidget(browse);
    datasetRow->addWidget(embedded);
    form->addRow(tr("Dataset"), datasetRow);
    method_ = combo({"baseline", "mixup", "cutmix", "cosine", "cosine+ce", "supcon",
                     "siamese-contrastive", "siamese-triplet", "reptile", "gnn"});
    form->addRow(tr("Method"), method_);
    model_ = combo({"resnet18", "resnet34", "resnet50"});
    form->addRow(tr("Model"), model_);
    perClass_ = spin(2, 1000000);
    form->addRow(tr("Images per class (K)"), perClass_);
    seed_ = spin(0, 1000000);
    form->addRow(tr("Seed"), seed_);
    seeds_ = spin(1, 100);
    seeds_->setToolTip(tr("One run per seed: seed, seed + 1, …; they wait in the queue"));
    form->addRow(tr("Seeds (runs)"), seeds_);
    epochs_ = spin(1, 100000);
    form->addRow(tr("Epochs"), epochs_);
    batch_ = spin(1, 65536);
    form->addRow(tr("Batch size"), batch_);
    lr_ = new QDoubleSpinBox;
    lr_->setDecimals(5);
    lr_->setRange(0.00001, 10.0);
    lr_->setSingleStep(0.01);
    form->addRow(tr("Learning rate"), lr_);
    weightDecay_ = new QDoubleSpinBox;
    weightDecay_->setDecimals(6);
    weightDecay_->setRange(0.0, 1.0);
    weightDecay_->setSingleStep(0.0001);
    form->addRow(tr("Weight decay"), weightDecay_);
    schedule_ = combo({"cosine", "step"});
    form->addRow(tr("Schedule"), schedule_);
    imageSize_ = spin(0, 1024);
    imageSize_->setSpecialValueText(tr("auto (56 Fashion-MNIST, 224 folders)"));
    form->addRow(tr("Image size"), imageSize_);
    maxTest_ = spin(0, INT32_MAX);
    maxTest_->setSpecialValueText(tr("all"));
    form->addRow(tr("Test images"), maxTest_);
    device_ = combo({"auto", "cpu", "cuda"});
    form->addRow(tr("Device"), device_);
    precision_ = combo({"auto", "fp32", "bf16"});
    precision_->setToolTip(
        tr("auto: bf16 on GPUs with bf16 tensor cores (A100, H100 and later), else fp32"));
    form->addRow(tr("Precision"), precision_);
    threads_ = spin(0, 1024);
    threads_->setSpecialValueText(tr("all cores"));
    form->addRow(tr("CPU threads"), threads_);

    message_ = new QLabel;
    message_->setWordWrap(true);
    auto* load = new QPushButton(tr("Load…"));
    auto* save = new QPushButton(tr("Save…"));
    auto* start = new QPushButton(tr("Start or queue runs"));
    start->setDefault(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(load);
    buttons->addWidget(save);
    buttons->addStretch(1);
    buttons->addWidget(start);

    auto* outer = new QVBoxLayout(this);
    outer->addLayout(form);
    outer->addWidget(message_);
    outer->addStretch(1);
    outer->addLayout(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Image folder"));
        if (!dir.isEmpty()) dataset_->setText(dir);
    });
    connect(embedded, &QPushButton::clicked, this, [this] { dataset_->setText("fashion-mnist"); });
    connect(load, &QPushButton::clicked, this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(this, tr("Load experiment"), {}, tr("JSON (*.json)"));
        if (!f.isEmpty()) this->load(f);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString f =
            QFileDialog::getSaveFileName(this, tr("Save experiment"), {}, tr("JSON (*.json)"));
        if (!f.isEmpty()) this->save(f);
    });
    connect(start, &QPushButton::clicked, this, [this] {
        if (validate()) emit startRequested();
    });
    setConfig(TrainConfig());
}

int ExperimentForm::seedCount() const {
    return seeds_->value();
}

void ExperimentForm::setSeedCount(int n) {
    seeds_->setValue(n);
}

void ExperimentForm::setConfig(const TrainConfig& c) {
    base_ = c;
    dataset_->setText(QString::fromStdString(c.dataset));
    method_->setCurrentText(QString::fromStdString(c.method));
    model_->setCurrentText(QString::fromStdString(c.model));
    perClass_->setValue(c.per_class);
    seed_->setValue(c.seed);
    epochs_->setValue(c.epochs);
    batch_->setValue(c.batch_size);
    lr_->setValue(c.lr);
    weightDecay_->setValue(c.weight_decay);
    schedule_->setCurrentText(QString::fromStdString(c.schedule));
    imageSize_->setValue(c.image_size);
    maxTest_->setValue(c.max_test_samples);
    device_->setCurrentText(QString::fromStdString(c.device));
    precision_->setCurrentText(QString::fromStdString(c.precision));
    threads_->setValue(c.threads);
    message_->clear();
}

TrainConfig ExperimentForm::config() const {
    TrainConfig c = base_;
    c.dataset = dataset_->text().trimmed().toStdString();
    c.method = method_->currentText().toStdString();
    c.model = model_->currentText().toStdString();
    c.per_class = perClass_->value();
    c.seed = seed_->value();
    c.epochs = epochs_->value();
    c.batch_size = batch_->value();
    c.lr = lr_->value();
    c.weight_decay = weightDecay_->value();
    c.schedule = schedule_->currentText().toStdString();
    c.image_size = imageSize_->value();
    c.max_test_samples = maxTest_->value();
    c.device = device_->currentText().toStdString();
    c.precision = precision_->currentText().toStdString();
    c.threads = threads_->value();
    c.validate();
    return c;
}

bool ExperimentForm::validate() {
    try {
        config();
        message_->clear();
        return true;
    } catch (const std::exception& e) {
        message_->setText("<span style='color:#b00020'>" +
                          QString::fromStdString(e.what()).toHtmlEscaped() + "</span>");
        return false;
    }
}

bool ExperimentForm::load(const QString& path) {
    try {
        setConfig(TrainConfig::fromFile(path.toStdString()));
        return true;
    } catch (const std::exception& e) {
        message_->setText(QString::fromStdString(e.what()).toHtmlEscaped());
        return false;
    }
}

bool ExperimentForm::save(const QString& path) {
    try {
        writeFileAtomically(path.toStdString(), jsonText(config().toJson(), 2) + "\n");
        return true;
    } catch (const std::exception& e) {
        message_->setText(QString::fromStdString(e.what()).toHtmlEscaped());
        return false;
    }
}

}  // namespace fewdata
