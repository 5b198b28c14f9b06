#include "core/config/config_table.h"

#include <algorithm>

namespace fewdata {
namespace {

using T = TrainConfig;
constexpr KeyRole L = KeyRole::Learning;
constexpr KeyRole M = KeyRole::Method;
constexpr KeyRole X = KeyRole::Execution;
constexpr double kIntMax = 2147483647.0;

std::vector<ConfigKey> makeTable() {
    // Defaults live in TrainConfig's member initialisers (config.h), once.
    std::vector<ConfigKey> t = {
        // Data and protocol.
        {"dataset", &T::dataset, L, "data", "--dataset",
         "fashion-mnist (the embedded default), or the path of an ImageFolder or VIPriors tree"},
        {"layout", &T::layout, L, "data", "--layout", "Folder layout", 0, 0,
         {"auto", "imagefolder", "vipriors"}},
        {"per_class", &T::per_class, L, "data", "--per-class", "Images drawn per class, K", 2,
         1000000},
        {"take_all_available", &T::take_all_available, L, "data", "--take-all",
         "Every usable image of each class instead of K (so a class short of K is no error)"},
        {"val_fraction", &T::val_fraction, L, "data", "--val-fraction",
         "Share of the K images used for validation (model selection needs one per class)",
         0.01, 0.9},
        {"seed", &T::seed, L, "data", "--seed",
         "Seed of the draw, the split, the initialisation and the batches"},
        {"image_size", &T::image_size, L, "data", "--image-size",
         "Side the network sees; 0 = 56 for Fashion-MNIST, 224 for folders (the VIPriors "
         "toolkit's)",
         0, 1024},
        {"channels", &T::channels, L, "data", "--channels",
         "Image channels: 0 (the dataset's own), 1 or 3"},
        {"max_test_samples", &T::max_test_samples, L, "data", "--max-test",
         "Evaluate on a seeded subset of this many test images; 0 = all", 0, kIntMax},
        // Method and model.
        {"method", &T::method, L, "model", "--method", "The method (docs/methods.md)"},
        {"mix_alpha", &T::mix_alpha, M, "model", "--mix-alpha",
         "mixup/cutmix: lambda ~ Beta(alpha, alpha)", 1e-3, 100},
        {"mix_probability", &T::mix_probability, M, "model", "--mix-prob",
         "mixup/cutmix: share of batches mixed", 0, 1},
        {"model", &T::model, L, "model", "--model", "The network, trained from scratch", 0, 0,
         {"resnet18", "resnet34", "resnet50"}},
        {"stem", &T::stem, L, "model", "--stem",
         "auto (torchvision's from 56 px up), imagenet (7x7 conv + max-pool) or small (3x3 "
         "stride 1)",
         0, 0, {"auto", "imagenet", "small"}},
        {"zero_init_residual", &T::zero_init_residual, L, "model", "--zero-init-residual",
         "Start each residual block as the identity (its last BatchNorm scale at 0)"},
        // Optimisation.
        {"epochs", &T::epochs, L, "optimisation", "--epochs", "Training epochs of the image stage",
         1, 100000},
        {"batch_size", &T::batch_size, L, "optimisation", "--batch", "Images per training batch", 1,
         65536},
        {"lr", &T::lr, L, "optimisation", "--lr", "Peak learning rate of SGD (above 0)", 0, 1e6},
        {"momentum", &T::momentum, L, "optimisation", "--momentum", "SGD momentum", 0, 0.999999},
        {"nesterov", &T::nesterov, L, "optimisation", "--nesterov", "Nesterov momentum"},
        {"weight_decay", &T::weight_decay, L, "optimisation", "--weight-decay", "SGD weight decay",
         0, 1},
        {"schedule", &T::schedule, L, "optimisation", "--schedule",
         "cosine, or step (divide by 1/step_gamma every step_epochs, the VIPriors default)", 0, 0,
         {"cosine", "step"}},
        {"warmup_epochs", &T::warmup_epochs, L, "optimisation", "--warmup",
         "Epochs of linear learning-rate warm-up (0 to epochs)"},
        {"step_epochs", &T::step_epochs, L, "optimisation", "--step-epochs",
         "step schedule: epochs between divisions", 1, 100000},
        {"step_gamma", &T::step_gamma, L, "optimisation", "--step-gamma",
         "step schedule: the factor at each division", 0, 1},
        {"label_smoothing", &T::label_smoothing, L, "optimisation", "--label-smoothing",
         "Label smoothing of the cross-entropy", 0, 0.99},
        {"bn_momentum", &T::bn_momentum, L, "optimisation", "--bn-momentum",
         "BatchNorm's running-statistics momentum (after the cumulative start, if on)", 1e-4, 1},
        {"bn_cumulative_start", &T::bn_cumulative_start, L, "optimisation",
         "--bn-cumulative-start",
         "BatchNorm's running statistics average cumulatively until 1/step reaches bn_momentum"},
        {"ema_decay", &T::ema_decay, L, "optimisation", "--ema-decay",
         "Decay of an exponential moving average of the weights, selected on validation beside "
         "the raw weights; 0 = off",
         0, 0.99999},
        // Augmentation (on batch tensors).
        {"augment", &T::augment, L, "augmentation", "--augment",
         "auto (pad-crop up to 64 px, else resize-crop), pad-crop, resize-crop, "
         "random-resized-crop or none",
         0, 0, {"auto", "pad-crop", "resize-crop", "random-resized-crop", "none"}},
        {"pad", &T::pad, L, "augmentation", "--pad", "pad-crop: padding in pixels", 0, 64},
        {"flip", &T::flip, L, "augmentation", "--flip", "Random horizontal flips"},
        {"augment_policy", &T::augment_policy, L, "augmentation", "--augment-policy",
         "Per-image policy after the crop: none, randaugment, trivialaugment or autoaugment "
         "(torchvision's ImageNet policy)",
         0, 0, {"none", "randaugment", "trivialaugment", "autoaugment"}},
        {"randaugment_ops", &T::randaugment_ops, L, "augmentation", "--randaugment-ops",
         "randaugment: ops applied to each image, N", 1, 14},
        {"randaugment_magnitude", &T::randaugment_magnitude, L, "augmentation",
         "--randaugment-magnitude", "randaugment: magnitude bin M of 0..30", 0, 30},
        {"random_erasing", &T::random_erasing, L, "augmentation", "--random-erasing",
         "Probability of erasing a random box to black (torchvision's RandomErasing); 0 = off",
         0, 1},
        {"tta_flip", &T::tta_flip, L, "augmentation", "--tta-flip",
         "Test-time augmentation: average each evaluated image with its mirror"},
        // Similarity learning on images.
        {"cosine_ce_weight", &T::cosine_ce_weight, M, "similarity", "--cosine-ce-weight",
         "cosine+ce: weight of the cross-entropy head", 0, 100},
        {"supcon_temperature", &T::supcon_temperature, M, "similarity", "--supcon-temperature",
         "supcon: temperature tau", 1e-3, 10},
        {"projection_dim", &T::projection_dim, M, "similarity", "--projection-dim",
         "supcon: output of the projection head", 2, 65536},
        {"contrastive_margin", &T::contrastive_margin, M, "similarity", "--contrastive-margin",
         "siamese-contrastive: margin of dissimilar pairs", 0, 4},
        {"triplet_margin", &T::triplet_margin, M, "similarity", "--triplet-margin",
         "siamese-triplet: margin", 0, 4},
        {"siamese_input", &T::siamese_input, M, "similarity", "--siamese-input",
         "siamese-*: features (the paper's two stages) or images (end to end)", 0, 0,
         {"features", "images"}},
        {"balanced_batches", &T::balanced_batches, M, "similarity", "--balanced-batches",
         "supcon, siamese-* on images: batches of P classes x M images, so anchors have "
         "positives"},
        {"batch_images_per_class", &T::batch_images_per_class, M, "similarity",
         "--batch-images-per-class", "Balanced batches: images of each class in a batch, M", 1,
         65536},
        {"batch_classes", &T::batch_classes, M, "similarity", "--batch-classes",
         "Balanced batches: classes per batch, P; P x M must be batch_size; 0 = batch_size / M",
         0, 65536},
        // Methods on cached features.
        {"features_from", &T::features_from, M, "features", "--features-from",
         "siamese-*, reptile, gnn: a finished baseline run whose features.pt to learn on; "
         "empty: train the baseline first in this run"},
        {"hidden_dim", &T::hidden_dim, M, "features", "--hidden-dim",
         "siamese-*, reptile: hidden width of the 2-layer MLPs", 1, 65536},
        {"embedding_dim", &T::embedding_dim, M, "features", "--embedding-dim",
         "siamese-*: output of the embedding network", 1, 65536},
        {"embedding_epochs", &T::embedding_epochs, M, "features", "--embedding-epochs",
         "siamese-*: epochs of the embedding network", 1, 100000},
        {"classifier_epochs", &T::classifier_epochs, M, "features", "--classifier-epochs",
         "Two-stage methods: epochs of the final classifier", 1, 100000},
        {"reptile_ways", &T::reptile_ways, M, "features", "--reptile-ways",
         "reptile: classes per task", 2, 100000},
        {"reptile_shots", &T::reptile_shots, M, "features", "--reptile-shots",
         "reptile: examples per class and task", 1, 100000},
        {"reptile_iterations", &T::reptile_iterations, M, "features", "--reptile-iterations",
         "reptile: meta-iterations", 1, 10000000},
        {"reptile_inner_steps", &T::reptile_inner_steps, M, "features", "--reptile-inner-steps",
         "reptile: Adam steps per task", 1, 10000},
        {"reptile_inner_lr", &T::reptile_inner_lr, M, "features", "--reptile-inner-lr",
         "reptile: Adam's learning rate (beta1 = 0)", 1e-8, 10},
        {"reptile_meta_batch", &T::reptile_meta_batch, M, "features", "--reptile-meta-batch",
         "reptile: tasks per meta step", 1, 10000},
        {"reptile_epsilon", &T::reptile_epsilon, M, "features", "--reptile-epsilon",
         "reptile: meta step size, annealed linearly to 0", 0, 10},
        {"gnn_normalization", &T::gnn_normalization, M, "features", "--gnn-normalization",
         "gnn: row (the paper's eq. 9) or symmetric (Kipf and Welling)", 0, 0,
         {"row", "symmetric"}},
        {"gnn_graph", &T::gnn_graph, M, "features", "--gnn-graph",
         "gnn: mean-distance (the paper's: an edge iff at most the mean distance apart) or knn "
         "(each node's gnn_neighbours nearest, symmetrised)",
         0, 0, {"mean-distance", "knn"}, false, "mean-distance"},
        {"gnn_neighbours", &T::gnn_neighbours, M, "features", "--gnn-neighbours",
         "gnn: nearest neighbours per node with gnn_graph knn (read only then)", 1, 1000000},
        {"gnn_hidden", &T::gnn_hidden, M, "features", "--gnn-hidden", "gnn: hidden units", 1,
         65536},
        {"gnn_dropout", &T::gnn_dropout, M, "features", "--gnn-dropout", "gnn: dropout", 0, 0.99},
        {"gnn_lr", &T::gnn_lr, M, "features", "--gnn-lr", "gnn: Adam's learning rate", 1e-8, 10},
        {"gnn_weight_decay", &T::gnn_weight_decay, M, "features", "--gnn-weight-decay",
         "gnn: weight decay", 0, 1},
        {"gnn_epochs", &T::gnn_epochs, M, "features", "--gnn-epochs",
         "gnn: epochs of the GCN (and of its reference MLP)", 1, 1000000},
        {"gnn_classes", &T::gnn_classes, M, "features", "--gnn-classes",
         "gnn: >0 a seeded random subset of this many classes (the paper's 10); 0 = all", 0,
         1000000},
        {"gnn_feature_dims", &T::gnn_feature_dims, M, "features", "--gnn-feature-dims",
         "gnn: >0 keep the first n feature dimensions (the paper's 100); 0 = all", 0, 1000000},
        {"gnn_max_nodes", &T::gnn_max_nodes, M, "features", "--gnn-max-nodes",
         "gnn: the most nodes of the dense graph (n^2 floats)", 10, 1000000},
        // Execution.
        {"device", &T::device, X, "execution", "--device", "auto, cpu or cuda", 0, 0,
         {"auto", "cpu", "cuda"}, true},
        {"threads", &T::threads, X, "execution", "--threads", "CPU threads; 0 = all cores", 0, 1024,
         {}, true},
        {"eval_batch_size", &T::eval_batch_size, X, "execution", "--eval-batch",
         "Batch size of evaluation passes", 1, 65536, {}, true},
        {"precision", &T::precision, X, "execution", "--precision",
         "auto (bf16 on GPUs that have it, else fp32), fp32 or bf16 (autocast)", 0, 0,
         {"auto", "fp32", "bf16"}},
        {"channels_last", &T::channels_last, X, "execution", "--channels-last",
         "true: NHWC convolutions, faster on CPUs and GPUs; false: NCHW"},
        {"prefetch", &T::prefetch, X, "execution", "--prefetch",
         "true: form the next batch while this one trains; the same batches either way", 0, 0,
         {}, true},
        {"checkpoint_every", &T::checkpoint_every, X, "execution", "--checkpoint-every",
         "Save the training state every n epochs for --resume; 0 = never", 0, 1000000, {}, true},
        {"checkpoint_seconds", &T::checkpoint_seconds, X, "execution", "--checkpoint-seconds",
         "Skip a save when the last is younger than this (the last epoch always saves)", 0, 1e9,
         {}, true},
    };
    return t;
}

}  // namespace

const std::vector<ConfigKey>& configTable() {
    static const std::vector<ConfigKey> table = makeTable();
    return table;
}

const ConfigKey* findConfigKey(const std::string& key) {
    for (const ConfigKey& k : configTable())
        if (key == k.key) return &k;
    return nullptr;
}

nlohmann::json configValue(const TrainConfig& c, const ConfigKey& key) {
    return std::visit([&](auto member) { return nlohmann::json(c.*member); }, key.member);
}

const std::vector<std::string>& protocolKeys() {
    static const std::vector<std::string> keys = {"dataset", "layout", "per_class",
                                                  "take_all_available", "val_fraction", "seed",
                                                  "max_test_samples"};
    return keys;
}

void copyProtocolKeys(const TrainConfig& from, TrainConfig& to) {
    for (const std::string& name : protocolKeys())
        std::visit([&](auto member) { to.*member = from.*member; }, findConfigKey(name)->member);
}

bool sameProtocol(const TrainConfig& a, const TrainConfig& b) {
    for (const std::string& name : protocolKeys()) {
        const ConfigKey& k = *findConfigKey(name);
        if (configValue(a, k) != configValue(b, k)) return false;
    }
    return true;
}

bool isRecipeKey(const std::string& key) {
    const ConfigKey* k = findConfigKey(key);
    return k && k->role != KeyRole::Execution && key != "seed";
}

}  // namespace fewdata
