#include "cli_compare.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include "cli_progress.h"
#include "child_process.h"
#include "slurm_submit.h"
#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/config/config_table.h"
#include "core/data/dataset_source.h"
#include "core/results/ablation.h"
#include "core/results/results.h"
#include "core/results/table_export.h"
#include "core/run/ablation_plan.h"
#include "core/run/comparison.h"
#include "core/run/run_folder.h"
#include "core/run/study.h"
#include "core/train/training_state.h"

namespace fewdata {
namespace {

// `givenReference`: the folder of an ablation's reference study (export --reference); empty:
// the one <dir>/ablation.json names, if any.
std::string tableOf(const std::string& dir, const std::string& format,
                    const std::string& givenReference = "") {
    std::string reference = givenReference;
    // "--reference reference" names DIR/reference where there is no such folder here.
    if (!reference.empty() && std::filesystem::path(reference).is_relative() &&
        !std::filesystem::is_directory(reference) &&
        std::filesystem::is_directory(std::filesystem::path(dir) / reference))
        reference = (std::filesystem::path(dir) / reference).string();
    if (reference.empty())
        if (const auto plan = readAblationPlan(dir))
            reference = (std::filesystem::path(dir) / plan->reference).string();
    const RunScan scan = scanRuns(dir);
    const std::vector<MethodRow> rows = aggregate(scan.runs);
    std::vector<AblationLine> ablation;
    if (!reference.empty()) {
        ablation = ablationLines(rows, reference);
        // No line: no finished run there. An ablation whose reference has not finished one
        // yet has no table yet; a folder the user named must hold one.
        if (ablation.empty() && !givenReference.empty())
            throw InputError("--reference '" + reference + "' holds no finished run under '" +
                             dir + "'");
    }
    return exportTable(scan, rows, format, ablation);
}

enum StepOutcome { kDone, kFailed, kBusy, kBaselineBusy, kCancelled };

// Prepares and, where it is this process's to do, trains one planned run, printing the rest
// of its line. `passedOver`: the folders this pass left to another process; `wrote`: set once
// anything was written for a run.
int compareStep(const PlannedRun& run, const std::set<std::string>& passedOver,
                const std::atomic<bool>& cancel, bool& wrote, bool showTest) {
    const RunStep step = prepareRun(run);
    switch (step.kind) {
        case RunStep::KeptDone:
        case RunStep::KeptFailed:
            std::printf("%s before, kept (%s)\n",
                        step.kind == RunStep::KeptDone ? "done" : "FAILED", run.dir.c_str());
            return step.kind == RunStep::KeptDone ? kDone : kFailed;
        case RunStep::WaitsForBaseline:
            if (passedOver.count(run.config.features_from) ||
                RunFolder::isLocked(run.config.features_from))
                return kBaselineBusy;
            std::printf("SKIPPED: its baseline %s did not finish\n",
                        run.config.features_from.c_str());
            return kFailed;
        case RunStep::Busy:
            return kBusy;
        case RunStep::Resume:
            std::printf("%s after epoch %d, resuming; ",
                        step.failedBefore ? "failed writing its files" : "interrupted",
                        step.fromEpoch);
            break;
        case RunStep::Fresh:
            if (!step.setAsideAs.empty())
                std::printf("%s before, set aside as %s; ",
                            step.failedBefore ? "failed writing its files" : "interrupted",
                            step.setAsideAs.c_str());
            break;
    }
    wrote = wrote || !step.setAsideAs.empty();
    std::printf("running\n");
    std::fflush(stdout);
    CliProgress progress(stdout, showTest);
    const RunResult r =
        TrainJob({run.config, run.dir, step.kind == RunStep::Resume}, datasetOpener())
            .run(&progress, &cancel);
    wrote = true;
    if (r.status == RunStatus::Cancelled) return kCancelled;
    return r.status == RunStatus::Finished ? kDone : kFailed;
}

// Until no run of `which` (nor the baseline it reads) is held by a live process; false when
// cancelled meanwhile.
bool waitUntilFree(const std::vector<PlannedRun>& plan, const std::vector<size_t>& which,
                   const std::atomic<bool>& cancel) {
    std::printf("waiting for %zu run(s) another process is running\n", which.size());
    std::fflush(stdout);
    auto held = [&] {
        for (size_t i : which)
            if (RunFolder::isLocked(plan[i].dir) ||
                (!plan[i].config.features_from.empty() &&
                 RunFolder::isLocked(plan[i].config.features_from)))
                return true;
        return false;
    };
    while (held()) {
        if (cancel) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return true;
}

// Runs the entries `todo` of `plan`: 0 when all are done, 3 when one failed, 4 when
// cancelled; throws for bad input found before anything was written. Runs another process
// holds are passed over and come back once it lets go of them: then they are kept (it
// finished them) or continued here, so each runs once.
int runPlanned(const std::vector<PlannedRun>& plan, std::vector<size_t> todo,
               const std::atomic<bool>& cancel, bool showTest = true) {
    int failures = 0;
    bool wrote = false;  // once a run was written, a failure is the run's, not bad input
    while (!todo.empty()) {
        std::vector<size_t> later;
        std::set<std::string> laterDirs;
        for (size_t i : todo) {
            const PlannedRun& run = plan[i];
            std::printf("[%zu/%zu] %s K %d seed %d: ", i + 1, plan.size(), run.method.c_str(),
                        run.perClass, run.seed);
            auto passOver = [&](const char* why) {
                std::printf("%s; back to it when that process lets go\n", why);
                later.push_back(i);
                laterDirs.insert(run.dir);
            };
            try {
                const int outcome = compareStep(run, laterDirs, cancel, wrote, showTest);
                if (outcome == kCancelled) return 4;
                if (outcome == kFailed) ++failures;
                if (outcome == kBusy) passOver("another process is running it now");
                if (outcome == kBaselineBusy) passOver("its baseline is running in another process");
            } catch (const FolderBusy&) {
                // Another process claimed it after this one looked (both decoded at once).
                passOver("another process took it meanwhile");
            } catch (const std::exception& e) {
                if (!wrote) throw;
                std::printf("FAILED: %s\n", withoutBacktrace(e.what()).c_str());
                ++failures;
            }
            std::fflush(stdout);
        }
        if (!later.empty() && !waitUntilFree(plan, later, cancel)) return 4;
        todo = later;
    }
    return failures ? 3 : 0;
}

// `compare --task i --out DIR`: entry i of DIR/plan.json, as a scheduler's array task runs it.
int runCompareTask(const CompareCommand& cmd, const std::atomic<bool>& cancel) {
    if (!cmd.methods.empty() || !cmd.preset.empty() || !cmd.perClass.empty() || cmd.seedsGiven ||
        !cmd.train.configFile.empty() || cmd.planOnly || cmd.backend != "local" ||
        !cmd.ablate.empty())
        throw InputError("--task runs an entry of " + cmd.train.out + "/" + kStudyPlanFile +
                         " as planned: give the study's flags when planning it, and here only "
                         "--out and " + resumableFlagsText());
    for (auto it = cmd.train.overrides.begin(); it != cmd.train.overrides.end(); ++it) {
        const ConfigKey* k = findConfigKey(it.key());
        if (!k || !k->resumable)
            throw InputError("--task: '" + std::string(k ? k->flag : it.key()) +
                             "' changes what the planned run computes; only " +
                             resumableFlagsText() + " may be given");
    }
    const auto spec = readStudySpec(cmd.train.out);
    if (!spec)
        throw InputError("--task: '" + cmd.train.out + "' has no " + kStudyPlanFile +
                         " (compare --plan-only or --backend slurm writes one)");
    std::vector<PlannedRun> plan = planStudy(*spec, cmd.train.out);
    if (size_t(cmd.task) >= plan.size())
        throw InputError("--task " + std::to_string(cmd.task) + ": " + cmd.train.out + "/" +
                         kStudyPlanFile + " has " + std::to_string(plan.size()) +
                         " entries (0 to " + std::to_string(plan.size() - 1) + ")");
    PlannedRun& run = plan[size_t(cmd.task)];
    TrainCommand exec;
    exec.overrides = cmd.train.overrides;
    run.config = configFrom(exec, run.config.toJson());
    return runPlanned(plan, {size_t(cmd.task)}, cancel);
}

// --backend slurm: the runs still to do, as job arrays; prints the job ids and returns.
int submitStudy(const CompareCommand& cmd, const std::vector<PlannedRun>& plan) {
    const std::vector<size_t> which = runsToSubmit(plan, slurmView(cmd.train.out));
    if (which.empty()) {
        std::printf("nothing to submit: the %zu runs of %s are done, failed, running or in "
                    "Slurm's queue\n",
                    plan.size(), cmd.train.out.c_str());
        return 0;
    }
    const SlurmSubmission s =
        submitToSlurm(plan, which, cmd.slurm, cmd.train.out, selfExecutable());
    std::printf("submitted %zu of %zu runs to Slurm; scripts in %s\n", which.size(),
                plan.size(), s.scriptDir.c_str());
    for (const SubmittedJob& j : s.jobs) std::printf("%s\t%s\n", j.jobId.c_str(), j.name.c_str());
    std::printf("watch it with: fewdata-cli status %s\n", cmd.train.out.c_str());
    return 0;
}

}  // namespace

void checkBackendFlags(const std::string& backend, bool slurmFlagGiven) {
    if (backend != "local" && backend != "slurm")
        throw InputError("--backend: '" + backend + "' is not local or slurm");
    if (slurmFlagGiven && backend != "slurm")
        throw InputError(
            "--partition, --time, --cpus-per-task, --gpus-per-task, --max-parallel, "
            "--signal-before, --sbatch-arg (and tune's --poll-seconds) are for --backend slurm");
}

int runPlannedHere(const std::vector<PlannedRun>& plan, std::vector<size_t> todo,
                   const std::atomic<bool>& cancel, bool showTest) {
    return runPlanned(plan, std::move(todo), cancel, showTest);
}

void addSlurmFlags(CLI::App* sub, std::string& backend, SlurmOptions& o, bool& slurmFlagGiven,
                   const std::string& backendHelp) {
    const char* group = "scale-out";
    sub->add_option("--backend", backend, backendHelp)->group(group);
    // Pointers, not references: the callbacks outlive this function's reference parameters.
    auto given = [flag = &slurmFlagGiven](auto& field) {
        return [flag, target = &field](const auto& v) {
            *target = v;
            *flag = true;
        };
    };
    sub->add_option_function<std::string>("--partition", given(o.partition),
                                          "Slurm partition (default: the cluster's)")
        ->group(group);
    sub->add_option_function<std::string>(
           "--time", given(o.time), "Time limit per run, as sbatch --time (e.g. 4:00:00)")
        ->group(group);
    sub->add_option_function<int>("--cpus-per-task", given(o.cpusPerTask),
                                  "CPUs per run, also its --threads (default 1)")
        ->group(group);
    sub->add_option_function<int>("--gpus-per-task", given(o.gpusPerTask),
                                  "GPUs per run (default 0)")
        ->group(group);
    sub->add_option_function<int>("--max-parallel", given(o.maxParallel),
                                  "At most this many runs at once (the array's %N; default: "
                                  "no limit)")
        ->group(group);
    sub->add_option_function<int>(
           "--signal-before", given(o.signalSeconds),
           "Seconds before the time limit at which a run checkpoints and requeues itself "
           "(default 300)")
        ->group(group);
    sub->add_option_function<std::vector<std::string>>(
           "--sbatch-arg", given(o.extra),
           "An sbatch option passed through to every job, e.g. --sbatch-arg=--account=lab "
           "(repeatable)")
        ->group(group);
}

CLI::App* addCompareCommand(CLI::App& app, CompareCommand& cmd) {
    CLI::App* sub = app.add_subcommand(
        "compare", "Run methods x seeds on the same protocol split per seed, then print the table");
    std::string presetHelp = "A named study:";
    for (const auto& p : comparisonPresets()) presetHelp += "\n  " + p.name + ": " + p.description;
    sub->add_option("--preset", cmd.preset, presetHelp);
    sub->add_option("--methods", cmd.methods,
                    "Comma-separated methods, e.g. baseline,mixup,cutmix (default: the preset's, "
                    "else the --config file's method, else baseline)");
    sub->add_option_function<int>(
        "--seeds",
        [&cmd](int n) {
            cmd.seeds = n;
            cmd.seedsGiven = true;
        },
        "Seeds per method: seed, seed+1, ... (default 3, at most 1000)");
    sub->add_flag("--list-presets", cmd.listPresets,
                  "Print every preset with each key of its recipe and where its value comes "
                  "from, then exit");
    sub->add_flag("--plan-only", cmd.planOnly,
                  "Print the plan (index, method, K, seed, state, folder; tab-separated), "
                  "write DIR/plan.json where there is none, and run nothing");
    addConfigFlags(sub, cmd.train);
    // compare's --per-class takes a list: a learning curve over K.
    sub->remove_option(sub->get_option("--per-class"));
    sub->add_option("--per-class", cmd.perClass,
                    "Images per class K, or a list for a learning curve (5,10,20,50): methods x "
                    "K x seeds, the smaller K's images a subset of the larger's (config key "
                    "'per_class')")
        ->group("data");
    sub->add_option("--out", cmd.train.out,
                    "Comparison folder: one run folder per method, K and seed; rerun to continue");
    sub->add_option("--ablate", cmd.ablate,
                    "A variant of the recipe, key=value[,key=value] (repeatable): the study runs "
                    "as given into DIR/reference and with each variant into DIR/<variant>; "
                    "export DIR pairs each variant with the reference by seed")
        ->group("study");
    sub->add_option("--task", cmd.task,
                    "Run entry i of --out's plan.json alone (what each Slurm array task calls; "
                    "also for any other scheduler)")
        ->check(CLI::NonNegativeNumber);
    addSlurmFlags(sub, cmd.backend, cmd.slurm, cmd.slurmFlagGiven,
                  "local (default): run here, one run after another; slurm: write the plan and "
                  "batch scripts (DIR/slurm/<n>/), submit them with sbatch and return");
    return sub;
}

CLI::App* addExportCommand(CLI::App& app, ExportCommand& cmd) {
    CLI::App* sub =
        app.add_subcommand("export", "Aggregate the run folders under DIR into a table");
    sub->add_option("dir", cmd.dir, "A comparison folder or any folder of run folders")->required();
    sub->add_option("--format", cmd.format, "csv, md, latex or json (default md)");
    sub->add_option("--output", cmd.output, "File to write (never overwritten); default stdout");
    sub->add_option("--reference", cmd.reference,
                    "A folder under DIR (a path, or relative to DIR) whose runs are the "
                    "reference recipe: adds the ablation "
                    "table, every other recipe of the same method and K paired with it by seed "
                    "(default: the reference DIR/ablation.json names, as compare --ablate "
                    "writes it)");
    return sub;
}

int runCompareCommand(const CompareCommand& cmd, const std::atomic<bool>& cancel) {
    try {
        if (cmd.listPresets) {
            std::fputs(describePresets().c_str(), stdout);
            return 0;
        }
        if (cmd.train.out.empty()) throw InputError("compare needs --out (the comparison folder)");
        if (cmd.train.overrides.contains("method"))
            throw InputError("compare takes --methods (a list), not --method");
        checkBackendFlags(cmd.backend, cmd.slurmFlagGiven);
        if (cmd.task >= 0) return runCompareTask(cmd, cancel);
        std::vector<std::string> methods = splitList(cmd.methods);
        nlohmann::json presetConfig = nlohmann::json::object();
        if (!cmd.preset.empty()) {
            const ComparisonPreset& p = findPreset(cmd.preset);
            if (methods.empty()) methods = p.methods;
            presetConfig = p.config;
        }
        std::vector<int> perClass;
        TrainCommand train = cmd.train;
        if (!cmd.perClass.empty()) {
            perClass = parsePerClassList(cmd.perClass);
            train.overrides["per_class"] = perClass.front();
        }
        const TrainConfig base = configFrom(train, presetConfig);
        // Without --methods or a preset, the config's method (baseline by default): a
        // recipe file such as tune's best_config.json runs as the method it was tuned for.
        if (methods.empty()) methods = {base.method};
        checkSeedRange(base.seed, cmd.seeds);
        if (cmd.backend == "slurm") checkSlurmOptions(cmd.slurm);
        if (!perClass.empty()) {
            // Before anything runs: every K must fit the smallest class.
            const auto source = datasetOpener()(base);
            std::vector<std::pair<std::string, size_t>> sizes;
            const DatasetIndex& index = source->index();
            for (const auto& name : index.classes) sizes.emplace_back(name, 0);
            for (const auto& s : index.pool) ++sizes.at(size_t(s.label)).second;
            checkPerClassFits(perClass, sizes, base.take_all_available);
        }
        // The studies to run: the flags' own, or for an ablation the reference and each
        // variant in a folder of its own.
        std::vector<std::pair<std::string, StudySpec>> studies;
        std::vector<AblationVariant> variants;
        const std::string& out = cmd.train.out;
        if (cmd.ablate.empty()) {
            if (readAblationPlan(out))
                throw InputError("'" + out + "' is an ablation (" + kAblationFile +
                                 "): give its variants with --ablate, or export it");
            studies.emplace_back(out, StudySpec{base, methods, cmd.seeds, perClass, cmd.preset});
        } else {
            if (readStudySpec(out))
                throw InputError("--ablate: '" + out + "' holds a study of its own (" +
                                 kStudyPlanFile + "); give a new folder for the ablation");
            for (const auto& text : cmd.ablate) {
                AblationVariant v = parseAblationVariant(text, base);
                for (const auto& m : methods) checkVariantForMethod(v, base, m);
                for (const auto& earlier : variants)
                    if (earlier.folder == v.folder)
                        throw InputError("--ablate '" + text + "' is the same variant as an "
                                         "earlier --ablate (" + earlier.folder + ")");
                variants.push_back(v);
            }
            // The stored request's reference folder, and a refusal before anything is written.
            const std::string reference =
                (std::filesystem::path(out) / mergedAblationPlan(out, variants).reference)
                    .string();
            studies.emplace_back(reference,
                                 StudySpec{base, methods, cmd.seeds, perClass, cmd.preset});
            for (const auto& v : variants)
                studies.emplace_back((std::filesystem::path(out) / v.folder).string(),
                                     StudySpec{variantConfig(base, v), methods, cmd.seeds,
                                               perClass, cmd.preset});
        }
        // Everything that can be refused, before anything is written: a kept run of other
        // settings, a folder's request of another recipe.
        std::vector<std::vector<PlannedRun>> plans;
        for (const auto& [folder, spec] : studies) {
            plans.push_back(planStudy(spec, folder));
            checkKeptRuns(plans.back());
            checkStudySpec(folder, spec);
        }
        // Each request beside its runs, before any run: the window's Study page reopens a
        // folder from it.
        if (!variants.empty()) recordAblationPlan(out, variants, /*extend=*/!cmd.planOnly);
        for (const auto& [folder, spec] : studies)
            recordStudySpec(folder, spec, /*extend=*/!cmd.planOnly);
        if (cmd.planOnly) {
            for (const auto& plan : plans)
                for (size_t i = 0; i < plan.size(); ++i)
                    std::printf("%zu\t%s\t%d\t%d\t%s\t%s\n", i, plan[i].method.c_str(),
                                plan[i].perClass, plan[i].seed,
                                cellStateName(cellState(plan[i])), plan[i].dir.c_str());
            return 0;
        }
        if (cmd.backend == "slurm") {
            for (size_t i = 0; i < studies.size(); ++i) {
                CompareCommand one = cmd;
                one.train.out = studies[i].first;
                if (const int code = submitStudy(one, plans[i])) return code;
            }
            // Each study's table job writes its own table; the ablation's spans them all.
            if (!variants.empty())
                std::printf("the ablation table, once all are done: fewdata-cli export %s\n",
                            out.c_str());
            return 0;
        }
        // One list, the reference's runs first: a rerun picks up where this one stopped.
        std::vector<PlannedRun> all;
        for (const auto& plan : plans) all.insert(all.end(), plan.begin(), plan.end());
        std::vector<size_t> todo(all.size());
        for (size_t i = 0; i < all.size(); ++i) todo[i] = i;
        const int code = runPlanned(all, todo, cancel);
        if (code == 4) return 4;
        std::printf("\n%s", tableOf(out, "md").c_str());
        return code;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

int runExportCommand(const ExportCommand& cmd) {
    try {
        if (!std::filesystem::is_directory(cmd.dir))
            throw InputError("'" + cmd.dir + "' is not a folder of runs");
        if (!cmd.output.empty()) checkNewFileTarget(cmd.output);  // before the work, not after
        const std::string table = tableOf(cmd.dir, cmd.format, cmd.reference);
        if (cmd.output.empty()) {
            // SIGPIPE is ignored (cli_main): a table cut short must not end with exit 0.
            std::fputs(table.c_str(), stdout);
            if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
                if (errno != EPIPE)  // a reader that went away (`| head`) knows it
                    std::fprintf(stderr, "error: cannot write the table: %s\n",
                                 std::strerror(errno));
                return 3;
            }
            return 0;
        }
        writeNewFileAtomically(cmd.output, table);
        return 0;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

}  // namespace fewdata
