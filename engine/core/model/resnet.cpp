#include "core/model/resnet.h"

namespace fewdata {
namespace detail {
namespace {

torch::nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride) {
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, /*kernel_size=*/3).stride(stride).padding(1).bias(false));
}

torch::nn::Conv2d conv1x1(int64_t in, int64_t out, int64_t stride) {
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, /*kernel_size=*/1).stride(stride).bias(false));
}

torch::nn::Sequential makeDownsample(int64_t in, int64_t out, int64_t stride) {
    if (stride == 1 && in == out) return nullptr;
    return torch::nn::Sequential(conv1x1(in, out, stride), torch::nn::BatchNorm2d(out));
}

}  // namespace

BasicBlockImpl::BasicBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", conv3x3(inPlanes, planes, stride));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
    conv2 = register_module("conv2", conv3x3(planes, planes, 1));
    bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
    if (auto ds = makeDownsample(inPlanes, planes * kExpansion, stride))
        downsample = register_module("downsample", ds);
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
    auto out = bn1(conv1(x)).relu_();
    out = bn2(conv2(out));
    out += downsample ? downsample->forward(x) : x;
    return out.relu_();
}

BottleneckImpl::BottleneckImpl(int64_t inPlanes, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", conv1x1(inPlanes, planes, 1));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
    conv2 = register_module("conv2", conv3x3(planes, planes, stride));
    bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
    conv3 = register_module("conv3", conv1x1(planes, planes * kExpansion, 1));
    bn3 = register_module("bn3", torch::nn::BatchNorm2d(planes * kExpansion));
    if (auto ds = makeDownsample(inPlanes, planes * kExpansion, stride))
        downsample = register_module("downsample", ds);
}

torch::Tensor BottleneckImpl::forward(const torch::Tensor& x) {
    auto out = bn1(conv1(x)).relu_();
    out = bn2(conv2(out)).relu_();
    out = bn3(conv3(out));
    out += downsample ? downsample->forward(x) : x;
    return out.relu_();
}

}  // namespace detail

template <typename Block>
torch::nn::Sequential ResNetImpl::makeLayer(int64_t planes, int64_t blocks, int64_t stride) {
    torch::nn::Sequential layer;
    layer->push_back(Block(inPlanes_, planes, stride));
    inPlanes_ = planes * Block::Impl::kExpansion;
    for (int64_t i = 1; i < blocks; ++i) layer->push_back(Block(inPlanes_, planes, 1));
    return layer;
}

ResNetImpl::ResNetImpl(const ResNetOptions& options) : options_(options) {
    TORCH_CHECK(options.numClasses >= 1, "ResNet needs at least one class");
    TORCH_CHECK(options.inChannels == 1 || options.inChannels == 3,
                "ResNet input channels must be 1 or 3, got ", options.inChannels);
    if (options.smallStem)
        conv1 =
            torch::nn::Conv2d(torch::nn::Conv2dOptions(options.inChannels, 64, /*kernel_size=*/3)
                                  .stride(1)
                                  .padding(1)
                                  .bias(false));
    else
        conv1 =
            torch::nn::Conv2d(torch::nn::Conv2dOptions(options.inChannels, 64, /*kernel_size=*/7)
                                  .stride(2)
                                  .padding(3)
                                  .bias(false));
    register_module("conv1", conv1);
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(64));

    std::array<int64_t, 4> blocks;
    bool bottleneck = false;
    if (options.arch == "resnet18")
        blocks = {2, 2, 2, 2};
    else if (options.arch == "resnet34")
        blocks = {3, 4, 6, 3};
    else if (options.arch == "resnet50")
        blocks = {3, 4, 6, 3}, bottleneck = true;
    else
        TORCH_CHECK(false, "unknown ResNet architecture '", options.arch, "'");

    auto build = [&](auto blockTag) {
        using Block = decltype(blockTag);
        layer1 = register_module("layer1", makeLayer<Block>(64, blocks[0], 1));
        layer2 = register_module("layer2", makeLayer<Block>(128, blocks[1], 2));
        layer3 = register_module("layer3", makeLayer<Block>(256, blocks[2], 2));
        layer4 = register_module("layer4", makeLayer<Block>(512, blocks[3], 2));
    };
    if (bottleneck)
        build(detail::Bottleneck(nullptr));
    else
        build(detail::BasicBlock(nullptr));
    featureDim_ = inPlanes_;
    fc = register_module("fc", torch::nn::Linear(featureDim_, options.numClasses));

    // torchvision's initialisation; Linear keeps LibTorch's default, which matches PyTorch's.
    for (auto& m : modules(/*include_self=*/false)) {
        if (auto* conv = m->as<torch::nn::Conv2d>()) {
            torch::nn::init::kaiming_normal_(conv->weight, /*a=*/0, torch::kFanOut, torch::kReLU);
        } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
            torch::nn::init::ones_(bn->weight);
            torch::nn::init::zeros_(bn->bias);
        }
    }
    if (options.zeroInitResidual)
        for (auto& m : modules(/*include_self=*/false)) {
            if (auto* block = m->as<detail::BasicBlock>())
                torch::nn::init::zeros_(block->bn2->weight);
            else if (auto* bottleneck = m->as<detail::Bottleneck>())
                torch::nn::init::zeros_(bottleneck->bn3->weight);
        }
}

torch::Tensor ResNetImpl::features(const torch::Tensor& x) {
    auto h = bn1(conv1(x)).relu_();
    if (!options_.smallStem)
        h = torch::max_pool2d(h, /*kernel_size=*/3, /*stride=*/2, /*padding=*/1);
    h = layer4->forward(layer3->forward(layer2->forward(layer1->forward(h))));
    return torch::adaptive_avg_pool2d(h, {1, 1}).flatten(1);
}

torch::Tensor ResNetImpl::forward(const torch::Tensor& x) {
    return fc(features(x));
}

int64_t countParameters(torch::nn::Module& module) {
    int64_t n = 0;
    for (const auto& p : module.parameters()) n += p.numel();
    return n;
}

}  // namespace fewdata
