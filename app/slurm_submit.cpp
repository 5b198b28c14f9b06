#include "slurm_submit.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "child_process.h"
#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/base/file_read.h"
#include "core/run/study.h"

namespace fs = std::filesystem;

namespace fewdata {
namespace {

constexpr const char* kJobsFile = "jobs.json";

// <study>/slurm/<n>, the first n free; created here, so two submissions never share one.
fs::path newScriptDir(const fs::path& studyDir) {
    const fs::path base = studyDir / "slurm";
    fs::create_directories(base);
    for (int n = 1;; ++n) {
        const fs::path dir = base / std::to_string(n);
        if (fs::create_directory(dir)) {
            fs::create_directory(dir / "logs");
            return dir;
        }
    }
}

std::string trimmed(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    return s;
}

std::vector<fs::path> submissionDirs(const fs::path& studyDir) {
    std::vector<std::pair<int, fs::path>> numbered;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(studyDir / "slurm", ec)) {
        const std::string name = e.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos ||
            name.size() > 6)
            continue;
        numbered.emplace_back(std::stoi(name), e.path());
    }
    std::sort(numbered.begin(), numbered.end());
    std::vector<fs::path> dirs;
    for (const auto& [n, p] : numbered) dirs.push_back(p);
    return dirs;
}

}  // namespace

bool stillToSubmit(const PlannedRun& run, CellState state) {
    return state != CellState::Done && state != CellState::Running &&
           (state != CellState::Failed || failedWriting(run.dir));
}

std::vector<size_t> runsToSubmit(const std::vector<PlannedRun>& plan, const SlurmView& queue) {
    if (!queue.error.empty())
        throw InputError(queue.error + " (Slurm's queue could not be read; try again)");
    std::vector<size_t> which;
    for (size_t i = 0; i < plan.size(); ++i) {
        if (queue.runs.count(i)) continue;  // submitted before and still in the queue
        if (stillToSubmit(plan[i], cellState(plan[i]))) which.push_back(i);
    }
    return which;
}

SlurmSubmission submitToSlurm(const std::vector<PlannedRun>& plan,
                              const std::vector<size_t>& which, const SlurmOptions& options,
                              const std::string& studyDirText, const std::string& cli) {
    if (!onPath("sbatch"))
        throw InputError("--backend slurm: sbatch is not on the PATH (Slurm's client commands "
                         "are needed on the machine that submits)");
    const fs::path studyDir = fs::absolute(studyDirText).lexically_normal();
    // The folder is only made once the scripts are known to be writable text.
    slurmJobs(plan, which, options, studyDir.string(), (studyDir / "slurm" / "0").string(), cli);
    const fs::path scriptDir = newScriptDir(studyDir);
    const std::vector<SlurmJob> jobs =
        slurmJobs(plan, which, options, studyDir.string(), scriptDir.string(), cli);
    for (const SlurmJob& job : jobs)
        writeNewFileAtomically((scriptDir / (job.name + ".sbatch")).string(), job.text);

    SlurmSubmission done{scriptDir.string(), {}};
    auto cancelSubmitted = [&] {
        std::vector<std::string> argv{"scancel"};
        for (const SubmittedJob& j : done.jobs) argv.push_back(j.jobId);
        if (argv.size() > 1) runProgram(argv);
    };
    nlohmann::json record = {{"format", 1}, {"jobs", nlohmann::json::array()}};
    for (const SlurmJob& job : jobs) {
        std::vector<std::string> argv{"sbatch", "--parsable"};
        if (job.afterCorresponding >= 0)
            argv.push_back("--dependency=aftercorr:" + done.jobs.at(job.afterCorresponding).jobId);
        if (job.tasks.empty() && !done.jobs.empty()) {
            std::string ids;
            for (const SubmittedJob& j : done.jobs) ids += ":" + j.jobId;
            argv.push_back("--dependency=afterany" + ids);
        }
        const std::string script = (scriptDir / (job.name + ".sbatch")).string();
        argv.push_back(script);
        const ProgramResult r = runProgram(argv);
        // --parsable prints "<id>" or "<id>;<cluster>".
        const std::string id = trimmed(r.out.substr(0, r.out.find(';')));
        if (r.exitCode != 0 || id.empty() ||
            id.find_first_not_of("0123456789") != std::string::npos) {
            cancelSubmitted();
            throw InputError("sbatch refused " + script + ": " +
                             trimmed(r.err.empty() ? r.out : r.err) +
                             (done.jobs.empty() ? "" : " (the jobs submitted before it were cancelled)"));
        }
        done.jobs.push_back({job.name, id});
        nlohmann::json tasks = nlohmann::json::object();
        for (const auto& [task, index] : job.tasks) tasks[std::to_string(task)] = index;
        record["jobs"].push_back(
            {{"name", job.name}, {"job_id", id}, {"script", job.name + ".sbatch"}, {"tasks", tasks}});
    }
    writeNewFileAtomically((scriptDir / kJobsFile).string(), record.dump(2) + "\n");
    return done;
}

namespace {

// The jobs a study's submissions recorded: "<job>_<task>" -> plan index, and the table jobs.
struct RecordedJobs {
    std::map<std::string, size_t> indexOf;
    std::set<std::string> tables;
    std::vector<std::string> ids;
};

RecordedJobs recordedJobs(const std::string& studyDir) {
    RecordedJobs jobs;
    for (const fs::path& dir : submissionDirs(studyDir)) {
        nlohmann::json record;
        try {
            record = readJsonFile((dir / kJobsFile).string());
        } catch (const std::exception&) {
            continue;  // a submission that failed midway wrote none
        }
        if (!record.is_object() || !record["jobs"].is_array()) continue;
        for (const auto& job : record["jobs"]) {
            if (!job.is_object() || !job.value("job_id", nlohmann::json()).is_string()) continue;
            const std::string id = job["job_id"].get<std::string>();
            jobs.ids.push_back(id);
            if (job.value("name", "") == "table") jobs.tables.insert(id);
            if (!job.contains("tasks") || !job["tasks"].is_object()) continue;
            for (const auto& [task, index] : job["tasks"].items())
                if (index.is_number_unsigned()) jobs.indexOf[id + "_" + task] = index.get<size_t>();
        }
    }
    return jobs;
}

}  // namespace

std::vector<SlurmView> slurmViews(const std::vector<std::string>& studyDirs) {
    std::vector<SlurmView> views(studyDirs.size());
    std::vector<RecordedJobs> recorded;
    std::map<std::string, size_t> studyOf;  // job id -> study (Slurm's ids are cluster-wide)
    std::string ids;
    for (size_t k = 0; k < studyDirs.size(); ++k) {
        recorded.push_back(recordedJobs(studyDirs[k]));
        for (const std::string& id : recorded.back().ids) {
            studyOf[id] = k;
            ids += (ids.empty() ? "" : ",") + id;
        }
    }
    if (ids.empty() || !onPath("squeue")) return views;
    const ProgramResult r = runProgram({"squeue", "-h", "-r", "-j", ids, "-o", "%i|%T|%r"});
    for (auto& [id, k] : studyOf) views[k].queried = true;
    if (r.exitCode != 0) {
        // "Invalid job id": every job left the queue, squeue knows none of them. Anything
        // else (the controller did not answer) says nothing of the jobs.
        if (r.err.find("Invalid job id") == std::string::npos)
            for (auto& [id, k] : studyOf)
                views[k].error = "squeue: " + trimmed(r.err.empty() ? r.out : r.err);
        return views;
    }
    // By study, plan index -> (job id, state); job ids grow with each submission: the highest
    // is the latest.
    std::vector<std::map<size_t, std::pair<std::string, SlurmTaskState>>> latest(studyDirs.size());
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        SlurmTaskState s;
        std::getline(fields, s.jobId, '|');
        std::getline(fields, s.state, '|');
        std::getline(fields, s.reason, '|');
        const std::string job = s.jobId.substr(0, s.jobId.find('_'));
        const auto study = studyOf.find(job);
        if (study == studyOf.end()) continue;
        const RecordedJobs& jobs = recorded[study->second];
        if (jobs.tables.count(s.jobId)) {
            views[study->second].tables.push_back(s);
            continue;
        }
        const auto it = jobs.indexOf.find(s.jobId);
        if (it == jobs.indexOf.end()) continue;
        auto& slot = latest[study->second][it->second];
        if (slot.first.empty() || std::stoull(s.jobId) > std::stoull(slot.first))
            slot = {s.jobId, s};
    }
    for (size_t k = 0; k < views.size(); ++k)
        for (auto& [index, entry] : latest[k]) views[k].runs[index] = entry.second;
    return views;
}

SlurmView slurmView(const std::string& studyDir) {
    return slurmViews({studyDir}).front();
}

}  // namespace fewdata
