#include "cli_plot.h"

#include <qcustomplot.h>

#include <QApplication>
#include <filesystem>

#include "cli_train.h"
#include "core/base/errors.h"
#include "core/results/results.h"
#include "study_plots.h"

namespace fewdata {

int runPlotCommand(const PlotCommand& cmd, int argc, char** argv) {
    try {
        const StudyPlotKind kind = studyPlotKind(cmd.kind);
        if (!std::filesystem::is_directory(cmd.dir))
            throw InputError("'" + cmd.dir + "' is not a folder of runs");
        // No display is needed to draw a file.
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication qt(argc, argv);
        const RunScan scan = scanRuns(cmd.dir);
        const std::vector<MethodRow> rows = aggregate(scan.runs);
        QCustomPlot plot;
        plot.resize(cmd.width, cmd.height);
        const PlotContent content = drawStudyPlot(plot, kind, rows);
        if (content.points == 0)
            throw InputError("'" + cmd.dir + "' has nothing to plot as " + cmd.kind +
                             (kind == StudyPlotKind::LearningCurve
                                  ? " (it needs finished runs at more than one K)"
                                  : " (no finished runs)"));
        const QString error = saveStudyPlot(plot, QString::fromStdString(cmd.output), cmd.width,
                                            cmd.height);
        if (!error.isEmpty()) throw InputError(error.toStdString());
        std::printf("wrote %s: %d series, %d points, %zu runs (%zu left out)\n",
                    cmd.output.c_str(), content.series, content.points, scan.runs.size(),
                    scan.problems.size());
        return 0;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

}  // namespace fewdata
