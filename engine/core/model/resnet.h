// ResNet-18/34/50 with exactly torchvision's architecture and parameter names (v1.5: stride on
// the 3x3 convolution of the bottleneck), randomly initialised as torchvision does. Never loads
// pre-trained weights: the low-resource challenge forbids them.
#pragma once

#include <torch/torch.h>

#include <string>

namespace fewdata {

struct ResNetOptions {
    std::string arch = "resnet18";  // resnet18 | resnet34 | resnet50
    int64_t numClasses = 1000;
    int64_t inChannels = 3;
    bool smallStem = false;  // 3x3 stride-1 conv and no max-pool, for 28 to 64 px images
    // torchvision's zero_init_residual: each block's last BatchNorm scale starts at 0, so every
    // block starts as the identity (Goyal et al. 2017).
    bool zeroInitResidual = false;
};

namespace detail {

struct BasicBlockImpl : torch::nn::Module {
    static constexpr int64_t kExpansion = 1;
    BasicBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
    torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

struct BottleneckImpl : torch::nn::Module {
    static constexpr int64_t kExpansion = 4;
    BottleneckImpl(int64_t inPlanes, int64_t planes, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

}  // namespace detail

class ResNetImpl : public torch::nn::Module {
public:
    explicit ResNetImpl(const ResNetOptions& options);
    torch::Tensor forward(const torch::Tensor& x);   // logits
    torch::Tensor features(const torch::Tensor& x);  // penultimate (after global pooling)
    torch::Tensor classify(const torch::Tensor& features) { return fc->forward(features); }
    int64_t featureDim() const { return featureDim_; }
    const ResNetOptions& options() const { return options_; }

private:
    template <typename Block>
    torch::nn::Sequential makeLayer(int64_t planes, int64_t blocks, int64_t stride);

    ResNetOptions options_;
    int64_t inPlanes_ = 64;
    int64_t featureDim_ = 512;
    torch::nn::Conv2d conv1{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr};
    torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
    torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(ResNet);

int64_t countParameters(torch::nn::Module& module);

}  // namespace fewdata
