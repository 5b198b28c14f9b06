// Reptile's inner loops, one task at a time and all tasks of a meta-batch at once.
#include "core/methods/reptile_inner.h"

#include "core/train/adam_no_momentum.h"

namespace fewdata {

namespace F = torch::nn::functional;

namespace {

// phi is the MLP's [hidden weight (h x d), hidden bias, output weight (ways x h), output bias],
// in torch::nn::Linear's layout, so the forward pass is the module's.
torch::Tensor taskLogits(const std::vector<torch::Tensor>& w, const torch::Tensor& x) {
    return F::linear(torch::relu(F::linear(x, w[0], w[1])), w[2], w[3]);
}

std::vector<torch::Tensor> trainableCopy(const std::vector<torch::Tensor>& phi) {
    std::vector<torch::Tensor> out;
    for (const auto& p : phi) out.push_back(p.detach().clone().requires_grad_());
    return out;
}

// One copy of phi per task, along a new leading dimension.
std::vector<torch::Tensor> stackedCopies(const std::vector<torch::Tensor>& phi, int64_t tasks) {
    std::vector<torch::Tensor> out;
    for (const auto& p : phi) {
        std::vector<int64_t> shape = {tasks};
        for (const auto s : p.sizes()) shape.push_back(s);
        out.push_back(p.detach().unsqueeze(0).expand(shape).contiguous());
    }
    return out;
}

torch::optim::Adam innerAdam(const std::vector<torch::Tensor>& weights, double lr) {
    return torch::optim::Adam(weights,
                              torch::optim::AdamOptions(lr).betas(std::make_tuple(0.0, 0.999)));
}

}  // namespace

ReptileAdaptation adaptTasksOneByOne(const std::vector<torch::Tensor>& phi,
                                     const std::vector<ReptileTask>& tasks,
                                     const ReptileInner& inner) {
    ReptileAdaptation out;
    for (const auto& task : tasks) {
        auto w = trainableCopy(phi);
        auto adam = innerAdam(w, inner.lr);
        for (int k = 0; k < inner.steps; ++k) {
            adam.zero_grad();
            const auto loss = F::cross_entropy(taskLogits(w, task.x), task.labels);
            if (k + 1 == inner.steps) out.lastLossSum += loss.item<double>();
            loss.backward();
            adam.step();
        }
        std::vector<torch::Tensor> adapted;
        for (auto& t : w) adapted.push_back(t.detach());
        out.weights.push_back(std::move(adapted));
    }
    return out;
}

// The tasks' MLPs stacked along a leading task dimension, with the gradients written out by
// hand: the small output layer as batched products over all tasks, the 512 x 512 hidden layer
// as one product per task, and Adam as one pass per tensor
// (adam_no_momentum.h). Each task's weights get that task's mean cross-entropy gradient
// alone, as in adaptTasksOneByOne.
ReptileAdaptation adaptTasksBatched(const std::vector<torch::Tensor>& phi,
                                    const std::vector<ReptileTask>& tasks,
                                    const ReptileInner& inner) {
    ReptileAdaptation out;
    if (tasks.empty()) return out;
    torch::NoGradGuard noGrad;
    const auto count = static_cast<int64_t>(tasks.size());
    std::vector<torch::Tensor> xs, ys;
    for (const auto& t : tasks) {
        TORCH_CHECK(t.x.size(0) == tasks[0].x.size(0),
                    "batched Reptile tasks need the same number of images");
        xs.push_back(t.x);
        ys.push_back(t.labels);
    }
    // Activations are kept feature-major (tasks x width x n): every product below then reads
    // and writes contiguous matrices, which OpenBLAS runs faster than transposed views.
    const auto x = torch::stack(xs).contiguous();  // tasks x n x d
    TORCH_CHECK(x.is_cpu() && x.scalar_type() == torch::kFloat32,
                "batched Reptile runs on float32 features in CPU memory");
    const auto xT = x.transpose(1, 2).contiguous();  // tasks x d x n
    const int64_t n = x.size(1);
    const int64_t hiddenWidth = phi[0].size(0);
    const auto target =
        F::one_hot(torch::stack(ys), phi[2].size(0)).to(torch::kFloat32).transpose(1, 2);
    auto w = stackedCopies(phi, count);
    std::vector<torch::Tensor> grad, second;
    for (const auto& t : w) {
        grad.push_back(torch::empty_like(t));
        second.push_back(torch::zeros_like(t));
    }
    auto preT = torch::empty({count, hiddenWidth, n});
    const AdamNoMomentum adam{inner.lr};
    const auto adamStep = [&](size_t i, int64_t task, int64_t step) {
        const int64_t size = w[i][0].numel();
        adamNoMomentumStep(w[i].data_ptr<float>() + task * size,
                           grad[i].data_ptr<float>() + task * size,
                           second[i].data_ptr<float>() + task * size, size, step, adam);
    };
    for (int64_t k = 1; k <= inner.steps; ++k) {
        for (int64_t t = 0; t < count; ++t) {
            auto slice = preT[t];
            torch::addmm_out(slice, w[1][t].unsqueeze(1), w[0][t], xT[t]);
        }
        const auto hiddenT = torch::relu(preT);
        const auto logProbT =
            torch::log_softmax(torch::baddbmm(w[3].unsqueeze(2), w[2], hiddenT), 1);
        if (k == inner.steps)
            out.lastLossSum -= (logProbT * target).sum(1).mean(1).sum().item<double>();
        const auto dLogitsT = (logProbT.exp() - target) / static_cast<double>(n);
        torch::bmm_out(grad[2], dLogitsT, hiddenT.transpose(1, 2));
        torch::sum_out(grad[3], dLogitsT, 2);
        const auto dPreT = torch::bmm(w[2].transpose(1, 2), dLogitsT).mul_(preT > 0);
        torch::sum_out(grad[1], dPreT, 2);
        for (int64_t t = 0; t < count; ++t) {
            auto slice = grad[0][t];
            torch::mm_out(slice, dPreT[t], x[t]);
            adamStep(0, t, k);  // while the task's gradient is still in cache
        }
        for (size_t i = 1; i < w.size(); ++i)
            for (int64_t t = 0; t < count; ++t) adamStep(i, t, k);
    }
    for (int64_t t = 0; t < count; ++t) {
        std::vector<torch::Tensor> adapted;
        for (auto& tensor : w) adapted.push_back(tensor[t]);
        out.weights.push_back(std::move(adapted));
    }
    return out;
}

}  // namespace fewdata
