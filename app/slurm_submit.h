// Hands a study to Slurm (sbatch) and reads back what Slurm says of it (squeue). Each
// submission keeps its scripts, logs and job ids in <study>/slurm/<n>/ (n = 1, 2, ...), so a
// later submission never overwrites an earlier one's.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/run/study.h"
#include "slurm_scripts.h"

namespace fewdata {

struct SubmittedJob {
    std::string name;
    std::string jobId;
};
struct SlurmSubmission {
    std::string scriptDir;
    std::vector<SubmittedJob> jobs;
};

// Writes the scripts of slurmJobs and <scriptDir>/jobs.json, then submits them in order with
// `sbatch --parsable` and their dependencies; the tasks call `cli` (fewdata-cli). InputError
// naming the script when sbatch is missing or refuses one; the jobs already submitted are then
// cancelled (scancel). Blocks while sbatch runs: not for the GUI thread.
SlurmSubmission submitToSlurm(const std::vector<PlannedRun>& plan,
                              const std::vector<size_t>& which, const SlurmOptions& options,
                              const std::string& studyDir, const std::string& cli);

struct SlurmTaskState {
    std::string jobId;   // "<array job>_<task>", or the job id
    std::string state;   // PENDING, RUNNING, ... as squeue prints it
    std::string reason;  // squeue's reason (Dependency, BeginTime, ...), "None" when running
};
struct SlurmView {
    bool queried = false;  // squeue was on the PATH and the study had submissions
    std::string error;     // squeue failed for another reason than knowing none of the jobs
    std::map<size_t, SlurmTaskState> runs;  // plan index -> its latest submission's task
    std::vector<SlurmTaskState> tables;     // table jobs still in the queue
};
// What Slurm's queue holds of the study's submissions; tasks that left the queue are absent.
SlurmView slurmView(const std::string& studyDir);
// The same for several studies with one squeue call.
std::vector<SlurmView> slurmViews(const std::vector<std::string>& studyDirs);

// The plan entries a submission sends now: not done, not failed (unless for want of disk),
// not held by a running process, not waiting or running in Slurm's queue (`queue`, from
// slurmView) after an earlier submission.
// InputError when `queue` could not be read (its error): everything would look gone.
std::vector<size_t> runsToSubmit(const std::vector<PlannedRun>& plan, const SlurmView& queue);
// Whether a run out of the queue, in `state`, is one runsToSubmit sends.
bool stillToSubmit(const PlannedRun& run, CellState state);

}  // namespace fewdata
