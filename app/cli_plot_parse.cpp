#include "cli_plot.h"

namespace fewdata {

CLI::App* addPlotCommand(CLI::App& app, PlotCommand& cmd) {
    CLI::App* sub = app.add_subcommand(
        "plot", "Draw the study under DIR as PNG or PDF: accuracy per method or learning curves");
    sub->add_option("dir", cmd.dir, "A comparison folder or any folder of run folders")->required();
    sub->add_option("--kind", cmd.kind, "methods (default) or learning-curve");
    sub->add_option("--output", cmd.output, "FILE.png or FILE.pdf (never overwritten)")
        ->required();
    sub->add_option("--width", cmd.width, "Width in pixels (PDF: points), default 900")
        ->check(CLI::Range(200, 8000));
    sub->add_option("--height", cmd.height, "Height in pixels (PDF: points), default 560")
        ->check(CLI::Range(150, 8000));
    return sub;
}

}  // namespace fewdata
