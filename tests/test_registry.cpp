// The method registry and the config table: what every layer derives from them, and what
// adding a method takes (tests/methods/nearest_mean_method.cpp, registered at run time).
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/base/errors.h"
#include "core/config/config_table.h"
#include "core/methods/feature_methods.h"
#include "core/methods/registry.h"
#include "core/run/comparison.h"
#include "core/run/train_job.h"
#include "methods/nearest_mean_method.h"
#include "test_helpers.h"

using namespace fewdata;

namespace {

// Two classes far apart in every dimension, `n` rows each; `shuffle` draws the labels at random.
LabelledFeatures clusters(int64_t n, bool shuffle, uint64_t seed) {
    torch::manual_seed(seed);
    const auto y = torch::cat({torch::zeros({n}, torch::kInt64), torch::ones({n}, torch::kInt64)});
    LabelledFeatures f;
    f.x = torch::randn({2 * n, 6}) + 8.0 * y.to(torch::kFloat32).unsqueeze(1);
    f.y = shuffle ? torch::randint(0, 2, {2 * n}, torch::kInt64) : y;
    f.logits = torch::zeros({2 * n, 2});
    return f;
}

FeatureCache separable(bool shuffledTest) {
    return {clusters(20, false, 1), clusters(5, false, 2), clusters(50, shuffledTest, 3)};
}

}  // namespace

class TestRegistry : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { registerNearestMean(); }

    void builtInMethodsAndTheirStages() {
        std::vector<std::string> names;
        for (const MethodInfo& m : methodRegistry().all()) names.push_back(m.name);
        const std::vector<std::string> builtIn = {
            "baseline", "mixup",           "cutmix",  "cosine", "cosine+ce", "supcon",
            "siamese-contrastive", "siamese-triplet", "reptile", "gnn"};
        QVERIFY(names.size() >= builtIn.size());
        QVERIFY(std::equal(builtIn.begin(), builtIn.end(), names.begin()));
        TrainConfig c;
        for (const std::string& n : builtIn) {
            const MethodInfo& m = methodInfo(n);
            c.method = n;
            QVERIFY2(!m.description.empty(), n.c_str());
            // What the stage needs is there: an objective on images, a runner on features.
            if (m.stage(c) == StageKind::Images) QVERIFY2(m.objective, n.c_str());
            if (m.stage(c) == StageKind::Features) QVERIFY2(m.features, n.c_str());
            QCOMPARE(m.transductive, n == "gnn");
            QCOMPARE(m.classifiesImages, n == "baseline" || n == "mixup" || n == "cutmix" ||
                                             n == "cosine" || n == "cosine+ce");
            // Every key a method lists is a method key of the table.
            for (const std::string& k : m.keys) {
                const ConfigKey* key = findConfigKey(k);
                QVERIFY2(key && key->role == KeyRole::Method, k.c_str());
            }
            // A built-in method on features has a whole-number budget for tune's rungs.
            if (m.kind == StageKind::Features) {
                QVERIFY2(m.reads(m.featureBudgetKey), n.c_str());
                QVERIFY2(c.toJson().at(m.featureBudgetKey).is_number_integer(), n.c_str());
            } else {
                QVERIFY2(m.featureBudgetKey.empty(), n.c_str());
            }
        }
        // A budget key the method does not read is refused when it is registered.
        MethodRegistry registry;
        MethodInfo odd;
        odd.name = "odd";
        odd.kind = StageKind::Features;
        odd.keys = {"gnn_epochs"};
        odd.featureBudgetKey = "reptile_iterations";
        QVERIFY_THROWS_EXCEPTION(std::logic_error, registry.add(odd));
        odd.featureBudgetKey = "gnn_epochs";
        registry.add(odd);
        QVERIFY(registry.find("odd"));
        // Siamese takes either stage, as siamese_input says.
        c.method = "siamese-triplet";
        QVERIFY(c.usesFeatureCache());
        c.siamese_input = "images";
        QVERIFY(!c.usesFeatureCache());
        QCOMPARE(imageStageOf(c).name, std::string("siamese-triplet"));
        c.method = "gnn";
        QCOMPARE(imageStageOf(c).name, std::string("baseline"));
    }

    void presetsNameRegisteredMethods() {
        QVERIFY(!comparisonPresets().empty());
        for (const ComparisonPreset& p : comparisonPresets())
            for (const std::string& m : p.methods)
                QVERIFY2(methodRegistry().find(m), (p.name + ": " + m).c_str());
        // A comparison's feature methods read the same seed's run of their image stage.
        TrainConfig base;
        const auto plan = planComparison(base, {"gnn", "baseline"}, 1, "/tmp/study");
        QCOMPARE(plan.size(), size_t(2));
        QCOMPARE(plan[0].method, std::string("baseline"));
        QCOMPARE(plan[1].config.features_from, std::string("/tmp/study/baseline-seed0"));
        EXPECT_ERROR_MENTIONING(InputError, planComparison(base, {"baseline", "nope"}, 1, "/x"),
                                "'nope'");
        // A feature method on another image stage: that stage runs before it, and is read.
        if (!methodRegistry().find("probe-on-mixup")) {
            MethodInfo probe;
            probe.name = "probe-on-mixup";
            probe.description = "test only: a feature stage on a MixUp run";
            probe.kind = StageKind::Features;
            probe.imageStage = "mixup";
            probe.keys = {"features_from"};
            methodRegistry().add(probe);
        }
        const auto ordered =
            planComparison(base, {"probe-on-mixup", "gnn", "mixup", "baseline"}, 1, "/tmp/s");
        std::vector<std::string> order;
        for (const auto& r : ordered) order.push_back(r.method);
        QCOMPARE(order, (std::vector<std::string>{"baseline", "mixup", "probe-on-mixup", "gnn"}));
        QCOMPARE(ordered[2].config.features_from, std::string("/tmp/s/mixup-seed0"));
        QCOMPARE(ordered[3].config.features_from, std::string("/tmp/s/baseline-seed0"));
    }

    void laterEpochsWorkedOutByHand() {
        TrainConfig c;
        c.classifier_epochs = 7;
        c.embedding_epochs = 3;
        c.gnn_epochs = 11;
        auto later = [&](const char* m) {
            c.method = m;
            const MethodInfo& info = methodInfo(m);
            return info.laterEpochs ? info.laterEpochs(c) : 0;
        };
        QCOMPARE(later("baseline"), 0);
        QCOMPARE(later("cutmix"), 0);
        QCOMPARE(later("supcon"), 7);
        QCOMPARE(later("siamese-contrastive"), 3 + 7);
        c.siamese_input = "images";
        QCOMPARE(later("siamese-contrastive"), 7);
        QCOMPARE(later("gnn"), 22);
        c.reptile_iterations = 2000;  // a report every 100 iterations: 20
        QCOMPARE(later("reptile"), 20 + 7);
        c.reptile_iterations = 45;  // every 2: 23 reports, the last one short
        QCOMPARE(later("reptile"), 23 + 7);
    }

    void keyAffectsComesFromTableAndDescriptors() {
        QVERIFY(TrainConfig::keyAffects("mix_alpha", "mixup"));
        QVERIFY(TrainConfig::keyAffects("mix_alpha", "cutmix"));
        QVERIFY(!TrainConfig::keyAffects("mix_alpha", "baseline"));
        QVERIFY(TrainConfig::keyAffects("lr", "gnn"));
        QVERIFY(TrainConfig::keyAffects("per_class", "reptile"));
        QVERIFY(!TrainConfig::keyAffects("gnn_epochs", "reptile"));
        QVERIFY(TrainConfig::keyAffects("classifier_epochs", "supcon"));
        QVERIFY(!TrainConfig::keyAffects("classifier_epochs", "baseline"));
        for (const char* execution : {"device", "threads", "precision", "channels_last",
                                      "prefetch", "eval_batch_size", "checkpoint_every"})
            QVERIFY2(!TrainConfig::keyAffects(execution, "baseline"), execution);
        QVERIFY(!isRecipeKey("device"));
        QVERIFY(!isRecipeKey("seed"));
        QVERIFY(isRecipeKey("epochs"));
        QVERIFY(isRecipeKey("mix_alpha"));
    }

    void theFirstBadKeyInTableOrderIsNamed() {
        EXPECT_ERROR_MENTIONING(InputError,
                                TrainConfig::fromJson({{"dataset", ""}, {"per_class", 0}}),
                                "'dataset' must not be empty");
        EXPECT_ERROR_MENTIONING(InputError,
                                TrainConfig::fromJson({{"method", "foo"}, {"mix_alpha", 0}}),
                                "'foo'");
        EXPECT_ERROR_MENTIONING(InputError,
                                TrainConfig::fromJson({{"epochs", 60}, {"warmup_epochs", 100}}),
                                "'warmup_epochs' = 100 is out of range [0, 60]");
        EXPECT_ERROR_MENTIONING(InputError, TrainConfig::fromJson({{"channels", 5}}),
                                "must be 0 (dataset's own), 1 or 3");
        EXPECT_ERROR_MENTIONING(
            InputError, TrainConfig::fromJson({{"method", "mixup"}, {"features_from", "x"}}),
            "siamese-contrastive, siamese-triplet, reptile, gnn", "not 'mixup'");
    }

    void everyRealKeyRefusesNanAndInfinity() {
        int checked = 0;
        for (const ConfigKey& k : configTable()) {
            if (!std::holds_alternative<double TrainConfig::*>(k.member)) continue;
            const auto member = std::get<double TrainConfig::*>(k.member);
            for (double bad : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
                TrainConfig c;
                c.*member = bad;
                EXPECT_ERROR_MENTIONING(InputError, c.validate(), k.key, "finite");
            }
            ++checked;
        }
        QCOMPARE(checked, 22);  // the real-valued keys of config.h
    }

    void tableCoversEveryKeyOnceAndRoundTrips() {
        TrainConfig c;
        const nlohmann::json j = c.toJson();
        QCOMPARE(j.size(), configTable().size());
        for (const ConfigKey& k : configTable()) {
            QVERIFY2(std::string(k.flag).rfind("--", 0) == 0, k.key);
            QVERIFY2(std::string(k.help).size() > 10, k.key);
            // The default passes its own checks.
            if (!k.allowed.empty() && std::string(k.key) != "method")
                QVERIFY2(std::find(k.allowed.begin(), k.allowed.end(),
                                   configValue(c, k).get<std::string>()) != k.allowed.end(),
                         k.key);
        }
        // A key whose absence has a meaning is a string key, and that meaning one of its values.
        int absent = 0;
        for (const ConfigKey& k : configTable()) {
            if (!k.absentMeans) continue;
            ++absent;
            QVERIFY2(std::holds_alternative<std::string TrainConfig::*>(k.member), k.key);
            QVERIFY2(
                std::find(k.allowed.begin(), k.allowed.end(), k.absentMeans) != k.allowed.end(),
                k.key);
        }
        QCOMPARE(absent, 1);  // gnn_graph
        c.epochs = 17;
        c.gnn_normalization = "symmetric";
        QCOMPARE(TrainConfig::fromJson(c.toJson()).toJson(), c.toJson());
    }

    void aMethodAddedAtRunTimeIsEverywhere() {
        TrainConfig c;
        c.method = "nearest-mean";
        c.validate();  // a known method now
        QVERIFY(c.usesFeatureCache());
        QVERIFY(TrainConfig::keyAffects("features_from", "nearest-mean"));
        QVERIFY(!TrainConfig::keyAffects("gnn_epochs", "nearest-mean"));
        QVERIFY(methodNamesText().find("nearest-mean") != std::string::npos);
        c.method = "no-such-method";
        EXPECT_ERROR_MENTIONING(InputError, c.validate(), "'no-such-method'", "nearest-mean",
                                "baseline");

        // Its runner through the registry's dispatch: separable clusters are all right, test
        // labels drawn at random are right about half the time.
        c.method = "nearest-mean";
        RunResult r;
        runFeatureMethod(c, separable(false), nullptr, nullptr, r);
        QCOMPARE(r.testAccuracy, 100.0);
        QCOMPARE(r.valAccuracy, 100.0);
        RunResult shuffled;
        runFeatureMethod(c, separable(true), nullptr, nullptr, shuffled);
        QVERIFY2(shuffled.testAccuracy > 25 && shuffled.testAccuracy < 75,
                 qPrintable(QString::number(shuffled.testAccuracy)));
    }

    void aMethodAddedAtRunTimeRunsAsAJob() {
        // A finished "baseline" folder holding features.pt, as a baseline run leaves it.
        QTemporaryDir tmp;
        const std::filesystem::path base = tmp.filePath("baseline").toStdString();
        std::filesystem::create_directories(base);
        std::ofstream(base / "config.json") << TrainConfig().toJson().dump();
        std::ofstream(base / "result.json") << R"({"format": 1, "status": "finished"})";
        saveFeatureCache(separable(false), (base / "features.pt").string());

        TrainConfig c;
        c.method = "nearest-mean";
        c.features_from = base.string();
        const std::string out = tmp.filePath("nearest").toStdString();
        const RunResult r = TrainJob({c, out}, openCoreDataset).run(nullptr, nullptr);
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("finished"));
        QCOMPARE(r.testAccuracy, 100.0);
        nlohmann::json result;
        std::ifstream(out + "/result.json") >> result;
        QCOMPARE(result["test_accuracy"].get<double>(), 100.0);
        QCOMPARE(result["status"].get<std::string>(), std::string("finished"));
    }

    void backtracesAreCutFromMessages() {
        const std::string torchError =
            "Expected all tensors to be on the same device\n"
            "Exception raised from check at ../aten/src/ATen/native/X.cpp:12 (most recent call "
            "first):\nframe #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x5c";
        QCOMPARE(withoutBacktrace(torchError),
                 std::string("Expected all tensors to be on the same device"));
        QCOMPARE(withoutBacktrace("plain message"), std::string("plain message"));
    }
};

QTEST_GUILESS_MAIN(TestRegistry)
#include "test_registry.moc"
