// The speed settings keep results: prefetching forms the very same batches (bitwise equal
// runs), channels_last and bf16 follow the plain path's loss curve within a tolerance that a
// run with another seed does not meet.
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/train/batch_loader.h"
#include "core/base/errors.h"
#include "core/train/fast_path.h"
#include "core/train/feature_cache.h"
#include "core/model/resnet.h"
#include "core/run/train_job.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

TrainConfig tinyConfig() {
    TrainConfig c;
    c.per_class = 12;  // 100 train / 20 val
    c.image_size = 16;
    c.epochs = 3;
    c.batch_size = 16;
    c.lr = 0.02;
    // With identity-started blocks, 19 steps at lr 0.02 hardly move the loss from ln 10, so a
    // run of another seed stays as close to this one (3.8e-2) as the seed-gap check allows.
    c.zero_init_residual = false;
    c.max_test_samples = 100;
    c.checkpoint_every = 0;
    return c;
}

struct Curve : TrainListener {
    std::vector<EpochMetrics> epochs;
    double firstLoss = -1;  // of the first batch, before any update
    void epoch(const EpochMetrics& m) override { epochs.push_back(m); }
    void batch(const BatchProgress& p) override {
        if (p.epoch == 1 && p.batch == 1) firstLoss = p.loss;
    }
};

double relative(double x, double y) {
    return std::abs(x - y) / std::max(1e-12, std::abs(y));
}

struct Run {
    Curve curve;
    RunResult result;
};

Run train(const TrainConfig& c) {
    QTemporaryDir tmp;
    Run r;
    r.result = TrainJob({c, (fs::path(tmp.path().toStdString()) / "run").string()}, openCoreDataset)
                   .run(&r.curve, nullptr);
    return r;
}

// The largest relative difference of the per-epoch training losses.
double lossGap(const Run& a, const Run& b) {
    double gap = 0;
    for (size_t i = 0; i < std::min(a.curve.epochs.size(), b.curve.epochs.size()); ++i) {
        const double x = a.curve.epochs[i].trainLoss, y = b.curve.epochs[i].trainLoss;
        gap = std::max(gap, relative(x, y));
    }
    return gap;
}

}  // namespace

class TestFastPath : public QObject {
    Q_OBJECT
private slots:
    void prefetchTrainsTheSameRunBitwise_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("baseline") << "baseline";
        QTest::newRow("mixup") << "mixup";
        QTest::newRow("cutmix") << "cutmix";
        QTest::newRow("supcon") << "supcon";                            // two views per batch
        QTest::newRow("siamese-contrastive") << "siamese-contrastive";  // pairs drawn too
    }
    void prefetchTrainsTheSameRunBitwise() {
        QFETCH(QString, method);
        TrainConfig c = tinyConfig();
        c.method = method.toStdString();
        c.siamese_input = "images";
        c.epochs = 2;
        c.classifier_epochs = 2;
        c.prefetch = false;
        const int64_t before = BatchLoader::formedInBackground();
        const Run plain = train(c);
        QCOMPARE(BatchLoader::formedInBackground(), before);
        c.prefetch = true;
        const Run fast = train(c);
        // Every image batch came from the loader thread (two-stage methods count their
        // classifier's steps too).
        const int64_t formed = BatchLoader::formedInBackground() - before;
        QVERIFY(formed > 0 && formed <= fast.result.stepsCompleted);
        if (c.method == "baseline" || c.method == "mixup" || c.method == "cutmix")
            QCOMPARE(formed, fast.result.stepsCompleted);
        QCOMPARE(QString::fromStdString(statusName(fast.result.status)), QString("finished"));
        QCOMPARE(fast.curve.epochs.size(), plain.curve.epochs.size());
        for (size_t i = 0; i < plain.curve.epochs.size(); ++i) {
            const EpochMetrics &a = fast.curve.epochs[i], &b = plain.curve.epochs[i];
            // == on purpose: QCOMPARE on doubles forgives the last bits.
            QVERIFY(a.trainLoss == b.trainLoss);
            QVERIFY(a.trainAccuracy == b.trainAccuracy);
            QVERIFY(a.valLoss == b.valLoss);
            QVERIFY(a.valAccuracy == b.valAccuracy);
        }
        QVERIFY(fast.result.testAccuracy == plain.result.testAccuracy);
        QCOMPARE(fast.result.stepsCompleted, plain.result.stepsCompleted);
        QVERIFY(fast.result.testConfusion == plain.result.testConfusion);
    }

    // The cache keeps the test features of the trainer's last test pass instead of a second
    // pass: they must be those of the weights the result reports.
    void featureCacheHoldsTheReportedWeightsTestPass() {
        QTemporaryDir tmp;
        const fs::path run = fs::path(tmp.path().toStdString()) / "run";
        const RunResult r =
            TrainJob({tinyConfig(), run.string()}, openCoreDataset).run(nullptr, nullptr);
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("finished"));
        const FeatureCache cache = loadFeatureCache((run / "features.pt").string());
        QCOMPARE(cache.test.x.size(0), int64_t(100));
        const double fromCache =
            100.0 *
            cache.test.logits.argmax(1).eq(cache.test.y).to(torch::kFloat64).mean().item<double>();
        QCOMPARE(fromCache, r.testAccuracy);
        // The logits are the classifier applied to the cached features, row by row.
        ResNetOptions ro;
        ro.numClasses = 10;
        ro.inChannels = 1;
        ro.smallStem = true;  // 16 px
        ResNet model(ro);
        torch::serialize::InputArchive archive;
        archive.load_from((run / "best_model.pt").string());
        model->load(archive);
        torch::NoGradGuard guard;
        const auto logits = model->classify(cache.test.x);
        QVERIFY(torch::allclose(logits, cache.test.logits, 1e-4, 1e-4));
    }

    void channelsLastAndBf16FollowThePlainCurve() {
        TrainConfig c = tinyConfig();
        c.channels_last = false;
        c.precision = "fp32";
        const Run plain = train(c);
        c.channels_last = true;
        const Run nhwc = train(c);
        c.precision = "bf16";  // on the CPU only when asked for: autocast to bfloat16
        const Run bf16 = train(c);
        TrainConfig other = tinyConfig();
        other.seed = 1;
        other.channels_last = false;
        other.precision = "fp32";
        const Run otherSeed = train(other);
        for (const Run* r : {&plain, &nhwc, &bf16, &otherSeed}) {
            QCOMPARE(QString::fromStdString(statusName(r->result.status)), QString("finished"));
            QCOMPARE(r->curve.epochs.size(), size_t(3));
        }
        // The first batch meets the same weights: only the rounding differs. Channels_last
        // sums in another order; bf16 keeps 8 bits of mantissa in the products.
        const double nhwcFirst = relative(nhwc.curve.firstLoss, plain.curve.firstLoss);
        const double bf16First = relative(bf16.curve.firstLoss, plain.curve.firstLoss);
        qInfo("first-batch loss %.7f; relative gap channels_last %.2e, bf16 %.2e",
              plain.curve.firstLoss, nhwcFirst, bf16First);
        QVERIFY(plain.curve.firstLoss > 0);
        QVERIFY2(nhwcFirst < 1e-5, qPrintable(QString::number(nhwcFirst)));
        QVERIFY2(bf16First < 1e-2, qPrintable(QString::number(bf16First)));
        QVERIFY(bf16First > 0);  // bf16 did take effect
        // After that, rounding differences grow step by step (the first epochs of a network
        // from scratch are chaotic), yet the curves stay together, and far closer than a run
        // with another seed: the tolerance separates "the same run" from "another run".
        const double nhwcGap = lossGap(nhwc, plain), bf16Gap = lossGap(bf16, plain);
        const double seedGap = lossGap(otherSeed, plain);
        qInfo(
            "largest relative gap of the epoch losses: channels_last %.2e, bf16 %.2e, "
            "another seed %.2e",
            nhwcGap, bf16Gap, seedGap);
        QVERIFY2(nhwcGap < 5e-2, qPrintable(QString::number(nhwcGap)));
        QVERIFY2(bf16Gap < 5e-2, qPrintable(QString::number(bf16Gap)));
        QVERIFY2(seedGap > 1e-1, qPrintable(QString::number(seedGap)));
    }

    // A run resumed after this change computes as it began: fp32 and NCHW for a config.json
    // from before these keys, its own keys otherwise.
    void resumeKeepsTheStoredArithmetic() {
        QTemporaryDir tmp;
        const fs::path dir(tmp.path().toStdString());
        TrainConfig c;
        c.precision = "bf16";
        c.channels_last = true;
        { std::ofstream(dir / "config.json") << R"({"method": "baseline", "epochs": 3})"; }
        keepStoredArithmetic(c, dir.string());
        QCOMPARE(QString::fromStdString(c.precision), QString("fp32"));
        QVERIFY(!c.channels_last);
        { std::ofstream(dir / "config.json") << R"({"precision": "auto", "channels_last": true})"; }
        keepStoredArithmetic(c, dir.string());
        QCOMPARE(QString::fromStdString(c.precision), QString("auto"));
        QVERIFY(c.channels_last);
    }

    void settingsAreCheckedAndApplied() {
        QCOMPARE(QString::fromStdString(resolvePrecision("auto", torch::kCPU)), QString("fp32"));
        QCOMPARE(QString::fromStdString(resolvePrecision("bf16", torch::kCPU)), QString("bf16"));
        EXPECT_ERROR_MENTIONING(InputError, resolvePrecision("fp16", torch::kCPU), "fp16",
                                "auto, fp32, bf16");
        TrainConfig c;
        c.precision = "half";
        EXPECT_ERROR_MENTIONING(InputError, c.validate(), "precision", "half");
        EXPECT_ERROR_MENTIONING(InputError, TrainConfig::fromJson({{"channels_last", "yes"}}),
                                "channels_last", "true or false");

        ResNetOptions ro;
        ro.numClasses = 3;
        ResNet model(ro);
        QVERIFY(!model->parameters()[0].is_contiguous(at::MemoryFormat::ChannelsLast));
        toChannelsLast(*model);
        int fourD = 0;
        for (const auto& p : model->parameters())
            if (p.dim() == 4) {
                ++fourD;
                QVERIFY(p.is_contiguous(at::MemoryFormat::ChannelsLast));
            }
        QCOMPARE(fourD, 20);  // ResNet-18: 17 convolutions and 3 downsampling ones
        const auto x = inLayout(torch::randn({2, 3, 8, 8}), true);
        QVERIFY(x.is_contiguous(at::MemoryFormat::ChannelsLast));
        QVERIFY(inLayout(torch::randn({2, 3}), true).is_contiguous());
    }

    void loaderKeepsOrderAndPassesErrorsOn() {
        for (bool background : {false, true}) {
            std::vector<int64_t> formed;
            BatchLoader loader(
                [&](int64_t b) {
                    if (b == 3) throw InputError("batch 3 is broken");
                    formed.push_back(b);
                    TrainBatch t;
                    t.labels = torch::full({1}, b, torch::kInt64);
                    return t;
                },
                5, background);
            for (int64_t b = 0; b < 3; ++b) QCOMPARE(loader.next().labels.item<int64_t>(), b);
            EXPECT_ERROR_MENTIONING(InputError, loader.next(), "batch 3 is broken");
        }
        // A loader given up on midway (a cancelled epoch) stops without hanging.
        BatchLoader early([](int64_t) { return TrainBatch{}; }, 100, true);
        early.next();
    }
};

QTEST_APPLESS_MAIN(TestFastPath)
#include "test_fast_path.moc"
