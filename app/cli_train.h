// `fewdata-cli train`: flags over a config file, one run, a progress line per epoch.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/run/train_job.h"

namespace fewdata {

struct TrainCommand {
    std::string configFile;
    std::string out;
    std::string resume;                                   // an unfinished run folder to continue
    nlohmann::json overrides = nlohmann::json::object();  // flags given on the command line
    int nproc = 1;           // > 1: start this many ranks of one data-parallel run here
    int rankTimeout = 120;   // seconds a rank waits for the others before the run fails
    std::vector<std::string> argv;  // this process's arguments, for the ranks --nproc starts
};

// The config flags shared by train and compare (--config, --dataset, --epochs, ...).
void addConfigFlags(CLI::App* sub, TrainCommand& cmd);
// "--device, --threads, ... and --checkpoint-seconds": what a resume may change.
std::string resumableFlagsText();
// Registers the subcommand; its flags write into `cmd`.
CLI::App* addTrainCommand(CLI::App& app, TrainCommand& cmd);
// The config file and flags merged over `base` (a preset's keys) and validated; throws
// InputError naming a bad key. Threads beyond the machine's cores are capped, with a note.
TrainConfig configFrom(const TrainCommand& cmd,
                       const nlohmann::json& base = nlohmann::json::object());
DatasetOpener datasetOpener();
// Prints "error: ..." to stderr; returns the exit code: 2 for bad input, 3 for anything else.
int reportError(const std::exception& e);

// Exit code: 0 finished, 2 bad input, 3 training failed, 4 cancelled.
int runTrainCommand(const TrainCommand& cmd, const std::atomic<bool>& cancel);

}  // namespace fewdata
