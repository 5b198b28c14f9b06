#include "slurm_scripts.h"

#include <algorithm>
#include <sstream>

#include "core/base/errors.h"

namespace fewdata {
namespace {

constexpr int kMaxRequeues = 20;

// #SBATCH lines are split by sbatch itself, not by a shell: a path there must need no quoting.
void checkSbatchPath(const std::string& path, const char* what) {
    for (char c : path)
        if (std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '"' || c == '%' ||
            c == '\\')
            throw InputError(std::string("--backend slurm: the ") + what + " '" + path +
                             "' holds a space, quote, '%' or backslash, which Slurm's #SBATCH "
                             "lines cannot carry; choose a plainer folder");
}

std::string header(const std::string& name, const SlurmOptions& o, const std::string& scriptDir,
                   bool array) {
    std::ostringstream s;
    s << "#SBATCH --job-name=fewdata-" << name << "\n";
    s << "#SBATCH --output=" << scriptDir << "/logs/" << name << (array ? "-%A_%a" : "-%j")
      << ".out\n";
    s << "#SBATCH --open-mode=append\n";  // a requeued task adds to its log
    if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << "\n";
    if (!o.time.empty()) s << "#SBATCH --time=" << o.time << "\n";
    for (const std::string& e : o.extra) s << "#SBATCH " << e << "\n";
    return s.str();
}

std::string arrayList(const std::map<size_t, size_t>& tasks, int maxParallel) {
    std::string list;
    for (const auto& [task, index] : tasks)
        list += (list.empty() ? "" : ",") + std::to_string(task);
    if (maxParallel > 0) list += "%" + std::to_string(maxParallel);
    return list;
}

// The task body: the run in the background, so the USR1 Slurm sends this shell before the time
// limit (--signal=B:USR1) reaches it; it checkpoints at its next batch and exits 4, and the
// task requeues itself to resume there. A TERM (preemption, scontrol requeue, scancel) reaches
// every process of the job: the shell keeps waiting, so the run can write its checkpoint.
std::string taskBody(const std::string& indexExpr, const std::string& studyDir,
                     const std::string& cli) {
    std::ostringstream s;
    s << "set -u\n"
      << indexExpr << shellQuoted(cli) << " compare --task \"$index\" --out "
      << shellQuoted(studyDir) << " --threads \"${SLURM_CPUS_PER_TASK:-1}\" &\n"
      << "run=$!\n"
      << "limit=0\n"
      << "trap 'limit=1; kill -USR1 \"$run\"' USR1\n"
      << "trap ':' TERM\n"
      // A trapped signal ends `wait` early: wait again until the run has ended; bash keeps
      // the ended job's status for the last `wait`.
      << "while kill -0 \"$run\" 2>/dev/null; do wait \"$run\"; done\n"
      << "wait \"$run\"; rc=$?\n"
      // A run that cannot finish within the limit (no checkpoint to resume from, such as a
      // stage on cached features) must not come back forever.
      << "if [ \"$limit\" = 1 ] && [ \"$rc\" = 4 ] && [ \"${SLURM_RESTART_COUNT:-0}\" -lt "
      << kMaxRequeues
      << " ]; then\n"
      // The task by its array id: Slurm gives the array's last task the array's own job id,
      // and `scontrol requeue <that id>` would requeue every task of the array.
      << "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
      << "fi\n"
      << "exit \"$rc\"\n";
    return s.str();
}

}  // namespace

std::string shellQuoted(const std::string& text) {
    std::string q = "'";
    for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

void checkSlurmOptions(const SlurmOptions& o) {
    if (o.cpusPerTask < 1)
        throw InputError("--cpus-per-task: " + std::to_string(o.cpusPerTask) +
                         " is below 1");
    if (o.gpusPerTask < 0)
        throw InputError("--gpus-per-task: " + std::to_string(o.gpusPerTask) + " is negative");
    if (o.maxParallel < 0)
        throw InputError("--max-parallel: " + std::to_string(o.maxParallel) + " is negative");
    if (o.signalSeconds < 1 || o.signalSeconds > 65535)
        throw InputError("--signal-before: " + std::to_string(o.signalSeconds) +
                         " s is outside 1..65535 (Slurm's range)");
    for (const std::string& e : o.extra)
        if (e.size() < 2 || e[0] != '-' || e.find('\n') != std::string::npos)
            throw InputError("--sbatch-arg: '" + e +
                             "' is not one sbatch option (such as --account=lab)");
    for (const std::string* v : {&o.partition, &o.time})
        for (char c : *v)
            if (std::isspace(static_cast<unsigned char>(c)))
                throw InputError(std::string(v == &o.partition ? "--partition" : "--time") +
                                 ": '" + *v + "' holds a space");
}

std::vector<SlurmJob> slurmJobs(const std::vector<PlannedRun>& plan,
                                const std::vector<size_t>& which, const SlurmOptions& o,
                                const std::string& studyDir, const std::string& scriptDir,
                                const std::string& cli) {
    checkSlurmOptions(o);
    checkSbatchPath(studyDir, "study folder");
    checkSbatchPath(scriptDir, "script folder");
    std::map<std::string, size_t> indexOfDir;
    for (size_t i : which) indexOfDir[plan.at(i).dir] = i;
    SlurmJob runs{"runs", "", {}, -1};
    std::map<std::string, SlurmJob> features;  // by method
    for (size_t i : which) {
        const PlannedRun& run = plan.at(i);
        const auto source = run.config.features_from.empty()
                                ? indexOfDir.end()
                                : indexOfDir.find(run.config.features_from);
        if (source == indexOfDir.end()) {
            runs.tasks[i] = i;
            continue;
        }
        SlurmJob& job = features[run.method];
        job.name = "features-" + run.method;
        job.tasks[source->second] = i;
    }
    std::vector<SlurmJob> jobs;
    auto resources = [&] {
        std::ostringstream s;
        s << "#SBATCH --ntasks=1\n";  // one process per run (and --gpus-per-task needs it)
        s << "#SBATCH --cpus-per-task=" << o.cpusPerTask << "\n";
        if (o.gpusPerTask > 0) s << "#SBATCH --gpus-per-task=" << o.gpusPerTask << "\n";
        s << "#SBATCH --requeue\n";
        s << "#SBATCH --signal=B:USR1@" << o.signalSeconds << "\n";
        return s.str();
    };
    if (!runs.tasks.empty()) {
        std::ostringstream s;
        s << "#!/bin/bash\n"
          << "# Written by fewdata-cli compare --backend slurm: the study's runs that train on\n"
          << "# images, one array task per entry of plan.json (the task id is its index).\n"
          << header(runs.name, o, scriptDir, true)
          << "#SBATCH --array=" << arrayList(runs.tasks, o.maxParallel) << "\n"
          << resources()
          << taskBody("index=$SLURM_ARRAY_TASK_ID\n", studyDir, cli);
        runs.text = s.str();
        jobs.push_back(runs);
    }
    for (auto& [method, job] : features) {
        std::ostringstream s, lookup;
        lookup << "case $SLURM_ARRAY_TASK_ID in\n";
        for (const auto& [task, index] : job.tasks)
            lookup << "  " << task << ") index=" << index << " ;;\n";
        lookup << "  *) echo \"no plan entry for task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\n"
               << "esac\n";
        s << "#!/bin/bash\n"
          << "# Written by fewdata-cli compare --backend slurm: " << method << " on the cached\n"
          << "# features of its image run. Task t waits for task t of the runs array\n"
          << "# (submitted with --dependency=aftercorr:<runs job>; t is the image run's index in\n"
          << "# plan.json) and runs the entry the table below names.\n"
          << header(job.name, o, scriptDir, true)
          << "#SBATCH --array=" << arrayList(job.tasks, o.maxParallel) << "\n"
          << resources()
          << "#SBATCH --kill-on-invalid-dep=yes\n"  // an image run that failed: no wait forever
          << taskBody(lookup.str(), studyDir, cli);
        job.text = s.str();
        job.afterCorresponding = 0;
        jobs.push_back(job);
    }
    if (!o.tableJob) return jobs;
    std::ostringstream table;
    table << "#!/bin/bash\n"
          << "# Written by fewdata-cli compare --backend slurm: the table, once every job above\n"
          << "# has ended (submitted with --dependency=afterany:<each job>). A table already\n"
          << "# there is kept: this one is then table-<job id>.md.\n"
          << header("table", o, scriptDir, false) << "#SBATCH --cpus-per-task=1\n"
          << "set -u\n"
          << "out=" << shellQuoted(studyDir + "/table.md") << "\n"
          << "[ -e \"$out\" ] && out=" << shellQuoted(studyDir + "/table-")
          << "\"$SLURM_JOB_ID\".md\n"
          << "exec " << shellQuoted(cli) << " export " << shellQuoted(studyDir)
          << " --output \"$out\"\n";
    jobs.push_back(SlurmJob{"table", table.str(), {}, -1});
    return jobs;
}

}  // namespace fewdata
