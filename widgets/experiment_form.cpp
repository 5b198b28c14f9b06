#include "experiment_form.h"

#include "core/run/presets.h"
#include "core/run/study.h"
#include "core/base/json_text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QToolButton>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>

#include "core/base/atomic_file.h"
#include "core/config/config_table.h"
#include "core/methods/registry.h"

namespace fewdata {
namespace {

// The fields take their choices, ranges and tooltips from the config table, so the form
// cannot offer what validation refuses.
const ConfigKey& keyOf(const char* key) {
    const ConfigKey* k = findConfigKey(key);
    Q_ASSERT(k);
    return *k;
}

QComboBox* combo(const char* key) {
    const ConfigKey& k = keyOf(key);
    auto* c = new QComboBox;
    for (const std::string& v : k.allowed) c->addItem(QString::fromStdString(v));
    c->setToolTip(QString::fromUtf8(k.help));
    return c;
}

QSpinBox* spin(const char* key) {
    const ConfigKey& k = keyOf(key);
    auto* s = new QSpinBox;
    if (k.lo != k.hi) s->setRange(int(k.lo), int(k.hi));
    else s->setRange(0, INT32_MAX);
    s->setToolTip(QString::fromUtf8(k.help));
    return s;
}

QDoubleSpinBox* doubleSpin(const char* key, int decimals, double step) {
    const ConfigKey& k = keyOf(key);
    auto* s = new QDoubleSpinBox;
    s->setDecimals(decimals);
    // No range in the table (warm-up: up to epochs): validation says.
    if (k.lo != k.hi)
        s->setRange(k.lo, k.hi);
    else
        s->setRange(0.0, 1e6);
    s->setSingleStep(step);
    s->setToolTip(QString::fromUtf8(k.help));
    return s;
}

// The registry's methods, each with its one-line description as the tooltip.
QComboBox* methodCombo() {
    auto* c = new QComboBox;
    for (const MethodInfo& m : methodRegistry().all()) {
        c->addItem(QString::fromStdString(m.name));
        c->setItemData(c->count() - 1, QString::fromStdString(m.description), Qt::ToolTipRole);
    }
    return c;
}

}  // namespace

ExperimentForm::ExperimentForm(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout;
    // The presets first: a complete recipe, the rest of the form then shows its values.
    preset_ = new QComboBox;
    preset_->addItem(tr("(none: the values below)"));
    for (const ComparisonPreset& p : comparisonPresets()) {
        preset_->addItem(QString::fromStdString(p.name));
        preset_->setItemData(preset_->count() - 1, QString::fromStdString(p.description),
                             Qt::ToolTipRole);
    }
    form->addRow(tr("Recipe preset"), preset_);
    presetInfo_ = new QLabel;
    presetInfo_->setWordWrap(true);
    form->addRow(QString(), presetInfo_);
    dataset_ = new QLineEdit;
    auto* browse = new QPushButton(tr("Folder…"));
    auto* embedded = new QPushButton(tr("Fashion-MNIST"));
    auto* datasetRow = new QHBoxLayout;
    datasetRow->addWidget(dataset_, 1);
    datasetRow->addWidget(browse);
    datasetRow->addWidget(embedded);
    form->addRow(tr("Dataset"), datasetRow);
    method_ = methodCombo();
    form->addRow(tr("Method"), method_);
    model_ = combo("model");
    form->addRow(tr("Model"), model_);
    perClass_ = spin("per_class");
    form->addRow(tr("Images per class (K)"), perClass_);
    seed_ = spin("seed");
    seed_->setRange(0, 1000000);
    form->addRow(tr("Seed"), seed_);
    seeds_ = new QSpinBox;
    seeds_->setRange(1, 100);
    seeds_->setToolTip(tr("One run per seed: seed, seed + 1, …; they wait in the queue"));
    form->addRow(tr("Seeds (runs)"), seeds_);
    epochs_ = spin("epochs");
    form->addRow(tr("Epochs"), epochs_);
    batch_ = spin("batch_size");
    form->addRow(tr("Batch size"), batch_);
    lr_ = doubleSpin("lr", 5, 0.01);
    lr_->setRange(0.00001, 10.0);  // lr > 0, and a form needs no 1e6
    form->addRow(tr("Learning rate"), lr_);
    weightDecay_ = doubleSpin("weight_decay", 6, 0.0001);
    form->addRow(tr("Weight decay"), weightDecay_);
    schedule_ = combo("schedule");
    form->addRow(tr("Schedule"), schedule_);
    imageSize_ = spin("image_size");
    imageSize_->setSpecialValueText(tr("auto (56 Fashion-MNIST, 224 folders)"));
    form->addRow(tr("Image size"), imageSize_);
    maxTest_ = spin("max_test_samples");
    maxTest_->setSpecialValueText(tr("all"));
    form->addRow(tr("Test images"), maxTest_);
    device_ = combo("device");
    form->addRow(tr("Device"), device_);
    precision_ = combo("precision");
    precision_->setToolTip(
        tr("auto: bf16 on GPUs with bf16 tensor cores (A100, H100 and later), else fp32"));
    form->addRow(tr("Precision"), precision_);
    threads_ = spin("threads");
    threads_->setSpecialValueText(tr("all cores"));
    form->addRow(tr("CPU threads"), threads_);

    message_ = new QLabel;
    message_->setWordWrap(true);
    auto* load = new QPushButton(tr("Load…"));
    auto* save = new QPushButton(tr("Save…"));
    auto* start = new QPushButton(tr("Start or queue runs"));
    start->setDefault(true);
    auto* quick = new QPushButton(tr("Quick look"));
    quick->setToolTip(tr("K = 5, 2 epochs, 200 test images: a first look at a method in about "
                         "a minute; the figures are not the method's"));
    connect(quick, &QPushButton::clicked, this, &ExperimentForm::applyQuickLook);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(load);
    buttons->addWidget(save);
    buttons->addStretch(1);
    buttons->addWidget(quick);
    buttons->addWidget(start);

    auto* moreToggle = new QToolButton;
    moreToggle->setText(tr("More settings"));
    moreToggle->setCheckable(true);
    moreToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    moreToggle->setArrowType(Qt::RightArrow);
    auto* more = new QScrollArea;
    more->setWidgetResizable(true);
    more->setWidget(buildMoreSettings());
    more->setVisible(false);
    connect(moreToggle, &QToolButton::toggled, this, [moreToggle, more](bool on) {
        moreToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        more->setVisible(on);
    });

    auto* outer = new QVBoxLayout(this);
    outer->addLayout(form);
    outer->addWidget(moreToggle);
    outer->addWidget(more, 1);
    outer->addWidget(message_);
    outer->addStretch(0);
    outer->addLayout(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Image folder"));
        if (!dir.isEmpty()) dataset_->setText(dir);
    });
    connect(embedded, &QPushButton::clicked, this, [this] { dataset_->setText("fashion-mnist"); });
    connect(preset_, &QComboBox::activated, this, [this](int index) {
        if (index > 0) applyPreset(preset_->itemText(index));
    });
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

QWidget* ExperimentForm::buildMoreSettings() {
    // The keys with a field of their own above.
    static const std::vector<std::string> shownAbove = {
        "dataset", "method",     "model",     "per_class",        "seed",   "epochs",
        "batch_size", "lr",      "weight_decay", "schedule",      "image_size",
        "max_test_samples", "device", "precision", "threads"};
    const std::vector<std::pair<const char*, QString>> groups = {
        {"data", tr("Data")},
        {"model", tr("Method and model")},
        {"optimisation", tr("Optimisation")},
        {"augmentation", tr("Augmentation")},
        {"similarity", tr("Similarity learning")},
        {"features", tr("Methods on cached features")},
        {"execution", tr("Execution")}};
    auto* page = new QWidget;
    auto* column = new QVBoxLayout(page);
    for (const auto& [group, title] : groups) {
        auto* box = new QGroupBox(title);
        auto* rows = new QFormLayout(box);
        for (const ConfigKey& k : configTable()) {
            if (std::string(k.group) != group ||
                std::find(shownAbove.begin(), shownAbove.end(), k.key) != shownAbove.end())
                continue;
            QWidget* w = nullptr;
            std::visit(
                [&](auto member) {
                    using V = std::decay_t<decltype(TrainConfig().*member)>;
                    if constexpr (std::is_same_v<V, int>) {
                        w = spin(k.key);
                    } else if constexpr (std::is_same_v<V, double>) {
                        w = doubleSpin(k.key, 6, 0.01);
                    } else if constexpr (std::is_same_v<V, bool>) {
                        w = new QCheckBox;
                        w->setToolTip(QString::fromUtf8(k.help));
                    } else if (!k.allowed.empty()) {
                        w = combo(k.key);
                    } else {
                        w = new QLineEdit;
                        w->setToolTip(QString::fromUtf8(k.help));
                    }
                },
                k.member);
            auto* label = new QLabel(QString::fromUtf8(k.key));
            label->setToolTip(QString::fromUtf8(k.help));
            rows->addRow(label, w);
            more_.push_back({&k, w, {}});
        }
        if (rows->rowCount() > 0)
            column->addWidget(box);
        else
            delete box;
    }
    column->addStretch(1);
    return page;
}

QString ExperimentForm::editorText(const KeyEditor& e) const {
    if (auto* s = qobject_cast<QSpinBox*>(e.widget)) return QString::number(s->value());
    if (auto* d = qobject_cast<QDoubleSpinBox*>(e.widget)) return d->text();
    if (auto* b = qobject_cast<QCheckBox*>(e.widget)) return b->isChecked() ? "true" : "false";
    if (auto* c = qobject_cast<QComboBox*>(e.widget)) return c->currentText();
    return qobject_cast<QLineEdit*>(e.widget)->text();
}

int ExperimentForm::seedCount() const {
    return seeds_->value();
}

void ExperimentForm::setSeedCount(int n) {
    seeds_->setValue(n);
}

void ExperimentForm::setConfig(const TrainConfig& c) {
    base_ = c;
    preset_->setCurrentIndex(0);  // applyPreset names its preset after this
    presetInfo_->clear();
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
    for (KeyEditor& e : more_) {
        const nlohmann::json v = configValue(c, *e.key);
        if (auto* s = qobject_cast<QSpinBox*>(e.widget)) s->setValue(v.get<int>());
        if (auto* d = qobject_cast<QDoubleSpinBox*>(e.widget)) d->setValue(v.get<double>());
        if (auto* b = qobject_cast<QCheckBox*>(e.widget)) b->setChecked(v.get<bool>());
        if (auto* x = qobject_cast<QComboBox*>(e.widget))
            x->setCurrentText(QString::fromStdString(v.get<std::string>()));
        if (auto* l = qobject_cast<QLineEdit*>(e.widget))
            l->setText(QString::fromStdString(v.get<std::string>()));
        e.shown = editorText(e);
    }
    message_->clear();
}

void ExperimentForm::applyQuickLook() {
    perClass_->setValue(5);
    epochs_->setValue(2);
    maxTest_->setValue(200);
    message_->setText(tr("Quick look: K = 5, 2 epochs, 200 test images. For figures to report, "
                         "use a preset or the defaults."));
}

bool ExperimentForm::applyPreset(const QString& name) {
    const ComparisonPreset* preset = nullptr;
    for (const ComparisonPreset& p : comparisonPresets())
        if (QString::fromStdString(p.name) == name) preset = &p;
    if (!preset) return false;
    try {
        // The preset over the defaults, not over the form's values: a key the preset leaves to
        // the default must not keep an earlier edit. Where and how the run computes, the seed
        // and (for the paper's presets) the user's dataset stay as the form has them.
        const nlohmann::json merged = presetOver(*preset, config().toJson());
        setConfig(TrainConfig::fromJson(merged));
    } catch (const std::exception& e) {
        preset_->setCurrentIndex(0);
        message_->setText(QString::fromUtf8(e.what()));
        return false;
    }
    preset_->setCurrentText(name);
    QStringList methods;
    for (const auto& m : preset->methods) methods << QString::fromStdString(m);
    presetInfo_->setText(QString::fromStdString(preset->description) + "\n" +
                         tr("Its methods: %1. Every key and its source: fewdata-cli compare "
                            "--list-presets.")
                             .arg(methods.join(", ")));
    return true;
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
    for (const KeyEditor& e : more_) {
        if (editorText(e) == e.shown) continue;  // untouched: the loaded value, unrounded
        std::visit(
            [&](auto member) {
                using V = std::decay_t<decltype(c.*member)>;
                if constexpr (std::is_same_v<V, int>)
                    c.*member = qobject_cast<QSpinBox*>(e.widget)->value();
                else if constexpr (std::is_same_v<V, double>)
                    c.*member = qobject_cast<QDoubleSpinBox*>(e.widget)->value();
                else if constexpr (std::is_same_v<V, bool>)
                    c.*member = qobject_cast<QCheckBox*>(e.widget)->isChecked();
                else
                    c.*member = editorText(e).trimmed().toStdString();
            },
            e.key->member);
    }
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
