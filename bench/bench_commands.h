// The subcommands of fewdata-bench. Each prints its figures one per line as `key=value`
// pairs, so a script can set them beside the torchvision reference run in the same command.
#pragma once

#include <string>

namespace fewdata::bench {

// The shape and settings of one synthetic SGD step.
struct StepSetup {
    std::string arch = "resnet18";
    int size = 32;
    int batch = 64;
    int channels = 3;
    int classes = 10;
    std::string stem = "imagenet";
    std::string device = "cpu";
    int threads = 0;  // 0: all cores
    bool channelsLast = true;
    std::string precision = "auto";  // auto | fp32 | bf16
    bool graph = false;              // capture the whole step in a CUDA graph
    bool plain = false;              // the reference's step exactly: NCHW, fp32, no graph
};

struct TrainStepArgs {
    StepSetup setup;
    int steps = 10;
    int warmup = 3;
};
// Images/s of forward, loss, backward and SGD step on one fixed random batch.
double trainStepRate(const StepSetup& setup, int steps, int warmup);
int runTrainStep(const TrainStepArgs& args);

struct EpochArgs {
    std::string method = "mixup";
    std::string arch = "resnet18";
    int perClass = 500;
    int imageSize = 0;  // 0: the config's auto (56 for Fashion-MNIST)
    int batch = 32;
    int epochs = 3;
    int threads = 0;
    std::string device = "cpu";
    bool prefetch = true;
    bool channelsLast = true;
    std::string precision = "auto";
    std::string augmentPolicy = "none";
    double randomErasing = 0;
};
// A training epoch through the real pipeline (cached Fashion-MNIST subset, batch stream,
// augmentation, mixing, copies), beside the synthetic step of the same shape.
int runEpoch(const EpochArgs& args);

struct DecodeArgs {
    std::string dir;  // an ImageFolder tree; empty: a generated one of `images` JPEGs
    int images = 400;
    int size = 224;
    int threads = 0;
    int rounds = 3;
};
int runDecode(const DecodeArgs& args);  // returns 2 when the build has no image decoding

struct ComparisonArgs {
    std::string preset = "fmnist-table1";
    std::string methods;  // comma-separated subset of the preset's; empty: all of them
    std::string out;      // where the run folders go; empty: a temporary folder, removed after
    int epochs = 0;       // 0: the preset's
    int maxTest = 0;
    int threads = 0;
    int seeds = 1;
    std::string device = "auto";
};
int runComparison(const ComparisonArgs& args);

struct ReptileArgs {
    int iterations = 200;
    int metaBatch = 5;
    int innerSteps = 8;
    int ways = 5;
    int shots = 5;
    int features = 512;  // ResNet-18's feature width
    int hidden = 512;    // the config's hidden_dim
    int threads = 0;     // 0: all cores
};
// Time per meta-iteration, tasks one at a time against batched, on the same tasks.
int runReptile(const ReptileArgs& args);

struct GcnArgs {
    int nodes = 10500;  // the embedded default's graph: 400 train, 100 val, 10,000 test
    int features = 512;
    int neighbours = 10;
    int hidden = 16;
    int classes = 10;
    int epochs = 20;
    int threads = 0;  // 0: all cores
};
// Time per GCN epoch's graph products on a k-nearest graph, dense against sparse.
int runGcn(const GcnArgs& args);

}  // namespace fewdata::bench
