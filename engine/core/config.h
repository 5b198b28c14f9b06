// The experiment configuration: one struct, read from and written to the JSON the CLI and
// the GUI share. Unknown or ill-typed keys are errors that name the key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/errors.h"

namespace fewdata {

struct TrainConfig {
    // Data and protocol.
    std::string dataset = "fashion-mnist";  // "fashion-mnist" or a folder path
    std::string layout = "auto";            // auto | imagefolder | vipriors
    int per_class = 50;
    bool take_all_available = false;  // a class short of K images gives what it has
    double val_fraction = 0.2;
    int seed = 0;
    // The side the network sees; 0 = auto: 56 for Fashion-MNIST (twice its 28 px: with
    // torchvision's stem this beat 28 px with the small stem, 79 vs 74 %, at half the cost per
    // image), 224 for image folders (the VIPriors toolkit's).
    int image_size = 0;
    int channels = 0;          // 0: the dataset's own (1 for Fashion-MNIST, 3 for folders)
    int max_test_samples = 0;  // 0: the whole test set; >0 a seeded subset (quick runs)

    // Model.
    std::string method = "baseline";  // baseline | mixup | cutmix
    double mix_alpha = 1.0;           // mixup, cutmix: lambda ~ Beta(alpha, alpha)
    double mix_probability = 1.0;     // mixup, cutmix: share of batches mixed
    std::string model = "resnet18";   // resnet18 | resnet34 | resnet50
    // auto: torchvision's stem from 56 px up, else the small one (3x3 stride-1 conv, no max-pool)
    std::string stem = "auto";  // auto | imagenet | small

    // Optimisation.
    int epochs = 60;
    int batch_size = 32;
    double lr = 0.05;
    double momentum = 0.9;
    bool nesterov = true;
    double weight_decay = 5e-4;
    std::string schedule = "cosine";  // cosine | step
    double warmup_epochs = 0;         // linear ramp of the lr from 0 over this many epochs
    int step_epochs = 30;             // step: divide the lr by step_gamma^-1 every step_epochs
    double step_gamma = 0.1;
    double label_smoothing = 0.0;

    // Augmentation (on batch tensors).
    // auto: pad-crop up to 64 px, else resize-crop (cache at 256/224 of the size, random crop:
    // the paper's); random-resized-crop is torchvision's RandomResizedCrop (scale 0.08 to 1).
    std::string augment = "auto";  // auto | pad-crop | resize-crop | random-resized-crop | none
    int pad = 4;
    bool flip = true;

    // Execution.
    std::string device = "auto";  // auto | cpu | cuda
    int threads = 0;              // 0: all cores
    int eval_batch_size = 500;

    // Throws InputError naming the key for unknown keys, wrong types and out-of-range values.
    static TrainConfig fromJson(const nlohmann::json& j);
    // The file's keys, then `overrides` (command-line flags) on top, validated once together.
    static TrainConfig fromFile(const std::string& path,
                                const nlohmann::json& overrides = nlohmann::json::object());
    nlohmann::json toJson() const;
    // Range checks shared by every entry point (JSON, CLI flags, GUI form).
    void validate() const;
};

}  // namespace fewdata
