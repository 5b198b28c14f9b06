// fewdata-bench: throughput of the engine, one figure per line, to set beside the torchvision
// reference (../shared/bench/ref_torchvision_train.py) run in the same command.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "core/resnet.h"
#include "core/runtime.h"

namespace {

struct TrainStepArgs {
    std::string arch = "resnet18";
    int size = 32;
    int batch = 64;
    int steps = 5;
    int warmup = 2;
    int threads = 2;
    int classes = 10;
    std::string stem = "imagenet";
    std::string device = "cpu";
};

// The same step as the reference script: SGD (lr 0.1, momentum 0.9, wd 1e-4), cross-entropy,
// synthetic data, two untimed warm-up steps.
int trainStep(const TrainStepArgs& a) {
    const int threads = fewdata::applyThreadCount(a.threads);
    const torch::Device device = fewdata::resolveDevice(a.device);
    torch::manual_seed(0);
    fewdata::ResNetOptions ro;
    ro.arch = a.arch;
    ro.numClasses = a.classes;
    ro.smallStem = a.stem == "small";
    fewdata::ResNet model(ro);
    model->to(device);
    model->train();
    torch::optim::SGD opt(model->parameters(),
                          torch::optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-4));
    auto x = torch::randn({a.batch, 3, a.size, a.size}, device);
    auto y =
        torch::randint(a.classes, {a.batch}, torch::TensorOptions(device).dtype(torch::kInt64));
    auto step = [&] {
        model->zero_grad(/*set_to_none=*/true);
        auto loss = torch::nn::functional::cross_entropy(model->forward(x), y);
        loss.backward();
        opt.step();
    };
    for (int i = 0; i < a.warmup; ++i) step();
    if (device.is_cuda()) torch::cuda::synchronize();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < a.steps; ++i) step();
    if (device.is_cuda()) torch::cuda::synchronize();
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("fewdata %s size=%d batch=%d threads=%d stem=%s device=%s imgs_per_s=%.1f\n",
                a.arch.c_str(), a.size, a.batch, threads, a.stem.c_str(), a.device.c_str(),
                a.steps * a.batch / dt);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"FewData Workbench benchmarks"};
    app.require_subcommand(1);
    TrainStepArgs ts;
    auto* sub =
        app.add_subcommand("train-step", "Training images/s of one SGD step on synthetic data");
    sub->add_option("--arch", ts.arch, "resnet18, resnet34 or resnet50");
    sub->add_option("--size", ts.size, "Input side in pixels");
    sub->add_option("--batch", ts.batch, "Batch size");
    sub->add_option("--steps", ts.steps, "Timed steps");
    sub->add_option("--warmup", ts.warmup, "Untimed steps first");
    sub->add_option("--threads", ts.threads, "CPU threads (0 = all cores)");
    sub->add_option("--classes", ts.classes, "Output classes");
    sub->add_option("--stem", ts.stem, "imagenet (torchvision's) or small");
    sub->add_option("--device", ts.device, "cpu, cuda or auto");
    CLI11_PARSE(app, argc, argv);
    try {
        if (sub->parsed()) return trainStep(ts);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
    return 2;
}
