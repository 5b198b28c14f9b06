// fewdata-bench: throughput of the engine, one figure per line, to set beside the torchvision
// reference (bench/ref_torchvision_train.py, bench/ref_torch_variants.py) run in the
// same command. Benchmarks, never timed tests.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "bench_commands.h"

using namespace fewdata::bench;

namespace {

void addStepFlags(CLI::App* sub, StepSetup& s) {
    sub->add_option("--arch", s.arch, "resnet18, resnet34 or resnet50");
    sub->add_option("--size", s.size, "Input side in pixels");
    sub->add_option("--batch", s.batch, "Batch size");
    sub->add_option("--channels", s.channels, "Input channels");
    sub->add_option("--classes", s.classes, "Output classes");
    sub->add_option("--stem", s.stem, "imagenet (torchvision's) or small");
    sub->add_option("--device", s.device, "cpu, cuda or auto");
    sub->add_option("--threads", s.threads, "CPU threads (0 = all cores)");
    sub->add_option("--channels-last", s.channelsLast, "NHWC layout (default true)");
    sub->add_option("--precision", s.precision, "auto, fp32 or bf16 (autocast)");
    sub->add_flag("--graph", s.graph, "Capture the whole step in a CUDA graph and replay it");
    sub->add_flag("--plain", s.plain,
                  "The reference script's step exactly: NCHW, fp32, eager (the baseline the "
                  "engine's settings are measured against)");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"FewData Workbench benchmarks: figures one per line, key=value"};
    app.require_subcommand(1);

    TrainStepArgs ts;
    auto* step =
        app.add_subcommand("train-step", "Training images/s of one SGD step on synthetic data");
    addStepFlags(step, ts.setup);
    step->add_option("--steps", ts.steps, "Timed steps");
    step->add_option("--warmup", ts.warmup, "Untimed steps first");

    EpochArgs ep;
    auto* epoch = app.add_subcommand(
        "epoch",
        "Training images/s of whole epochs through the real pipeline (Fashion-MNIST subset, "
        "augmentation, MixUp/CutMix), beside the synthetic step of the same shape");
    epoch->add_option("--method", ep.method, "baseline, mixup, cutmix, cosine, supcon, ...");
    epoch->add_option("--arch", ep.arch, "resnet18, resnet34 or resnet50");
    epoch->add_option("--per-class", ep.perClass, "Images per class (K); 80 % train");
    epoch->add_option("--image-size", ep.imageSize, "Input side; 0 = the config's auto (56)");
    epoch->add_option("--batch", ep.batch, "Batch size");
    epoch->add_option("--epochs", ep.epochs, "Epochs (the first is not counted)");
    epoch->add_option("--threads", ep.threads, "CPU threads (0 = all cores)");
    epoch->add_option("--device", ep.device, "cpu, cuda or auto");
    epoch->add_option("--prefetch", ep.prefetch, "Form the next batch while this one trains");
    epoch->add_option("--channels-last", ep.channelsLast, "NHWC layout (default true)");
    epoch->add_option("--precision", ep.precision, "auto, fp32 or bf16");
    epoch->add_option("--augment-policy", ep.augmentPolicy,
                      "none, randaugment, trivialaugment or autoaugment");
    epoch->add_option("--random-erasing", ep.randomErasing, "Probability of random erasing");

    DecodeArgs dc;
    auto* decode = app.add_subcommand(
        "decode", "Images/s of decoding and resizing an ImageFolder tree into the cache");
    decode->add_option("--dir", dc.dir, "ImageFolder tree (default: a generated one of JPEGs)");
    decode->add_option("--images", dc.images, "Images in the generated tree");
    decode->add_option("--size", dc.size, "Cache side in pixels");
    decode->add_option("--threads", dc.threads, "CPU threads (0 = all cores)");
    decode->add_option("--rounds", dc.rounds, "Rounds; the median is printed");

    ComparisonArgs cp;
    auto* comparison = app.add_subcommand(
        "comparison", "Wall time of a preset study on the embedded default, run by run");
    comparison->add_option("--preset", cp.preset, "fmnist-table1 (default), fmnist-table2, paper-table1, ...");
    comparison->add_option("--methods", cp.methods, "Comma-separated subset (default: all)");
    comparison->add_option("--seeds", cp.seeds, "Seeds");
    comparison->add_option("--epochs", cp.epochs, "Epochs (0 = the preset's)");
    comparison->add_option("--max-test", cp.maxTest, "Test subset (0 = all)");
    comparison->add_option("--threads", cp.threads, "CPU threads (0 = all cores)");
    comparison->add_option("--device", cp.device, "cpu, cuda or auto");
    comparison->add_option("--out", cp.out, "Keep the run folders here (default: removed)");

    ReptileArgs rp;
    auto* reptile = app.add_subcommand(
        "reptile", "Reptile's meta-iterations: inner loops one task at a time vs batched");
    reptile->add_option("--iterations", rp.iterations, "Timed meta-iterations");
    reptile->add_option("--meta-batch", rp.metaBatch, "Tasks per meta-iteration");
    reptile->add_option("--inner-steps", rp.innerSteps, "Adam steps per task");
    reptile->add_option("--ways", rp.ways, "Classes per task");
    reptile->add_option("--shots", rp.shots, "Images per class and task");
    reptile->add_option("--features", rp.features, "Feature width");
    reptile->add_option("--hidden", rp.hidden, "MLP hidden width");
    reptile->add_option("--threads", rp.threads, "CPU threads of the batched run (0 = all cores); the reference runs on one");

    GcnArgs gc;
    auto* gcn = app.add_subcommand(
        "gcn", "A GCN epoch's graph products on a k-nearest-neighbour graph: dense vs sparse");
    gcn->add_option("--nodes", gc.nodes, "Graph nodes");
    gcn->add_option("--features", gc.features, "Feature width");
    gcn->add_option("--neighbours", gc.neighbours, "k nearest neighbours per node");
    gcn->add_option("--hidden", gc.hidden, "Hidden units");
    gcn->add_option("--classes", gc.classes, "Classes");
    gcn->add_option("--epochs", gc.epochs, "Timed epochs");
    gcn->add_option("--threads", gc.threads, "CPU threads (0 = all cores)");

    CLI11_PARSE(app, argc, argv);
    try {
        if (step->parsed()) return runTrainStep(ts);
        if (epoch->parsed()) return runEpoch(ep);
        if (decode->parsed()) return runDecode(dc);
        if (comparison->parsed()) return runComparison(cp);
        if (reptile->parsed()) return runReptile(rp);
        if (gcn->parsed()) return runGcn(gc);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
    return 2;
}
