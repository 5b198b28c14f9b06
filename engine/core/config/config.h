// The experiment configuration: one struct, read from and written to the JSON the CLI and
// the GUI share. Unknown or ill-typed keys are errors that name the key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/base/errors.h"

namespace fewdata {

// A comparison's seeds per method: each is a full training, and a list of them is planned up
// front (2,000,000,000 seeds ran out of memory while being listed).
constexpr int kMaxSeeds = 1000;

// A comparison runs seeds `firstSeed`, firstSeed + 1, ..., firstSeed + seeds - 1: InputError
// naming both values when `seeds` is outside [1, kMaxSeeds] or the last seed is past the
// largest int (it would wrap to a negative seed).
void checkSeedRange(int firstSeed, int seeds);

struct TrainConfig {
    // Data and protocol.
    std::string dataset = "fashion-mnist";  // "fashion-mnist" or a folder path
    std::string layout = "auto";            // auto | imagefolder | vipriors
    int per_class = 50;
    bool take_all_available = false;  // every usable image of each class, whatever K
    double val_fraction = 0.2;
    int seed = 0;
    // The side the network sees; 0 = auto: 56 for Fashion-MNIST (twice its 28 px: with
    // torchvision's stem this beat 28 px with the small stem, 79 vs 74 %, at half the cost per
    // image), 224 for image folders (the VIPriors toolkit's).
    int image_size = 0;
    int channels = 0;          // 0: the dataset's own (1 for Fashion-MNIST, 3 for folders)
    int max_test_samples = 0;  // 0: the whole test set; >0 a seeded subset (quick runs)

    // Model.
    // baseline | mixup | cutmix | cosine | cosine+ce | supcon | siamese-contrastive |
    // siamese-triplet | reptile | gnn (docs/methods.md)
    std::string method = "baseline";
    double mix_alpha = 1.0;          // mixup, cutmix: lambda ~ Beta(alpha, alpha)
    double mix_probability = 1.0;    // mixup, cutmix: share of batches mixed
    std::string model = "resnet18";  // resnet18 | resnet34 | resnet50
    // auto: torchvision's stem from 56 px up, else the small one (3x3 stride-1 conv, no max-pool)
    std::string stem = "auto";  // auto | imagenet | small
    // Each residual block's last BatchNorm scale starts at 0 (torchvision's zero_init_residual):
    // with the blocks starting as the identity, lr 0.05 no longer diverges in the first epoch.
    // A 3-epoch look at K = 20 (2,000 test images) went from 16.3 to 30.6 % (baseline), 10.0 to
    // 31.0 % (mixup), 10.8 to 30.8 % (cutmix), and epoch 1's validation loss from 311 to 2.9.
    bool zero_init_residual = true;

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
    // Weight EMA (weight_average.h): 0 = off; else the decay of an exponential moving average
    // of the weights, evaluated on validation beside the raw weights each epoch. Model
    // selection picks among both; result.json records which won.
    double ema_decay = 0.0;
    // BatchNorm's running-statistics momentum (PyTorch's 0.1). With bn_cumulative_start, step t
    // (from 0) uses max(bn_momentum, 1 / (t + 1)): the first steps average cumulatively, so a
    // short run's statistics are those of its batches, not still mostly the initial mean 0 and
    // variance 1; without it, bn_momentum from the first step (PyTorch's behaviour).
    double bn_momentum = 0.1;
    bool bn_cumulative_start = true;

    // Augmentation (on batch tensors).
    // auto: pad-crop up to 64 px, else resize-crop (cache at 256/224 of the size, random crop:
    // the paper's); random-resized-crop is torchvision's RandomResizedCrop (scale 0.08 to 1).
    std::string augment = "auto";  // auto | pad-crop | resize-crop | random-resized-crop | none
    int pad = 4;
    bool flip = true;
    // Photometric and geometric policies after the crop and flip (augment_policy.h):
    // none | randaugment | trivialaugment | autoaugment (torchvision's ImageNet policy).
    std::string augment_policy = "none";
    int randaugment_ops = 2;        // randaugment: ops per image, N
    int randaugment_magnitude = 9;  // randaugment: magnitude bin M of 0..30
    // Probability of torchvision's RandomErasing (scale 0.02-0.33, ratio 0.3-3.3, value 0).
    double random_erasing = 0.0;
    // Test-time augmentation: evaluation averages the penultimate features (so the logits of
    // the linear head) of each image and its mirror, on validation and test alike.
    bool tta_flip = false;

    // Similarity learning on images (cosine, cosine+ce, supcon, siamese-* with images).
    double cosine_ce_weight = 0.1;           // cosine+ce: weight of the CE head
    double supcon_temperature = 0.1;         // tau = tau_base
    int projection_dim = 128;                // supcon: featureDim -> featureDim -> projection_dim
    double contrastive_margin = 1.0;         // siamese-contrastive
    double triplet_margin = 0.2;             // siamese-triplet
    std::string siamese_input = "features";  // features (the paper's two stages) | images
    // Class-balanced batches for the losses that need positives within a batch (supcon,
    // siamese-* on images): P classes x M images each. With plain random batches of 32 over
    // many classes almost no anchor has a positive besides its own second view.
    bool balanced_batches = true;
    int batch_classes = 0;           // P; 0 = auto: batch_size / M (at most the classes there are)
    int batch_images_per_class = 4;  // M

    // Two-stage methods on a trained baseline's cached penultimate features (siamese-*,
    // reptile, gnn): a baseline run folder holding features.pt, or "" to train the baseline
    // first inside this run.
    std::string features_from;
    int hidden_dim = 512;         // the 2-layer MLPs' hidden width
    int embedding_dim = 128;      // siamese: the embedding network's output
    int embedding_epochs = 100;   // siamese: embedding network training
    int classifier_epochs = 100;  // the final classifier on frozen features or embeddings
    int reptile_ways = 5;
    int reptile_shots = 5;
    int reptile_iterations = 2000;
    int reptile_inner_steps = 8;
    double reptile_inner_lr = 1e-3;  // Adam, beta1 = 0
    int reptile_meta_batch = 5;
    double reptile_epsilon = 1.0;           // meta step, annealed linearly to 0
    std::string gnn_normalization = "row";  // row (the paper's eq. 9) | symmetric (Kipf)
    std::string gnn_graph = "mean-distance";  // the paper's edges (eq. 7) | knn (not the paper's)
    int gnn_neighbours = 10;                  // gnn_graph = knn: nearest neighbours per node
    int gnn_hidden = 16;
    double gnn_dropout = 0.5;
    double gnn_lr = 0.01;
    double gnn_weight_decay = 5e-4;
    int gnn_epochs = 200;
    int gnn_classes = 0;        // >0: a seeded random subset of classes (the paper's 10)
    int gnn_feature_dims = 0;   // >0: keep the first n feature dimensions (the paper's 100)
    int gnn_max_nodes = 20000;  // the graph is dense: n^2 floats

    // Execution.
    std::string device = "auto";  // auto | cpu | cuda
    int threads = 0;              // 0: all cores
    // 200 rather than 500: the default run's peak memory fell from 859 to 688 MB here, and
    // its time did not change.
    int eval_batch_size = 200;
    // Speed (fast_path.h). auto: bf16 autocast on GPUs with bf16 tensor cores, else fp32.
    std::string precision = "auto";  // auto | fp32 | bf16
    bool channels_last = true;       // NHWC convolutions: ~1.1x on this CPU, cuDNN's bf16 layout
    // Form the next batch on a thread of its own while this one trains; the batches are the
    // same either way.
    bool prefetch = true;
    // Every n-th epoch of the image stage (and its last) saves training_state.pt, from which
    // `train --resume` and a rerun comparison continue after a crash; 0: never. A save costs
    // about 3 model sizes of writing, so one is skipped when the previous is younger than
    // checkpoint_seconds (a crash then loses at most that and an epoch).
    int checkpoint_every = 1;
    double checkpoint_seconds = 30;

    // Throws InputError naming the key for unknown keys, wrong types and out-of-range values.
    static TrainConfig fromJson(const nlohmann::json& j);
    // `base` (a preset's keys), the file's keys over it, then `overrides` (command-line flags)
    // on top, validated once together.
    static TrainConfig fromFile(const std::string& path,
                                const nlohmann::json& overrides = nlohmann::json::object(),
                                const nlohmann::json& base = nlohmann::json::object());
    nlohmann::json toJson() const;
    // Methods that train on a baseline's cached features rather than on images.
    bool usesFeatureCache() const;
    // Whether `key` can change what `method` computes (gnn_* keys do not change a baseline),
    // so a kept run is compared with a planned one on the keys that matter.
    static bool keyAffects(const std::string& key, const std::string& method);
    // Whether the image stage draws class-balanced batches: balanced_batches is set and the
    // method training on images reads it (supcon, siamese-* with siamese_input images).
    bool usesBalancedBatches() const;
    // Range checks shared by every entry point (JSON, CLI flags, GUI form).
    void validate() const;
};

}  // namespace fewdata
