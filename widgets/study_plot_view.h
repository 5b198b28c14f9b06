// The Results page's Plots tab: the study's figures (study_plots.h) with a choice of figure
// and saving as PNG or vector PDF.
#pragma once

#include <QWidget>
#include <vector>

#include "study_plots.h"

class QComboBox;
class QCustomPlot;
class QLabel;

namespace fewdata {

class StudyPlotView : public QWidget {
    Q_OBJECT
public:
    explicit StudyPlotView(QWidget* parent = nullptr);
    void setRows(const std::vector<MethodRow>& rows);  // redraws
    void setKind(StudyPlotKind kind);
    StudyPlotKind kind() const;
    PlotContent content() const { return content_; }
    QCustomPlot* plot() const { return plot_; }
    // Writes the figure shown to a new file (.png or .pdf); the error, or empty.
    QString saveTo(const QString& path);

private:
    void redraw();
    void saveAs(const QString& suffix);

    QComboBox* kind_;
    QCustomPlot* plot_;
    QLabel* status_;
    std::vector<MethodRow> rows_;
    PlotContent content_;
    bool grid_ = false;  // the rows shown hold more than one K
};

}  // namespace fewdata
