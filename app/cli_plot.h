// `fewdata-cli plot DIR --kind methods|learning-curve --output FILE.png|.pdf`: the Results
// page's figures without a display (Qt offscreen), for a paper or a CI job.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace fewdata {

struct PlotCommand {
    std::string dir;
    std::string kind = "methods";
    std::string output;
    int width = 900, height = 560;
};

CLI::App* addPlotCommand(CLI::App& app, PlotCommand& cmd);
// 0 written; 2 bad input, a file that exists or cannot be written, or a build without Qt.
int runPlotCommand(const PlotCommand& cmd, int argc, char** argv);

}  // namespace fewdata
