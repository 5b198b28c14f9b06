// The low-resource protocol: determinism, stratification, replacement of corrupt files, and
// the error for classes short of K images.
#include <QtTest>
#include <algorithm>
#include <set>

#include "core/base/errors.h"
#include "core/data/protocol.h"
#include "core/base/seeded_random.h"
#include "test_helpers.h"

using namespace fewdata;

namespace {

// An in-memory dataset: ids containing "bad" fail to decode; each image holds its label.
class FakeSource : public DatasetSource {
public:
    FakeSource(const std::vector<int>& perClass, int badPerClass, bool remainderTest) {
        index_.name = "fake";
        index_.root = "/fake";
        for (size_t c = 0; c < perClass.size(); ++c) {
            index_.classes.push_back("class" + std::to_string(c));
            for (int i = 0; i < perClass[c]; ++i) {
                const bool bad = i < badPerClass;
                index_.pool.push_back(
                    {"c" + std::to_string(c) + (bad ? "/bad" : "/img") + std::to_string(i),
                     int64_t(c)});
            }
            if (!remainderTest)
                for (int i = 0; i < 5; ++i)
                    index_.test.push_back(
                        {"t" + std::to_string(c) + "/" + std::to_string(i), int64_t(c)});
        }
        index_.testSplit = remainderTest ? TestSplit::Remainder : TestSplit::Separate;
        index_.native = {1, 4, 4};
    }
    const DatasetIndex& index() const override { return index_; }
    DecodedImages decode(const std::vector<SampleRef>& s, const ImageGeometry& g,
                         const std::atomic<bool>*) const override {
        DecodedImages d;
        std::vector<torch::Tensor> rows;
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i].id.find("bad") != std::string::npos) {
                d.skipped.push_back({s[i].id, "corrupt"});
                continue;
            }
            rows.push_back(torch::full({g.channels, g.height, g.width}, s[i].label, torch::kUInt8));
            d.kept.push_back(i);
        }
        d.images = rows.empty() ? torch::empty({0, g.channels, g.height, g.width}, torch::kUInt8)
                                : torch::stack(rows);
        ++decodeCalls;
        return d;
    }
    mutable int decodeCalls = 0;

private:
    DatasetIndex index_;
};

std::vector<std::string> ids(const Split& s) {
    std::vector<std::string> out;
    for (const auto& r : s.samples) out.push_back(r.id);
    return out;
}

}  // namespace

class TestProtocol : public QObject {
    Q_OBJECT
private slots:
    void sameSeedSameManifest() {
        FakeSource src({80, 80, 80}, 0, false);
        ProtocolOptions o;
        o.perClass = 20;
        o.seed = 7;
        const auto a = drawSplits(src, o, {1, 4, 4}, nullptr);
        const auto b = drawSplits(src, o, {1, 4, 4}, nullptr);
        QCOMPARE(manifestJson(a, src.index(), o).dump(), manifestJson(b, src.index(), o).dump());
        o.seed = 8;
        const auto c = drawSplits(src, o, {1, 4, 4}, nullptr);
        QVERIFY(ids(a.train) != ids(c.train));
    }

    // A learning curve over K is paired: for one seed, the images of a smaller K are a subset
    // of a larger K's, and so are its training images (a corrupt file is replaced the same way
    // in both).
    void smallerKIsASubsetOfLargerK() {
        FakeSource src({80, 80, 80}, 3, false);
        for (int seed : {0, 5}) {
            std::vector<std::set<std::string>> all, train;
            for (int k : {5, 10, 20, 50}) {
                ProtocolOptions o;
                o.perClass = k;
                o.seed = seed;
                const auto s = drawSplits(src, o, {1, 4, 4}, nullptr);
                std::set<std::string> a, t;
                for (const auto& id : ids(s.train)) a.insert(id), t.insert(id);
                for (const auto& id : ids(s.val)) a.insert(id);
                QCOMPARE(a.size(), size_t(3 * k));
                all.push_back(a);
                train.push_back(t);
            }
            for (size_t i = 0; i + 1 < all.size(); ++i) {
                QVERIFY(std::includes(all[i + 1].begin(), all[i + 1].end(), all[i].begin(),
                                      all[i].end()));
                QVERIFY(std::includes(train[i + 1].begin(), train[i + 1].end(),
                                      train[i].begin(), train[i].end()));
            }
        }
    }

    void generatorIsTheReferenceSplitMix64() {
        // Vigna's reference splitmix64.c: the first outputs from state 0. Matching them means a
        // seed draws the same manifest with any compiler or standard library.
        SplitMix64 rng(0);
        QCOMPARE(rng.next(), 16294208416658607535ull);
        QCOMPARE(rng.next(), 7960286522194355700ull);
        // below() stays in range and reaches every value.
        std::set<uint64_t> seen;
        for (int i = 0; i < 200; ++i) {
            const uint64_t v = rng.below(7);
            QVERIFY(v < 7);
            seen.insert(v);
        }
        QCOMPARE(seen.size(), size_t(7));
    }

    void orderIgnoresListingOrder() {
        FakeSource src({30, 30}, 0, false);
        DatasetIndex shuffled = src.index();
        std::reverse(shuffled.pool.begin(), shuffled.pool.end());
        const auto x = seededClassOrder(src.index(), 3);
        const auto y = seededClassOrder(shuffled, 3);
        for (size_t c = 0; c < x.size(); ++c)
            for (size_t i = 0; i < x[c].size(); ++i) QCOMPARE(x[c][i].id, y[c][i].id);
    }

    void stratifiedEightyTwenty() {
        FakeSource src({100, 60, 75, 50}, 0, false);
        ProtocolOptions o;  // K = 50, val 20 %
        const auto s = drawSplits(src, o, {1, 4, 4}, nullptr);
        QCOMPARE(s.train.samples.size(), size_t(4 * 40));
        QCOMPARE(s.val.samples.size(), size_t(4 * 10));
        for (int64_t c = 0; c < 4; ++c) {
            QCOMPARE(s.train.labels.eq(c).sum().item<int64_t>(), int64_t(40));
            QCOMPARE(s.val.labels.eq(c).sum().item<int64_t>(), int64_t(10));
        }
        // Images are the samples' own (each holds its label), train and val disjoint.
        QVERIFY(
            torch::equal(s.train.images.select(1, 0).select(1, 0).select(1, 0).to(torch::kInt64),
                         s.train.labels));
        const auto trainIds = ids(s.train);
        std::set<std::string> train(trainIds.begin(), trainIds.end());
        for (const auto& id : ids(s.val)) QVERIFY(!train.count(id));
        QCOMPARE(s.test.samples.size(), size_t(4 * 5));
    }

    void corruptFilesAreReplacedAndReported() {
        FakeSource src({60, 60}, 5, false);
        ProtocolOptions o;
        o.perClass = 55;  // exactly the readable count: every bad file must be replaced
        const auto s = drawSplits(src, o, {1, 4, 4}, nullptr);
        QCOMPARE(s.train.samples.size() + s.val.samples.size(), size_t(110));
        QCOMPARE(s.skipped.size(), size_t(10));
        for (const auto& id : ids(s.train)) QVERIFY(id.find("bad") == std::string::npos);
        const auto m = manifestJson(s, src.index(), o);
        QCOMPARE(m["counts"]["skipped"].get<int>(), 10);
        QCOMPARE(m["skipped"][0]["reason"].get<std::string>(), std::string("corrupt"));
    }

    void shortClassesAreListed() {
        FakeSource src({60, 30, 45}, 2, false);
        ProtocolOptions o;
        EXPECT_ERROR_MENTIONING(InputError, drawSplits(src, o, {1, 4, 4}, nullptr),
                                "class 'class1': 28 usable of 30 files (2 unreadable)",
                                "class 'class2': 43 usable of 45", "take_all_available");
        o.takeAllAvailable = true;
        const auto s = drawSplits(src, o, {1, 4, 4}, nullptr);
        QCOMPARE(
            s.train.labels.eq(1).sum().item<int64_t>() + s.val.labels.eq(1).sum().item<int64_t>(),
            int64_t(28));
        QCOMPARE(s.val.labels.eq(0).sum().item<int64_t>(), int64_t(12));  // 20 % of 58
    }

    void remainderTestSetExcludesTheSubset() {
        FakeSource src({70, 70}, 3, true);
        ProtocolOptions o;
        o.perClass = 50;
        const auto s = drawSplits(src, o, {1, 4, 4}, nullptr);
        std::set<std::string> drawn;
        for (const auto& id : ids(s.train)) drawn.insert(id);
        for (const auto& id : ids(s.val)) drawn.insert(id);
        for (const auto& id : ids(s.test)) QVERIFY(!drawn.count(id));
        // 140 files: 100 drawn, 6 unreadable; the rest is the test set.
        QCOMPARE(s.test.samples.size(), size_t(34));
        o.maxTestSamples = 10;
        QCOMPARE(drawSplits(src, o, {1, 4, 4}, nullptr).test.samples.size(), size_t(10));
        // Taking everything leaves no test image: an error, not a 0 % test figure.
        o.takeAllAvailable = true;
        EXPECT_ERROR_MENTIONING(InputError, drawSplits(src, o, {1, 4, 4}, nullptr),
                                "no test images remain");
    }

    void cancelStopsTheDraw() {
        FakeSource src({60, 60}, 0, false);
        std::atomic<bool> cancel{true};
        QVERIFY_THROWS_EXCEPTION(Cancelled, drawSplits(src, ProtocolOptions{}, {1, 4, 4}, &cancel));
        QCOMPARE(src.decodeCalls, 0);
    }
};

QTEST_APPLESS_MAIN(TestProtocol)
#include "test_protocol.moc"
