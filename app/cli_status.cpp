#include "cli_status.h"

#include <cstdio>
#include <map>

#include "cli_train.h"
#include "core/base/errors.h"
#include "core/run/study.h"

namespace fewdata {

CLI::App* addStatusCommand(CLI::App& app, StatusCommand& cmd) {
    CLI::App* sub = app.add_subcommand(
        "status",
        "Where a study folder stands: a summary line, then per planned run its index, method, "
        "K, seed, state (done, running, failed, pending, interrupted) and folder, tab-separated");
    sub->add_option("dir", cmd.dir, "The study folder (compare --out), holding plan.json")
        ->required();
    return sub;
}

int runStatusCommand(const StatusCommand& cmd) {
    try {
        const auto spec = readStudySpec(cmd.dir);
        if (!spec)
            throw InputError("'" + cmd.dir + "' has no " + kStudyPlanFile +
                             ": not a study folder (compare --out writes one)");
        const std::vector<PlannedRun> plan = planStudy(*spec, cmd.dir);
        std::vector<CellState> states;
        std::map<CellState, int> count;
        for (const PlannedRun& run : plan) {
            states.push_back(cellState(run));
            ++count[states.back()];
        }
        // The summary first, so `| head -1` is enough to watch a study.
        std::printf("%s: %zu runs: %d done, %d running, %d failed, %d pending, %d interrupted\n",
                    cmd.dir.c_str(), plan.size(), count[CellState::Done],
                    count[CellState::Running], count[CellState::Failed],
                    count[CellState::Pending], count[CellState::Interrupted]);
        for (size_t i = 0; i < plan.size(); ++i)
            std::printf("%zu\t%s\t%d\t%d\t%s\t%s\n", i, plan[i].method.c_str(), plan[i].perClass,
                        plan[i].seed, cellStateName(states[i]), plan[i].dir.c_str());
        return 0;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

}  // namespace fewdata
