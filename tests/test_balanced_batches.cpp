// Class-balanced batches (supcon, siamese-* on images): every batch is P distinct classes of M
// images each, drawn from the run's seeded batch stream, so the trainer (with or without the
// loader thread) and the GUI's preview form the very same batches.
#include <ATen/CPUGeneratorImpl.h>

#include <QtTest>
#include <map>
#include <set>

#include "core/methods/registry.h"
#include "core/run/batch_preview.h"
#include "core/train/batch_stream.h"
#include "core/train/objective.h"
#include "core/train/trainer.h"
#include "test_helpers.h"

using namespace fewdata;

namespace {

// Classes of uneven size, one of them smaller than M = 4.
torch::Tensor unevenLabels() {
    std::vector<int64_t> y;
    const int sizes[] = {10, 10, 8, 6, 3, 12, 9};
    for (int k = 0; k < 7; ++k)
        for (int i = 0; i < sizes[k]; ++i) y.push_back(k);
    // Interleaved, so a class's positions are not one block.
    const auto t = torch::tensor(y, torch::kInt64);
    return t.index_select(
        0, torch::randperm(t.numel(), at::make_generator<at::CPUGeneratorImpl>(3), torch::kInt64));
}

// Checks that every batch of `order` holds exactly p classes of m rows each, m distinct
// samples where the class has them; counts in `chosen` how often each class was picked.
void checkBatches(const BatchStream& s, const torch::Tensor& order, const torch::Tensor& labels,
                  int64_t p, int64_t m, std::map<int64_t, int>& chosen) {
    std::map<int64_t, int64_t> classSize;
    for (int64_t i = 0; i < labels.numel(); ++i) ++classSize[labels[i].item<int64_t>()];
    for (int64_t b = 0; b < s.batchesPerEpoch(); ++b) {
        const auto rows = s.batchIndices(order, b);
        QCOMPARE(rows.numel(), p * m);
        std::map<int64_t, std::set<int64_t>> samples;
        std::map<int64_t, int64_t> count;
        for (int64_t i = 0; i < rows.numel(); ++i) {
            const int64_t row = rows[i].item<int64_t>();
            const int64_t k = labels[row].item<int64_t>();
            ++count[k];
            samples[k].insert(row);
        }
        QCOMPARE(int64_t(count.size()), p);
        for (const auto& [k, n] : count) {
            QCOMPARE(n, m);
            QCOMPARE(int64_t(samples[k].size()), std::min(m, classSize[k]));
            ++chosen[k];
        }
    }
}

Split randomSplit(int64_t n, int64_t classes, int64_t side, uint64_t seed) {
    auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
    Split s;
    s.images = torch::randint(256, {n, 1, side, side}, g, torch::kUInt8);
    s.labels = torch::arange(n, torch::kInt64).remainder(classes);
    return s;
}

// Keeps each step's labels and inputs on the way to the real objective.
class Recording : public Objective {
public:
    explicit Recording(std::unique_ptr<Objective> inner) : inner_(std::move(inner)) {}
    std::vector<torch::nn::Module*> heads() override { return inner_->heads(); }
    TrainBatch prepare(const torch::Tensor& batch, const torch::Tensor& labels,
                       at::Generator& generator) const override {
        return inner_->prepare(batch, labels, generator);
    }
    StepOutput step(ResNet& model, const TrainBatch& batch) override {
        labels.push_back(batch.labels.clone());
        inputs.push_back(batch.inputs.detach().clone());
        return inner_->step(model, batch);
    }
    void prepareEvaluation(ResNet& m, const torch::Tensor& x, const torch::Tensor& y,
                           const EvalData& d) override {
        inner_->prepareEvaluation(m, x, y, d);
    }
    EvalResult evaluate(ResNet& m, const torch::Tensor& x, const torch::Tensor& y,
                        const EvalData& d) override {
        return inner_->evaluate(m, x, y, d);
    }
    bool classifies() const override { return inner_->classifies(); }
    std::vector<torch::Tensor> labels, inputs;

private:
    std::unique_ptr<Objective> inner_;
};

}  // namespace

class TestBalancedBatches : public QObject {
    Q_OBJECT
private slots:
    void everyBatchIsPClassesOfMImages() {
        const auto labels = unevenLabels();  // 58 samples, 7 classes
        BatchStream s(labels, 12, 3, 4, 0);
        QCOMPARE(s.batchesPerEpoch(), BatchStream(58, 12, 0).batchesPerEpoch());
        for (int epoch = 0; epoch < 3; ++epoch) {
            const auto order = s.nextEpochOrder();
            QCOMPARE(order.numel(), s.batchesPerEpoch() * 12);
            std::map<int64_t, int> chosen;
            checkBatches(s, order, labels, 3, 4, chosen);
            if (QTest::currentTestFailed()) return;
            // The classes take turns: 5 batches x 3 = 15 choices over 7 classes, 2 or 3 each.
            QCOMPARE(int(chosen.size()), 7);
            int lo = 1 << 30, hi = 0;
            for (const auto& [k, n] : chosen) lo = std::min(lo, n), hi = std::max(hi, n);
            QVERIFY2(hi - lo <= 1, qPrintable(QString("%1 to %2").arg(lo).arg(hi)));
        }
    }

    // A class with fewer images than M gives all of them in every batch it is in (then
    // repeats), over many draws, not by the luck of one seed.
    void aSmallClassGivesAllItsImages() {
        std::vector<int64_t> y(3, 0);
        y.insert(y.end(), 10, 1);
        y.insert(y.end(), 10, 2);
        const auto labels = torch::tensor(y, torch::kInt64);
        for (int seed = 0; seed < 10; ++seed) {
            BatchStream s(labels, 8, 2, 4, seed);
            std::map<int64_t, int> chosen;
            for (int epoch = 0; epoch < 6; ++epoch) {
                checkBatches(s, s.nextEpochOrder(), labels, 2, 4, chosen);
                if (QTest::currentTestFailed()) return;
            }
            QVERIFY(chosen[0] > 0);
        }
    }

    void theOrderIsFixedByTheSeed() {
        const auto labels = unevenLabels();
        BatchStream a(labels, 12, 3, 4, 5), again(labels, 12, 3, 4, 5), other(labels, 12, 3, 4, 6);
        for (int epoch = 0; epoch < 2; ++epoch) {
            const auto x = a.nextEpochOrder(), y = again.nextEpochOrder(),
                       z = other.nextEpochOrder();
            QVERIFY(torch::equal(x, y));
            QVERIFY(!torch::equal(x, z));
        }
        // An epoch depends on the generator's state alone (what a checkpoint keeps), not on
        // what earlier epochs left behind.
        BatchStream fresh(labels, 12, 3, 4, 5), resumed(labels, 12, 3, 4, 5);
        fresh.nextEpochOrder();
        resumed.generator().set_state(fresh.generator().get_state());
        QVERIFY(torch::equal(fresh.nextEpochOrder(), resumed.nextEpochOrder()));
    }

    void theRunsStreamFollowsTheConfig() {
        const auto labels = unevenLabels();
        TrainConfig c;
        c.batch_size = 12;
        c.method = "supcon";
        BatchStream s = BatchStream::forRun(c, labels);
        QCOMPARE(s.classesPerBatch(), int64_t(3));  // auto: 12 / 4
        QCOMPARE(s.imagesPerClass(), int64_t(4));
        c.batch_classes = 6;
        c.batch_images_per_class = 2;
        s = BatchStream::forRun(c, labels);
        QCOMPARE(s.classesPerBatch(), int64_t(6));
        QCOMPARE(s.imagesPerClass(), int64_t(2));
        c.batch_classes = 12;
        c.batch_images_per_class = 1;
        EXPECT_ERROR_MENTIONING(InputError, BatchStream::forRun(c, labels), "'batch_classes' = 12",
                                "7 classes");
        c.batch_classes = 0;
        c.batch_images_per_class = 2;
        s = BatchStream::forRun(c, labels);
        QCOMPARE(s.classesPerBatch(), int64_t(6));
        // Auto with fewer classes than batch_size / M: all of them, more images each.
        c.batch_images_per_class = 1;
        s = BatchStream::forRun(c, labels);
        QCOMPARE(s.classesPerBatch(), int64_t(7));
        QCOMPARE(s.imagesPerClass(), int64_t(1));  // 12 / 7
        c.batch_images_per_class = 4;
        // Only the methods that read the keys, and only on images.
        c.method = "siamese-triplet";
        QCOMPARE(BatchStream::forRun(c, labels).classesPerBatch(), int64_t(0));  // on features
        c.siamese_input = "images";
        QCOMPARE(BatchStream::forRun(c, labels).classesPerBatch(), int64_t(3));
        c.balanced_batches = false;
        QCOMPARE(BatchStream::forRun(c, labels).classesPerBatch(), int64_t(0));
        c.balanced_batches = true;
        c.method = "baseline";
        QCOMPARE(BatchStream::forRun(c, labels).classesPerBatch(), int64_t(0));
    }

    // The trainer's batches are balanced, and the preview shows the same ones.
    void trainerAndPreviewFormTheSameBalancedBatches_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("prefetch");
        QTest::newRow("supcon") << "supcon" << false;
        QTest::newRow("supcon, prefetched") << "supcon" << true;
        QTest::newRow("siamese-contrastive on images") << "siamese-contrastive" << true;
    }
    void trainerAndPreviewFormTheSameBalancedBatches() {
        QFETCH(QString, method);
        QFETCH(bool, prefetch);
        TrainConfig c;
        c.method = method.toStdString();
        c.siamese_input = "images";
        c.epochs = 1;
        c.batch_size = 6;
        c.batch_images_per_class = 2;
        c.seed = 3;
        c.pad = 2;
        c.prefetch = prefetch;
        c.validate();
        ResolvedSetup setup;
        setup.cache = {1, 12, 12};
        setup.inputSize = 12;
        setup.augment = "pad-crop";
        setup.smallStem = true;
        ProtocolSplits splits;
        splits.classes = {"a", "b", "c", "d", "e"};
        splits.train = randomSplit(20, 5, 12, 1);
        splits.val = randomSplit(5, 5, 12, 2);
        splits.test = randomSplit(5, 5, 12, 3);

        torch::manual_seed(1);
        ResNetOptions ro;
        ro.numClasses = 5;
        ro.inChannels = 1;
        ro.smallStem = true;
        ResNet model(ro);
        TrainerInputs in;
        in.config = c;
        in.augment = trainAugmentOptions(c, setup);
        in.normalizer = runNormalizer(setup, splits.train.images);
        Recording objective(
            imageStageOf(c).objective({c, in.augment, in.normalizer, model->featureDim(), 5}));
        Trainer trainer(model, in, objective);
        RunResult result;
        trainer.run(splits, nullptr, nullptr, nullptr, result);
        QCOMPARE(objective.labels.size(), size_t(4));  // 20 / 6: as many as plain batches

        for (size_t b = 0; b < objective.labels.size(); ++b) {
            std::map<int64_t, int> count;
            const auto y = objective.labels[b];
            for (int64_t i = 0; i < y.numel(); ++i) ++count[y[i].item<int64_t>()];
            QCOMPARE(count.size(), size_t(3));
            for (const auto& [k, n] : count) QCOMPARE(n, 2);
            const BatchPreview p = previewTrainingBatch(c, setup, splits.train, int64_t(b));
            QVERIFY(torch::equal(splits.train.labels.index_select(0, p.samples), y));
            const auto fed = objective.inputs[b].narrow(0, 0, p.batch.images.size(0));
            QVERIFY2(torch::equal(p.batch.images, fed), qPrintable(QString("batch %1").arg(b)));
        }
    }
};

QTEST_APPLESS_MAIN(TestBalancedBatches)
#include "test_balanced_batches.moc"
