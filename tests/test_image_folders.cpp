// ImageFolder and VIPriors trees generated on the fly: layouts, decoding of mixed formats,
// corrupt and truncated files, empty class folders and a missing root.
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "core/base/errors.h"
#include "core/data/protocol.h"
#include "core/run/train_job.h"
#include "imaging/dataset_factory.h"
#include "imaging/image_decode.h"
#include "imaging/image_folder_source.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

// Writes `n` images of one colour per class, cycling through formats, sizes and channel counts.
void writeClass(const fs::path& dir, int n, int value) {
    fs::create_directories(dir);
    const char* exts[] = {".png", ".jpg", ".bmp", ".JPEG"};
    for (int i = 0; i < n; ++i) {
        cv::Mat m;
        switch (i % 3) {
            case 0:
                m = cv::Mat(40 + i, 60, CV_8UC1, cv::Scalar(value));
                break;
            case 1:
                m = cv::Mat(50, 30 + i, CV_8UC3, cv::Scalar(value, value, value));
                break;
            default:
                m = cv::Mat(33, 33, CV_8UC4, cv::Scalar(value, value, value, 128));
                break;
        }
        const char* ext = (i % 3 == 2) ? ".png" : exts[i % 4];
        QVERIFY(cv::imwrite((dir / ("img" + std::to_string(i) + ext)).string(), m));
    }
}

void writeBytes(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
}

std::string readBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestImageFolders : public QObject {
    Q_OBJECT
private slots:
    void imageFolderWithRemainderTest() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeClass(root / "cat", 14, 40);
        writeClass(root / "dog", 12, 200);
        writeBytes(root / "dog" / "notes.txt", "not an image, ignored");
        writeBytes(root / "cat" / "corrupt.jpg", "this is not a JPEG at all");
        const std::string good = readBytes(root / "dog" / "img1.jpg");
        writeBytes(root / "dog" / "truncated.jpg", good.substr(0, good.size() / 2));

        ImageFolderSource src(root.string(), FolderLayout::Auto);
        QCOMPARE(QString::fromStdString(src.index().name), QString("imagefolder"));
        QCOMPARE(src.index().classes, (std::vector<std::string>{"cat", "dog"}));
        QCOMPARE(src.index().pool.size(), size_t(14 + 1 + 12 + 1));
        QVERIFY(src.index().testSplit == TestSplit::Remainder);

        ProtocolOptions o;
        o.perClass = 10;
        const ProtocolSplits s = drawSplits(src, o, {3, 16, 16}, nullptr);
        QCOMPARE(s.train.images.sizes().vec(), (std::vector<int64_t>{16, 3, 16, 16}));
        QCOMPARE(s.val.samples.size(), size_t(4));
        // Every file not drawn and readable is test: 28 files - 20 drawn - 2 unreadable.
        QCOMPARE(s.test.samples.size() + s.skipped.size(), size_t(28 - 20));
        QCOMPARE(s.skipped.size(), size_t(2));
        // The colour survives decoding: class 0 is dark, class 1 bright, in every channel.
        for (int64_t i = 0; i < s.train.images.size(0); ++i) {
            const double mean = s.train.images[i].to(torch::kFloat32).mean().item<double>();
            QVERIFY(s.train.labels[i].item<int64_t>() == 0 ? std::abs(mean - 40) < 3
                                                           : std::abs(mean - 200) < 3);
        }
    }

    void decodeReportsWhy() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeClass(root / "a", 2, 90);
        const std::string jpg = readBytes(root / "a" / "img1.jpg");
        writeBytes(root / "cut.jpg", jpg.substr(0, jpg.size() - 40));
        writeBytes(root / "junk.png", "\x89PNG garbage");
        writeBytes(root / "empty.jpg", "");
        auto reason = [](const fs::path& p) {
            return decodeImageFile(p.string(), {3, 8, 8}).error;
        };
        QVERIFY2(reason(root / "cut.jpg").find("truncated JPEG") != std::string::npos,
                 reason(root / "cut.jpg").c_str());
        QVERIFY(reason(root / "junk.png").find("truncated PNG") != std::string::npos);
        QVERIFY(reason(root / "empty.jpg").find("empty") != std::string::npos);
        // A BMP that lost its end: named as such (OpenCV alone would also print to stderr).
        std::vector<uint8_t> bmp;
        QVERIFY(cv::imencode(".bmp", cv::Mat(8, 8, CV_8UC3, cv::Scalar(7, 7, 7)), bmp));
        writeBytes(root / "whole.bmp", std::string(bmp.begin(), bmp.end()));
        writeBytes(root / "cut.bmp", std::string(bmp.begin(), bmp.end() - 20));
        QVERIFY(decodeImageFile((root / "whole.bmp").string(), {3, 8, 8}).error.empty());
        QVERIFY2(reason(root / "cut.bmp").find("truncated BMP") != std::string::npos,
                 reason(root / "cut.bmp").c_str());
        QVERIFY(reason(root / "missing.jpg").find("cannot open") != std::string::npos);
        const auto ok = decodeImageFile((root / "a" / "img0.png").string(), {1, 8, 8});
        QVERIFY(ok.error.empty());
        QCOMPARE(ok.image.sizes().vec(), (std::vector<int64_t>{1, 8, 8}));
        QCOMPARE(int(ok.image.max().item<uint8_t>()), 90);
    }

    void separateTestFolderAndVIPriors() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeClass(root / "x", 6, 10);
        writeClass(root / "y", 6, 20);
        writeClass(root / "test" / "y", 3, 20);
        ImageFolderSource folder(root.string(), FolderLayout::Auto);
        QCOMPARE(folder.index().classes.size(), size_t(2));
        QVERIFY(folder.index().testSplit == TestSplit::Separate);
        QCOMPARE(folder.index().test.size(), size_t(3));
        QCOMPARE(folder.index().test[0].label, int64_t(1));

        const fs::path vip = root / "vip";
        writeClass(vip / "train" / "n02", 4, 10);
        writeClass(vip / "train" / "n01", 4, 20);
        writeClass(vip / "val" / "n02", 2, 10);
        writeClass(vip / "test" / "imgs", 3, 0);
        ImageFolderSource v(vip.string(), FolderLayout::Auto);
        QCOMPARE(QString::fromStdString(v.index().name), QString("vipriors"));
        QCOMPARE(v.index().classes, (std::vector<std::string>{"n01", "n02"}));  // sorted wnids
        QCOMPARE(v.index().test.size(), size_t(2));
        QCOMPARE(v.index().test[0].label, int64_t(1));
        QCOMPARE(v.unlabelledTest().size(), size_t(3));
    }

    void runCountsSkippedFilesInItsResult() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeClass(root / "data" / "p", 8, 30);
        writeClass(root / "data" / "q", 8, 220);
        writeBytes(root / "data" / "q" / "broken.png", "\x89PNG\r\n\x1a\n not really");
        TrainConfig c;
        c.dataset = (root / "data").string();
        c.per_class = 5;
        c.image_size = 16;
        c.epochs = 1;
        c.batch_size = 4;
        const fs::path run = root / "run";
        const RunResult r = TrainJob({c, run.string()}, openDataset).run(nullptr, nullptr);
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("finished"));
        QCOMPARE(r.skippedFiles, int64_t(1));
        std::ifstream resultFile(run / "result.json"), manifestFile(run / "manifest.json");
        const auto result = nlohmann::json::parse(resultFile);
        const auto manifest = nlohmann::json::parse(manifestFile);
        QCOMPARE(result["skipped_files"].get<int>(), 1);
        QVERIFY(manifest["skipped"][0]["id"].get<std::string>().find("broken.png") !=
                std::string::npos);
        QCOMPARE(manifest["test"]["kind"].get<std::string>(), std::string("remainder"));
        QCOMPARE(manifest["setup"]["augment"].get<std::string>(), std::string("pad-crop"));
    }

    void badTreesNameThePath() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        EXPECT_ERROR_MENTIONING(InputError,
                                ImageFolderSource((root / "nope").string(), FolderLayout::Auto),
                                "nope", "does not exist");
        writeClass(root / "full", 3, 1);
        fs::create_directories(root / "hollow");
        EXPECT_ERROR_MENTIONING(InputError, ImageFolderSource(root.string(), FolderLayout::Auto),
                                "hollow", "holds no images");
        fs::remove(root / "hollow");
        writeClass(root / "test" / "stranger", 1, 1);
        EXPECT_ERROR_MENTIONING(InputError, ImageFolderSource(root.string(), FolderLayout::Auto),
                                "stranger", "training folders do not have");
        const fs::path flat = root / "flat";
        fs::create_directories(flat);
        writeBytes(flat / "a.jpg", "x");
        EXPECT_ERROR_MENTIONING(InputError, ImageFolderSource(flat.string(), FolderLayout::Auto),
                                "flat", "no class folders");
        EXPECT_ERROR_MENTIONING(
            InputError, ImageFolderSource(flat.string(), FolderLayout::VIPriors), "train/<wnid>");
    }
};

QTEST_APPLESS_MAIN(TestImageFolders)
#include "test_image_folders.moc"
