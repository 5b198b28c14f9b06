// The GUI's "training batch" view against a real Trainer: for a fixed config and seed the
// preview's tensors equal, element for element, what the network was given.
#include <ATen/CPUGeneratorImpl.h>

#include <QtTest>

#include "core/methods/registry.h"
#include "core/run/batch_preview.h"
#include "core/train/objective.h"
#include "core/train/trainer.h"

using namespace fewdata;

namespace {

// Forwards to the real objective and keeps what each step fed the network.
class RecordingObjective : public Objective {
public:
    explicit RecordingObjective(std::unique_ptr<Objective> inner) : inner_(std::move(inner)) {}
    std::vector<torch::nn::Module*> heads() override { return inner_->heads(); }
    TrainBatch prepare(const torch::Tensor& batch, const torch::Tensor& labels,
                       at::Generator& generator) const override {
        return inner_->prepare(batch, labels, generator);
    }
    StepOutput step(ResNet& model, const TrainBatch& batch) override {
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

    std::vector<torch::Tensor> inputs;

private:
    std::unique_ptr<Objective> inner_;
};

Split randomSplit(int64_t n, int64_t classes, int64_t side, uint64_t seed) {
    auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
    Split s;
    s.images = torch::randint(256, {n, 1, side, side}, g, torch::kUInt8);
    s.labels = torch::arange(n, torch::kInt64).remainder(classes);
    return s;
}

}  // namespace

class TestBatchPreview : public QObject {
    Q_OBJECT
private slots:
    void previewEqualsWhatTheTrainerFeeds_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<double>("erasing");
        QTest::newRow("baseline") << "baseline" << "none" << 0.0;
        QTest::newRow("mixup") << "mixup" << "none" << 0.0;
        QTest::newRow("cutmix") << "cutmix" << "none" << 0.0;
        QTest::newRow("supcon") << "supcon" << "none" << 0.0;  // two views per batch
        QTest::newRow("siamese-contrastive")
            << "siamese-contrastive" << "none" << 0.0;  // pairs drawn too
        QTest::newRow("siamese-triplet") << "siamese-triplet" << "none" << 0.0;
        // The policies and erasing draw from the batch stream too.
        QTest::newRow("baseline trivialaugment") << "baseline" << "trivialaugment" << 0.0;
        QTest::newRow("mixup randaugment erasing") << "mixup" << "randaugment" << 0.5;
        QTest::newRow("supcon autoaugment") << "supcon" << "autoaugment" << 0.0;
        QTest::newRow("cutmix erasing") << "cutmix" << "none" << 1.0;
    }
    void previewEqualsWhatTheTrainerFeeds() {
        QFETCH(QString, method);
        QFETCH(QString, policy);
        QFETCH(double, erasing);
        TrainConfig c;
        c.method = method.toStdString();
        c.augment_policy = policy.toStdString();
        c.random_erasing = erasing;
        c.model = "resnet18";
        c.epochs = 1;
        c.batch_size = 5;
        c.seed = 7;
        c.pad = 2;
        c.siamese_input = "images";
        ResolvedSetup setup;
        setup.cache = {1, 12, 12};
        setup.inputSize = 12;
        setup.augment = "pad-crop";
        setup.smallStem = true;

        ProtocolSplits splits;
        splits.classes = {"a", "b", "c"};
        splits.train = randomSplit(14, 3, 12, 1);  // batches of 5, 5 and 4
        splits.val = randomSplit(6, 3, 12, 2);
        splits.test = randomSplit(6, 3, 12, 3);

        // The network's initialisation takes numbers from the global generator; the batches
        // must not depend on it.
        torch::manual_seed(12345);
        ResNetOptions ro;
        ro.numClasses = 3;
        ro.inChannels = 1;
        ro.smallStem = true;
        ResNet model(ro);
        TrainerInputs in;
        in.config = c;
        in.augment = trainAugmentOptions(c, setup);
        in.normalizer = runNormalizer(setup, splits.train.images);
        RecordingObjective objective(
            imageStageOf(c).objective({c, in.augment, in.normalizer, model->featureDim(), 3}));
        Trainer trainer(model, in, objective);
        RunResult result;
        trainer.run(splits, nullptr, nullptr, nullptr, result);
        QCOMPARE(objective.inputs.size(), size_t(3));

        for (int64_t b = 0; b < 3; ++b) {
            const BatchPreview p = previewTrainingBatch(c, setup, splits.train, b);
            // supcon feeds both views; the preview shows the first.
            const auto fed = objective.inputs[size_t(b)].narrow(0, 0, p.batch.images.size(0));
            QVERIFY2(torch::equal(p.batch.images, fed),
                     qPrintable(QString("batch %1 differs").arg(b)));
            QCOMPARE(p.batch.mixed, c.method == "mixup" || c.method == "cutmix");
        }
        // The policy and erasing did change the batch (the equality above is not vacuous).
        if (c.augment_policy != "none" || c.random_erasing > 0) {
            TrainConfig plain = c;
            plain.augment_policy = "none";
            plain.random_erasing = 0;
            QVERIFY(!torch::equal(previewTrainingBatch(plain, setup, splits.train, 0).batch.images,
                                  previewTrainingBatch(c, setup, splits.train, 0).batch.images));
        }
        // Pixels round-trip through the normalisation (a pad-crop of uint8 input stays exact
        // where no mixing blends two images).
        if (c.method == "baseline") {
            const BatchPreview p = previewTrainingBatch(c, setup, splits.train, 0);
            const auto pixels = toPixels(p.batch.images, p.normalizer);
            QCOMPARE(pixels.scalar_type(), torch::kUInt8);
            QVERIFY(torch::allclose(p.normalizer.apply(pixels), p.batch.images, 1e-5, 1e-5));
        }
    }

    void anotherSeedGivesAnotherBatch() {
        TrainConfig c;
        c.method = "cutmix";
        c.batch_size = 8;
        ResolvedSetup setup;
        setup.cache = {1, 12, 12};
        setup.inputSize = 12;
        setup.augment = "pad-crop";
        const Split train = randomSplit(16, 4, 12, 5);
        c.seed = 0;
        const BatchPreview a = previewTrainingBatch(c, setup, train);
        const BatchPreview again = previewTrainingBatch(c, setup, train);
        c.seed = 1;
        const BatchPreview b = previewTrainingBatch(c, setup, train);
        QVERIFY(torch::equal(a.batch.images, again.batch.images));
        QVERIFY(!torch::equal(a.samples, b.samples) ||
                !torch::equal(a.batch.images, b.batch.images));
        // The CutMix label weight follows the pasted area of the preview's own box.
        const double h = 12, w = 12;
        QCOMPARE(a.batch.lambda, 1.0 - double(a.batch.box.area()) / (h * w));
    }

    void mixWithAChosenWeight() {
        // Two flat images, 10 and 30: MixUp at 0.25 gives 0.25 * 10 + 0.75 * 30 = 25.
        auto images = torch::stack({torch::full({1, 4, 4}, 10.f), torch::full({1, 4, 4}, 30.f)});
        auto labels = torch::tensor({0, 1}, torch::kInt64);
        auto partners = torch::tensor({1, 0}, torch::kInt64);
        MixedBatch m = mixWith(images, labels, "mixup", partners, 0.25, 0, 0);
        QCOMPARE(m.images[0][0][0][0].item<float>(), 25.f);
        QCOMPARE(m.labelsB[0].item<int64_t>(), int64_t(1));
        // CutMix at 0.75 centred (2, 2) of a 4x4: a 2x2 box, rows and columns 1..2.
        m = mixWith(images, labels, "cutmix", partners, 0.75, 2, 2);
        QCOMPARE(m.box.area(), int64_t(4));
        QCOMPARE(m.images[0][0][1][1].item<float>(), 30.f);
        QCOMPARE(m.images[0][0][0][0].item<float>(), 10.f);
        QCOMPARE(m.lambda, 0.75);
    }
};

QTEST_APPLESS_MAIN(TestBatchPreview)
#include "test_batch_preview.moc"
