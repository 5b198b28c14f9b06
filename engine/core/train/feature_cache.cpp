#include "core/train/feature_cache.h"

#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/base/errors.h"

namespace fewdata {

FeatureCache buildFeatureCache(ResNet& model, const ProtocolSplits& splits, const EvalData& data,
                               const EvalResult* testDone) {
    FeatureCache cache;
    auto fill = [&](LabelledFeatures& out, const Split& s) {
        Features f = extractFeatures(model, s.images, data);
        out.x = f.features;
        out.logits = f.logits;
        out.y = s.labels.to(torch::kCPU, torch::kInt64);
    };
    fill(cache.train, splits.train);
    fill(cache.val, splits.val);
    if (testDone && testDone->features.defined() && testDone->logits.defined() &&
        testDone->features.size(0) == splits.test.images.size(0)) {
        cache.test.x = testDone->features;
        cache.test.logits = testDone->logits;
        cache.test.y = splits.test.labels.to(torch::kCPU, torch::kInt64);
    } else {
        fill(cache.test, splits.test);
    }
    return cache;
}

void saveFeatureCache(const FeatureCache& c, const std::string& path) {
    std::vector<torch::Tensor> tensors = {c.train.x, c.train.logits, c.train.y,
                                          c.val.x,   c.val.logits,   c.val.y,
                                          c.test.x,  c.test.logits,  c.test.y};
    writeBytesAtomically(path, [&](const ByteSink& out) { torch::save(tensors, out); });
}

FeatureCache loadFeatureCache(const std::string& path) {
    if (!std::filesystem::exists(path))
        throw InputError("feature cache '" + path +
                         "' does not exist: point features_from at a finished baseline run");
    std::vector<torch::Tensor> t;
    try {
        torch::load(t, path);
    } catch (const c10::Error& e) {
        throw InputError("feature cache '" + path +
                         "' cannot be read: " + e.what_without_backtrace());
    }
    auto bad = [&](const std::string& why) {
        return InputError("feature cache '" + path + "' is inconsistent: " + why);
    };
    if (t.size() != 9) throw bad("expected 9 tensors, found " + std::to_string(t.size()));
    FeatureCache c;
    LabelledFeatures* parts[] = {&c.train, &c.val, &c.test};
    const char* names[] = {"train", "val", "test"};
    for (int i = 0; i < 3; ++i) {
        LabelledFeatures& p = *parts[i];
        p.x = t[3 * i];
        p.logits = t[3 * i + 1];
        p.y = t[3 * i + 2];
        const std::string n = names[i];
        if (p.x.dim() != 2 || p.logits.dim() != 2 || p.y.dim() != 1 ||
            p.x.scalar_type() != torch::kFloat32 || p.y.scalar_type() != torch::kInt64)
            throw bad(n + " tensors have the wrong shape or type");
        if (p.x.size(0) != p.y.size(0) || p.logits.size(0) != p.y.size(0))
            throw bad(n + " has " + std::to_string(p.x.size(0)) + " feature rows for " +
                      std::to_string(p.y.size(0)) + " labels");
        if (p.x.size(1) != t[0].size(1) || p.logits.size(1) != t[1].size(1))
            throw bad(n + " has another width than train");
        if (p.y.numel() > 0 &&
            (p.y.min().item<int64_t>() < 0 || p.y.max().item<int64_t>() >= p.logits.size(1)))
            throw bad(n + " has labels outside [0, " + std::to_string(p.logits.size(1)) + ")");
    }
    if (c.train.y.numel() < 2) throw bad("fewer than 2 training rows");
    return c;
}

}  // namespace fewdata
