// `fewdata-cli compare` (methods x seeds, resumable) and `fewdata-cli export` (result tables).
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <string>
#include <vector>

#include "cli_train.h"
#include "core/run/comparison.h"
#include "slurm_scripts.h"

namespace fewdata {

struct CompareCommand {
    TrainCommand train;   // the config flags; train.out is the comparison folder
    std::string methods;  // empty: the preset's, else baseline
    std::string preset;
    std::string perClass;  // a K list, "5,10,20,50"; empty: the config's per_class
    int seeds = 3;
    bool seedsGiven = false;  // --task refuses it: the plan says
    bool listPresets = false;
    bool planOnly = false;  // print the plan and write plan.json, run nothing
    int task = -1;          // >= 0: run entry `task` of <out>/plan.json alone
    std::string backend = "local";  // local | slurm
    SlurmOptions slurm;
    bool slurmFlagGiven = false;
    // --ablate: variants of the recipe, each "key=value[,key=value]"; the study then runs
    // into <out>/reference and <out>/<variant> (run/ablation_plan.h).
    std::vector<std::string> ablate;
};

struct ExportCommand {
    std::string dir;
    std::string format = "md";
    std::string output;  // empty: stdout
    std::string reference;  // the ablation's reference folder; empty: <dir>/ablation.json's
};

CLI::App* addCompareCommand(CLI::App& app, CompareCommand& cmd);
CLI::App* addExportCommand(CLI::App& app, ExportCommand& cmd);
// Exit codes as train: 0 all runs done, 2 bad input, 3 a run failed, 4 cancelled.
int runCompareCommand(const CompareCommand& cmd, const std::atomic<bool>& cancel);
int runExportCommand(const ExportCommand& cmd);

// --backend, --partition, --time, --cpus-per-task, --gpus-per-task, --max-parallel,
// --signal-before and --sbatch-arg (group "scale-out"); `slurmFlagGiven` set by any but the
// first.
void addSlurmFlags(CLI::App* sub, std::string& backend, SlurmOptions& slurm, bool& slurmFlagGiven,
                   const std::string& backendHelp);
// InputError for a backend other than local or slurm, or Slurm's flags without slurm.
void checkBackendFlags(const std::string& backend, bool slurmFlagGiven);

// Trains the entries `todo` of `plan` here, one after another, as a local compare does: each
// kept when done, resumed when interrupted, passed over and waited for while another process
// holds it. 0 all done, 3 a run failed, 4 cancelled; throws InputError for bad input found
// before anything was written. A local `fewdata-cli tune` runs its rungs through it.
int runPlannedHere(const std::vector<PlannedRun>& plan, std::vector<size_t> todo,
                   const std::atomic<bool>& cancel, bool showTest = true);

}  // namespace fewdata
