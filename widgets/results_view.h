// The results page: the runs under a folder aggregated into the paper's tables (mean +- sd,
// 95 % interval, difference to the baseline) and listed one by one (double-click: the run's
// details), sortable, with the runs left out and why, and export through the engine's
// exporters. The folder is scanned off the GUI thread.
#pragma once

#include <QWidget>

#include "core/results/ablation.h"
#include "core/results/results.h"
#include "latest_result.h"

class QLineEdit;
class QTabWidget;
class QTableWidget;
class QLabel;

namespace fewdata {

class ResultsView : public QWidget {
    Q_OBJECT
public:
    explicit ResultsView(QWidget* parent = nullptr);
    void setFolder(const QString& dir);  // scans it in the background
    QString folder() const;
    int rowCount() const;
    int runCount() const;  // rows of the Runs tab, reruns the tables leave out included
    // Whether run `row` of the Runs tab (as sorted now) counts in the tables, and its note
    // (which run a rerun gives way to, or the reruns a counted run has).
    bool inTables(int row) const;
    QString runNote(int row) const;
    int table2RowCount() const;
    // The Ablation tab (a folder made by `compare --ablate`): the reference, then each change.
    int ablationRowCount() const;
    // Writes the current table in `format` to a new file; the error, or empty on success.
    QString exportTo(const QString& format, const QString& path) const;
    // The details dialog of run `row` of the runs table (as sorted now); the caller owns it.
    class RunDetails* details(int row);
    class StudyPlotView* plots() const { return plots_; }
    // Run `row` of the runs table as sorted now (an empty record past the end).
    RunRecord runRecord(int row) const;

signals:
    void scanned();
    // A run's details asked to show these samples on the Dataset page.
    void showSamples(const QStringList& ids, const QString& why);

private:
    // A finished run the tables leave out because another run has its recipe and seed.
    struct Rerun {
        RunRecord run;
        std::string usedDir;  // the run the tables use instead; empty when not found
        std::string reason;   // the engine's
    };
    struct Scan {
        RunScan runs;
        std::vector<MethodRow> rows;
        std::vector<Rerun> reruns;
        // The ablation's lines (ablation.h) with their rows as indices into `rows`, which a
        // copy of the scan moves; ablationOf() points them at a scan's own rows.
        struct AblationIndex {
            size_t reference = 0, row = 0;
            AblationLine line;
        };
        std::vector<AblationIndex> ablation;
        std::string ablationError;  // an unreadable ablation.json, a reference of two recipes
    };
    static std::vector<AblationLine> ablationOf(const Scan& s);
    void showAblation(const Scan& s);
    static std::vector<Rerun> rerunsOf(const RunScan& scan);
    const RunRecord* record(int row) const;
    void showRuns(const Scan& s);
    void show(const Scan& s);
    void exportAs(const QString& format);

    QLineEdit* folder_;
    QTableWidget* table_;
    QTableWidget* runs_;
    QTableWidget* table2_;
    QTableWidget* ablation_;
    QLabel* ablationNote_;
    QWidget* ablationTab_;
    QTabWidget* tabs_;
    QLabel* leftOut_;
    QLabel* exported_;  // where the last export went
    class StudyPlotView* plots_;
    Scan last_;
    LatestResult<Scan> scan_;  // the newest folder's scan wins
};

}  // namespace fewdata
