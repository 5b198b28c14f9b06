// Image folders that a careless or hostile user hands the workbench: a FIFO named like an
// image, a PNG header claiming a huge picture, a one-class dataset, images deleted or changed
// before a resume, and manifest ids that lead out of the dataset.
#include <sys/stat.h>
#include <zlib.h>

#include <QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/base/errors.h"
#include "core/data/protocol.h"
#include "core/run/run_folder.h"
#include "core/run/train_job.h"
#include "imaging/dataset_factory.h"
#include "imaging/image_decode.h"
#include "sample_images.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

void writeImage(const fs::path& p, int value) {
    fs::create_directories(p.parent_path());
    QVERIFY(cv::imwrite(p.string(), cv::Mat(20, 20, CV_8UC3, cv::Scalar(value, 255 - value, 90))));
}

// root/<class>/<i>.png, each image its own colour.
void writeDataset(const fs::path& root, const std::vector<std::string>& classes, int perClass) {
    for (size_t c = 0; c < classes.size(); ++c)
        for (int i = 0; i < perClass; ++i)
            writeImage(root / classes[c] / (std::to_string(i) + ".png"), int(c) * 100 + i * 5);
}

std::string readBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

nlohmann::json readJson(const fs::path& p) { return nlohmann::json::parse(readBytes(p)); }

void appendChunk(std::string& png, const char* type, const std::string& data) {
    const auto be32 = [&](uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) png.push_back(char(v >> s));
    };
    be32(uint32_t(data.size()));
    const std::string body = std::string(type, 4) + data;
    png += body;
    be32(uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
}

// A well-formed PNG start whose IHDR claims width x height grey pixels; a few rows of data.
std::string pngClaiming(uint32_t width, uint32_t height) {
    std::string png = "\x89PNG\r\n\x1a\n";
    std::string ihdr;
    for (uint32_t v : {width, height})
        for (int s = 24; s >= 0; s -= 8) ihdr.push_back(char(v >> s));
    ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grey, no interlace
    appendChunk(png, "IHDR", ihdr);
    const std::string rows(size_t(width + 1) * 4, '\0');
    uLongf size = compressBound(uLong(rows.size()));
    std::string z(size, '\0');
    compress(reinterpret_cast<Bytef*>(&z[0]), &size, reinterpret_cast<const Bytef*>(rows.data()),
             uLong(rows.size()));
    z.resize(size);
    appendChunk(png, "IDAT", z);
    appendChunk(png, "IEND", "");
    return png;
}

struct Outcome {
    bool finished;
    int code;
    QString err;
};

// The CLI, bounded: a run that hangs is reported as unfinished and killed.
Outcome cli(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(qEnvironmentVariable("FEWDATA_CLI"), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return {false, -1, "timed out"};
    }
    return {true, p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
}

QStringList tinyRun(const fs::path& dataset, const fs::path& out) {
    return {"train",     "--dataset", QString::fromStdString(dataset.string()),
            "--per-class", "4",       "--image-size",
            "16",        "--epochs",  "1",
            "--batch",   "8",         "--max-test",
            "20",        "--threads", "2",
            "--out",     QString::fromStdString(out.string())};
}

// Decodes through an image folder and notes whether the run folder was locked meanwhile.
class WatchedSource : public DatasetSource {
public:
    WatchedSource(std::unique_ptr<DatasetSource> inner, std::string runDir, bool* locked)
        : inner_(std::move(inner)), runDir_(std::move(runDir)), locked_(locked) {}
    const DatasetIndex& index() const override { return inner_->index(); }
    DecodedImages decode(const std::vector<SampleRef>& s, const ImageGeometry& g,
                         const std::atomic<bool>* cancel) const override {
        *locked_ = *locked_ && RunFolder::isLocked(runDir_);
        return inner_->decode(s, g, cancel);
    }

private:
    std::unique_ptr<DatasetSource> inner_;
    std::string runDir_;
    bool* locked_;
};

}  // namespace

class TestHostileData : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(qEnvironmentVariable("FEWDATA_CLI")).isExecutable(),
                 "FEWDATA_CLI must name the fewdata-cli binary (ctest sets it)");
    }

    // A FIFO named zz.png used to block the decoding thread forever.
    void fifoAmongImagesIsSkipped() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "data";
        writeDataset(root, {"a", "b"}, 8);
        const fs::path fifo = root / "a" / "zz.png";
        QCOMPARE(::mkfifo(fifo.c_str(), 0644), 0);
        const fs::path out = fs::path(tmp.path().toStdString()) / "run";
        const Outcome r = cli(tinyRun(root, out), 60000);
        QVERIFY2(r.finished, "the run waited on the FIFO");
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const nlohmann::json skipped = readJson(out / "manifest.json").at("skipped");
        bool named = false;
        for (const auto& s : skipped)
            named = named || (s.at("id") == fifo.string() &&
                              s.at("reason").get<std::string>().find("FIFO") != std::string::npos);
        QVERIFY2(named, ("the FIFO is listed as skipped, with its reason: " + skipped.dump()).c_str());
        // The window's error gallery decodes through the same path.
        const DecodeOutcome d = decodeImageFile(fifo.string(), {3, 8, 8});
        QVERIFY(d.error.find("FIFO") != std::string::npos);
    }

    // 30000 x 30000 grey pixels in a file of a few kilobytes: skipped from its header, before
    // OpenCV allocates the picture.
    void hugeImageIsSkippedFromItsHeader() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path big = root / "big.png";
        std::ofstream(big, std::ios::binary) << pngClaiming(30000, 30000);
        QVERIFY(fs::file_size(big) < 100000);
        const DecodeOutcome d = decodeImageFile(big.string(), {3, 16, 16});
        QVERIFY2(d.error.find("30000 x 30000") != std::string::npos, d.error.c_str());
        QVERIFY2(d.error.find("megapixels") != std::string::npos, d.error.c_str());
        // Sides whose product overflows 64 bits: still too large, not wrapped to a small number.
        std::string wrap = "\x89PNG\r\n\x1a\n";
        appendChunk(wrap, "IHDR", std::string("\xff\xff\xff\xff\xff\xff\xff\xff\x08\0\0\0\0", 13));
        appendChunk(wrap, "IEND", "");
        std::ofstream(root / "wrap.png", std::ios::binary) << wrap;
        const DecodeOutcome w = decodeImageFile((root / "wrap.png").string(), {3, 16, 16});
        QVERIFY2(w.error.find("4294967295 x 4294967295") != std::string::npos, w.error.c_str());
        // 65535 x 1 is small, but its shorter side brought to 224 makes 14.7 million x 224.
        std::ofstream(root / "thin.png", std::ios::binary) << pngClaiming(65535, 1);
        const DecodeOutcome thin = decodeImageFile((root / "thin.png").string(), {3, 224, 224});
        QVERIFY2(thin.error.find("65535 x 1") != std::string::npos &&
                     thin.error.find("scaled to 224") != std::string::npos,
                 thin.error.c_str());
        // Within the bound, the same file layout decodes.
        writeImage(root / "fine.png", 10);
        QVERIFY(decodeImageFile((root / "fine.png").string(), {3, 16, 16}).error.empty());
        // A file that is no image at all never reaches OpenCV (which would print to stderr).
        std::ofstream(root / "text.png") << "not an image";
        const DecodeOutcome t = decodeImageFile((root / "text.png").string(), {3, 16, 16});
        QVERIFY2(t.error.find("not a PNG, JPEG, BMP or WebP") != std::string::npos,
                 t.error.c_str());
    }

    void oneClassDatasetIsRefused() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "single";
        writeDataset(root, {"only"}, 8);
        const fs::path out = fs::path(tmp.path().toStdString()) / "nested" / "run";
        const Outcome r = cli(tinyRun(root, out));
        QVERIFY(r.finished);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("two classes") && r.err.contains(QString::fromStdString(root)),
                 qPrintable(r.err));
        // Claimed before decoding, given back when the run never started: nothing is left.
        QVERIFY(!fs::exists(out.parent_path()));
    }

    // A resume uses exactly its manifest's samples; it never redraws and never rewrites it.
    void resumeUsesExactlyTheManifest() {
        QTemporaryDir tmp;
        const fs::path base = tmp.path().toStdString();
        const fs::path root = base / "data";
        writeDataset(root, {"a", "b"}, 8);
        const fs::path first = base / "first";
        const Outcome trained = cli(tinyRun(root, first));
        QVERIFY2(trained.finished && trained.code == 0, qPrintable(trained.err));
        // Without its result the run is an unfinished one, as if killed at its end.
        fs::remove(first / "result.json");
        const auto copyRun = [&](const std::string& name) {
            fs::copy(first, base / name, fs::copy_options::recursive);
            return base / name;
        };
        const fs::path deleted = copyRun("deleted"), changed = copyRun("changed"),
                       older = copyRun("older");
        const std::string manifest = readBytes(first / "manifest.json");
        const nlohmann::json m = nlohmann::json::parse(manifest);
        QVERIFY(m.at("train").at(0).contains("fingerprint"));
        const fs::path drawn = m.at("train").at(0).at("id").get<std::string>();
        const fs::path other = m.at("val").at(0).at("id").get<std::string>();
        const auto resume = [&](const fs::path& dir) {
            return cli({"train", "--resume", QString::fromStdString(dir.string())});
        };

        const Outcome normal = resume(first);
        QVERIFY2(normal.finished && normal.code == 0, qPrintable(normal.err));
        QVERIFY(readBytes(first / "manifest.json") == manifest);
        QVERIFY(fs::exists(first / "result.json"));

        fs::rename(drawn, drawn.string() + ".away");
        const Outcome missing = resume(deleted);
        fs::rename(drawn.string() + ".away", drawn);
        QVERIFY(missing.finished);
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.contains(QString::fromStdString(drawn.string())),
                 qPrintable(missing.err));
        QVERIFY(readBytes(deleted / "manifest.json") == manifest);
        QVERIFY(!fs::exists(deleted / "result.json"));

        writeImage(other, 250);  // same name, other pixels
        const Outcome edited = resume(changed);
        QVERIFY(edited.finished);
        QCOMPARE(edited.code, 2);
        QVERIFY2(edited.err.contains(QString::fromStdString(other.string())) &&
                     edited.err.contains("changed"),
                 qPrintable(edited.err));
        QVERIFY(readBytes(changed / "manifest.json") == manifest);

        // A manifest from before fingerprints resumes as it did: nothing to compare.
        nlohmann::json plain = m;
        for (const char* split : {"train", "val"})
            for (auto& s : plain[split]) s.erase("fingerprint");
        for (auto& s : plain["test"]["samples"]) s.erase("fingerprint");
        std::ofstream(older / "manifest.json") << plain.dump(2);
        const Outcome old = resume(older);
        QVERIFY2(old.finished && old.code == 0, qPrintable(old.err));
    }

    // The run folder stays locked while the dataset decodes, for a new run and a resume.
    void folderIsLockedWhileDecoding() {
        QTemporaryDir tmp;
        const fs::path base = tmp.path().toStdString();
        const fs::path root = base / "data";
        writeDataset(root, {"a", "b"}, 6);
        TrainConfig c = TrainConfig::fromJson({{"dataset", root.string()},
                                               {"per_class", 3},
                                               {"image_size", 16},
                                               {"epochs", 1},
                                               {"batch_size", 4},
                                               {"max_test_samples", 4},
                                               {"threads", 1}});
        const std::string dir = (base / "run").string();
        for (const bool resume : {false, true}) {
            bool locked = true;
            const DatasetOpener opener = [&](const TrainConfig& config) {
                return std::make_unique<WatchedSource>(openDataset(config), dir, &locked);
            };
            if (resume) fs::remove(fs::path(dir) / "result.json");
            const RunResult r = TrainJob({c, dir, resume}, opener).run(nullptr, nullptr);
            QVERIFY2(r.status == RunStatus::Finished, r.message.c_str());
            QVERIFY2(locked, resume ? "resume" : "new run");
        }
    }

    // Ids are the run's dataset files; one that leads elsewhere is not opened.
    void galleryKeepsToTheDataset() {
        QTemporaryDir tmp;
        const fs::path base = tmp.path().toStdString();
        const fs::path root = base / "data";
        writeDataset(root, {"a", "b"}, 2);
        writeImage(base / "outside" / "x.png", 40);
        const fs::path run = base / "run";
        fs::create_directories(run);
        std::ofstream(run / "config.json") << nlohmann::json{{"dataset", root.string()}}.dump();
        const std::vector<SampleRef> ids = {
            {(root / "a" / "0.png").string(), 0},
            {(base / "outside" / "x.png").string(), 0},
            {(root / "a" / ".." / ".." / "outside" / "x.png").string(), 0},
            {(root / "b" / "1.png").string(), 1}};
        const std::vector<QImage> images = sampleImages(run.string(), ids, 16);
        QCOMPARE(images.size(), ids.size());
        QVERIFY(!images[0].isNull());
        QVERIFY(images[1].isNull());
        QVERIFY(images[2].isNull());
        QVERIFY(!images[3].isNull());
    }
};

QTEST_MAIN(TestHostileData)
#include "test_hostile_data.moc"
