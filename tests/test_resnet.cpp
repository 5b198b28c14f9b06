// ResNets against torchvision: parameter counts, parameter names, strides and output shapes.
#include <QtTest>

#include "core/model/resnet.h"

using namespace fewdata;

class TestResNet : public QObject {
    Q_OBJECT
private slots:
    void parameterCountsMatchTorchvision_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<qlonglong>("params");
        // torchvision.models.resnetXX(num_classes=1000): sum(p.numel() for p in parameters())
        QTest::newRow("resnet18") << "resnet18" << 11689512LL;
        QTest::newRow("resnet34") << "resnet34" << 21797672LL;
        QTest::newRow("resnet50") << "resnet50" << 25557032LL;
    }
    void parameterCountsMatchTorchvision() {
        QFETCH(QString, arch);
        QFETCH(qlonglong, params);
        ResNetOptions o;
        o.arch = arch.toStdString();
        ResNet net(o);
        QCOMPARE(countParameters(*net), params);
    }

    void smallStemAndGreyInputChangeOnlyTheStem() {
        ResNetOptions o;
        o.numClasses = 10;
        o.inChannels = 1;
        o.smallStem = true;
        ResNet net(o);
        // 1000 -> 10 classes: fc loses 990 * 513; 7x7x3 -> 3x3x1 stem: 64 * (147 - 9).
        QCOMPARE(countParameters(*net), 11689512LL - 990 * 513 - 64 * (147 - 9));
        net->eval();
        auto y = net->forward(torch::randn({2, 1, 28, 28}));
        QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{2, 10}));
        QCOMPARE(net->features(torch::randn({2, 1, 28, 28})).size(1), int64_t(512));
    }

    void torchvisionNamesAndStrides() {
        ResNetOptions o;
        o.arch = "resnet50";
        ResNet net(o);
        auto params = net->named_parameters();
        for (const char* name :
             {"conv1.weight", "bn1.weight", "layer1.0.conv3.weight", "layer1.0.downsample.0.weight",
              "layer1.0.downsample.1.bias", "layer4.2.bn3.weight", "fc.weight", "fc.bias"})
            QVERIFY2(params.contains(name), name);
        QVERIFY(!params.contains("layer2.1.downsample.0.weight"));
        QCOMPARE(net->featureDim(), int64_t(2048));
        // v1.5: the bottleneck downsamples in its 3x3 convolution (torchvision), not the 1x1.
        QCOMPARE(params["layer2.0.conv2.weight"].sizes().vec(),
                 (std::vector<int64_t>{128, 128, 3, 3}));
        net->eval();
        torch::NoGradGuard g;
        auto y = net->forward(torch::randn({1, 3, 224, 224}));
        QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{1, 1000}));
    }

    void initialisationIsTorchvisions() {
        torch::manual_seed(0);
        ResNetOptions o;
        ResNet net(o);
        auto params = net->named_parameters();
        // kaiming_normal_(fan_out, relu): std = sqrt(2 / (64 * 7 * 7)) for the stem.
        const double expected = std::sqrt(2.0 / (64 * 49));
        const double measured = params["conv1.weight"].std().item<double>();
        QVERIFY2(std::abs(measured - expected) / expected < 0.05,
                 qPrintable(QString::number(measured)));
        QCOMPARE(params["bn1.weight"].min().item<float>(), 1.0f);
        QCOMPARE(params["bn1.bias"].abs().max().item<float>(), 0.0f);
        QCOMPARE(params["layer1.0.bn2.weight"].min().item<float>(), 1.0f);
    }

    // zero_init_residual: the last BatchNorm scale of every block is 0, the others 1, so each
    // block passes its (downsampled) input through: the network's output no longer depends on
    // a block's convolutions.
    void zeroInitResidualStartsEachBlockAsTheIdentity() {
        for (const char* arch : {"resnet18", "resnet50"}) {
            ResNetOptions o;
            o.arch = arch;
            o.numClasses = 10;
            o.zeroInitResidual = true;
            ResNet net(o);
            const std::string last = std::string(arch) == "resnet50" ? "bn3" : "bn2";
            int zeroed = 0;
            for (const auto& p : net->named_parameters()) {
                const std::string& name = p.key();
                if (name.find("layer") != 0 || name.find(".weight") == std::string::npos ||
                    name.find(".bn") == std::string::npos)
                    continue;
                const bool isLast = name.find("." + last + ".") != std::string::npos;
                QCOMPARE(p.value().abs().max().item<float>(), isLast ? 0.0f : 1.0f);
                zeroed += isLast;
            }
            QCOMPARE(zeroed, std::string(arch) == "resnet50" ? 16 : 8);  // one per block
            net->eval();
            torch::NoGradGuard g;
            const auto x = torch::randn({2, 3, 64, 64});
            const auto before = net->forward(x);
            auto params = net->named_parameters();
            params["layer3.1.conv1.weight"].normal_();  // a block without a downsample
            QVERIFY(torch::allclose(net->forward(x), before));
        }
    }
};

QTEST_APPLESS_MAIN(TestResNet)
#include "test_resnet.moc"
