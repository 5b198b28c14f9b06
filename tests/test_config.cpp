// The config parser: every bad key or value is an error that names it; JSON round-trips.
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/errors.h"
#include "core/base/file_read.h"
#include "core/config/config.h"

#include <sys/stat.h>
#include <sys/types.h>

using fewdata::InputError;
using fewdata::TrainConfig;

class TestConfig : public QObject {
    Q_OBJECT
private slots:
    void roundTripKeepsEveryField() {
        TrainConfig c;
        c.epochs = 7;
        c.lr = 0.125;
        c.model = "resnet50";
        c.flip = false;
        c.dataset = "/data/x";
        const TrainConfig back = TrainConfig::fromJson(c.toJson());
        QCOMPARE(back.toJson().dump(), c.toJson().dump());
        QCOMPARE(back.epochs, 7);
        QCOMPARE(back.lr, 0.125);
        QCOMPARE(back.flip, false);
    }

    void badInputNamesTheKey_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mustMention");
        QTest::newRow("unknown key") << R"({"lrr": 0.1})"
                                     << "'lrr'";
        QTest::newRow("string for int") << R"({"epochs": "ten"})"
                                        << "'epochs' must be an integer";
        QTest::newRow("float for int") << R"({"batch_size": 3.5})"
                                       << "'batch_size' must be an integer";
        QTest::newRow("bool as string") << R"({"flip": "yes"})"
                                        << "'flip' must be true or false";
        QTest::newRow("number for string") << R"({"model": 18})"
                                           << "'model' must be a string";
        QTest::newRow("unknown model") << R"({"model": "vgg16"})"
                                       << "'vgg16'";
        QTest::newRow("zero epochs") << R"({"epochs": 0})"
                                     << "'epochs' = 0 is out of range";
        QTest::newRow("negative lr") << R"({"lr": -1})"
                                     << "'lr'";
        QTest::newRow("K of one") << R"({"per_class": 1})"
                                  << "'per_class'";
        QTest::newRow("channels 2") << R"({"channels": 2})"
                                    << "'channels'";
        QTest::newRow("not an object") << R"([1, 2])"
                                       << "JSON object";
        QTest::newRow("huge int") << R"({"seed": 99999999999})"
                                  << "'seed' is out of range";
        QTest::newRow("unsigned max") << R"({"seed": 18446744073709551615})"
                                      << "'seed' is out of range";
        QTest::newRow("no validation") << R"({"val_fraction": 0})"
                                       << "'val_fraction'";
        QTest::newRow("unknown augment") << R"({"augment": "rotate"})"
                                         << "'rotate'";
    }
    void badInputNamesTheKey() {
        QFETCH(QString, json);
        QFETCH(QString, mustMention);
        try {
            TrainConfig::fromJson(nlohmann::json::parse(json.toStdString()));
            QFAIL("no error for bad config");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains(mustMention), e.what());
        }
    }

    // Balanced batches are P classes x M images = batch_size; the keys bind only the image
    // stages that read them (supcon, siamese-* on images).
    void balancedBatchKeysAgreeWithTheBatchSize_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mustMention");  // empty: valid
        QTest::newRow("supcon, defaults") << R"({"method": "supcon"})" << "";
        QTest::newRow("P x M is the batch") << R"({"method": "supcon", "batch_classes": 8})" << "";
        QTest::newRow("P x M is not the batch")
            << R"({"method": "supcon", "batch_classes": 5})"
            << "'batch_classes' = 5 times batch_images_per_class = 4 is 20, not batch_size = 32";
        QTest::newRow("one class") << R"({"method": "supcon", "batch_classes": 1})"
                                   << "'batch_classes' = 1";
        QTest::newRow("M does not divide the batch")
            << R"({"method": "supcon", "batch_size": 30})"
            << "'batch_images_per_class' = 4 must divide batch_size = 30";
        QTest::newRow("one class of M") << R"({"method": "supcon", "batch_size": 4})"
                                        << "'batch_images_per_class'";
        QTest::newRow("M of 0") << R"({"method": "supcon", "batch_images_per_class": 0})"
                                << "'batch_images_per_class' = 0 is out of range";
        QTest::newRow("siamese on images")
            << R"({"method": "siamese-triplet", "siamese_input": "images", "batch_size": 30})"
            << "'batch_images_per_class'";
        QTest::newRow("siamese on features")
            << R"({"method": "siamese-triplet", "batch_size": 30})" << "";
        QTest::newRow("baseline") << R"({"batch_size": 30, "batch_classes": 5})" << "";
        QTest::newRow("switched off")
            << R"({"method": "supcon", "batch_size": 30, "balanced_batches": false})" << "";
    }
    void balancedBatchKeysAgreeWithTheBatchSize() {
        QFETCH(QString, json);
        QFETCH(QString, mustMention);
        try {
            const TrainConfig c = TrainConfig::fromJson(nlohmann::json::parse(json.toStdString()));
            QVERIFY2(mustMention.isEmpty(), "no error");
            QCOMPARE(c.usesBalancedBatches(), json.contains("supcon") && !json.contains("false"));
        } catch (const InputError& e) {
            QVERIFY2(!mustMention.isEmpty() && QString(e.what()).contains(mustMention), e.what());
        }
    }

    void fileErrorsNameTheFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("broken.json").toStdString();
        std::ofstream(path) << "{\"epochs\": 3,";
        try {
            TrainConfig::fromFile(path);
            QFAIL("no error for invalid JSON");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("broken.json"), e.what());
            QVERIFY2(QString(e.what()).contains("not valid JSON"), e.what());
        }
        const std::string good = dir.filePath("good.json").toStdString();
        std::ofstream(good) << R"({"epochs": 3, "momentum": 0.5})";
        const TrainConfig c = TrainConfig::fromFile(good);
        QCOMPARE(c.epochs, 3);
        QCOMPARE(c.momentum, 0.5);
        QCOMPARE(c.lr, TrainConfig().lr);  // untouched keys keep their defaults
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 TrainConfig::fromFile(dir.filePath("missing.json").toStdString()));

        // Flags override the file before validation: warm-up 80 is valid once epochs is 100.
        const std::string longWarmup = dir.filePath("warm.json").toStdString();
        std::ofstream(longWarmup) << R"({"epochs": 50, "warmup_epochs": 80})";
        QVERIFY_THROWS_EXCEPTION(InputError, TrainConfig::fromFile(longWarmup));
        const TrainConfig merged = TrainConfig::fromFile(longWarmup, {{"epochs", 100}});
        QCOMPARE(merged.epochs, 100);
        QCOMPARE(merged.warmup_epochs, 80.0);
    }

    // A FIFO where a config is expected would block an ordinary open until a writer comes.
    void readersRefuseFifosAndFoldersAtOnce() {
        QTemporaryDir dir;
        const std::string fifo = dir.filePath("config.json").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        QElapsedTimer t;
        t.start();
        QVERIFY_THROWS_EXCEPTION(InputError, TrainConfig::fromFile(fifo));
        try {
            fewdata::readJsonFile(fifo);
            QFAIL("a FIFO was read");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("config.json") &&
                         QString(e.what()).contains("FIFO"), e.what());
        }
        QVERIFY(t.elapsed() < 5000);
        try {
            TrainConfig::fromFile(dir.path().toStdString());
            QFAIL("a folder was read as a config");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains(dir.path()) &&
                         QString(e.what()).contains("folder"), e.what());
        }
        try {
            fewdata::readRegularFile(dir.filePath("none.json").toStdString());
            QFAIL("a missing file was read");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("none.json"), e.what());
        }
    }

    void readerRefusesFilesOverItsLimit() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("big.json").toStdString();
        std::ofstream(path) << std::string(100, ' ') << "{}";
        QCOMPARE(fewdata::readRegularFile(path, 102).size(), size_t(102));
        QVERIFY_THROWS_EXCEPTION(InputError, fewdata::readRegularFile(path, 101));
    }

    // nlohmann's dump and our error messages recurse; 100,000 levels overflowed the stack.
    void deepJsonIsRefusedBeforeAnythingWalksIt() {
        const int levels = 100000;
        const std::string deep = std::string(levels, '[') + std::string(levels, ']');
        try {
            fewdata::parseJsonText(deep, "deep.json");
            QFAIL("100,000 levels were accepted");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("deep.json") &&
                         QString(e.what()).contains("64 levels"), e.what());
        }
        const std::string deepObject = "{\"epochs\": " + std::string(levels, '[') +
                                       std::string(levels, ']') + "}";
        QVERIFY_THROWS_EXCEPTION(InputError, fewdata::parseJsonText(deepObject, "x"));
        // The limit itself: 64 nested arrays are fine, 65 are not.
        QCOMPARE(fewdata::parseJsonText(std::string(64, '[') + std::string(64, ']'), "x").size(),
                 size_t(1));
        QVERIFY_THROWS_EXCEPTION(
            InputError, fewdata::parseJsonText(std::string(66, '[') + std::string(66, ']'), "x"));
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "test_config.moc"
