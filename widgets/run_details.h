// One run in detail: its figures, its config, the test confusion matrix as a heat map and the
// accuracy per class (from result.json's test_confusion; runs without one say so).
#pragma once

#include <QDialog>
#include <vector>

#include "core/results/results.h"

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

private:
    std::vector<ClassFigure> perClass_;
};

// Class names from a run folder's manifest.json, "0", "1", ... where it has none.
QStringList runClassNames(const QString& runDir, size_t count,
                          const std::vector<int64_t>& subset = {});

}  // namespace fewdata
