#include "core/data/protocol.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

#include "core/base/errors.h"
#include "core/base/seeded_random.h"

namespace fewdata {
namespace {

Split assemble(std::vector<SampleRef> samples, std::vector<torch::Tensor> rows,
               const ImageGeometry& g) {
    Split s;
    s.images = rows.empty() ? torch::empty({0, g.channels, g.height, g.width}, torch::kUInt8)
                            : torch::stack(rows);
    std::vector<int64_t> labels;
    for (const auto& r : samples) labels.push_back(r.label);
    s.labels = torch::tensor(labels, torch::kInt64);
    s.samples = std::move(samples);
    return s;
}

void checkCancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) throw Cancelled();
}

const char* testSplitName(TestSplit t) {
    return t == TestSplit::Separate ? "separate" : "remainder";
}

uint64_t mix64(uint64_t z) {  // SplitMix64's finaliser: every input bit reaches every output bit
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::vector<std::string> fingerprintsOf(const Split& s) {
    std::vector<std::string> out(s.samples.size());
    if (!s.images.defined() || s.images.size(0) != int64_t(out.size())) return {};
    at::parallel_for(0, int64_t(out.size()), 16, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[size_t(i)] = pixelFingerprint(s.images[i]);
    });
    return out;
}

// A manifest's samples of one split, with the fingerprints it recorded ("" where it has none).
struct ManifestSplit {
    const char* name;
    std::vector<SampleRef> samples;
    std::vector<std::string> fingerprints;
};

ManifestSplit readManifestSplit(const char* name, const nlohmann::json& list, size_t classes) {
    ManifestSplit m{name, {}, {}};
    for (const auto& e : list) {
        SampleRef r{e.at("id").get<std::string>(), e.at("label").get<int64_t>()};
        if (r.label < 0 || r.label >= int64_t(classes))
            throw InputError("sample '" + r.id + "' has label " + std::to_string(r.label) +
                             ", outside the " + std::to_string(classes) + " classes");
        m.samples.push_back(std::move(r));
        m.fingerprints.push_back(e.value("fingerprint", ""));
    }
    return m;
}

// Names at most a few of `problems`, so a dataset that moved away gives a short message.
std::string someOf(const std::vector<std::string>& problems) {
    std::string text;
    const size_t shown = std::min<size_t>(problems.size(), 5);
    // The first on the message's first line, where a one-line report shows it.
    for (size_t i = 0; i < shown; ++i) text += (i == 0 ? " " : "\n  ") + problems[i];
    if (problems.size() > shown)
        text += "\n  and " + std::to_string(problems.size() - shown) + " more";
    return text;
}

Split decodeManifestSplit(const DatasetSource& source, const ManifestSplit& m,
                          const std::string& manifestPath, const ImageGeometry& g,
                          const std::atomic<bool>* cancel) {
    DecodedImages dec = source.decode(m.samples, g, cancel);
    const std::string resumeAdvice =
        "\na resumed run uses exactly the samples it began with: restore the files, or start a "
        "new run";
    std::vector<std::string> problems;
    for (const auto& s : dec.skipped)
        problems.push_back("'" + s.id + "' (" + m.name + "): " + s.reason);
    if (!problems.empty())
        throw InputError("run manifest '" + manifestPath + "' names " +
                         std::to_string(problems.size()) +
                         " sample(s) that cannot be read any more:" + someOf(problems) +
                         resumeAdvice);
    for (size_t r = 0; r < dec.kept.size(); ++r) {
        const std::string& recorded = m.fingerprints[dec.kept[r]];
        if (!recorded.empty() && recorded != pixelFingerprint(dec.images[int64_t(r)]))
            problems.push_back("'" + m.samples[dec.kept[r]].id + "' (" + m.name + ")");
    }
    if (!problems.empty())
        throw InputError("run manifest '" + manifestPath + "' names " +
                         std::to_string(problems.size()) +
                         " sample(s) whose pixels changed since the run began:" +
                         someOf(problems) + resumeAdvice);
    Split s;
    s.samples = m.samples;
    s.images = dec.images;
    std::vector<int64_t> labels;
    for (const auto& r : s.samples) labels.push_back(r.label);
    s.labels = torch::tensor(labels, torch::kInt64);
    return s;
}

}  // namespace

std::vector<std::vector<SampleRef>> seededClassOrder(const DatasetIndex& index, int seed) {
    std::vector<std::vector<SampleRef>> perClass(index.classes.size());
    for (const auto& s : index.pool) perClass.at(static_cast<size_t>(s.label)).push_back(s);
    for (size_t c = 0; c < perClass.size(); ++c) {
        auto& v = perClass[c];
        // Sorting first makes the draw independent of directory listing order.
        std::sort(v.begin(), v.end(),
                  [](const SampleRef& a, const SampleRef& b) { return a.id < b.id; });
        SplitMix64 rng(static_cast<uint64_t>(seed) * 0x100000001B3ull + c);
        seededShuffle(v, rng);
    }
    return perClass;
}

ProtocolSplits drawSplits(const DatasetSource& source, const ProtocolOptions& options,
                          const ImageGeometry& g, const std::atomic<bool>* cancel) {
    const DatasetIndex& index = source.index();
    // A classifier of one class is right every time: a figure that means nothing.
    if (index.classes.size() < 2)
        throw InputError("dataset '" + index.root + "' has " +
                         (index.classes.empty() ? std::string("no class")
                                                : "only one class ('" + index.classes[0] + "')") +
                         ": a classifier needs at least two classes (one folder per class)");
    const auto order = seededClassOrder(index, options.seed);
    const size_t numClasses = order.size();
    ProtocolSplits out;
    out.classes = index.classes;
    out.testSplit = index.testSplit;

    std::vector<size_t> next(numClasses, 0);  // next untried candidate per class
    std::vector<std::vector<SampleRef>> chosen(numClasses);
    std::vector<std::vector<torch::Tensor>> chosenRows(numClasses);
    std::vector<size_t> unreadable(numClasses, 0);
    std::set<std::string> touched;  // drawn or found unreadable: not part of a remainder test set

    auto wanted = [&](size_t c) {
        return options.takeAllAvailable ? order[c].size() : static_cast<size_t>(options.perClass);
    };
    // Rounds: decode just the missing number of candidates per class; refill after failures.
    for (;;) {
        checkCancel(cancel);
        std::vector<SampleRef> request;
        std::vector<size_t> requestClass;
        for (size_t c = 0; c < numClasses; ++c) {
            const size_t missing = wanted(c) - std::min(wanted(c), chosen[c].size());
            for (size_t k = 0; k < missing && next[c] < order[c].size(); ++k) {
                request.push_back(order[c][next[c]++]);
                requestClass.push_back(c);
            }
        }
        if (request.empty()) break;
        DecodedImages dec = source.decode(request, g, cancel);
        for (size_t r = 0; r < dec.kept.size(); ++r) {
            const size_t pos = dec.kept[r];
            chosen[requestClass[pos]].push_back(request[pos]);
            chosenRows[requestClass[pos]].push_back(dec.images[static_cast<int64_t>(r)]);
        }
        for (const auto& s : dec.skipped) out.skipped.push_back(s);
        for (const auto& s : request) touched.insert(s.id);
        std::vector<bool> ok(request.size(), false);
        for (size_t pos : dec.kept) ok[pos] = true;
        for (size_t pos = 0; pos < request.size(); ++pos)
            if (!ok[pos]) ++unreadable[requestClass[pos]];
    }

    std::string shortList;
    for (size_t c = 0; c < numClasses; ++c) {
        const bool isShort =
            options.takeAllAvailable ? chosen[c].size() < 2 : chosen[c].size() < wanted(c);
        if (!isShort) continue;
        shortList += "\n  class '" + index.classes[c] + "': " + std::to_string(chosen[c].size()) +
                     " usable of " + std::to_string(order[c].size()) + " files";
        if (unreadable[c]) shortList += " (" + std::to_string(unreadable[c]) + " unreadable)";
    }
    if (!shortList.empty()) {
        throw InputError(
            options.takeAllAvailable
                ? "dataset '" + index.root +
                      "': every class needs at least 2 usable images:" + shortList
                : "dataset '" + index.root + "': " + std::to_string(options.perClass) +
                      " images per class were asked for, but these classes have fewer (set "
                      "take_all_available / --take-all to use what there is):" +
                      shortList);
    }

    std::vector<SampleRef> trainRefs, valRefs;
    std::vector<torch::Tensor> trainRows, valRows;
    for (size_t c = 0; c < numClasses; ++c) {
        const size_t n = chosen[c].size();
        size_t nVal =
            static_cast<size_t>(std::lround(options.valFraction * static_cast<double>(n)));
        if (options.valFraction > 0 && nVal == 0) nVal = 1;
        nVal = std::min(nVal, n - 1);
        for (size_t i = 0; i < n; ++i) {
            const bool toVal = i >= n - nVal;
            (toVal ? valRefs : trainRefs).push_back(chosen[c][i]);
            (toVal ? valRows : trainRows).push_back(chosenRows[c][i]);
        }
    }
    out.train = assemble(std::move(trainRefs), std::move(trainRows), g);
    out.val = assemble(std::move(valRefs), std::move(valRows), g);

    std::vector<SampleRef> testCandidates;
    if (index.testSplit == TestSplit::Separate) {
        testCandidates = index.test;
    } else {
        for (const auto& s : index.pool)
            if (!touched.count(s.id)) testCandidates.push_back(s);
    }
    if (options.maxTestSamples > 0 &&
        testCandidates.size() > static_cast<size_t>(options.maxTestSamples)) {
        std::vector<size_t> pick(testCandidates.size());
        for (size_t i = 0; i < pick.size(); ++i) pick[i] = i;
        SplitMix64 rng(static_cast<uint64_t>(options.seed) ^ 0x7E57u);
        seededShuffle(pick, rng);
        pick.resize(static_cast<size_t>(options.maxTestSamples));
        std::sort(pick.begin(), pick.end());
        std::vector<SampleRef> subset;
        for (size_t i : pick) subset.push_back(testCandidates[i]);
        testCandidates = std::move(subset);
    }
    checkCancel(cancel);
    DecodedImages testDec = source.decode(testCandidates, g, cancel);
    std::vector<SampleRef> testRefs;
    for (size_t pos : testDec.kept) testRefs.push_back(testCandidates[pos]);
    for (const auto& s : testDec.skipped) out.skipped.push_back(s);
    if (testRefs.empty())
        throw InputError(
            "dataset '" + index.root + "': no test images remain" +
            (index.testSplit == TestSplit::Remainder
                 ? " (every image went into the subset; add a test/<class>/ folder or lower K)"
                 : " (the test split has no decodable image)"));
    out.test.samples = std::move(testRefs);
    out.test.images = testDec.images;
    std::vector<int64_t> labels;
    for (const auto& r : out.test.samples) labels.push_back(r.label);
    out.test.labels = torch::tensor(labels, torch::kInt64);
    return out;
}

nlohmann::json manifestJson(const ProtocolSplits& splits, const DatasetIndex& index,
                            const ProtocolOptions& options) {
    // The fingerprints let a resume tell a changed file from the one the run began with.
    auto list = [](const Split& s) {
        const std::vector<std::string> prints = fingerprintsOf(s);
        nlohmann::json a = nlohmann::json::array();
        for (size_t i = 0; i < s.samples.size(); ++i) {
            nlohmann::json e = {{"id", s.samples[i].id}, {"label", s.samples[i].label}};
            if (!prints.empty()) e["fingerprint"] = prints[i];
            a.push_back(std::move(e));
        }
        return a;
    };
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& s : splits.skipped) skipped.push_back({{"id", s.id}, {"reason", s.reason}});
    return {{"format", 1},
            {"dataset", index.name},
            {"root", index.root},
            {"seed", options.seed},
            {"per_class", options.perClass},
            {"take_all_available", options.takeAllAvailable},
            {"val_fraction", options.valFraction},
            {"classes", splits.classes},
            {"counts",
             {{"train", splits.train.samples.size()},
              {"val", splits.val.samples.size()},
              {"test", splits.test.samples.size()},
              {"skipped", splits.skipped.size()}}},
            {"train", list(splits.train)},
            {"val", list(splits.val)},
            {"test", {{"kind", testSplitName(splits.testSplit)}, {"samples", list(splits.test)}}},
            {"skipped", skipped}};
}

ProtocolSplits splitsFromManifest(const DatasetSource& source, const nlohmann::json& manifest,
                                  const std::string& manifestPath, const ImageGeometry& g,
                                  const std::atomic<bool>* cancel) {
    ProtocolSplits out;
    std::vector<ManifestSplit> parts;
    try {
        out.classes = manifest.at("classes").get<std::vector<std::string>>();
        const nlohmann::json& test = manifest.at("test");
        out.testSplit = test.value("kind", "separate") == std::string("remainder")
                            ? TestSplit::Remainder
                            : TestSplit::Separate;
        parts.push_back(readManifestSplit("train", manifest.at("train"), out.classes.size()));
        parts.push_back(readManifestSplit("val", manifest.at("val"), out.classes.size()));
        parts.push_back(readManifestSplit("test", test.at("samples"), out.classes.size()));
        for (const auto& s : manifest.value("skipped", nlohmann::json::array()))
            out.skipped.push_back({s.at("id").get<std::string>(), s.value("reason", "")});
    } catch (const std::exception& e) {  // nlohmann's type and key errors, our label check
        throw InputError("run manifest '" + manifestPath +
                         "' is not one a run can resume from: " + e.what());
    }
    checkCancel(cancel);
    out.train = decodeManifestSplit(source, parts[0], manifestPath, g, cancel);
    out.val = decodeManifestSplit(source, parts[1], manifestPath, g, cancel);
    out.test = decodeManifestSplit(source, parts[2], manifestPath, g, cancel);
    return out;
}

std::string pixelFingerprint(const torch::Tensor& image) {
    const torch::Tensor t = image.contiguous();
    TORCH_CHECK(t.scalar_type() == torch::kUInt8, "pixelFingerprint expects uint8 pixels");
    const uint8_t* p = t.data_ptr<uint8_t>();
    const size_t n = size_t(t.numel());
    uint64_t h = mix64(n);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        std::memcpy(&word, p + i, 8);
        h = mix64(h ^ word);
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p + i, n - i);
    h = mix64(h ^ tail);
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

}  // namespace fewdata
