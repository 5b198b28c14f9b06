#include "cli_train.h"

#include <sched.h>

#include <cstdio>
#include <new>
#include <thread>

#include "cli_parallel.h"
#include "cli_progress.h"
#include "core/config/config.h"
#include "core/config/config_table.h"
#include "core/methods/registry.h"
#include "core/run/train_job.h"
#include "core/train/data_parallel.h"
#ifdef FEWDATA_HAVE_IMAGING
#include "imaging/dataset_factory.h"
#endif

namespace fewdata {
namespace {

// Each flag writes its value under its config key, so flags and the config file go through
// the same parser and give the same messages.
template <typename T>
void flag(CLI::App* sub, TrainCommand& cmd, const ConfigKey& k, const std::string& help) {
    const std::string key = k.key;
    sub->add_option_function<T>(
           k.flag, [&cmd, key](const T& v) { cmd.overrides[key] = v; },
           help + " (config key '" + key + "')")
        ->group(k.group);
}

// More compute threads than cores only adds hand-overs: 1024 threads on 2 cores made a 2 s run
// take minutes. The count is capped (result.json records the threads used), with one note.
// The cores this process may run on (taskset, a container's cpuset), not the machine's.
unsigned usableCores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return unsigned(CPU_COUNT(&set));
    return std::thread::hardware_concurrency();
}

void capThreads(TrainConfig& config) {
    const unsigned cores = usableCores();
    if (cores == 0 || config.threads <= int(cores)) return;
    std::fprintf(stderr,
                 "note: threads %d is more than the %u cores this process may use; using %u\n",
                 config.threads, cores, cores);
    config.threads = int(cores);
}

std::string defaultText(const ConfigKey& k) {
    const nlohmann::json v = configValue(TrainConfig(), k);
    if (v.is_string()) return v.get<std::string>().empty() ? "empty" : v.get<std::string>();
    return v.dump();
}

}  // namespace

void addConfigFlags(CLI::App* sub, TrainCommand& cmd) {
    sub->add_option("--config", cmd.configFile,
                    "JSON config file; the flags below override its keys");
    // One flag per key of the config table, grouped as the table groups them.
    for (const ConfigKey& k : configTable()) {
        std::string help = k.help;
        if (std::string(k.key) == "method") {
            help = "One of " + methodNamesText() + " (docs/methods.md)";
            for (const MethodInfo& m : methodRegistry().all())
                help += "\n  " + m.name + ": " + m.description;
        }
        if (!k.allowed.empty() && std::string(k.key) != "method") {
            std::string list;
            for (const auto& a : k.allowed) list += (list.empty() ? "" : "|") + a;
            help += " [" + list + "]";
        }
        help += " (default " + defaultText(k) + ")";
        if (std::string(k.flag) == "--take-all") {  // a switch: present means true
            sub->add_flag_function(
                   k.flag, [&cmd](int64_t) { cmd.overrides["take_all_available"] = true; },
                   help + " (config key 'take_all_available')")
                ->group(k.group);
            continue;
        }
        std::visit(
            [&](auto member) {
                using V = std::decay_t<decltype(TrainConfig().*member)>;
                flag<V>(sub, cmd, k, help);
            },
            k.member);
    }
}

std::string resumableFlagsText() {
    std::string text;
    std::vector<const ConfigKey*> keys;
    for (const ConfigKey& k : configTable())
        if (k.resumable) keys.push_back(&k);
    for (size_t i = 0; i < keys.size(); ++i)
        text += std::string(i == 0 ? "" : i + 1 == keys.size() ? " and " : ", ") + keys[i]->flag;
    return text;
}

CLI::App* addTrainCommand(CLI::App& app, TrainCommand& cmd) {
    CLI::App* sub = app.add_subcommand(
        "train", "Train one model on a low-resource subset and write a run folder");
    addConfigFlags(sub, cmd);
    auto* out = sub->add_option(
        "--out", cmd.out,
        "Run folder to create (must not exist or be empty: runs are never overwritten)");
    auto* resume = sub->add_option(
        "--resume", cmd.resume,
        "Continue an unfinished run folder from its last checkpoint (its config.json; only " +
            resumableFlagsText() + " may be given)");
    out->excludes(resume);
    resume->excludes(out);
    sub->add_option("--nproc", cmd.nproc,
                    "Train this one run on N processes here (data-parallel through c10d/Gloo: "
                    "each trains on its share of every batch); under srun --ntasks N or torchrun "
                    "each process joins by itself")
        ->check(CLI::Range(1, 256))
        ->group("scale-out");
    sub->add_option("--rank-timeout", cmd.rankTimeout,
                    "Seconds a rank waits for the others (to meet, or in a step) before the run "
                    "fails naming it (default 120)")
        ->check(CLI::Range(1, 86400))
        ->group("scale-out");
    return sub;
}

TrainConfig configFrom(const TrainCommand& cmd, const nlohmann::json& base) {
    TrainConfig config;
    if (!cmd.configFile.empty()) {
        config = TrainConfig::fromFile(cmd.configFile, cmd.overrides, base);
    } else {
        nlohmann::json merged = base;
        for (auto it = cmd.overrides.begin(); it != cmd.overrides.end(); ++it)
            merged[it.key()] = it.value();
        config = TrainConfig::fromJson(merged);
    }
    capThreads(config);
    return config;
}

DatasetOpener datasetOpener() {
#ifdef FEWDATA_HAVE_IMAGING
    return openDataset;
#else
    return openCoreDataset;
#endif
}

int reportError(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) {
        // Outside a run's own handling (while reading a dataset, say): the bare "bad_alloc"
        // says nothing to a user whose `ulimit -v` or machine ran short.
        std::fprintf(stderr,
                     "error: out of memory (std::bad_alloc): this process's memory limit "
                     "(ulimit -v) or the machine's memory was reached; try a smaller "
                     "--batch or --image-size, or allow more memory\n");
        return 3;
    }
    std::fprintf(stderr, "error: %s\n", withoutBacktrace(e.what()).c_str());
    return dynamic_cast<const InputError*>(&e) ? 2 : 3;
}

int runTrainCommand(const TrainCommand& cmd, const std::atomic<bool>& cancel) {
    TrainConfig config;
    try {
        if (cmd.out.empty() && cmd.resume.empty())
            throw InputError("train needs --out (a new run) or --resume (an unfinished one)");
        if (!cmd.resume.empty() && !cmd.configFile.empty())
            throw InputError("--resume reads the run's own config.json; drop --config");
        if (cmd.resume.empty()) {
            config = configFrom(cmd);
        } else {
            config = resumeConfig(cmd.resume, cmd.overrides);
            capThreads(config);
        }
    } catch (const InputError& e) {
        return reportError(e);
    }
    std::unique_ptr<DataParallel> parallel;
    try {
        const ParallelEnv env = parallelEnvFrom([](const char* n) { return std::getenv(n); });
        if (cmd.nproc > 1) {
            if (env.worldSize > 1)
                throw InputError("--nproc " + std::to_string(cmd.nproc) + " inside a run that " +
                                 env.source + " already started on " +
                                 std::to_string(env.worldSize) + " processes");
            std::vector<std::string> argv;
            for (size_t i = 0; i < cmd.argv.size(); ++i) {
                if (cmd.argv[i] == "--nproc") {
                    ++i;
                    continue;
                }
                if (cmd.argv[i].rfind("--nproc=", 0) == 0) continue;
                argv.push_back(cmd.argv[i]);
            }
            return launchRanks(argv, cmd.nproc, cancel);
        }
        if (env.worldSize > 1) {
            followLauncher();
            parallel = std::make_unique<DataParallel>(env, std::chrono::seconds(cmd.rankTimeout));
        }
    } catch (const std::exception& e) {
        return reportError(e);
    }
    // Rank 0 speaks for the run; the others train beside it in silence.
    CliProgress progress(stdout);
    TrainListener* listener = parallel && parallel->rank() != 0 ? nullptr : &progress;
    try {
        const bool resume = !cmd.resume.empty();
        TrainJob job({config, resume ? cmd.resume : cmd.out, resume, parallel.get()},
                     datasetOpener());
        const RunResult r = job.run(listener, &cancel);
        // A rank other than 0 has no progress printer: its failure is said here, by rank.
        if (!listener && r.status == RunStatus::Failed)
            std::fprintf(stderr, "error: rank %d: %s\n", parallel->rank(),
                         withoutBacktrace(r.message).c_str());
        if (r.status == RunStatus::Finished) return 0;
        return r.status == RunStatus::Cancelled ? 4 : 3;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

}  // namespace fewdata
