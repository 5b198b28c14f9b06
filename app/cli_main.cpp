// fewdata-cli: the workbench's engine without a window, for scripts, servers and CI.
#include <csignal>
#include <cstdio>

#include "cli_compare.h"
#include "cli_plot.h"
#include "cli_status.h"
#include "cli_submission.h"
#include "cli_train.h"
#include "cli_tune.h"
#include "version_text.h"

namespace {

std::atomic<bool> gCancel{false};

extern "C" void onInterrupt(int sig) {
    gCancel.store(true);
    // A second Ctrl-C ends the process at once. A TERM or USR1 only asks for the stop: Slurm
    // may send both to a job it stops (USR1 before the time limit, TERM at preemption or
    // requeue), and the second must not cut the checkpoint short.
    if (sig == SIGINT) std::signal(SIGINT, SIG_DFL);
}

}  // namespace

int main(int argc, char** argv) {
    // A reader that goes away (`| head -1`) must not kill a training: a failed write to stdout
    // only stops the printing (CliProgress), the run ends as it would have.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{
        "FewData Workbench command line: image classification from a few images per class"};
    app.require_subcommand(1);
    // CLI11 answers it before it asks for a subcommand: `fewdata-cli --version` exits 0.
    app.set_version_flag("--version", fewdata::versionText("fewdata-cli"),
                         "Print the version and the LibTorch it runs on, then exit");
    fewdata::TrainCommand train;
    train.argv.assign(argv, argv + argc);
    CLI::App* trainCmd = fewdata::addTrainCommand(app, train);
    fewdata::CompareCommand compare;
    CLI::App* compareCmd = fewdata::addCompareCommand(app, compare);
    fewdata::TuneCommand tune;
    CLI::App* tuneCmd = fewdata::addTuneCommand(app, tune);
    fewdata::ExportCommand exportArgs;
    CLI::App* exportCmd = fewdata::addExportCommand(app, exportArgs);
    fewdata::PredictCommand predict;
    CLI::App* predictCmd = fewdata::addPredictCommand(app, predict);
    fewdata::ScoreCommand score;
    CLI::App* scoreCmd = fewdata::addScoreCommand(app, score);
    fewdata::StatusCommand status;
    CLI::App* statusCmd = fewdata::addStatusCommand(app, status);
    fewdata::PlotCommand plot;
    CLI::App* plotCmd = fewdata::addPlotCommand(app, plot);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    // Commands that check for a cancel stop at their next step and keep what they wrote; the
    // others (export, score, plot) keep the default, so a signal ends them at once.
    if (trainCmd->parsed() || compareCmd->parsed() || tuneCmd->parsed() || predictCmd->parsed()) {
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        std::signal(SIGUSR1, onInterrupt);  // Slurm's warning before a time limit
    }
    if (trainCmd->parsed()) return fewdata::runTrainCommand(train, gCancel);
    if (compareCmd->parsed()) return fewdata::runCompareCommand(compare, gCancel);
    if (tuneCmd->parsed()) return fewdata::runTuneCommand(tune, gCancel);
    if (exportCmd->parsed()) return fewdata::runExportCommand(exportArgs);
    if (predictCmd->parsed()) return fewdata::runPredictCommand(predict, gCancel);
    if (scoreCmd->parsed()) return fewdata::runScoreCommand(score);
    if (statusCmd->parsed()) return fewdata::runStatusCommand(status);
    if (plotCmd->parsed()) return fewdata::runPlotCommand(plot, argc, argv);
    return 2;
}
