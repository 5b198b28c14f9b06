// Studies handed to Slurm and waited for, for a command that needs their figures before it
// goes on (tune's rungs): what compare --backend slurm submits, but the caller blocks.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "core/run/comparison.h"
#include "slurm_scripts.h"

namespace fewdata {

struct WaitedStudy {
    std::string dir;               // the study folder (its plan.json recorded)
    std::vector<PlannedRun> plan;  // planStudy of it
};

// Submits each study's runs still to do (runsToSubmit: not done, failed, running or queued)
// and reads the queue (one squeue for all studies) and the run folders every `pollSeconds`
// until each run is done or failed. Runs that leave Slurm's queue unfinished (a task killed
// without a requeue) are submitted again, at most `resubmits` times in all; then
// std::runtime_error names them. A read of the queue that fails (the controller did not
// answer) is said and waited out, never taken for jobs gone. Prints a line per submission and
// one whenever the counts or the pending tasks' reasons change, each starting with `label`.
// Throws Cancelled when `cancel` is set (the jobs stay in Slurm; a rerun finds them there) and
// InputError when sbatch or squeue is missing or sbatch refuses.
void runStudiesOnSlurm(const std::vector<WaitedStudy>& studies, const SlurmOptions& options,
                       int pollSeconds, int resubmits, const std::string& label,
                       const std::atomic<bool>& cancel);

}  // namespace fewdata
