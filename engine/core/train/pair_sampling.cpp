#include "core/train/pair_sampling.h"

#include <map>
#include <vector>

namespace fewdata {
namespace {

using Gen = c10::optional<at::Generator>;

int64_t uniformBelow(int64_t n, const Gen& g) {
    return torch::randint(n, {1}, g, torch::kInt64).item<int64_t>();
}

struct ClassMembers {
    std::vector<int64_t> labels;
    std::map<int64_t, std::vector<int64_t>> members;

    Gen gen;

    ClassMembers(const torch::Tensor& t, Gen g) : gen(std::move(g)) {
        const auto l = t.to(torch::kCPU, torch::kInt64).contiguous();
        const int64_t* p = l.data_ptr<int64_t>();
        labels.assign(p, p + l.numel());
        for (int64_t i = 0; i < l.numel(); ++i) members[labels[i]].push_back(i);
    }
    int64_t n() const { return static_cast<int64_t>(labels.size()); }
    bool hasPartner(int64_t i) const { return members.at(labels[i]).size() > 1; }
    bool hasOther(int64_t i) const { return members.at(labels[i]).size() < labels.size(); }
    int64_t partner(int64_t i) const {
        const auto& same = members.at(labels[i]);
        for (;;) {
            const int64_t j = same[uniformBelow(static_cast<int64_t>(same.size()), gen)];
            if (j != i) return j;
        }
    }
    int64_t other(int64_t i) const {
        for (;;) {
            const int64_t j = uniformBelow(n(), gen);
            if (labels[j] != labels[i]) return j;
        }
    }
};

torch::Tensor indexTensor(const std::vector<int64_t>& v) {
    return torch::tensor(v, torch::kInt64);
}

}  // namespace

Pairs balancedPairs(const torch::Tensor& labels, c10::optional<at::Generator> generator) {
    const ClassMembers cm(labels, generator);
    std::vector<int64_t> first, second;
    std::vector<float> same;
    for (int64_t i = 0; i < cm.n(); ++i) {
        bool positive = uniformBelow(2, cm.gen) == 0;
        if (positive && !cm.hasPartner(i)) positive = false;
        if (!positive && !cm.hasOther(i)) positive = cm.hasPartner(i);
        if (positive && !cm.hasPartner(i)) continue;  // a lone row of a lone class
        first.push_back(i);
        second.push_back(positive ? cm.partner(i) : cm.other(i));
        same.push_back(positive ? 1.0f : 0.0f);
    }
    return {indexTensor(first), indexTensor(second), torch::tensor(same, torch::kFloat32)};
}

Triplets randomTriplets(const torch::Tensor& labels, c10::optional<at::Generator> generator) {
    const ClassMembers cm(labels, generator);
    std::vector<int64_t> a, p, n;
    for (int64_t i = 0; i < cm.n(); ++i) {
        if (!cm.hasPartner(i) || !cm.hasOther(i)) continue;
        a.push_back(i);
        p.push_back(cm.partner(i));
        n.push_back(cm.other(i));
    }
    return {indexTensor(a), indexTensor(p), indexTensor(n)};
}

}  // namespace fewdata
