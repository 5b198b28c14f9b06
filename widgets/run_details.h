// One run in detail: its figures, its config, the test confusion matrix as a heat map and the
// accuracy per class (from result.json's test_confusion; runs without one say so). A click on
// a cell shows that cell's test images (from predictions.csv, read in the background), and a
// tab lists the training images the model gets wrong most surely.
#pragma once

#include <QDialog>
#include <vector>

#include "core/results/results.h"
#include "core/run/predictions_file.h"
#include "latest_result.h"

class QCustomPlot;
class QLabel;
class QTableWidget;

namespace fewdata {

class RunDetails : public QDialog {
    Q_OBJECT
public:
    RunDetails(const RunRecord& run, QWidget* parent = nullptr);

    // Per class: test images and how many were right (empty without a confusion matrix).
    struct ClassFigure {
        QString name;
        int64_t images = 0, right = 0;
    };
    const std::vector<ClassFigure>& perClass() const { return perClass_; }

    // The confusion matrix's cell (row: true class, column: predicted) in the gallery.
    void showCell(int row, int column);
    QCustomPlot* confusionPlot() const { return confusion_; }
    class SampleGallery* cellGallery() const { return cellGallery_; }
    class SampleGallery* hardestGallery() const { return hardest_; }
    bool predictionsReady() const { return predictionsRead_; }
    QString predictionsNote() const;
    static constexpr size_t kHardest = 60;

signals:
    void predictionsLoaded();
    // The user asked to see these samples (the hardest images) on the Dataset page.
    void showOnDatasetPage(const QStringList& ids, const QString& why);

private:
    struct Loaded {
        std::vector<PredictionRow> rows;
        QString error;
    };
    void takePredictions(const Loaded& l);
    int64_t classOfCell(int index) const;

    std::vector<ClassFigure> perClass_;
    QString dir_;
    std::vector<int64_t> cellClasses_;  // the dataset's class of each matrix row / column
    QCustomPlot* confusion_ = nullptr;
    class SampleGallery* cellGallery_ = nullptr;
    class SampleGallery* hardest_ = nullptr;
    QLabel* predictionsNote_ = nullptr;
    std::vector<PredictionRow> predictions_;
    bool predictionsRead_ = false;
    int pendingRow_ = -1, pendingColumn_ = -1;  // a click before the file was read
    LatestResult<Loaded> load_;
};

// Class names from a run folder's manifest.json, "0", "1", ... where it has none.
QStringList runClassNames(const QString& runDir, size_t count,
                          const std::vector<int64_t>& subset = {});

}  // namespace fewdata
