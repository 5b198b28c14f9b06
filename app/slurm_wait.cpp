#include "slurm_wait.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <thread>

#include "child_process.h"
#include "core/base/errors.h"
#include "core/run/study.h"
#include "slurm_submit.h"

namespace fewdata {
namespace {

struct Tally {
    size_t settled = 0, inQueue = 0;
    std::vector<std::vector<size_t>> left;  // per study: runs neither settled nor in the queue
    std::string error;                      // squeue's, when the queue could not be read
    std::map<std::string, int> pending;     // why tasks wait: Slurm's reason -> tasks
};

Tally tally(const std::vector<WaitedStudy>& studies) {
    Tally t;
    std::vector<std::string> dirs;
    for (const WaitedStudy& s : studies) dirs.push_back(s.dir);
    const std::vector<SlurmView> views = slurmViews(dirs);
    for (size_t k = 0; k < studies.size(); ++k) {
        const SlurmView& view = views[k];
        if (!view.error.empty()) t.error = view.error;
        std::vector<size_t> left;
        for (size_t i = 0; i < studies[k].plan.size(); ++i) {
            const auto task = view.runs.find(i);
            if (task != view.runs.end()) {
                ++t.inQueue;
                if (task->second.state == "PENDING") ++t.pending[task->second.reason];
                continue;
            }
            // One read of the folder per run and poll: a run read twice could change between.
            const CellState state = cellState(studies[k].plan[i]);
            if (state == CellState::Running)
                ++t.inQueue;
            else if (stillToSubmit(studies[k].plan[i], state))
                left.push_back(i);
            else
                ++t.settled;
        }
        t.left.push_back(std::move(left));
    }
    return t;
}

// Sleeps `seconds`, a tenth of a second at a time, so a cancel is not kept waiting.
void pause(int seconds, const std::atomic<bool>& cancel) {
    for (int i = 0; i < seconds * 10; ++i) {
        if (cancel.load()) throw Cancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace

void runStudiesOnSlurm(const std::vector<WaitedStudy>& studies, const SlurmOptions& options,
                       int pollSeconds, int resubmits, const std::string& label,
                       const std::atomic<bool>& cancel) {
    if (!onPath("squeue"))
        throw InputError(
            "--backend slurm: squeue is not on the PATH (Slurm's client commands "
            "are needed on the machine that waits for the jobs)");
    size_t total = 0;
    for (const WaitedStudy& s : studies) total += s.plan.size();
    int submissions = 0;
    std::string said;
    for (;;) {
        if (cancel.load()) throw Cancelled();
        const Tally t = tally(studies);
        std::string now;
        if (t.settled == total) {
            return;  // every run's folder says so, whatever the queue
        } else if (!t.error.empty()) {
            // Nothing is known of the jobs this time: neither gone nor there.
            now = t.error + "; reading the queue again in " + std::to_string(pollSeconds) + " s";
        } else if (t.inQueue == 0) {
            // Nothing of ours in the queue and runs still to do: (re)submit them.
            const size_t left = total - t.settled;
            if (submissions > resubmits) {
                std::string names;
                for (size_t k = 0; k < studies.size(); ++k)
                    for (size_t i : t.left[k]) names += "\n  " + studies[k].plan[i].dir;
                throw std::runtime_error(label + std::to_string(left) +
                                         " run(s) left Slurm's queue unfinished " +
                                         std::to_string(submissions) +
                                         " times (their logs are in each study's "
                                         "slurm/<n>/logs/):" +
                                         names + "\nrerun the same command to continue");
            }
            ++submissions;
            for (size_t k = 0; k < studies.size(); ++k) {
                if (t.left[k].empty()) continue;
                const SlurmSubmission sub = submitToSlurm(studies[k].plan, t.left[k], options,
                                                          studies[k].dir, selfExecutable());
                std::string ids;
                for (const SubmittedJob& j : sub.jobs)
                    if (j.name != "table") ids += (ids.empty() ? "" : ", ") + j.jobId;
                std::printf("%ssubmitted %zu run(s) of %s to Slurm (job %s)\n", label.c_str(),
                            t.left[k].size(), studies[k].dir.c_str(), ids.c_str());
            }
            std::fflush(stdout);
            pause(pollSeconds, cancel);
            continue;
        } else {
            now = std::to_string(t.settled) + " of " + std::to_string(total) +
                  " run(s) done or failed, " + std::to_string(t.inQueue) +
                  " in Slurm's queue or running";
            std::string why;
            for (const auto& [reason, n] : t.pending)
                why += (why.empty() ? "" : ", ") + reason + " x" + std::to_string(n);
            if (!why.empty()) now += " (pending: " + why + ")";
        }
        if (now != said) {
            std::printf("%s%s\n", label.c_str(), now.c_str());
            std::fflush(stdout);
            said = now;
        }
        pause(pollSeconds, cancel);
    }
}

}  // namespace fewdata
