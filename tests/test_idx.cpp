// The IDX reader against Debian's Fashion-MNIST files and against malformed files.
#include <QtTest>

#include "core/base/errors.h"
#include "core/data/fashion_mnist.h"
#include "core/data/idx_reader.h"
#include "test_helpers.h"

using namespace fewdata;

class TestIdx : public QObject {
    Q_OBJECT
private slots:
    void readsTheRealFiles() {
        const std::string dir = defaultFashionMnistDir();
        const IdxArray images = readIdxFile(dir + "/train-images-idx3-ubyte.gz");
        QCOMPARE(images.dims, (std::vector<int64_t>{60000, 28, 28}));
        const IdxArray labels = readIdxFile(dir + "/train-labels-idx1-ubyte.gz");
        QCOMPARE(labels.dims, (std::vector<int64_t>{60000}));
        // Fashion-MNIST is balanced: 6,000 training images per class.
        std::vector<int> counts(10, 0);
        for (uint8_t l : labels.data) counts.at(l)++;
        for (int c : counts) QCOMPARE(c, 6000);
        QCOMPARE(int(labels.data[0]), 9);  // the first training image is an ankle boot
    }

    void sourceIndexesBothSplits() {
        FashionMnistSource src(defaultFashionMnistDir());
        QCOMPARE(src.index().pool.size(), size_t(60000));
        QCOMPARE(src.index().test.size(), size_t(10000));
        QCOMPARE(src.index().classes.size(), size_t(10));
        QCOMPARE(src.index().native.height, 28);
        auto dec =
            src.decode({{"train/0", 9}, {"test/5", 1}, {"train/999999", 0}}, {1, 28, 28}, nullptr);
        QCOMPARE(dec.images.size(0), int64_t(2));
        QCOMPARE(dec.skipped.size(), size_t(1));
        QCOMPARE(QString::fromStdString(dec.skipped[0].id), QString("train/999999"));
        // Three channels at 32 px: replicated grey, resized.
        auto rgb = src.decode({{"train/0", 9}}, {3, 32, 32}, nullptr).images;
        QCOMPARE(rgb.sizes().vec(), (std::vector<int64_t>{1, 3, 32, 32}));
        QVERIFY(torch::equal(rgb[0][0], rgb[0][2]));
    }

    void malformedFilesNameThePath() {
        QTemporaryDir tmp;
        const std::string badMagic = tmp.filePath("magic.gz").toStdString();
        testhelp::writeGz(badMagic, {0x12, 0x34, 0x08, 1, 0, 0, 0, 1, 7});
        EXPECT_ERROR_MENTIONING(InputError, readIdxFile(badMagic), "magic.gz",
                                "wrong magic number");

        const std::string truncated = tmp.filePath("short.gz").toStdString();
        auto bytes = testhelp::idxHeader({10, 2});
        bytes.insert(bytes.end(), 7, 1);  // 20 promised, 7 present
        testhelp::writeGz(truncated, bytes);
        EXPECT_ERROR_MENTIONING(InputError, readIdxFile(truncated), "short.gz", "truncated", "20",
                                "7");

        const std::string longer = tmp.filePath("long.gz").toStdString();
        bytes = testhelp::idxHeader({2});
        bytes.insert(bytes.end(), 5, 1);
        testhelp::writeGz(longer, bytes);
        EXPECT_ERROR_MENTIONING(InputError, readIdxFile(longer), "long.gz", "more data");

        const std::string floats = tmp.filePath("float.gz").toStdString();
        testhelp::writeGz(floats, {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        EXPECT_ERROR_MENTIONING(InputError, readIdxFile(floats), "float.gz", "element type 13");

        const std::string huge = tmp.filePath("huge.gz").toStdString();
        testhelp::writeGz(huge, testhelp::idxHeader({0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}));
        EXPECT_ERROR_MENTIONING(InputError, readIdxFile(huge), "huge.gz", "implausible size");

        // A header promising a gigabyte over ten bytes of data: an error, not a 1 GB allocation.
        const std::string liar = tmp.filePath("liar.gz").toStdString();
        bytes = testhelp::idxHeader({1000000000u});
        bytes.insert(bytes.end(), 10, 3);
        testhelp::writeGz(liar, bytes);
        EXPECT_ERROR_MENTIONING(InputError, readIdxFile(liar), "liar.gz", "truncated", "found 10");

        EXPECT_ERROR_MENTIONING(InputError, readIdxFile(tmp.filePath("none.gz").toStdString()),
                                "none.gz", "cannot open");
    }

    void datasetFolderChecksLabelsAgainstImages() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        auto img = testhelp::idxHeader({3, 2, 2});
        img.insert(img.end(), 12, 0);
        auto lab = testhelp::idxHeader({2});  // one label short
        lab.insert(lab.end(), {1, 2});
        for (const char* p : {"train", "t10k"}) {
            testhelp::writeGz(dir + "/" + p + "-images-idx3-ubyte.gz", img);
            testhelp::writeGz(dir + "/" + p + "-labels-idx1-ubyte.gz", lab);
        }
        EXPECT_ERROR_MENTIONING(InputError, FashionMnistSource src(dir), "train-labels",
                                "3 images but 2 labels");

        auto lab3 = testhelp::idxHeader({3});
        lab3.insert(lab3.end(), {1, 12, 2});
        testhelp::writeGz(dir + "/train-labels-idx1-ubyte.gz", lab3);
        EXPECT_ERROR_MENTIONING(InputError, FashionMnistSource src(dir), "label 12", "index 1");
    }
};

QTEST_APPLESS_MAIN(TestIdx)
#include "test_idx.moc"
