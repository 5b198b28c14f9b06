// `fewdata-cli tune`: random search with successive halving over a method's recipe, scored on
// validation accuracy over seeds, run here through compare's runner or, rung by rung, on Slurm.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <string>

#include "cli_train.h"
#include "slurm_scripts.h"

namespace fewdata {

struct TuneCommand {
    TrainCommand train;  // the recipe flags; train.out is the tune folder
    std::string space;
    int trials = 0;
    int seeds = 1;
    int eta = 3;
    int rungs = 0;  // 0: defaultRungs(trials, eta)
    uint64_t searchSeed = 0;
    std::string backend = "local";  // local | slurm: each rung's runs as Slurm job arrays
    SlurmOptions slurm;
    bool slurmFlagGiven = false;
    int pollSeconds = 30;  // slurm: how often the queue and the run folders are read
};

CLI::App* addTuneCommand(CLI::App& app, TuneCommand& cmd);
// Exit codes: 0 the search finished with a chosen recipe, 2 bad input, 3 every trial of the
// last rung failed (or a file could not be written), 4 cancelled.
int runTuneCommand(const TuneCommand& cmd, const std::atomic<bool>& cancel);

}  // namespace fewdata
