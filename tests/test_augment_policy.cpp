// The augmentation policies' ops against results worked out by hand on small tensors, the
// samplers against their definitions (op frequencies, magnitude ranges), random erasing, and
// bad names and magnitudes refused with the value named.
#include <ATen/CPUGeneratorImpl.h>

#include <QtTest>
#include <map>

#include "core/base/errors.h"
#include "core/config/config.h"
#include "core/train/augment_policy.h"

using namespace fewdata;

namespace {

torch::Tensor image(std::vector<int64_t> values, int64_t h, int64_t w) {
    return torch::tensor(values, torch::kInt64).to(torch::kUInt8).view({1, 1, h, w});
}

torch::Tensor apply(const torch::Tensor& x, AugmentOp op, double magnitude) {
    return applyAugmentOp(x, op, torch::full({x.size(0)}, magnitude, torch::kFloat64));
}

bool same(const torch::Tensor& a, const torch::Tensor& b) {
    if (torch::equal(a, b)) return true;
    qWarning() << "got" << QString::fromStdString(c10::str(a)) << "expected"
               << QString::fromStdString(c10::str(b));
    return false;
}

template <typename F>
QString inputErrorOf(F f) {
    try {
        f();
    } catch (const InputError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

torch::Tensor arange16() {
    return torch::arange(16, torch::kInt64).to(torch::kUInt8).view({1, 1, 4, 4});
}

}  // namespace

class TestAugmentPolicy : public QObject {
    Q_OBJECT
private slots:
    void rotateByNinetyDegrees() {
        // Counter-clockwise on screen: the right column becomes the top row.
        const auto x = arange16();
        QVERIFY(same(apply(x, AugmentOp::Rotate, 90.0),
                     image({3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13, 0, 4, 8, 12}, 4, 4)));
        QVERIFY(same(apply(x, AugmentOp::Rotate, -90.0),
                     image({12, 8, 4, 0, 13, 9, 5, 1, 14, 10, 6, 2, 15, 11, 7, 3}, 4, 4)));
        // An odd side and three channels: the transpose flipped upside down.
        auto g = at::make_generator<at::CPUGeneratorImpl>(3);
        const auto rgb = torch::randint(256, {2, 3, 5, 5}, g, torch::kUInt8);
        QVERIFY(same(apply(rgb, AugmentOp::Rotate, 90.0), rgb.transpose(2, 3).flip({2})));
    }

    void translateAndShear() {
        // Whole pixels (1.7 truncates to 1), the uncovered column filled with 0.
        const auto x = image({1, 2, 3, 4, 5, 6}, 2, 3);
        QVERIFY(same(apply(x, AugmentOp::TranslateX, 1.7), image({0, 1, 2, 0, 4, 5}, 2, 3)));
        QVERIFY(same(apply(x, AugmentOp::TranslateX, -1.0), image({2, 3, 0, 5, 6, 0}, 2, 3)));
        QVERIFY(same(apply(x, AugmentOp::TranslateY, 1.0), image({0, 0, 0, 1, 2, 3}, 2, 3)));
        // ShearX 0.5 about the top-left corner: row r (centre r + 0.5) takes column
        // c + 0.5 (r + 0.5), rounded: offsets 0, 1, 1, 2 for rows 0..3.
        QVERIFY(same(apply(arange16(), AugmentOp::ShearX, 0.5),
                     image({0, 1, 2, 3, 5, 6, 7, 0, 9, 10, 11, 0, 14, 15, 0, 0}, 4, 4)));
        // ShearY is ShearX of the transpose.
        QVERIFY(same(apply(arange16(), AugmentOp::ShearY, 0.5),
                     apply(arange16().transpose(2, 3), AugmentOp::ShearX, 0.5).transpose(2, 3)));
    }

    void solarizePosterizeInvert() {
        const auto x = image({0, 127, 128, 255}, 1, 4);
        // At threshold 128 the pixels from 128 up are inverted.
        QVERIFY(same(apply(x, AugmentOp::Solarize, 128.0), image({0, 127, 127, 0}, 1, 4)));
        QVERIFY(same(apply(x, AugmentOp::Solarize, 255.0), image({0, 127, 128, 0}, 1, 4)));
        // 2 bits: & 0b11000000.
        const auto y = image({255, 100, 63, 64}, 1, 4);
        QVERIFY(same(apply(y, AugmentOp::Posterize, 2.0), image({192, 64, 0, 64}, 1, 4)));
        QVERIFY(same(apply(y, AugmentOp::Posterize, 8.0), y));
        QVERIFY(same(apply(y, AugmentOp::Posterize, 0.0), image({0, 0, 0, 0}, 1, 4)));
        QVERIFY(same(apply(y, AugmentOp::Invert, 0.0), image({0, 155, 192, 191}, 1, 4)));
    }

    void autoContrastAndEqualize() {
        // 50..150 stretched to 0..255: 100 -> 50 * 2.55 = 127.5, truncated.
        QVERIFY(same(apply(image({50, 100, 150, 150}, 2, 2), AugmentOp::AutoContrast, 0),
                     image({0, 127, 255, 255}, 2, 2)));
        const auto flat = image({7, 7, 7, 7}, 2, 2);
        QVERIFY(same(apply(flat, AugmentOp::AutoContrast, 0), flat));
        // 256 pixels: 128 of 10, 127 of 20, one of 30. Step = (256 - 1) / 255 = 1, so each value
        // maps to the count of pixels below it: 10 -> 0, 20 -> 128, 30 -> 255.
        std::vector<int64_t> v(128, 10);
        v.insert(v.end(), 127, 20);
        v.push_back(30);
        std::vector<int64_t> expected(128, 0);
        expected.insert(expected.end(), 127, 128);
        expected.push_back(255);
        QVERIFY(same(apply(image(v, 16, 16), AugmentOp::Equalize, 0), image(expected, 16, 16)));
        // Too few pixels for a step of 1: unchanged.
        const auto small = image({10, 10, 20, 30}, 2, 2);
        QVERIFY(same(apply(small, AugmentOp::Equalize, 0), small));
    }

    void blends() {
        // Brightness: factor 1 + m, clamped, truncated.
        const auto x = image({100, 200, 101, 0}, 2, 2);
        QVERIFY(same(apply(x, AugmentOp::Brightness, 0.5), image({150, 255, 151, 0}, 2, 2)));
        QVERIFY(same(apply(x, AugmentOp::Brightness, -0.5), image({50, 100, 50, 0}, 2, 2)));
        // Contrast towards the mean (50): factor 0 is flat, factor 2 doubles the distance.
        const auto c = image({0, 100}, 1, 2);
        QVERIFY(same(apply(c, AugmentOp::Contrast, -1.0), image({50, 50}, 1, 2)));
        QVERIFY(same(apply(c, AugmentOp::Contrast, 1.0), image({0, 150}, 1, 2)));
        // Sharpness: the centre of a 3x3 spike smooths to round(130 * 5 / 13) = 50.
        const auto spike = image({0, 0, 0, 0, 130, 0, 0, 0, 0}, 3, 3);
        QVERIFY(same(apply(spike, AugmentOp::Sharpness, -1.0),
                     image({0, 0, 0, 0, 50, 0, 0, 0, 0}, 3, 3)));
        QVERIFY(same(apply(spike, AugmentOp::Sharpness, 1.0),
                     image({0, 0, 0, 0, 210, 0, 0, 0, 0}, 3, 3)));
        // Color on grey images does nothing; on colour, factor 0 is the grey value
        // 0.2989 * 255 = 76.2 -> 76 in every channel.
        QVERIFY(same(apply(x, AugmentOp::Color, -1.0), x));
        const auto red = torch::tensor({255, 0, 0}, torch::kInt64).to(torch::kUInt8).view({1, 3, 1, 1});
        QVERIFY(same(apply(red, AugmentOp::Color, -1.0), torch::full({1, 3, 1, 1}, 76, torch::kUInt8)));
    }

    void everyOpOnGreyAndColour() {
        auto g = at::make_generator<at::CPUGeneratorImpl>(5);
        for (int64_t channels : {1, 3}) {
            const auto x = torch::randint(256, {3, channels, 9, 7}, g, torch::kUInt8);
            for (int k = 0; k < kAugmentOpCount; ++k) {
                const auto y = apply(x, AugmentOp(k), 0.3);
                QCOMPARE(y.sizes(), x.sizes());
                QCOMPARE(y.scalar_type(), torch::kUInt8);
            }
            QVERIFY(same(apply(x, AugmentOp::Identity, 5.0), x));
        }
    }

    void erasingAKnownBox() {
        const auto x = torch::full({2, 1, 4, 6}, 9, torch::kUInt8);
        // Image 0: rows 1..2, columns 2..4; image 1 not erased.
        const auto boxes = torch::tensor({1, 2, 2, 3, 0, 0, 0, 0}, torch::kInt64).view({2, 4});
        const auto y = eraseBoxes(x, boxes);
        auto expected = x.clone();
        expected[0][0].narrow(0, 1, 2).narrow(1, 2, 3).fill_(0);
        QVERIFY(same(y, expected));
        QCOMPARE(y.eq(0).sum().item<int64_t>(), int64_t(6));
    }

    void erasingBoxesFollowTheDefinition() {
        auto g = at::make_generator<at::CPUGeneratorImpl>(11);
        const int64_t n = 4000, h = 32, w = 32;
        const auto boxes = sampleErasingBoxes(n, h, w, 0.5, g);
        const auto a = boxes.accessor<int64_t, 2>();
        int64_t erased = 0;
        for (int64_t i = 0; i < n; ++i) {
            if (a[i][2] == 0) continue;
            ++erased;
            QVERIFY(a[i][0] >= 0 && a[i][0] + a[i][2] <= h && a[i][1] >= 0 && a[i][1] + a[i][3] <= w);
            // Rounded sides of an area 0.02..0.33 of the image, aspect 0.3..3.3.
            const double area = double(a[i][2] * a[i][3]) / double(h * w);
            QVERIFY2(area > 0.01 && area < 0.4, qPrintable(QString::number(area)));
            const double aspect = double(a[i][2]) / double(a[i][3]);
            QVERIFY2(aspect > 0.2 && aspect < 4.5, qPrintable(QString::number(aspect)));
        }
        QVERIFY2(std::abs(double(erased) / double(n) - 0.5) < 0.04, qPrintable(QString::number(erased)));
        QCOMPARE(sampleErasingBoxes(50, h, w, 0.0, g).select(1, 2).sum().item<int64_t>(), int64_t(0));
    }

    void trivialAugmentSampling() {
        auto g = at::make_generator<at::CPUGeneratorImpl>(1);
        AugmentOptions o;
        o.policy = "trivialaugment";
        const int64_t n = 28000;
        const PolicyPlan plan = samplePolicy(o, n, 32, 32, g);
        std::map<int, int> count, negative;
        for (const auto& steps : plan) {
            QCOMPARE(steps.size(), size_t(1));
            const PolicyStep& s = steps[0];
            ++count[int(s.op)];
            if (s.magnitude < 0) ++negative[int(s.op)];
            const double top = policyMagnitude("trivialaugment", s.op, kPolicyMagnitudeBins - 1,
                                               kPolicyMagnitudeBins, 32, 32);
            const double bottom = policyMagnitude("trivialaugment", s.op, 0, kPolicyMagnitudeBins, 32, 32);
            QVERIFY(std::abs(s.magnitude) <= std::max(top, bottom) + 1e-9);
            QVERIFY(std::abs(s.magnitude) >= std::min(top, bottom) - 1e-9);
        }
        QCOMPARE(int(count.size()), 14);  // Identity..Equalize, never Invert
        for (const auto& [op, c] : count) {
            QVERIFY2(std::abs(double(c) / double(n) - 1.0 / 14.0) < 0.008,
                     qPrintable(QString::fromStdString(augmentOpName(AugmentOp(op)))));
            if (isSignedOp(AugmentOp(op)))  // about half negated (a zero bin stays 0)
                QVERIFY(std::abs(double(negative[op]) / double(c) - 0.5 * 30 / 31) < 0.06);
            else
                QCOMPARE(negative[op], 0);
        }
        // The wide ranges: 135 degrees, 32 pixels, 8 down to 2 bits.
        QCOMPARE(policyMagnitude("trivialaugment", AugmentOp::Rotate, 30, 31, 32, 32), 135.0);
        QCOMPARE(policyMagnitude("trivialaugment", AugmentOp::TranslateX, 30, 31, 32, 32), 32.0);
        QCOMPARE(policyMagnitude("trivialaugment", AugmentOp::Posterize, 30, 31, 32, 32), 2.0);
        QCOMPARE(policyMagnitude("trivialaugment", AugmentOp::Posterize, 0, 31, 32, 32), 8.0);
    }

    void randAugmentSampling() {
        auto g = at::make_generator<at::CPUGeneratorImpl>(2);
        AugmentOptions o;
        o.policy = "randaugment";
        o.policyOps = 2;
        o.policyMagnitude = 9;
        const int64_t n = 14000;
        const PolicyPlan plan = samplePolicy(o, n, 30, 40, g);
        std::map<int, int> count;
        for (const auto& steps : plan) {
            QCOMPARE(steps.size(), size_t(2));
            for (const PolicyStep& s : steps) {
                ++count[int(s.op)];
                // Always bin 9 of 31 of RandAugment's ranges, the sign apart.
                QCOMPARE(std::abs(s.magnitude), policyMagnitude("randaugment", s.op, 9, 31, 30, 40));
            }
        }
        QCOMPARE(int(count.size()), 14);
        for (const auto& [op, c] : count)
            QVERIFY(std::abs(double(c) / double(2 * n) - 1.0 / 14.0) < 0.008);
        QCOMPARE(policyMagnitude("randaugment", AugmentOp::Rotate, 9, 31, 30, 40), 9.0);
        QCOMPARE(policyMagnitude("randaugment", AugmentOp::TranslateX, 30, 31, 30, 40),
                 150.0 / 331.0 * 40);
        QCOMPARE(policyMagnitude("randaugment", AugmentOp::TranslateY, 30, 31, 30, 40),
                 150.0 / 331.0 * 30);
        QCOMPARE(policyMagnitude("randaugment", AugmentOp::Solarize, 30, 31, 30, 40), 0.0);
        QCOMPARE(policyMagnitude("randaugment", AugmentOp::Posterize, 30, 31, 30, 40), 4.0);
    }

    void autoAugmentSampling() {
        const auto& policy = autoAugmentImageNetPolicy();
        QCOMPARE(int(policy.size()), 25);
        // Each op's expected share per image: its probability in each sub-policy over 25.
        std::map<int, double> expected;
        for (const auto& sub : policy)
            for (const auto& s : sub) expected[int(s.op)] += s.probability / 25.0;
        auto g = at::make_generator<at::CPUGeneratorImpl>(4);
        AugmentOptions o;
        o.policy = "autoaugment";
        const int64_t n = 20000;
        std::map<int, int> count;
        for (const auto& steps : samplePolicy(o, n, 32, 32, g)) {
            QCOMPARE(steps.size(), size_t(2));
            for (const PolicyStep& s : steps)
                if (s.op != AugmentOp::Identity) ++count[int(s.op)];
        }
        for (const auto& [op, share] : expected)
            QVERIFY2(std::abs(double(count[op]) / double(n) - share) < 0.015,
                     qPrintable(QString::fromStdString(augmentOpName(AugmentOp(op)))));
        QCOMPARE(int(count.size()), int(expected.size()));
    }

    void planAppliedPerImage() {
        // Grouping images by op gives what applying each image's steps alone gives.
        auto g = at::make_generator<at::CPUGeneratorImpl>(9);
        const auto x = torch::randint(256, {24, 3, 10, 10}, g, torch::kUInt8);
        AugmentOptions o;
        o.policy = "randaugment";
        o.policyOps = 3;
        o.policyMagnitude = 20;
        const PolicyPlan plan = samplePolicy(o, 24, 10, 10, g);
        const auto grouped = applyPolicyPlan(x, plan);
        for (int64_t i = 0; i < 24; ++i) {
            auto one = x.narrow(0, i, 1);
            for (const PolicyStep& s : plan[size_t(i)]) one = apply(one, s.op, s.magnitude);
            QVERIFY(torch::equal(one, grouped.narrow(0, i, 1)));
        }
    }

    void drawsFromTheGeneratorAlone() {
        AugmentOptions o;
        o.policy = "trivialaugment";
        o.erasing = 0.5;
        auto g = at::make_generator<at::CPUGeneratorImpl>(6);
        const auto x = torch::randint(256, {16, 1, 12, 12}, g, torch::kUInt8);
        auto g1 = at::make_generator<at::CPUGeneratorImpl>(7);
        auto g2 = at::make_generator<at::CPUGeneratorImpl>(7);
        QVERIFY(torch::equal(applyAugmentPolicy(x, o, g1), applyAugmentPolicy(x, o, g2)));
        // No policy and no erasing: nothing drawn, the batch untouched.
        o.policy = "none";
        o.erasing = 0;
        auto before = g1.get_state();
        QVERIFY(applyAugmentPolicy(x, o, g1).is_same(x));
        QVERIFY(torch::equal(g1.get_state(), before));
    }

    void badNamesAndMagnitudesNamed() {
        QVERIFY(inputErrorOf([] { augmentOpNamed("Rotation"); }).contains("'Rotation'"));
        QVERIFY(inputErrorOf([] { checkAugmentPolicy("randaug"); }).contains("'randaug'"));
        QVERIFY(inputErrorOf([] {
                    policyMagnitude("randaugment", AugmentOp::Rotate, 31, 31, 8, 8);
                }).contains("31"));
        AugmentOptions o;
        o.policy = "randaugment";
        o.policyMagnitude = 40;
        QVERIFY(inputErrorOf([&] { samplePolicy(o, 2, 8, 8, c10::nullopt); }).contains("40"));
        // Through the config, the key and the value named.
        QString e = inputErrorOf([] { TrainConfig::fromJson({{"augment_policy", "autoaug"}}); });
        QVERIFY2(e.contains("augment_policy") && e.contains("autoaug"), qPrintable(e));
        e = inputErrorOf([] { TrainConfig::fromJson({{"randaugment_magnitude", 31}}); });
        QVERIFY2(e.contains("randaugment_magnitude") && e.contains("31"), qPrintable(e));
        e = inputErrorOf([] { TrainConfig::fromJson({{"random_erasing", 1.5}}); });
        QVERIFY2(e.contains("random_erasing") && e.contains("1.5"), qPrintable(e));
        e = inputErrorOf([] { TrainConfig::fromJson({{"randaugment_ops", 0}}); });
        QVERIFY2(e.contains("randaugment_ops") && e.contains("0"), qPrintable(e));
        // The new keys are recipe keys: they change what a run computes.
        for (const char* key : {"augment_policy", "randaugment_ops", "randaugment_magnitude",
                                "random_erasing"})
            QVERIFY(TrainConfig::keyAffects(key, "baseline"));
    }
};

QTEST_APPLESS_MAIN(TestAugmentPolicy)
#include "test_augment_policy.moc"
