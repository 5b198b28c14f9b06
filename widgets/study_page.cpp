#include "study_page.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <map>

#include "core/base/errors.h"
#include "core/base/json_text.h"
#include "core/config/recipe.h"
#include "core/methods/registry.h"
#include "core/run/presets.h"
#include "imaging/dataset_factory.h"

namespace fewdata {
namespace {

enum Column { MethodColumn, KColumn, SeedColumn, StateColumn, FolderColumn, Columns };

const ComparisonPreset* presetNamed(const QString& name) {
    for (const ComparisonPreset& p : comparisonPresets())
        if (QString::fromStdString(p.name) == name) return &p;
    return nullptr;
}

QString duration(double seconds) {
    if (seconds < 90) return StudyPage::tr("%1 s").arg(int(seconds + 0.5));
    if (seconds < 5400) return StudyPage::tr("%1 min").arg(int(seconds / 60 + 0.5));
    return StudyPage::tr("%1 h").arg(seconds / 3600, 0, 'f', 1);
}

QColor stateColour(const QString& state) {
    if (state == "done" || state == "kept") return QColor("#2e7d32");
    if (state == "failed" || state == "skipped") return QColor("#c62828");
    if (state == "running" || state == "resumed" || state == "queued") return QColor("#1565c0");
    if (state == "interrupted" || state == "cancelled") return QColor("#ef6c00");
    return QColor("#616161");
}

}  // namespace

StudyPage::StudyPage(QWidget* parent) : QWidget(parent) {
    preset_ = new QComboBox;
    preset_->addItem(tr("(none: choose the methods)"));
    for (const ComparisonPreset& p : comparisonPresets()) {
        preset_->addItem(QString::fromStdString(p.name));
        preset_->setItemData(preset_->count() - 1, QString::fromStdString(p.description),
                             Qt::ToolTipRole);
    }
    recipe_ = new QPlainTextEdit;
    recipe_->setReadOnly(true);
    recipe_->setMinimumHeight(80);
    recipe_->setToolTip(tr("The recipe every run of the study shares (the seed aside)"));
    methods_ = new QListWidget;
    for (const MethodInfo& m : methodRegistry().all()) {
        auto* item = new QListWidgetItem(QString::fromStdString(m.name));
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(m.name == "baseline" ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(QString::fromStdString(m.description));
        methods_->addItem(item);
    }
    methods_->setMinimumHeight(90);
    perClass_ = new QLineEdit("50");
    perClass_->setToolTip(tr("Images per class, or a list for learning curves: 5,10,20,50"));
    seeds_ = new QSpinBox;
    seeds_->setRange(1, 100);
    seeds_->setValue(3);
    out_ = new QLineEdit;
    out_->setPlaceholderText(tr("A new or an earlier study's folder"));
    browse_ = new QPushButton(tr("Open…"));
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(out_, 1);
    outRow->addWidget(browse_);

    backend_ = new QComboBox;
    backend_->setObjectName("studyBackend");
    backend_->addItems({tr("This machine"), tr("Slurm cluster")});
    backend_->setToolTip(tr("This machine: the runs one after another in this window. Slurm "
                            "cluster: the study as job arrays, submitted with sbatch; each task "
                            "runs fewdata-cli compare --task, and this page follows their "
                            "folders."));
    partition_ = new QLineEdit;
    partition_->setObjectName("slurmPartition");
    partition_->setPlaceholderText(tr("the cluster's default"));
    time_ = new QLineEdit;
    time_->setPlaceholderText(tr("the partition's limit, or e.g. 4:00:00"));
    cpus_ = new QSpinBox;
    cpus_->setRange(1, 1024);
    cpus_->setToolTip(tr("CPUs per run, also its threads"));
    gpus_ = new QSpinBox;
    gpus_->setRange(0, 64);
    maxParallel_ = new QSpinBox;
    maxParallel_->setRange(0, 100000);
    maxParallel_->setSpecialValueText(tr("no limit"));
    sbatchArgs_ = new QLineEdit;
    sbatchArgs_->setPlaceholderText("--account=lab --qos=short");
    sbatchArgs_->setToolTip(tr("sbatch options passed through to every job, separated by spaces"));
    auto* slurmForm = new QFormLayout;
    slurmForm->addRow(tr("Partition"), partition_);
    slurmForm->addRow(tr("Time limit per run"), time_);
    slurmForm->addRow(tr("CPUs per run"), cpus_);
    slurmForm->addRow(tr("GPUs per run"), gpus_);
    slurmForm->addRow(tr("Runs at once"), maxParallel_);
    slurmForm->addRow(tr("More sbatch options"), sbatchArgs_);
    auto* slurmGroup = new QGroupBox(tr("Slurm"));
    slurmGroup->setLayout(slurmForm);
    slurmBox_ = slurmGroup;
    slurmBox_->setVisible(false);

    auto* form = new QFormLayout;
    form->addRow(tr("Preset"), preset_);
    form->addRow(tr("Methods"), methods_);
    form->addRow(tr("Images per class (K)"), perClass_);
    form->addRow(tr("Seeds"), seeds_);
    form->addRow(tr("Output folder"), outRow);
    form->addRow(tr("Run on"), backend_);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addLayout(form);
    leftLayout->addWidget(slurmBox_);
    leftLayout->addWidget(new QLabel(tr("Recipe")));
    leftLayout->addWidget(recipe_, 1);

    table_ = new QTableWidget(0, Columns);
    table_->setHorizontalHeaderLabels(
        {tr("Method"), tr("K"), tr("Seed"), tr("State"), tr("Folder")});
    // Sized once per plan: ResizeToContents would measure every row at every state change,
    // seconds for a study of 500 runs.
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->verticalHeader()->hide();
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    message_ = new QLabel;
    message_->setWordWrap(true);
    message_->setStyleSheet("color: #b71c1c");
    note_ = new QLabel;
    note_->setWordWrap(true);
    note_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    start_ = new QPushButton(tr("Start study"));
    start_->setObjectName("studyStart");
    cancel_ = new QPushButton(tr("Cancel study"));
    cancel_->setEnabled(false);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(summary_, 1);
    buttons->addWidget(start_);
    buttons->addWidget(cancel_);
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(new QLabel(tr("Plan: methods x K x seeds, one run folder each")));
    rightLayout->addWidget(table_, 1);
    rightLayout->addWidget(message_);
    rightLayout->addWidget(note_);
    rightLayout->addLayout(buttons);

    auto* split = new QSplitter;
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(preset_, &QComboBox::currentIndexChanged, this, [this](int index) {
        // A preset chosen by hand builds a new study over the experiment's settings.
        studyBase_.reset();
        studyFeatures_.clear();
        if (index > 0) applyPreset(preset_->itemText(index));
        else replan();
    });
    connect(methods_, &QListWidget::itemChanged, this, [this] {
        if (!loading_) replan();
    });
    connect(perClass_, &QLineEdit::editingFinished, this, [this] { replan(); });
    connect(seeds_, &QSpinBox::valueChanged, this, [this] {
        if (!loading_) replan();
    });
    connect(out_, &QLineEdit::editingFinished, this, [this] { openFolder(outDir()); });
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Study folder"), outDir());
        if (!d.isEmpty()) openFolder(d);
    });
    connect(start_, &QPushButton::clicked, this, [this] {
        try {
            const StudySpec s = spec();
            if (outDir().isEmpty()) throw InputError(tr("Choose an output folder").toStdString());
            if (!openError_.isEmpty()) throw InputError(openError_.toStdString());
            emit startRequested(s, outDir());
        } catch (const std::exception& e) {
            showMessage(QString::fromStdString(e.what()));
        }
    });
    connect(cancel_, &QPushButton::clicked, this, &StudyPage::cancelRequested);
    connect(backend_, &QComboBox::currentIndexChanged, this, [this] {
        slurmBox_->setVisible(slurmChosen());
        start_->setText(slurmChosen() ? tr("Submit to Slurm") : tr("Start study"));
    });
    watch_ = new QTimer(this);
    watch_->setInterval(5000);
    connect(watch_, &QTimer::timeout, this, [this] {
        if (!scan_.busy()) replan();
    });
    replan();
}

bool StudyPage::slurmChosen() const {
    return backend_->currentIndex() == 1;
}

void StudyPage::setSlurmChosen(bool on) {
    backend_->setCurrentIndex(on ? 1 : 0);
}

SlurmChoice StudyPage::slurmChoice() const {
    SlurmChoice c;
    c.partition = partition_->text().trimmed();
    c.time = time_->text().trimmed();
    c.cpusPerTask = cpus_->value();
    c.gpusPerTask = gpus_->value();
    c.maxParallel = maxParallel_->value();
    c.extra = sbatchArgs_->text().split(' ', Qt::SkipEmptyParts);
    return c;
}

void StudyPage::watchSubmission(const QString& note) {
    note_->setText(note);
    emptyQueueReads_ = 0;
    watch_->start();
    replan();
}

// A job that failed before its run wrote anything (a bad partition, a node that died, a
// scancel) leaves its run pending on disk for ever: only the queue tells that nothing is coming.
void StudyPage::followQueue(const QueueState& queue, size_t unfinished) {
    bool active = queue.tableQueued;
    for (const QString& state : states_)
        active = active || state == "queued" || state == "running" || state == "resumed";
    emptyQueueReads_ = active ? 0 : emptyQueueReads_ + 1;
    if (emptyQueueReads_ < 2) return;
    watch_->stop();
    if (unfinished == 0) return;
    const QString ended = tr("Slurm's queue holds none of this study's jobs any more, and %n "
                             "run(s) never finished: their job logs are in %1. Submit again to "
                             "run them.",
                             nullptr, int(unfinished))
                              .arg(QDir(outDir()).filePath("slurm"));
    note_->setText(note_->text() + "\n" + ended);
}

void StudyPage::setWatchInterval(int milliseconds) {
    watch_->setInterval(milliseconds);
}

bool StudyPage::watching() const {
    return watch_->isActive();
}

QString StudyPage::note() const {
    return note_->text();
}

StudyPage::~StudyPage() = default;

void StudyPage::setBaseConfig(const TrainConfig& c) {
    formBase_ = c;
    if (!studyBase_) replan();
}

TrainConfig StudyPage::base() const {
    return studyBase_ ? *studyBase_ : formBase_;
}

QString StudyPage::outDir() const {
    return out_->text().trimmed();
}

void StudyPage::setOutDir(const QString& dir) {
    out_->setText(dir);
    replan();
}

StudySpec StudyPage::spec() const {
    StudySpec s;
    const ComparisonPreset* preset =
        preset_->currentIndex() > 0 ? presetNamed(preset_->currentText()) : nullptr;
    s.base = preset ? TrainConfig::fromJson(presetOver(*preset, base().toJson())) : base();
    s.preset = preset ? preset->name : "";
    for (int i = 0; i < methods_->count(); ++i)
        if (methods_->item(i)->checkState() == Qt::Checked)
            s.methods.push_back(methods_->item(i)->text().toStdString());
    if (s.methods.empty()) throw InputError(tr("Choose at least one method").toStdString());
    s.perClass = parsePerClassList(perClass_->text().toStdString());
    s.base.per_class = s.perClass.front();
    s.base.method = s.methods.front();
    s.base.validate();
    s.seeds = seeds_->value();
    if (studyBase_) s.featuresStudy = studyFeatures_;
    return s;
}

void StudyPage::setMethods(const std::vector<std::string>& methods) {
    loading_ = true;
    for (int i = 0; i < methods_->count(); ++i) {
        const std::string name = methods_->item(i)->text().toStdString();
        const bool on = std::find(methods.begin(), methods.end(), name) != methods.end();
        methods_->item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    loading_ = false;
    replan();
}

void StudyPage::setPerClassText(const QString& text) {
    perClass_->setText(text);
    replan();
}

void StudyPage::setSeeds(int seeds) {
    seeds_->setValue(seeds);
}

bool StudyPage::applyPreset(const QString& name) {
    const ComparisonPreset* p = presetNamed(name);
    if (!p) return false;
    studyBase_.reset();
    studyFeatures_.clear();
    loading_ = true;
    preset_->blockSignals(true);
    preset_->setCurrentText(name);
    preset_->blockSignals(false);
    loading_ = false;
    setMethods(p->methods);  // replans
    return true;
}

void StudyPage::setSpec(const StudySpec& s) {
    loading_ = true;
    // The stored recipe is the study's own: a preset changed since must not change it, so the
    // preset is not applied again.
    preset_->blockSignals(true);
    preset_->setCurrentIndex(0);
    preset_->blockSignals(false);
    studyBase_ = s.base;
    studyFeatures_ = s.featuresStudy;
    QStringList ks;
    for (int k : s.perClass) ks << QString::number(k);
    perClass_->setText(ks.isEmpty() ? QString::number(s.base.per_class) : ks.join(","));
    seeds_->setValue(s.seeds);
    loading_ = false;
    setMethods(s.methods);
}

void StudyPage::openFolder(const QString& dir) {
    out_->setText(dir);
    openError_.clear();
    watch_->stop();  // a submission's note is of the folder it was made for
    note_->clear();
    if (dir.isEmpty()) {
        replan();
        return;
    }
    const std::string path = dir.toStdString();
    open_.request(
        [path] {
            Opened o;
            try {
                o.spec = readStudySpec(path);
            } catch (const std::exception& e) {
                o.error = QString::fromStdString(e.what());
            }
            return o;
        },
        [this](const Opened& o) {
            openError_ = o.error;
            if (o.spec)
                setSpec(*o.spec);
            else
                replan();
            emit opened();
        });
}

bool StudyPage::canStart() const {
    return !running_ && !plan_.empty() && openError_.isEmpty();
}

void StudyPage::showMessage(const QString& text) {
    message_->setText(text);
}

QString StudyPage::message() const {
    return message_->text();
}

QString StudyPage::summary() const {
    return summary_->text();
}

void StudyPage::replan() {
    // While a study runs its plan and the runner's states stay as they are.
    if (loading_ || running_) return;
    plan_.clear();
    states_.clear();
    table_->setRowCount(0);
    summary_->clear();
    StudySpec s;
    try {
        s = spec();
        if (outDir().isEmpty()) {
            showMessage(tr("Choose an output folder: a new one, or an earlier study's to go on "
                           "where it stopped."));
        } else {
            plan_ = planStudy(s, outDir().toStdString());
            showMessage(openError_);
        }
    } catch (const std::exception& e) {
        showMessage(QString::fromStdString(e.what()));
    }
    // The recipe the runs share, with the preset's source of each value.
    try {
        const ComparisonPreset* preset =
            preset_->currentIndex() > 0 ? presetNamed(preset_->currentText()) : nullptr;
        const TrainConfig c = s.methods.empty() ? base() : s.base;
        QStringList lines;
        const nlohmann::json shared = sharedRecipeOf(recipeOf(c));
        for (const auto& [key, value] : shared.items()) {
            QString line = QString::fromStdString(key + " = " + jsonText(value));
            if (preset && preset->sources.count(key))
                line += "    (" + QString::fromStdString(preset->sources.at(key)) + ")";
            lines << line;
        }
        recipe_->setPlainText((preset ? QString::fromStdString(preset->description) + "\n\n"
                                      : QString()) +
                              lines.join("\n"));
    } catch (const std::exception&) {
        recipe_->clear();
    }
    table_->setUpdatesEnabled(false);
    table_->setRowCount(int(plan_.size()));
    states_.assign(plan_.size(), QString());
    for (int i = 0; i < int(plan_.size()); ++i) {
        const PlannedRun& r = plan_[size_t(i)];
        table_->setItem(i, MethodColumn, new QTableWidgetItem(QString::fromStdString(r.method)));
        table_->setItem(i, KColumn, new QTableWidgetItem(QString::number(r.perClass)));
        table_->setItem(i, SeedColumn, new QTableWidgetItem(QString::number(r.seed)));
        table_->setItem(i, StateColumn, new QTableWidgetItem(QStringLiteral("…")));
        table_->setItem(i, FolderColumn, new QTableWidgetItem(QString::fromStdString(r.dir)));
    }
    table_->resizeColumnsToContents();
    table_->setUpdatesEnabled(true);
    start_->setEnabled(canStart());
    if (plan_.empty()) {
        scan_.invalidate();
        emit planShown();
        return;
    }
    // States on disk, the dataset's classes and the measured rate: off the GUI thread.
    const auto runs = plan_;
    const TrainConfig base = s.base;
    const QueueProbe probe = watch_->isActive() ? queueProbe_ : QueueProbe();
    const std::string dir = outDir().toStdString();
    scan_.request(
        [runs, base, probe, dir] {
            Scan out;
            if (probe) out.queue = probe(dir);
            for (const PlannedRun& r : runs) out.states.push_back(fewdata::cellState(r));
            out.rate = measuredImagesPerSecond(runs);
            try {
                out.classes = int(openDataset(base)->index().classes.size());
            } catch (const std::exception& e) {
                out.error = QString::fromStdString(e.what());
            }
            return out;
        },
        [this](const Scan& scan) { showScan(scan); });
}

void StudyPage::showScan(const Scan& scan) {
    table_->setUpdatesEnabled(false);
    const bool queueKnown = scan.queue && scan.queue->known;
    for (size_t i = 0; i < scan.states.size() && i < plan_.size(); ++i) {
        const QString state = cellStateName(scan.states[i]);
        const bool waiting = state == "pending" || state == "interrupted";
        if (queueKnown && waiting && scan.queue->runs.count(i))
            setCellState(int(i), "queued", tr("Slurm: %1").arg(scan.queue->runs.at(i)));
        else
            setCellState(int(i), state);
    }
    table_->resizeColumnToContents(StateColumn);
    table_->setUpdatesEnabled(true);
    std::vector<PlannedRun> left;
    for (size_t i = 0; i < plan_.size(); ++i)
        if (states_[i] != "done" && states_[i] != "failed") left.push_back(plan_[i]);
    const double rate = scan.rate > 0 ? scan.rate : sessionRate_;
    QString text = tr("%n run(s)", nullptr, int(plan_.size()));
    std::map<QString, int> counts;
    for (const QString& s : states_) ++counts[s];
    for (const auto& [state, n] : counts) text += ", " + QString::number(n) + " " + stateText(state);
    if (left.empty())
        text += tr("; all finished");
    else if (rate > 0 && scan.classes > 0)
        text += tr("; the %1 to run take about %2 at %3 images/s (image training only; feature "
                   "stages and evaluation add to it)")
                    .arg(left.size())
                    .arg(duration(estimatedSeconds(left, scan.classes, rate)))
                    .arg(rate, 0, 'f', 0);
    else
        text += tr("; a time estimate follows the first finished run");
    summary_->setText(text);
    if (left.empty()) watch_->stop();  // a submitted study that has ended
    if (queueKnown && watch_->isActive()) followQueue(*scan.queue, left.size());
    if (!scan.error.isEmpty()) showMessage(scan.error);
    if (!openError_.isEmpty()) showMessage(openError_);
    emit planShown();
}

QString StudyPage::stateText(const QString& state) const {
    static const std::map<QString, const char*> names = {
        {"pending", QT_TR_NOOP("pending")},
        {"running", QT_TR_NOOP("running")},
        {"resumed", QT_TR_NOOP("resumed")},
        {"done", QT_TR_NOOP("done")},
        {"kept", QT_TR_NOOP("kept")},
        {"failed", QT_TR_NOOP("failed")},
        {"skipped", QT_TR_NOOP("skipped")},
        {"cancelled", QT_TR_NOOP("cancelled")},
        {"interrupted", QT_TR_NOOP("interrupted")},
        {"queued", QT_TR_NOOP("queued")},
    };
    const auto it = names.find(state);
    return it == names.end() ? state : tr(it->second);
}

void StudyPage::setCellState(int index, const QString& state, const QString& note) {
    if (index < 0 || size_t(index) >= plan_.size()) return;
    states_[size_t(index)] = state;
    auto* item = new QTableWidgetItem(stateText(state) + (note.isEmpty() ? QString() : " *"));
    item->setForeground(stateColour(state));
    item->setToolTip(note);
    table_->setItem(index, StateColumn, item);
    if (state == "running" || state == "resumed") table_->scrollToItem(item);
}

QString StudyPage::cellState(int index) const {
    return index >= 0 && size_t(index) < states_.size() ? states_[size_t(index)] : QString();
}

void StudyPage::setRunning(bool running) {
    running_ = running;
    start_->setEnabled(canStart());
    cancel_->setEnabled(running);
    for (QWidget* w :
         std::initializer_list<QWidget*>{preset_, methods_, perClass_, seeds_, out_, browse_,
                                         backend_, slurmBox_})
        w->setEnabled(!running);
    if (!running) replan();  // the states on disk, and the plan the controls now describe
}

void StudyPage::setMeasuredRate(double imagesPerSecond) {
    if (imagesPerSecond > 0) sessionRate_ = imagesPerSecond;
}

}  // namespace fewdata
