// VIPriors submissions: the CSV writer and reader, the scorer with missing and unknown ids, and
// predict on a generated VIPriors tree from a run trained on it.
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "core/base/errors.h"
#include "core/results/predictor.h"
#include "core/results/submission.h"
#include "core/run/train_job.h"
#include "imaging/dataset_factory.h"
#include "imaging/folder_prediction.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& p, const std::string& s) {
    std::ofstream(p, std::ios::binary) << s;
}

// Uniform-colour images with a little noise: dark for class n01, bright for n02.
void writeImages(const fs::path& dir, int n, int value, const std::string& prefix, int offset) {
    fs::create_directories(dir);
    cv::RNG rng(value + offset);
    for (int i = 0; i < n; ++i) {
        cv::Mat m(36, 40, CV_8UC3, cv::Scalar(value, value, value));
        cv::Mat noise(36, 40, CV_8UC3);
        rng.fill(noise, cv::RNG::UNIFORM, 0, 20);
        m += noise;
        QVERIFY(cv::imwrite((dir / (prefix + std::to_string(offset + i) + ".JPEG")).string(), m));
    }
}

}  // namespace

class TestSubmission : public QObject {
    Q_OBJECT
private slots:
    void csvRoundTrip() {
        QTemporaryDir tmp;
        const fs::path p = fs::path(tmp.path().toStdString()) / "s.csv";
        const std::vector<Prediction> preds = {{"img_0.JPEG", 24}, {"img_1.JPEG", 0}};
        const std::string text = submissionCsv(preds);
        QCOMPARE(QString::fromStdString(text),
                 QString("Image IDs,Predictions\nimg_0.JPEG,24\nimg_1.JPEG,0\n"));
        writeText(p, text);
        const auto back = readSubmission(p.string());
        QCOMPARE(back.size(), size_t(2));
        QCOMPARE(QString::fromStdString(back[0].id), QString("img_0.JPEG"));
        QCOMPARE(back[0].label, int64_t(24));
        // Windows line ends and a spreadsheet's byte-order mark are accepted.
        writeText(p, "\xEF\xBB\xBFImage IDs,Predictions\r\nimg_5.JPEG,3\r\n");
        QCOMPARE(readSubmission(p.string())[0].label, int64_t(3));
    }

    void badCsvNamesFileAndRecord() {
        QTemporaryDir tmp;
        const fs::path p = fs::path(tmp.path().toStdString()) / "bad.csv";
        writeText(p, "id,label\n");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string()), "bad.csv", "record 1",
                                "Image IDs,Predictions");
        writeText(p, "Image IDs,Predictions\na.JPEG,1\nb.JPEG\n");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string()), "record 3", "b.JPEG");
        writeText(p, "Image IDs,Predictions\na.JPEG,x1\n");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string()), "record 2", "x1");
        writeText(p, "Image IDs,Predictions\na.JPEG,-4\n");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string()), "record 2", "-4");
        writeText(p, "Image IDs,Predictions\na.JPEG,1\nb.JPEG,2\na.JPEG,3\n");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string()), "record 4", "a.JPEG",
                                "record 2");
        writeText(p, "Image IDs,Predictions\n\"a.JPEG,1\n");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string()), "bad.csv", "not closed");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string() + "-none"), "-none");
    }

    // Files older versions and hand-editing make still read as meant: padded ids, blank lines
    // of spaces, a quote inside an unquoted id (written unquoted before ids were quoted).
    void handMadeFilesStillRead() {
        QTemporaryDir tmp;
        const fs::path p = fs::path(tmp.path().toStdString()) / "old.csv";
        writeText(p, "Image IDs,Predictions\n img_0.JPEG , 3\n   \nsay \"hi\".png,4\n \"q,1\" ,5\n");
        const auto back = readSubmission(p.string());
        QCOMPARE(back.size(), size_t(3));
        QCOMPARE(QString::fromStdString(back[0].id), QString("img_0.JPEG"));
        QCOMPARE(back[0].label, int64_t(3));
        QCOMPARE(QString::fromStdString(back[1].id), QString("say \"hi\".png"));
        QCOMPARE(QString::fromStdString(back[2].id), QString("q,1"));
        QCOMPARE(back[2].label, int64_t(5));
    }

    // A header and nothing else scored 0.00 % and passed: nothing to score is bad input.
    void aHeaderAloneIsNothingToScore() {
        QTemporaryDir tmp;
        const fs::path p = fs::path(tmp.path().toStdString()) / "empty.csv";
        writeText(p, "Image IDs,Predictions\r\n");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string()), "empty.csv",
                                "nothing to score");
        writeText(p, "");
        EXPECT_ERROR_MENTIONING(InputError, readSubmission(p.string()), "empty.csv", "empty");
    }

    // Ids are file names, which may hold commas, quotes and line breaks: written quoted as RFC
    // 4180 has it and read back unquoted; a quoted id of another tool loses its quotes.
    void anyFileNameRoundTrips() {
        QTemporaryDir tmp;
        const fs::path p = fs::path(tmp.path().toStdString()) / "s.csv";
        const std::vector<Prediction> preds = {
            {"a,b.png", 1}, {"new\nline.png", 2}, {"say \"hi\".png", 3}, {" padded.png ", 4}};
        const std::string text = submissionCsv(preds);
        QVERIFY2(text.find("\"a,b.png\",1\n") != std::string::npos, text.c_str());
        writeText(p, text);
        const auto back = readSubmission(p.string());
        QCOMPARE(back.size(), preds.size());
        for (size_t i = 0; i < preds.size(); ++i) {
            QCOMPARE(QString::fromStdString(back[i].id), QString::fromStdString(preds[i].id));
            QCOMPARE(back[i].label, preds[i].label);
        }
        writeText(p, "\"Image IDs\",\"Predictions\"\n\"img_0.JPEG\", 7\n");
        const auto quoted = readSubmission(p.string());
        QCOMPARE(QString::fromStdString(quoted.at(0).id), QString("img_0.JPEG"));
        QCOMPARE(quoted.at(0).label, int64_t(7));
    }

    // A control character in an id is shown escaped, never raw (it could rewrite the terminal).
    void controlCharactersInIdsAreEscaped() {
        QCOMPARE(printableText("a\nb\x01\x1b[2J\tc\x7f"),
                 std::string("a\\nb\\x01\\x1b[2J\\tc\\x7f"));
        QCOMPARE(printableText("plain, \xC3\xA9.png"), std::string("plain, \xC3\xA9.png"));
        QTemporaryDir tmp;
        const fs::path p = fs::path(tmp.path().toStdString()) / "dup.csv";
        writeText(p, "Image IDs,Predictions\n\"x\x01\ny\",1\n\"x\x01\ny\",2\n");
        try {
            readSubmission(p.string());
            QFAIL("a repeated id must be refused");
        } catch (const InputError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find("x\\x01\\ny") != std::string::npos, what.c_str());
            QVERIFY2(what.find('\x01') == std::string::npos && what.find('\n') == std::string::npos,
                     what.c_str());
        }
    }

    void scoreCountsMissingIdsAsWrong() {
        const std::vector<Prediction> truth = {{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}};
        const std::vector<Prediction> sub = {{"a", 1}, {"b", 0}, {"d", 4}, {"zz", 1}};
        const ScoreReport r = scoreSubmission(truth, sub);
        QCOMPARE(r.correct, int64_t(2));
        QCOMPARE(r.scored, int64_t(3));
        QCOMPARE(r.accuracy, 50.0);  // 2 of 4: "c" is missing
        QVERIFY(std::abs(r.accuracyOfScored - 200.0 / 3) < 1e-9);
        QCOMPARE(r.missing, std::vector<std::string>{"c"});
        QCOMPARE(r.unknown, std::vector<std::string>{"zz"});
    }

    void predictOnAGeneratedVIPriorsTree() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "imagenet_50";
        writeImages(root / "train" / "n01", 12, 30, "a", 0);
        writeImages(root / "train" / "n02", 12, 200, "b", 0);
        writeImages(root / "val" / "n01", 4, 30, "va", 0);
        writeImages(root / "val" / "n02", 4, 200, "vb", 0);
        // Unlabelled test images: img_0..img_5 dark (class 0), img_6..img_11 bright (class 1).
        writeImages(root / "test" / "imgs", 6, 30, "img_", 0);
        writeImages(root / "test" / "imgs", 6, 200, "img_", 6);
        writeText(root / "test" / "imgs" / "img_12.JPEG", "not a jpeg");

        TrainConfig c;
        c.dataset = root.string();
        c.per_class = 10;
        c.image_size = 16;
        c.epochs = 6;
        c.batch_size = 8;
        c.lr = 0.02;
        const std::string runDir = (fs::path(tmp.path().toStdString()) / "run").string();
        const RunResult r = TrainJob({c, runDir}, openDataset).run(nullptr, nullptr);
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("finished"));

        RunPredictor predictor(runDir);
        QCOMPARE(predictor.classes(), (std::vector<std::string>{"n01", "n02"}));
        const FolderPredictions p =
            predictFolder(predictor, (root / "test" / "imgs").string(), nullptr);
        QCOMPARE(p.predictions.size(), size_t(12));
        QCOMPARE(p.skipped.size(), size_t(1));
        QVERIFY(p.skipped[0].id.find("img_12.JPEG") != std::string::npos);

        std::vector<Prediction> truth;
        for (int i = 0; i < 13; ++i)
            truth.push_back({"img_" + std::to_string(i) + ".JPEG", i < 6 ? 0 : 1});
        const ScoreReport s = scoreSubmission(truth, p.predictions);
        QCOMPARE(s.missing, std::vector<std::string>{"img_12.JPEG"});  // the unreadable one
        QVERIFY(s.unknown.empty());
        // Dark against bright is learnt: all 12 readable images right, the missing one wrong.
        QCOMPARE(s.correct, int64_t(12));

        // Methods whose classifier is not the network are refused by name.
        c.method = "supcon";
        c.epochs = 1;
        c.classifier_epochs = 2;
        const std::string supconDir = runDir + "-supcon";
        QCOMPARE(QString::fromStdString(statusName(
                     TrainJob({c, supconDir}, openDataset).run(nullptr, nullptr).status)),
                 QString("finished"));
        EXPECT_ERROR_MENTIONING(InputError, RunPredictor{supconDir}, "supcon", "features");
        EXPECT_ERROR_MENTIONING(InputError, RunPredictor{runDir + "-none"}, "-none");
    }
};

QTEST_GUILESS_MAIN(TestSubmission)
#include "test_submission.moc"
