#include "cli_status.h"

#include <cstdio>
#include <filesystem>
#include <map>

#include "cli_train.h"
#include "core/base/errors.h"
#include "core/run/ablation_plan.h"
#include "core/run/study.h"
#include "slurm_submit.h"

namespace fewdata {

CLI::App* addStatusCommand(CLI::App& app, StatusCommand& cmd) {
    CLI::App* sub = app.add_subcommand(
        "status",
        "Where a study folder stands: a summary line, then per planned run its index, method, "
        "K, seed, state (done, running, failed, pending, interrupted) and folder, tab-separated; "
        "for a study submitted with --backend slurm, where squeue is on the PATH, Slurm's job "
        "id, state and reason follow in three more columns");
    sub->add_option("dir", cmd.dir,
                    "The study folder (compare --out), holding plan.json; or an ablation "
                    "(compare --ablate), each of its studies in turn")
        ->required();
    return sub;
}

namespace {

// A study's summary line, then one line per planned run.
void printStudy(const std::string& dir, const StudySpec& spec) {
    const std::vector<PlannedRun> plan = planStudy(spec, dir);
    std::vector<CellState> states;
    std::map<CellState, int> count;
    for (const PlannedRun& run : plan) {
        states.push_back(cellState(run));
        ++count[states.back()];
    }
    const SlurmView slurm = slurmView(dir);
    // The summary first, so `| head -1` is enough to watch a study.
    std::printf("%s: %zu runs: %d done, %d running, %d failed, %d pending, %d interrupted",
                dir.c_str(), plan.size(), count[CellState::Done], count[CellState::Running],
                count[CellState::Failed], count[CellState::Pending],
                count[CellState::Interrupted]);
    if (!slurm.error.empty()) {
        std::printf("; Slurm's queue could not be read (%s)", slurm.error.c_str());
    } else if (slurm.queried) {
        std::map<std::string, int> queued;
        for (const auto& [index, task] : slurm.runs) ++queued[task.state];
        std::string text;
        for (const auto& [state, n] : queued)
            text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + state;
        std::printf("; in Slurm's queue: %s", text.empty() ? "none" : text.c_str());
        for (const SlurmTaskState& t : slurm.tables)
            std::printf("; table job %s %s", t.jobId.c_str(), t.state.c_str());
    }
    std::printf("\n");
    for (size_t i = 0; i < plan.size(); ++i) {
        std::printf("%zu\t%s\t%d\t%d\t%s\t%s", i, plan[i].method.c_str(), plan[i].perClass,
                    plan[i].seed, cellStateName(states[i]), plan[i].dir.c_str());
        const auto task = slurm.runs.find(i);
        if (task != slurm.runs.end())
            std::printf("\t%s\t%s\t%s", task->second.jobId.c_str(),
                        task->second.state.c_str(), task->second.reason.c_str());
        std::printf("\n");
    }
}

}  // namespace

int runStatusCommand(const StatusCommand& cmd) {
    try {
        // An ablation (compare --ablate): its reference's study, then each variant's.
        if (const auto ablation = readAblationPlan(cmd.dir)) {
            std::vector<std::string> folders{ablation->reference};
            for (const auto& v : ablation->variants) folders.push_back(v.folder);
            for (const auto& folder : folders) {
                const std::string dir = (std::filesystem::path(cmd.dir) / folder).string();
                if (const auto spec = readStudySpec(dir))
                    printStudy(dir, *spec);
                else
                    std::printf("%s: no %s yet\n", dir.c_str(), kStudyPlanFile);
            }
            return 0;
        }
        const auto spec = readStudySpec(cmd.dir);
        if (!spec)
            throw InputError("'" + cmd.dir + "' has no " + kStudyPlanFile + " or " +
                             kAblationFile + ": not a study folder (compare --out writes one)");
        printStudy(cmd.dir, *spec);
        return 0;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

}  // namespace fewdata
