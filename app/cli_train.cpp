#include "cli_train.h"

#include <cstdio>

#include "cli_progress.h"
#include "core/config.h"
#include "core/train_job.h"
#ifdef FEWDATA_HAVE_IMAGING
#include "imaging/dataset_factory.h"
#endif

namespace fewdata {
namespace {

// Each flag writes its value under its config key, so flags and the config file go through
// the same parser and give the same messages.
template <typename T>
void flag(CLI::App* sub, TrainCommand& cmd, const std::string& name, const std::string& key,
          const std::string& help) {
    sub->add_option_function<T>(
        name, [&cmd, key](const T& v) { cmd.overrides[key] = v; },
        help + " (config key '" + key + "')");
}

}  // namespace

void addConfigFlags(CLI::App* sub, TrainCommand& cmd) {
    sub->add_option("--config", cmd.configFile,
                    "JSON config file; the flags below override its keys");
    flag<std::string>(
        sub, cmd, "--dataset", "dataset",
        "fashion-mnist (embedded default), or the path of an ImageFolder or VIPriors tree");
    flag<std::string>(sub, cmd, "--layout", "layout",
                      "Folder layout: auto, imagefolder or vipriors");
    flag<int>(sub, cmd, "--per-class", "per_class", "Images drawn per class, K (default 50)");
    sub->add_flag_function(
        "--take-all", [&cmd](int64_t) { cmd.overrides["take_all_available"] = true; },
        "A class with fewer than K images gives all it has instead of being an error");
    flag<double>(sub, cmd, "--val-fraction", "val_fraction",
                 "Share of the K images used for validation (default 0.2)");
    flag<int>(sub, cmd, "--seed", "seed",
              "Seed of the draw, the split, the initialisation and the batches");
    flag<std::string>(sub, cmd, "--method", "method",
                      "baseline, mixup, cutmix, cosine, cosine+ce, supcon, siamese-contrastive, "
                      "siamese-triplet, reptile or gnn (METHODS.md)");
    flag<std::string>(sub, cmd, "--features-from", "features_from",
                      "siamese-*, reptile, gnn: a finished baseline run whose features.pt to "
                      "learn on; default: train the baseline first in this run");
    flag<int>(sub, cmd, "--classifier-epochs", "classifier_epochs",
              "Two-stage methods: epochs of the final classifier (default 100)");
    flag<std::string>(sub, cmd, "--siamese-input", "siamese_input",
                      "siamese-*: features (the paper's two stages, default) or images "
                      "(end to end)");
    flag<double>(sub, cmd, "--mix-alpha", "mix_alpha",
                 "mixup/cutmix: lambda ~ Beta(alpha, alpha) (default 1)");
    flag<double>(sub, cmd, "--mix-prob", "mix_probability",
                 "mixup/cutmix: share of batches mixed (default 1)");
    flag<std::string>(sub, cmd, "--model", "model", "resnet18, resnet34 or resnet50");
    flag<std::string>(sub, cmd, "--stem", "stem",
                      "auto, imagenet (7x7 conv + max-pool) or small (3x3 stride 1)");
    flag<int>(sub, cmd, "--image-size", "image_size",
              "Side the network sees; 0 (default) = 56 for Fashion-MNIST, 224 for folders "
              "(the VIPriors toolkit's)");
    flag<int>(sub, cmd, "--epochs", "epochs", "Training epochs");
    flag<double>(sub, cmd, "--lr", "lr", "Peak learning rate of SGD");
    flag<int>(sub, cmd, "--batch", "batch_size", "Batch size");
    flag<double>(sub, cmd, "--weight-decay", "weight_decay", "SGD weight decay");
    flag<std::string>(sub, cmd, "--schedule", "schedule",
                      "cosine, or step (divide by 10 every 30 epochs, the VIPriors default)");
    flag<double>(sub, cmd, "--warmup", "warmup_epochs", "Epochs of linear learning-rate warm-up");
    flag<double>(sub, cmd, "--label-smoothing", "label_smoothing",
                 "Label smoothing of the cross-entropy");
    flag<std::string>(sub, cmd, "--augment", "augment", "auto, pad-crop, resize-crop or none");
    flag<std::string>(sub, cmd, "--device", "device", "auto, cpu or cuda");
    flag<int>(sub, cmd, "--threads", "threads", "CPU threads; 0 = all cores");
    flag<std::string>(sub, cmd, "--precision", "precision",
                      "auto (bf16 on GPUs that have it, else fp32), fp32 or bf16 (autocast)");
    flag<bool>(sub, cmd, "--channels-last", "channels_last",
               "true (default): NHWC convolutions, faster on CPUs and GPUs; false: NCHW");
    flag<bool>(sub, cmd, "--prefetch", "prefetch",
               "true (default): form the next batch while this one trains; same results");
    flag<int>(sub, cmd, "--checkpoint-every", "checkpoint_every",
              "Save the training state every n epochs for --resume (default 1; 0 = never)");
    flag<double>(sub, cmd, "--checkpoint-seconds", "checkpoint_seconds",
                 "Skip a save when the last is younger than this (default 30; the last epoch "
                 "always saves)");
    flag<int>(sub, cmd, "--max-test", "max_test_samples",
              "Evaluate on a seeded subset of this many test images; 0 = all");
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
        "Continue an unfinished run folder from its last checkpoint (its config.json; only "
        "--threads, --device, --checkpoint-every and --checkpoint-seconds may be given)");
    out->excludes(resume);
    resume->excludes(out);
    return sub;
}

TrainConfig configFrom(const TrainCommand& cmd, const nlohmann::json& base) {
    if (!cmd.configFile.empty()) return TrainConfig::fromFile(cmd.configFile, cmd.overrides, base);
    nlohmann::json merged = base;
    for (auto it = cmd.overrides.begin(); it != cmd.overrides.end(); ++it)
        merged[it.key()] = it.value();
    return TrainConfig::fromJson(merged);
}

DatasetOpener datasetOpener() {
#ifdef FEWDATA_HAVE_IMAGING
    return openDataset;
#else
    return openCoreDataset;
#endif
}

int reportError(const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return dynamic_cast<const InputError*>(&e) ? 2 : 3;
}

int runTrainCommand(const TrainCommand& cmd, const std::atomic<bool>& cancel) {
    TrainConfig config;
    try {
        if (cmd.out.empty() && cmd.resume.empty())
            throw InputError("train needs --out (a new run) or --resume (an unfinished one)");
        if (!cmd.resume.empty() && !cmd.configFile.empty())
            throw InputError("--resume reads the run's own config.json; drop --config");
        config = cmd.resume.empty() ? configFrom(cmd) : resumeConfig(cmd.resume, cmd.overrides);
    } catch (const InputError& e) {
        return reportError(e);
    }
    CliProgress progress(stdout);
    try {
        const bool resume = !cmd.resume.empty();
        TrainJob job({config, resume ? cmd.resume : cmd.out, resume}, datasetOpener());
        const RunResult r = job.run(&progress, &cancel);
        if (r.status == "finished") return 0;
        return r.status == "cancelled" ? 4 : 3;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

}  // namespace fewdata
