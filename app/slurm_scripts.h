// A study as Slurm batch scripts: one job array for the runs that train on images, one per
// method on cached features (each task waiting for the same seed's image run through
// --dependency=aftercorr, the array task ids being the image runs' plan indices), and a last
// job that writes the table. Every task runs `fewdata-cli compare --task i --out DIR`, so the
// scripts hold no logic a rerun by hand would miss.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/run/comparison.h"

namespace fewdata {

struct SlurmOptions {
    std::string partition;  // empty: the cluster's default
    std::string time;       // sbatch --time (e.g. 2:00:00); empty: the partition's limit
    int cpusPerTask = 1;    // also the run's --threads
    int gpusPerTask = 0;
    int maxParallel = 0;     // the array's %N; 0: as many as Slurm gives
    int signalSeconds = 300; // USR1 this long before the time limit: checkpoint and requeue
    std::vector<std::string> extra;  // sbatch options passed through, one #SBATCH line each
    // The last job, writing the study's table.md. Tune leaves it out: a search shows no
    // test figure but the chosen recipe's.
    bool tableJob = true;
};
// InputError naming the option and value.
void checkSlurmOptions(const SlurmOptions& o);

struct SlurmJob {
    std::string name;  // "runs", "features-<method>", "table"
    std::string text;  // the batch script
    // Array task id -> plan index; empty for the table job (no array).
    std::map<size_t, size_t> tasks;
    // The job whose tasks this array's tasks wait for one by one (aftercorr), -1 for none; the
    // table job waits for every other job to end (afterany).
    int afterCorresponding = -1;
};

// The jobs for the entries `which` of `plan` (the ones to run now; a method on cached features
// whose image run is not among them runs in the first array, its features being there).
// `studyDir` (the study), `scriptDir` (where the scripts and their logs go) and `cli` are
// absolute. InputError for a folder Slurm's #SBATCH lines cannot carry (whitespace, quotes,
// '%', '\\').
std::vector<SlurmJob> slurmJobs(const std::vector<PlannedRun>& plan,
                                const std::vector<size_t>& which, const SlurmOptions& options,
                                const std::string& studyDir, const std::string& scriptDir,
                                const std::string& cli);

// 'text' for a POSIX shell, quotes inside escaped.
std::string shellQuoted(const std::string& text);

}  // namespace fewdata
