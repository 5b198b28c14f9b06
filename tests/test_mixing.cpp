// MixUp and CutMix against values worked out by hand: the box, the area-corrected lambda,
// the mixed pixels and the mixed loss.
#include <QtTest>

#include "core/train/mixing.h"

using namespace fewdata;
using torch::indexing::Slice;

namespace {

// Batch of n single-channel images, image i filled with the value 10 * (i + 1), label i.
std::pair<torch::Tensor, torch::Tensor> labelledFlatBatch(int64_t n, int64_t side) {
    auto labels = torch::arange(n, torch::kInt64);
    auto images = ((labels + 1) * 10)
                      .to(torch::kFloat32)
                      .view({n, 1, 1, 1})
                      .expand({n, 1, side, side})
                      .contiguous();
    return {images, labels};
}

}  // namespace

class TestMixing : public QObject {
    Q_OBJECT
private slots:
    void cutmixBoxByHand() {
        // lambda 0.75: side ratio sqrt(0.25) = 0.5, a 16x16 cut of 32x32 centred at (16, 16).
        Box b = cutmixBox(32, 32, 0.75, 16, 16);
        QCOMPARE(b.top, int64_t(8));
        QCOMPARE(b.bottom, int64_t(24));
        QCOMPARE(b.left, int64_t(8));
        QCOMPARE(b.right, int64_t(24));
        // At the corner it is clipped to 8x8: the corrected lambda is 1 - 64/1024.
        b = cutmixBox(32, 32, 0.75, 0, 0);
        QCOMPARE(b.area(), int64_t(64));
        // Rectangular image: int() truncation of each side, as clovaai's rand_bbox.
        b = cutmixBox(10, 30, 0.5, 5, 15);
        QCOMPARE(b.bottom - b.top, int64_t(6));   // int(10 * 0.7071) = 7, halves 3 + 3
        QCOMPARE(b.right - b.left, int64_t(20));  // int(30 * 0.7071) = 21, halves 10 + 10
    }

    void cutmixPastesThePartnerAndCorrectsLambda() {
        torch::manual_seed(3);
        auto [images, labels] = labelledFlatBatch(6, 16);
        for (int trial = 0; trial < 20; ++trial) {
            const MixedBatch m = mixBatch(images, labels, {"cutmix", 1.0, 1.0});
            QVERIFY(m.mixed);
            QCOMPARE(m.lambda, 1.0 - double(m.box.area()) / 256.0);
            for (int64_t i = 0; i < 6; ++i) {
                const float own = 10.0f * (labels[i].item<int64_t>() + 1);
                const float partner = 10.0f * (m.labelsB[i].item<int64_t>() + 1);
                auto img = m.images[i][0];
                auto inside =
                    img.index({Slice(m.box.top, m.box.bottom), Slice(m.box.left, m.box.right)});
                QVERIFY(inside.numel() == 0 || inside.eq(partner).all().item<bool>());
                const double ownPixels = img.eq(own).sum().item<double>();
                if (own != partner) QCOMPARE(ownPixels, 256.0 - m.box.area());
            }
        }
    }

    void mixupBlendsImagesAndLabels() {
        torch::manual_seed(5);
        auto [images, labels] = labelledFlatBatch(5, 4);
        const MixedBatch m = mixBatch(images, labels, {"mixup", 1.0, 1.0});
        QVERIFY(m.mixed && m.lambda > 0 && m.lambda < 1);
        for (int64_t i = 0; i < 5; ++i) {
            const double expected =
                m.lambda * 10 * (i + 1) + (1 - m.lambda) * 10 * (m.labelsB[i].item<int64_t>() + 1);
            QVERIFY(std::abs(m.images[i][0][0][0].item<double>() - expected) < 1e-4);
        }
        auto soft = softTargets(m, 5);
        QVERIFY(torch::allclose(soft.sum(1), torch::ones({5})));
        QVERIFY(std::abs(soft[0][0].item<double>() -
                         (m.labelsB[0].item<int64_t>() == 0 ? 1.0 : m.lambda)) < 1e-6);
    }

    void mixedLossByHand() {
        MixedBatch b;
        b.labelsA = torch::tensor({0}, torch::kInt64);
        b.labelsB = torch::tensor({1}, torch::kInt64);
        b.lambda = 0.25;
        b.mixed = true;
        auto logits = torch::tensor({{2.0f, 0.0f}});
        // CE(label 0) = log(1 + e^-2) = 0.126928; CE(label 1) = log(1 + e^2) = 2.126928.
        const double expected = 0.25 * 0.126928 + 0.75 * 2.126928;
        QVERIFY(std::abs(mixedCrossEntropy(logits, b, 0.0).item<double>() - expected) < 1e-5);
        b.mixed = false;
        QVERIFY(std::abs(mixedCrossEntropy(logits, b, 0.0).item<double>() - 0.126928) < 1e-5);
    }

    void betaSamplesHaveTheRightShape() {
        torch::manual_seed(11);
        std::vector<double> u, s;
        for (int i = 0; i < 3000; ++i) u.push_back(sampleBeta(1.0));
        for (int i = 0; i < 3000; ++i) s.push_back(sampleBeta(0.2));
        auto t = torch::tensor(u, torch::kFloat64);
        // Beta(1, 1) is uniform: mean 1/2, variance 1/12.
        QVERIFY(std::abs(t.mean().item<double>() - 0.5) < 0.02);
        QVERIFY(std::abs(t.var().item<double>() - 1.0 / 12) < 0.006);
        // Beta(0.2, 0.2) piles up at 0 and 1: P(0.1 < x < 0.9) is about 0.325.
        auto v = torch::tensor(s, torch::kFloat64);
        const double middle =
            v.gt(0.1).logical_and(v.lt(0.9)).to(torch::kFloat64).mean().item<double>();
        QVERIFY2(middle > 0.28 && middle < 0.37, qPrintable(QString::number(middle)));
    }

    void probabilityZeroNeverMixes() {
        auto [images, labels] = labelledFlatBatch(4, 4);
        for (int i = 0; i < 20; ++i) {
            const MixedBatch m = mixBatch(images, labels, {"cutmix", 1.0, 0.0});
            QVERIFY(!m.mixed);
            QVERIFY(torch::equal(m.images, images));
        }
    }
};

QTEST_APPLESS_MAIN(TestMixing)
#include "test_mixing.moc"
