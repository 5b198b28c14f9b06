#include "results_view.h"

#include "core/config/recipe.h"
#include "core/run/presets.h"

#include <algorithm>
#include <map>

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/run/ablation_plan.h"
#include "core/results/table_export.h"
#include "left_out_text.h"
#include "run_details.h"
#include "study_plot_view.h"

namespace fewdata {
namespace {

// Shown with two decimals, sorted by value.
class NumberItem : public QTableWidgetItem {
public:
    NumberItem(double v, bool present, int decimals)
        : QTableWidgetItem(present ? QString::number(v, 'f', decimals) : QString()) {
        setData(Qt::UserRole, present ? v : -1e300);
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    bool operator<(const QTableWidgetItem& other) const override {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

QTableWidgetItem* number(double v, int n, int decimals = 2) {
    return new NumberItem(v, n > 0, decimals);
}

QTableWidgetItem* text(const QString& s) {
    return new QTableWidgetItem(s);
}

QString interval(const Interval& i) {
    if (i.n < 2) return "-";
    return QString("[%1, %2]").arg(i.low, 0, 'f', 2).arg(i.high, 0, 'f', 2);
}

}  // namespace

ResultsView::ResultsView(QWidget* parent) : QWidget(parent) {
    folder_ = new QLineEdit;
    folder_->setPlaceholderText(tr("A comparison folder, or any folder of run folders"));
    auto* browse = new QPushButton(tr("Open…"));
    auto* refresh = new QPushButton(tr("Refresh"));
    auto* top = new QHBoxLayout;
    top->addWidget(folder_, 1);
    top->addWidget(browse);
    top->addWidget(refresh);

    table_ = new QTableWidget(0, 13);
    table_->setHorizontalHeaderLabels({tr("Dataset"), tr("Model"), tr("K"), tr("Strategy"),
                                       tr("Val mean"), tr("Val sd"), tr("Test mean"), tr("Test sd"),
                                       tr("Test 95 % CI"), tr("Test vs baseline"), tr("p (Holm)"),
                                       tr("Recipe"), tr("Seed ensemble")});
    table_->horizontalHeaderItem(12)->setToolTip(
        tr("Test accuracy of the seeds' averaged test probabilities; Test mean is the seeds' own"));
    table_->horizontalHeaderItem(10)->setToolTip(
        tr("Exact sign-flip permutation test of the paired differences to the baseline, "
           "Holm-corrected across the methods; * below 0.05"));
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    table_->setSortingEnabled(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);

    runs_ = new QTableWidget(0, 11);
    runs_->setHorizontalHeaderLabels({tr("Run"), tr("Dataset"), tr("Model"), tr("K"),
                                      tr("Strategy"), tr("Seed"), tr("Val"), tr("Test"),
                                      tr("Best epoch"), tr("Seconds"), tr("Note")});
    runs_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Rows come in folder order: no column claims a sort until the user picks one.
    runs_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    runs_->setSortingEnabled(true);
    runs_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    runs_->setSelectionBehavior(QAbstractItemView::SelectRows);
    runs_->setToolTip(
        tr("Double-click a run for its confusion matrix, per-class accuracy and "
           "config"));
    connect(runs_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (RunDetails* d = details(row)) {
            d->setAttribute(Qt::WA_DeleteOnClose);
            d->show();
        }
    });
    table2_ = new QTableWidget(0, 9);
    table2_->setHorizontalHeaderLabels({tr("Dataset"), tr("Model"), tr("K"), tr("Strategy"),
                                        tr("Val mean"), tr("Test mean"), tr("Test sd"),
                                        tr("Test 95 % CI"), tr("Test vs CNN")});
    table2_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table2_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table2_->setToolTip(
        tr("The GNN beside the CNN's own predictions and the same network "
           "without the graph, on the same nodes; the difference is paired "
           "per run"));
    ablation_ = new QTableWidget(0, 12);
    ablation_->setObjectName("ablationTable");
    ablation_->setHorizontalHeaderLabels(
        {tr("Dataset"), tr("K"), tr("Strategy"), tr("Change"), tr("Seeds"), tr("Test mean"),
         tr("Test sd"), tr("Test vs reference"), tr("95 % CI of the difference"), tr("p (Holm)"),
         tr("Last epoch vs reference"), tr("Seed ensemble")});
    ablation_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    ablation_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    ablation_->setSelectionBehavior(QAbstractItemView::SelectRows);
    ablationNote_ = new QLabel;
    ablationNote_->setWordWrap(true);
    ablationNote_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ablationTab_ = new QWidget;
    auto* ablationLayout = new QVBoxLayout(ablationTab_);
    ablationLayout->addWidget(ablation_, 1);
    ablationLayout->addWidget(ablationNote_);

    tabs_ = new QTabWidget;
    auto* tabs = tabs_;
    tabs->addTab(table_, tr("Per method"));
    tabs->addTab(runs_, tr("Runs"));
    tabs->addTab(table2_, tr("Table 2 (GNN, same nodes)"));
    tabs->addTab(ablationTab_, tr("Ablation"));
    tabs->setTabToolTip(tabs->indexOf(ablationTab_),
                        tr("A folder made by fewdata-cli compare --ablate: each change against "
                           "the reference recipe, paired by seed"));
    tabs->setTabEnabled(tabs->indexOf(ablationTab_), false);
    plots_ = new StudyPlotView;
    tabs->addTab(plots_, tr("Plots"));

    leftOut_ = new QLabel;
    leftOut_->setWordWrap(true);
    leftOut_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* exports = new QHBoxLayout;
    exports->addWidget(new QLabel(tr("Export:")));
    for (const char* f : {"csv", "md", "latex", "json"}) {
        auto* b = new QPushButton(QString(f).toUpper());
        connect(b, &QPushButton::clicked, this, [this, f] { exportAs(f); });
        exports->addWidget(b);
    }
    exported_ = new QLabel;
    exported_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    exports->addWidget(exported_, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(tabs, 1);
    layout->addWidget(leftOut_);
    layout->addLayout(exports);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Results folder"), folder());
        if (!d.isEmpty()) setFolder(d);
    });
    connect(refresh, &QPushButton::clicked, this, [this] { setFolder(folder()); });
    connect(folder_, &QLineEdit::returnPressed, this, [this] { setFolder(folder()); });
}

QString ResultsView::folder() const {
    return folder_->text().trimmed();
}

int ResultsView::rowCount() const {
    return table_->rowCount();
}

int ResultsView::runCount() const {
    return runs_->rowCount();
}

int ResultsView::table2RowCount() const {
    return table2_->rowCount();
}

// Each row's first item holds its record's index: the counted runs, then the reruns.
const RunRecord* ResultsView::record(int row) const {
    const QTableWidgetItem* item = runs_->item(row, 0);
    if (!item) return nullptr;
    const size_t index = size_t(item->data(Qt::UserRole).toULongLong());
    const size_t counted = last_.runs.runs.size();
    if (index < counted) return &last_.runs.runs[index];
    return index - counted < last_.reruns.size() ? &last_.reruns[index - counted].run : nullptr;
}

RunRecord ResultsView::runRecord(int row) const {
    const RunRecord* r = record(row);
    return r ? *r : RunRecord{};
}

bool ResultsView::inTables(int row) const {
    const QTableWidgetItem* item = runs_->item(row, 0);
    return item && item->data(Qt::UserRole).toULongLong() < last_.runs.runs.size();
}

QString ResultsView::runNote(int row) const {
    const QTableWidgetItem* item = runs_->item(row, 10);
    return item ? item->text() : QString();
}

RunDetails* ResultsView::details(int row) {
    const RunRecord* r = record(row);
    if (!r) return nullptr;
    auto* d = new RunDetails(*r, this);
    connect(d, &RunDetails::showOnDatasetPage, this, &ResultsView::showSamples);
    return d;
}

void ResultsView::setFolder(const QString& dir) {
    folder_->setText(dir);
    if (dir.isEmpty()) {
        scan_.invalidate();  // a scan of the folder shown before must not arrive now
        return;
    }
    const std::string path = dir.toStdString();
    scan_.request(
        [path] {
            Scan s;
            s.runs = scanRuns(path);
            s.rows = aggregate(s.runs.runs);
            s.reruns = rerunsOf(s.runs);
            try {
                if (const auto plan = readAblationPlan(path)) {
                    const auto reference = std::filesystem::path(path) / plan->reference;
                    for (const AblationLine& l : ablationLines(s.rows, reference.string()))
                        s.ablation.push_back({size_t(l.reference - s.rows.data()),
                                              size_t(l.row - s.rows.data()), l});
                }
            } catch (const std::exception& e) {
                s.ablationError = e.what();
            }
            return s;
        },
        [this](const Scan& s) {
            show(s);
            emit scanned();
        });
}

void ResultsView::show(const Scan& s) {
    last_ = s;
    table_->setSortingEnabled(false);
    table_->setRowCount(static_cast<int>(s.rows.size()));
    for (int i = 0; i < static_cast<int>(s.rows.size()); ++i) {
        const MethodRow& r = s.rows[i];
        table_->setItem(i, 0, text(QString::fromStdString(r.dataset)));
        table_->setItem(i, 1, text(QString::fromStdString(r.model)));
        table_->setItem(i, 2, number(r.perClass, 1, 0));
        table_->setItem(i, 3, text(QString::fromStdString(r.method)));
        table_->setItem(i, 4, number(r.val.mean, r.val.n));
        table_->setItem(i, 5, number(r.val.sd, r.val.n - 1));
        table_->setItem(i, 6, number(r.test.mean, r.test.n));
        table_->setItem(i, 7, number(r.test.sd, r.test.n - 1));
        table_->setItem(i, 8, text(interval(r.test)));
        table_->setItem(i, 9, r.testVsBaseline ? number(r.testVsBaseline->mean, 1) : number(0, 0));
        auto* p = r.significance ? number(r.significance->pHolm, 1, 3) : number(0, 0);
        if (r.significance && r.significance->pHolm < 0.05) p->setText(p->text() + " *");
        table_->setItem(i, 10, p);
        auto* recipe = text(r.recipeLabel.empty() ? tr("(one recipe)")
                                                  : QString::fromStdString(r.recipeLabel));
        recipe->setToolTip(QString::fromStdString(recipeOrigin(std::vector<nlohmann::json>{r.recipe})));
        table_->setItem(i, 11, recipe);
        auto* ensemble = r.ensemble ? number(r.ensemble->test, 1) : number(0, 0);
        if (r.ensemble)
            ensemble->setToolTip(tr("%n seed(s) averaged; their own mean from the same files: %1 %",
                                    nullptr, r.ensemble->seeds)
                                     .arg(r.ensemble->singleSeedMean, 0, 'f', 2));
        else if (r.runs.size() >= 2)
            ensemble->setToolTip(tr("No ensemble: %1").arg(QString::fromStdString(r.ensembleMissing)));
        table_->setItem(i, 12, ensemble);
    }
    table_->setSortingEnabled(true);

    showRuns(s);

    const std::vector<GraphLine> lines = graphLines(s.rows);
    table2_->setRowCount(static_cast<int>(lines.size()));
    for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
        const GraphLine& g = lines[size_t(i)];
        table2_->setItem(i, 0, text(QString::fromStdString(g.row->dataset)));
        table2_->setItem(i, 1, text(QString::fromStdString(g.row->model)));
        table2_->setItem(i, 2, number(g.row->perClass, 1, 0));
        table2_->setItem(i, 3, text(QString::fromStdString(g.strategy)));
        table2_->setItem(i, 4, number(g.val.mean, g.val.n));
        table2_->setItem(i, 5, number(g.test.mean, g.test.n));
        table2_->setItem(i, 6, number(g.test.sd, g.test.n - 1));
        table2_->setItem(i, 7, text(interval(g.test)));
        table2_->setItem(i, 8, g.vsCnn ? number(g.vsCnn->mean, 1) : number(0, 0));
    }
    plots_->setRows(s.rows);
    showAblation(s);
    QString left;
    for (const auto& p : s.runs.problems)
        left += "\n" + QString::fromStdString(p.dir) + ": " + leftOutText(p.reason);
    if (!s.ablationError.empty())
        left += "\n" + tr("No ablation table: %1").arg(QString::fromStdString(s.ablationError));
    leftOut_->setText(left.isEmpty() ? QString() : tr("Left out of the tables:") + left);
}

std::vector<AblationLine> ResultsView::ablationOf(const Scan& s) {
    std::vector<AblationLine> out;
    for (const Scan::AblationIndex& a : s.ablation) {
        AblationLine l = a.line;
        l.reference = &s.rows[a.reference];
        l.row = &s.rows[a.row];
        out.push_back(l);
    }
    return out;
}

// The export's ablation table, row for row; the reference's line in bold.
void ResultsView::showAblation(const Scan& s) {
    const std::vector<AblationLine> lines = ablationOf(s);
    ablation_->setRowCount(static_cast<int>(lines.size()));
    for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
        const AblationLine& l = lines[size_t(i)];
        const MethodRow& r = *l.row;
        const bool own = l.row == l.reference;
        QString seeds = QString::number(r.test.n);
        if (!own && (l.pairs != r.test.n || l.pairs != l.reference->test.n))
            seeds += " " + tr("(%1 paired)").arg(l.pairs);
        auto* p = l.significance ? number(l.significance->pHolm, 1, 3) : number(0, 0);
        if (l.significance && l.significance->pHolm < 0.05) p->setText(p->text() + " *");
        auto* last = !own && l.lastVsReference ? number(l.lastVsReference->mean, 1) : number(0, 0);
        if (!own && l.lastVsReference)
            last->setToolTip(tr("95 % CI %1; the last epoch's test figure, which no validation "
                                "split chose")
                                 .arg(interval(*l.lastVsReference)));
        const QList<QTableWidgetItem*> items = {
            text(QString::fromStdString(r.dataset)),
            number(r.perClass, 1, 0),
            text(QString::fromStdString(r.method)),
            text((own ? tr("reference: ") : QString()) + QString::fromStdString(l.change)),
            text(seeds),
            number(r.test.mean, r.test.n),
            number(r.test.sd, r.test.n - 1),
            !own && l.vsReference ? number(l.vsReference->mean, 1) : number(0, 0),
            text(!own && l.vsReference ? interval(*l.vsReference) : QString()),
            p,
            last,
            r.ensemble ? number(r.ensemble->test, 1) : number(0, 0)};
        for (int c = 0; c < items.size(); ++c) {
            if (own) {
                QFont f = items[c]->font();
                f.setBold(true);
                items[c]->setFont(f);
            }
            ablation_->setItem(i, c, items[c]);
        }
    }
    ablationNote_->setText(lines.empty() ? QString() : QString::fromStdString(ablationNote(lines)));
    tabs_->setTabEnabled(tabs_->indexOf(ablationTab_), !lines.empty());
}

int ResultsView::ablationRowCount() const {
    return ablation_->rowCount();
}

// A left-out folder that reads as a finished run on its own was left out for another run of its
// recipe and seed (the engine keeps the first in folder order): the Runs tab lists it too.
std::vector<ResultsView::Rerun> ResultsView::rerunsOf(const RunScan& scan) {
    std::vector<Rerun> out;
    const std::string sameAs = "same recipe and seed as ";  // results.cpp's reason
    for (const RunProblem& p : scan.problems) {
        if (p.reason.rfind(sameAs, 0) != 0) continue;  // only these are whole runs
        const RunScan alone = scanRuns(p.dir);
        const auto it = std::find_if(alone.runs.begin(), alone.runs.end(),
                                     [&](const RunRecord& r) { return r.dir == p.dir; });
        if (it == alone.runs.end()) continue;
        Rerun rerun{*it, {}, p.reason};
        const std::string recipe = recipeText(it->recipe);
        for (const RunRecord& used : scan.runs)
            if (used.seed == it->seed && recipeText(used.recipe) == recipe) {
                rerun.usedDir = used.dir;
                break;
            }
        out.push_back(std::move(rerun));
    }
    return out;
}

// Counted runs and the reruns left out, in folder order; a rerun greyed, with a note naming
// the run the tables use instead.
void ResultsView::showRuns(const Scan& s) {
    struct Line {
        const RunRecord* run;
        size_t index;
        QString note;
    };
    std::map<std::string, int> rerunsOfDir;
    for (const Rerun& r : s.reruns) ++rerunsOfDir[r.usedDir];
    std::vector<Line> lines;
    for (size_t i = 0; i < s.runs.runs.size(); ++i) {
        const RunRecord& r = s.runs.runs[i];
        const int reruns = rerunsOfDir.count(r.dir) ? rerunsOfDir[r.dir] : 0;
        lines.push_back({&r, i,
                         reruns ? tr("in the tables; %n rerun(s) of it left out", "", reruns)
                                : QString()});
    }
    for (size_t i = 0; i < s.reruns.size(); ++i) {
        const Rerun& r = s.reruns[i];
        const QString note =
            r.usedDir.empty()
                ? tr("not in the tables: %1").arg(leftOutText(r.reason))
                : tr("not in the tables: the same method, seed and recipe as %1")
                      .arg(QFileInfo(QString::fromStdString(r.usedDir)).fileName());
        lines.push_back({&r.run, s.runs.runs.size() + i, note});
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return a.run->dir < b.run->dir; });

    const QColor grey = QApplication::palette().color(QPalette::Disabled, QPalette::Text);
    runs_->setSortingEnabled(false);
    runs_->setRowCount(static_cast<int>(lines.size()));
    for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
        const RunRecord& r = *lines[size_t(i)].run;
        const bool counted = lines[size_t(i)].index < s.runs.runs.size();
        auto* name = text(QFileInfo(QString::fromStdString(r.dir)).fileName());
        name->setData(Qt::UserRole, qulonglong(lines[size_t(i)].index));  // whatever the sort
        runs_->setItem(i, 0, name);
        runs_->setItem(i, 1, text(QString::fromStdString(r.dataset)));
        runs_->setItem(i, 2, text(QString::fromStdString(r.model)));
        runs_->setItem(i, 3, number(r.perClass, 1, 0));
        runs_->setItem(i, 4, text(QString::fromStdString(r.method)));
        runs_->setItem(i, 5, number(r.seed, 1, 0));
        runs_->setItem(i, 6, number(r.valAccuracy, 1));
        runs_->setItem(i, 7, number(r.testAccuracy, 1));
        runs_->setItem(i, 8, number(r.bestEpoch, 1, 0));
        runs_->setItem(i, 9, number(r.seconds, 1, 0));
        runs_->setItem(i, 10, text(lines[size_t(i)].note));
        for (int c = 0; c < runs_->columnCount(); ++c) {
            QTableWidgetItem* item = runs_->item(i, c);
            item->setToolTip(lines[size_t(i)].note.isEmpty()
                                 ? QString::fromStdString(r.dir)
                                 : QString::fromStdString(r.dir) + "\n" + lines[size_t(i)].note);
            if (!counted) item->setForeground(grey);
        }
    }
    runs_->setSortingEnabled(true);
}

void ResultsView::exportAs(const QString& format) {
    const QString suffix = format == "latex" ? "tex" : format;
    const QString filter = tr("%1 table (*.%2)").arg(format.toUpper(), suffix);
    // One rule: results are never overwritten, so the dialog does not offer to replace a file;
    // exportTo refuses an existing name and says so.
    QString path = QFileDialog::getSaveFileName(this, tr("Export table"),
                                                folder() + "/table." + suffix, filter, nullptr,
                                                QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += "." + suffix;
    const QString error = exportTo(format, path);
    if (!error.isEmpty()) {
        exported_->clear();
        QMessageBox::warning(this, tr("Export"), error);
        return;
    }
    exported_->setText(tr("Saved to %1").arg(path));
}

QString ResultsView::exportTo(const QString& format, const QString& path) const {
    try {
        writeNewFileAtomically(
            path.toStdString(),
            exportTable(last_.runs, last_.rows, format.toStdString(), ablationOf(last_)));
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace fewdata
