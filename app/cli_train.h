// `fewdata-cli train`: flags over a config file, one run, a progress line per epoch.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

namespace fewdata {

struct TrainCommand {
    std::string configFile;
    std::string out;
    nlohmann::json overrides = nlohmann::json::object();  // flags given on the command line
};

// Registers the subcommand; its flags write into `cmd`.
CLI::App* addTrainCommand(CLI::App& app, TrainCommand& cmd);

// Exit code: 0 finished, 2 bad input, 3 training failed, 4 cancelled.
int runTrainCommand(const TrainCommand& cmd, const std::atomic<bool>& cancel);

}  // namespace fewdata
