// The study's figures, one drawing code for the Results page's Plots tab and for
// `fewdata-cli plot`: test accuracy per method with its 95 % interval, the baseline's value as
// a line and the differences Holm's correction keeps marked; and, over a K grid, accuracy
// against images per class on a log axis with the interval as a band.
#pragma once

#include <QString>
#include <vector>

#include "core/results/results.h"
#include "core/results/table_export.h"

class QCustomPlot;

namespace fewdata {

enum class StudyPlotKind { Methods, LearningCurve };

// What a figure holds: its data series (methods: one; curves: one per curve) and their points.
struct PlotContent {
    int series = 0;
    int points = 0;
};

// "methods" or "learning-curve"; InputError naming the value otherwise.
StudyPlotKind studyPlotKind(const std::string& name);

// Clears `plot` and draws; a plot without data says why in its title.
PlotContent drawMethodsPlot(QCustomPlot& plot, const std::vector<MethodRow>& rows);
PlotContent drawLearningCurves(QCustomPlot& plot, const std::vector<LearningCurve>& curves);
PlotContent drawStudyPlot(QCustomPlot& plot, StudyPlotKind kind,
                          const std::vector<MethodRow>& rows);

// Writes `path` as PNG or vector PDF by its suffix, never replacing a file; the error, or empty.
QString saveStudyPlot(QCustomPlot& plot, const QString& path, int width, int height);

}  // namespace fewdata
