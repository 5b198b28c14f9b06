// Weight EMA against averages worked out by hand, the swap that evaluates it without losing
// the raw weights, BatchNorm's cumulative start, and test-time flip averaging against the two
// views computed apart.
#include <QtTest>

#include "core/base/errors.h"
#include "core/config/config.h"
#include "core/model/resnet.h"
#include "core/train/batch_norm_momentum.h"
#include "core/train/objective.h"
#include "core/train/weight_average.h"

using namespace fewdata;

namespace {

// One weight, one bias and BatchNorm's buffers (running mean/var and the integer counter).
struct Tiny : torch::nn::Module {
    Tiny() {
        fc = register_module("fc", torch::nn::Linear(1, 1));
        bn = register_module("bn", torch::nn::BatchNorm1d(1));
    }
    torch::nn::Linear fc{nullptr};
    torch::nn::BatchNorm1d bn{nullptr};
};

void setWeights(Tiny& t, double w, double b, double runningMean, int64_t batches) {
    torch::NoGradGuard g;
    t.fc->weight.fill_(w);
    t.fc->bias.fill_(b);
    t.bn->running_mean.fill_(runningMean);
    t.bn->num_batches_tracked.fill_(batches);
}

double valueAt(const WeightSnapshot& s, size_t i) {
    return s.tensors.at(i).flatten()[0].item<double>();
}

}  // namespace

class TestAveraging : public QObject {
    Q_OBJECT

private slots:
    void theDecayRampsUpToItsValue() {
        QCOMPARE(emaDecayAt(0.999, 1), 2.0 / 11.0);
        QCOMPARE(emaDecayAt(0.999, 10), 11.0 / 20.0);
        QCOMPARE(emaDecayAt(0.9, 80), 0.9);  // 81/90 = 0.9: the ramp meets the decay here
        QCOMPARE(emaDecayAt(0.9, 1000), 0.9);
        QCOMPARE(emaDecayAt(0.999, 100000), 0.999);
    }

    void badDecaysAndMomentaAreRefusedByName() {
        for (const auto& [key, value] : std::vector<std::pair<std::string, double>>{
                 {"ema_decay", 1.0}, {"ema_decay", -0.5}, {"bn_momentum", 0.0},
                 {"bn_momentum", 1.5}}) {
            QString message;
            try {
                TrainConfig::fromJson({{key, value}});
            } catch (const InputError& e) {
                message = QString::fromUtf8(e.what());
            }
            QVERIFY2(message.contains(QString::fromStdString(key)) &&
                         message.contains("out of range"),
                     qPrintable(QString::fromStdString(key) + ": '" + message + "'"));
        }
        QCOMPARE(TrainConfig::fromJson({{"ema_decay", 0.999}}).ema_decay, 0.999);
        QVERIFY(TrainConfig::fromJson({{"tta_flip", true}}).tta_flip);
    }

    void theAverageFollowsTheHandComputedRecurrence() {
        Tiny t;
        setWeights(t, 1.0, -2.0, 0.5, 0);
        std::vector<torch::nn::Module*> modules = {&t};
        WeightEma ema(modules, 0.5);
        // Order: fc.weight, fc.bias, bn.weight, bn.bias, running_mean, running_var, counter.
        QCOMPARE(ema.average().tensors.size(), size_t(7));

        setWeights(t, 3.0, 2.0, 1.5, 1);
        ema.update(1);  // d = min(0.5, 2/11) = 2/11
        const double d1 = 2.0 / 11.0;
        QVERIFY(qAbs(valueAt(ema.average(), 0) - (d1 * 1.0 + (1 - d1) * 3.0)) < 1e-6);
        QVERIFY(qAbs(valueAt(ema.average(), 1) - (d1 * -2.0 + (1 - d1) * 2.0)) < 1e-6);
        QVERIFY(qAbs(valueAt(ema.average(), 4) - (d1 * 0.5 + (1 - d1) * 1.5)) < 1e-6);
        QCOMPARE(ema.average().tensors[6].item<int64_t>(), int64_t(1));  // copied, not averaged

        setWeights(t, 7.0, 0.0, 1.5, 2);
        ema.update(40);  // d = min(0.5, 41/50) = 0.5
        const double w1 = d1 * 1.0 + (1 - d1) * 3.0;
        QVERIFY(qAbs(valueAt(ema.average(), 0) - (0.5 * w1 + 0.5 * 7.0)) < 1e-6);
        QCOMPARE(ema.average().tensors[6].item<int64_t>(), int64_t(2));
        // The live weights are the module's own, untouched by the average.
        QCOMPARE(t.fc->weight.item<double>(), 7.0);
    }

    void swappedWeightsComeBack() {
        Tiny t;
        setWeights(t, 1.0, 0.0, 0.0, 0);
        std::vector<torch::nn::Module*> modules = {&t};
        WeightEma ema(modules, 0.9);
        setWeights(t, 5.0, 1.0, 2.0, 3);
        {
            SwappedWeights in(modules, ema.average());
            QCOMPARE(t.fc->weight.item<double>(), 1.0);
            QCOMPARE(t.bn->running_mean.item<double>(), 0.0);
        }
        QCOMPARE(t.fc->weight.item<double>(), 5.0);
        QCOMPARE(t.fc->bias.item<double>(), 1.0);
        QCOMPARE(t.bn->running_mean.item<double>(), 2.0);
        QCOMPARE(t.bn->num_batches_tracked.item<int64_t>(), int64_t(3));
    }

    void batchNormStartsWithACumulativeAverage() {
        QCOMPARE(batchNormMomentumAt(0.1, 0), 1.0);
        QCOMPARE(batchNormMomentumAt(0.1, 1), 0.5);
        QCOMPARE(batchNormMomentumAt(0.1, 8), 1.0 / 9.0);
        QCOMPARE(batchNormMomentumAt(0.1, 9), 0.1);
        QCOMPARE(batchNormMomentumAt(0.1, 500), 0.1);
        QCOMPARE(batchNormMomentumAt(0.5, 0), 1.0);
        QCOMPARE(batchNormMomentumAt(0.5, 3), 0.5);

        torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 2, 1)),
                                  torch::nn::BatchNorm2d(2), torch::nn::Flatten(),
                                  torch::nn::Linear(8, 3), torch::nn::BatchNorm1d(3));
        BatchNormMomentum momentum({net.ptr().get()}, 0.1);
        QCOMPARE(momentum.layers(), size_t(2));
        auto* bn = net[1]->as<torch::nn::BatchNorm2d>();
        net->train();
        torch::manual_seed(5);
        const auto x1 = torch::randn({4, 1, 2, 2}) * 3 + 2, x2 = torch::randn({4, 1, 2, 2});
        torch::NoGradGuard g;
        auto channelMean = [&](const torch::Tensor& x) {
            return net[0]->as<torch::nn::Conv2d>()->forward(x).mean({0, 2, 3});
        };
        auto channelVar = [&](const torch::Tensor& x) {  // unbiased, as BatchNorm keeps it
            return net[0]->as<torch::nn::Conv2d>()->forward(x).transpose(0, 1).reshape({2, -1}).var(1);
        };
        momentum.beforeStep(0);  // momentum 1: the first batch's statistics alone
        net->forward(x1);
        QVERIFY(torch::allclose(bn->running_mean, channelMean(x1), 1e-5, 1e-6));
        QVERIFY(torch::allclose(bn->running_var, channelVar(x1), 1e-5, 1e-6));
        momentum.beforeStep(1);  // 1/2: the mean of both batches' statistics
        net->forward(x2);
        QVERIFY(torch::allclose(bn->running_mean, (channelMean(x1) + channelMean(x2)) / 2, 1e-5,
                                1e-6));
        const auto before = bn->running_mean.clone();
        momentum.beforeStep(40);  // the configured 0.1 from the tenth step on
        net->forward(x1);
        QVERIFY(torch::allclose(bn->running_mean, 0.9 * before + 0.1 * channelMean(x1), 1e-5,
                                1e-6));
        QCOMPARE(*net[4]->as<torch::nn::BatchNorm1d>()->options.momentum(), 0.1);
        // Off (the paper's preset): PyTorch's fixed momentum from the first step.
        BatchNormMomentum fixed({net.ptr().get()}, 0.1, /*cumulativeStart=*/false);
        fixed.beforeStep(0);
        QCOMPARE(*bn->options.momentum(), 0.1);
    }

    void flipAveragingIsTheMeanOfBothViews() {
        torch::manual_seed(3);
        ResNetOptions o;
        o.numClasses = 4;
        o.inChannels = 1;
        o.smallStem = true;
        ResNet model(o);
        model->eval();
        const auto images = torch::randint(0, 256, {3, 1, 12, 12}).to(torch::kUInt8);
        AugmentOptions augment;
        augment.mode = "none";
        augment.outputSize = 12;
        Normalizer normalizer{torch::tensor({100.0f}), torch::tensor({50.0f})};
        EvalData d{&augment, &normalizer, 2, torch::kCPU, nullptr};
        torch::NoGradGuard g;
        const auto plain = evalFeatures(model, images, 0, 3, d);
        const auto mirrored = evalFeatures(model, images.flip({3}), 0, 3, d);
        d.ttaFlip = true;
        const auto averaged = evalFeatures(model, images, 0, 3, d);
        QVERIFY(torch::allclose(averaged, (plain + mirrored) / 2, 1e-5, 1e-6));
        QVERIFY(!torch::allclose(averaged, plain, 1e-3, 1e-3));  // the mirror changed something
        // A mirror-symmetric image is its own mirror: averaging changes nothing.
        const auto left = torch::randint(0, 256, {1, 1, 12, 6}).to(torch::kUInt8);
        const auto symmetric = torch::cat({left, left.flip({3})}, 3);
        QVERIFY(torch::allclose(evalFeatures(model, symmetric, 0, 1, d),
                                model->features(evalInput(symmetric, 0, 1, d)), 1e-5, 1e-6));
        // The evaluation's logits are the linear head's of the averaged features.
        const auto scores = extractFeatures(model, images, d);
        QVERIFY(torch::allclose(scores.logits, model->classify(averaged), 1e-5, 1e-6));
    }
};

QTEST_GUILESS_MAIN(TestAveraging)
#include "test_averaging.moc"
