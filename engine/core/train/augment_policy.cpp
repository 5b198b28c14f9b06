#include "core/train/augment_policy.h"

#include <algorithm>
#include <cmath>

#include "core/base/errors.h"

namespace fewdata {
namespace {

using Op = AugmentOp;

const std::vector<std::string>& policyNames() {
    static const std::vector<std::string> names = {"none", "randaugment", "trivialaugment",
                                                   "autoaugment"};
    return names;
}

PolicyStep signedStep(Op op, double magnitude, bool negate) {
    return {op, isSignedOp(op) && negate ? -magnitude : magnitude};
}

PolicyPlan sampleRandAugment(const AugmentOptions& o, int64_t n, int64_t h, int64_t w,
                             const c10::optional<at::Generator>& gen) {
    if (o.policyMagnitude < 0 || o.policyMagnitude >= kPolicyMagnitudeBins)
        throw InputError("randaugment magnitude " + std::to_string(o.policyMagnitude) +
                         " is outside 0.." + std::to_string(kPolicyMagnitudeBins - 1));
    if (o.policyOps < 1)
        throw InputError("randaugment ops " + std::to_string(o.policyOps) + " is below 1");
    const auto ops = policyOps("randaugment");
    const auto which = torch::randint(int64_t(ops.size()), {n, o.policyOps}, gen, torch::kInt64);
    const auto negate = torch::randint(2, {n, o.policyOps}, gen, torch::kInt64);
    const auto wa = which.accessor<int64_t, 2>();
    const auto na = negate.accessor<int64_t, 2>();
    PolicyPlan plan(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        for (int k = 0; k < o.policyOps; ++k) {
            const Op op = ops[size_t(wa[i][k])];
            const double m = policyMagnitude("randaugment", op, o.policyMagnitude,
                                             kPolicyMagnitudeBins, h, w);
            plan[size_t(i)].push_back(signedStep(op, m, na[i][k] == 1));
        }
    return plan;
}

PolicyPlan sampleTrivialAugment(int64_t n, int64_t h, int64_t w,
                                const c10::optional<at::Generator>& gen) {
    const auto ops = policyOps("trivialaugment");
    const auto which = torch::randint(int64_t(ops.size()), {n}, gen, torch::kInt64);
    const auto bins = torch::randint(kPolicyMagnitudeBins, {n}, gen, torch::kInt64);
    const auto negate = torch::randint(2, {n}, gen, torch::kInt64);
    const auto wa = which.accessor<int64_t, 1>();
    const auto ba = bins.accessor<int64_t, 1>();
    const auto na = negate.accessor<int64_t, 1>();
    PolicyPlan plan(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const Op op = ops[size_t(wa[i])];
        const double m =
            policyMagnitude("trivialaugment", op, int(ba[i]), kPolicyMagnitudeBins, h, w);
        plan[size_t(i)].push_back(signedStep(op, m, na[i] == 1));
    }
    return plan;
}

PolicyPlan sampleAutoAugment(int64_t n, int64_t h, int64_t w,
                             const c10::optional<at::Generator>& gen) {
    const auto& policy = autoAugmentImageNetPolicy();
    const auto which = torch::randint(int64_t(policy.size()), {n}, gen, torch::kInt64);
    const auto chance = torch::rand({n, 2}, gen, torch::kFloat64);
    const auto sign = torch::randint(2, {n, 2}, gen, torch::kInt64);
    const auto wa = which.accessor<int64_t, 1>();
    const auto ca = chance.accessor<double, 2>();
    const auto sa = sign.accessor<int64_t, 2>();
    PolicyPlan plan(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        for (int k = 0; k < 2; ++k) {
            const SubPolicyStep& s = policy[size_t(wa[i])][size_t(k)];
            if (ca[i][k] > s.probability) {
                plan[size_t(i)].push_back({});
                continue;
            }
            const double m = s.bin < 0 ? 0.0
                                       : policyMagnitude("autoaugment", s.op, s.bin,
                                                         kAutoAugmentMagnitudeBins, h, w);
            // torchvision's AutoAugment negates on a 0 where RandAugment negates on a 1.
            plan[size_t(i)].push_back(signedStep(s.op, m, sa[i][k] == 0));
        }
    return plan;
}

}  // namespace

void checkAugmentPolicy(const std::string& policy) {
    for (const auto& known : policyNames())
        if (known == policy) return;
    std::string list;
    for (const auto& known : policyNames()) list += (list.empty() ? "" : ", ") + known;
    throw InputError("unknown augmentation policy '" + policy + "'; known: " + list);
}

std::vector<AugmentOp> policyOps(const std::string& policy) {
    checkAugmentPolicy(policy);
    if (policy == "autoaugment") {
        std::vector<AugmentOp> ops;
        for (const auto& sub : autoAugmentImageNetPolicy())
            for (const auto& s : sub)
                if (std::find(ops.begin(), ops.end(), s.op) == ops.end()) ops.push_back(s.op);
        return ops;
    }
    if (policy == "none") return {};
    std::vector<AugmentOp> ops;
    for (int k = 0; k <= int(Op::Equalize); ++k) ops.push_back(Op(k));
    return ops;
}

bool isSignedOp(AugmentOp op) {
    switch (op) {
        case Op::ShearX:
        case Op::ShearY:
        case Op::TranslateX:
        case Op::TranslateY:
        case Op::Rotate:
        case Op::Brightness:
        case Op::Color:
        case Op::Contrast:
        case Op::Sharpness:
            return true;
        default:
            return false;
    }
}

double policyMagnitude(const std::string& policy, AugmentOp op, int bin, int bins,
                       int64_t height, int64_t width) {
    checkAugmentPolicy(policy);
    if (bins < 2 || bin < 0 || bin >= bins)
        throw InputError("magnitude bin " + std::to_string(bin) + " is outside 0.." +
                         std::to_string(bins - 1));
    const bool wide = policy == "trivialaugment";
    const double t = double(bin) / double(bins - 1);
    switch (op) {
        case Op::ShearX:
        case Op::ShearY:
            return (wide ? 0.99 : 0.3) * t;
        case Op::TranslateX:
            return (wide ? 32.0 : 150.0 / 331.0 * double(width)) * t;
        case Op::TranslateY:
            return (wide ? 32.0 : 150.0 / 331.0 * double(height)) * t;
        case Op::Rotate:
            return (wide ? 135.0 : 30.0) * t;
        case Op::Brightness:
        case Op::Color:
        case Op::Contrast:
        case Op::Sharpness:
            return (wide ? 0.99 : 0.9) * t;
        case Op::Posterize:  // bits kept: 8 down to 4 (wide: 2) in equal steps, rounded
            return 8.0 - std::round(double(bin) / (double(bins - 1) / (wide ? 6.0 : 4.0)));
        case Op::Solarize:
            return 255.0 * (1.0 - t);
        default:
            return 0.0;
    }
}

const std::vector<std::array<SubPolicyStep, 2>>& autoAugmentImageNetPolicy() {
    static const std::vector<std::array<SubPolicyStep, 2>> policy = {{
        {{{Op::Posterize, 0.4, 8}, {Op::Rotate, 0.6, 9}}},
        {{{Op::Solarize, 0.6, 5}, {Op::AutoContrast, 0.6, -1}}},
        {{{Op::Equalize, 0.8, -1}, {Op::Equalize, 0.6, -1}}},
        {{{Op::Posterize, 0.6, 7}, {Op::Posterize, 0.6, 6}}},
        {{{Op::Equalize, 0.4, -1}, {Op::Solarize, 0.2, 4}}},
        {{{Op::Equalize, 0.4, -1}, {Op::Rotate, 0.8, 8}}},
        {{{Op::Solarize, 0.6, 3}, {Op::Equalize, 0.6, -1}}},
        {{{Op::Posterize, 0.8, 5}, {Op::Equalize, 1.0, -1}}},
        {{{Op::Rotate, 0.2, 3}, {Op::Solarize, 0.6, 8}}},
        {{{Op::Equalize, 0.6, -1}, {Op::Posterize, 0.4, 6}}},
        {{{Op::Rotate, 0.8, 8}, {Op::Color, 0.4, 0}}},
        {{{Op::Rotate, 0.4, 9}, {Op::Equalize, 0.6, -1}}},
        {{{Op::Equalize, 0.0, -1}, {Op::Equalize, 0.8, -1}}},
        {{{Op::Invert, 0.6, -1}, {Op::Equalize, 1.0, -1}}},
        {{{Op::Color, 0.6, 4}, {Op::Contrast, 1.0, 8}}},
        {{{Op::Rotate, 0.8, 8}, {Op::Color, 1.0, 2}}},
        {{{Op::Color, 0.8, 8}, {Op::Solarize, 0.8, 7}}},
        {{{Op::Sharpness, 0.4, 7}, {Op::Invert, 0.6, -1}}},
        {{{Op::ShearX, 0.6, 5}, {Op::Equalize, 1.0, -1}}},
        {{{Op::Color, 0.4, 0}, {Op::Equalize, 0.6, -1}}},
        {{{Op::Equalize, 0.4, -1}, {Op::Solarize, 0.2, 4}}},
        {{{Op::Solarize, 0.6, 5}, {Op::AutoContrast, 0.6, -1}}},
        {{{Op::Invert, 0.6, -1}, {Op::Equalize, 1.0, -1}}},
        {{{Op::Color, 0.6, 4}, {Op::Contrast, 1.0, 8}}},
        {{{Op::Equalize, 0.8, -1}, {Op::Equalize, 0.6, -1}}},
    }};
    return policy;
}

PolicyPlan samplePolicy(const AugmentOptions& o, int64_t n, int64_t h, int64_t w,
                        const c10::optional<at::Generator>& gen) {
    checkAugmentPolicy(o.policy);
    if (o.policy == "randaugment") return sampleRandAugment(o, n, h, w, gen);
    if (o.policy == "trivialaugment") return sampleTrivialAugment(n, h, w, gen);
    if (o.policy == "autoaugment") return sampleAutoAugment(n, h, w, gen);
    return PolicyPlan(size_t(n));
}

torch::Tensor applyPolicyPlan(const torch::Tensor& batch, const PolicyPlan& plan) {
    const int64_t n = batch.size(0);
    TORCH_CHECK(int64_t(plan.size()) == n, "a policy plan per image");
    const size_t steps = plan.empty() ? 0 : plan[0].size();
    torch::Tensor out = batch;
    for (size_t s = 0; s < steps; ++s)
        for (int k = 1; k < kAugmentOpCount; ++k) {
            std::vector<int64_t> rows;
            std::vector<double> magnitudes;
            for (int64_t i = 0; i < n; ++i)
                if (int(plan[size_t(i)][s].op) == k) {
                    rows.push_back(i);
                    magnitudes.push_back(plan[size_t(i)][s].magnitude);
                }
            if (rows.empty()) continue;
            if (out.is_same(batch)) out = batch.clone();
            const auto index = torch::tensor(rows, torch::kInt64).to(out.device());
            out.index_copy_(0, index,
                            applyAugmentOp(out.index_select(0, index), AugmentOp(k),
                                           torch::tensor(magnitudes, torch::kFloat64)));
        }
    return out;
}

torch::Tensor sampleErasingBoxes(int64_t n, int64_t h, int64_t w, double p,
                                 const c10::optional<at::Generator>& gen) {
    constexpr int kTries = 10;
    const double logLo = std::log(0.3), logHi = std::log(3.3);
    const auto u = torch::rand({n, 1 + 4 * kTries}, gen, torch::kFloat64);
    const auto ua = u.accessor<double, 2>();
    auto boxes = torch::zeros({n, 4}, torch::kInt64);
    auto ba = boxes.accessor<int64_t, 2>();
    for (int64_t i = 0; i < n; ++i) {
        if (!(ua[i][0] < p)) continue;
        for (int t = 0; t < kTries; ++t) {
            const double* v = &ua[i][1 + 4 * t];
            const double area = double(h * w) * (0.02 + (0.33 - 0.02) * v[0]);
            const double aspect = std::exp(logLo + (logHi - logLo) * v[1]);
            const auto eh = int64_t(std::nearbyint(std::sqrt(area * aspect)));
            const auto ew = int64_t(std::nearbyint(std::sqrt(area / aspect)));
            if (!(eh < h && ew < w)) continue;
            ba[i][0] = std::min(h - eh, int64_t(v[2] * double(h - eh + 1)));
            ba[i][1] = std::min(w - ew, int64_t(v[3] * double(w - ew + 1)));
            ba[i][2] = eh;
            ba[i][3] = ew;
            break;
        }
    }
    return boxes;
}

torch::Tensor applyAugmentPolicy(const torch::Tensor& batch, const AugmentOptions& o,
                                 const c10::optional<at::Generator>& gen) {
    torch::Tensor out = batch;
    const int64_t n = batch.size(0), h = batch.size(2), w = batch.size(3);
    if (o.policy != "none") out = applyPolicyPlan(out, samplePolicy(o, n, h, w, gen));
    if (o.erasing > 0) out = eraseBoxes(out, sampleErasingBoxes(n, h, w, o.erasing, gen));
    return out;
}

}  // namespace fewdata
