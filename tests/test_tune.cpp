// `fewdata-cli tune`: the search space (parsing, refusals, seeded draws), the successive-halving
// schedule on a scripted objective, and a small search through the binary.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "core/base/errors.h"
#include "core/config/config.h"
#include "core/run/successive_halving.h"
#include "core/run/tune_space.h"
#include "test_helpers.h"

using namespace fewdata;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::vector<double> draws(const std::string& space, const std::string& key, int n,
                          uint64_t seed = 1) {
    std::vector<double> out;
    for (const auto& t : sampleTrials(parseTuneSpace(space), n, seed))
        out.push_back(t.at(key).get<double>());
    return out;
}

nlohmann::json readJson(const QString& path) {
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

std::string fileText(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestTune : public QObject {
    Q_OBJECT

    using Outcome = testhelp::CliOutcome;
    Outcome cli(const QStringList& args, int timeoutMs = 600000) {
        return testhelp::runCli(args, timeoutMs);
    }

    // The finished runs under a tune folder: result.json path -> its content.
    static std::map<QString, nlohmann::json> finishedRuns(const QString& dir) {
        std::map<QString, nlohmann::json> runs;
        QDirIterator it(dir, {"result.json"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const nlohmann::json j = readJson(path);
            if (j.value("status", "") == "finished") runs[path] = j;
        }
        return runs;
    }

private slots:
    void theIssuesSpaceParses() {
        const TuneSpace s =
            parseTuneSpace("lr=0.01..0.2:log,weight_decay=1e-5..1e-3:log,epochs=30|60");
        QCOMPARE(s.dimensions.size(), size_t(3));
        const TuneDimension& lr = s.dimensions[0];
        QCOMPARE(lr.key, std::string("lr"));
        QCOMPARE(lr.kind, TuneDimension::LogUniform);
        QCOMPARE(lr.lo, 0.01);
        QCOMPARE(lr.hi, 0.2);
        QVERIFY(!lr.integer);
        QCOMPARE(s.dimensions[1].key, std::string("weight_decay"));
        QCOMPARE(s.dimensions[1].lo, 1e-5);
        const TuneDimension& epochs = s.dimensions[2];
        QCOMPARE(epochs.kind, TuneDimension::Choice);
        QCOMPARE(epochs.choices.size(), size_t(2));
        QVERIFY(epochs.choices[0].is_number_integer());
        QCOMPARE(epochs.choices[0].get<int>(), 30);
        QCOMPARE(epochs.choices[1].get<int>(), 60);
        // One normal form, whatever the spacing, and it parses to itself.
        const std::string normal = tuneSpaceText(s);
        QCOMPARE(normal, std::string("lr=0.01..0.2:log,weight_decay=1e-05..0.001:log,epochs=30|60"));
        QCOMPARE(tuneSpaceText(parseTuneSpace(
                     " lr = 0.01 .. 0.2 :log , weight_decay=1e-5..1e-3:log, epochs = 30 | 60 ")),
                 normal);
        QCOMPARE(tuneSpaceText(parseTuneSpace(normal)), normal);
        const TuneSpace u = parseTuneSpace("label_smoothing=0..0.2,step_epochs=5..50");
        QCOMPARE(u.dimensions[0].kind, TuneDimension::Uniform);
        QVERIFY(!u.dimensions[0].integer);
        QVERIFY(u.dimensions[1].integer);
    }

    void drawsAreSeededAndInRange() {
        const TuneSpace s = parseTuneSpace("lr=0.01..0.2:log,epochs=30|60,momentum=0.8..0.95");
        const auto a = sampleTrials(s, 300, 7);
        QCOMPARE(a, sampleTrials(s, 300, 7));
        QVERIFY(a != sampleTrials(s, 300, 8));
        // The first prefix of a longer search is the shorter search.
        const auto few = sampleTrials(s, 5, 7);
        QVERIFY(std::equal(few.begin(), few.end(), a.begin()));
        std::set<int> epochs;
        for (const auto& t : a) {
            QVERIFY(t["lr"].get<double>() >= 0.01 && t["lr"].get<double>() <= 0.2);
            QVERIFY(t["momentum"].get<double>() >= 0.8 && t["momentum"].get<double>() <= 0.95);
            epochs.insert(t["epochs"].get<int>());
        }
        QCOMPARE(epochs, (std::set<int>{30, 60}));
        // The documented mapping, on any standard library: 53 bits of the 64-bit Mersenne
        // Twister as u in [0, 1), lr = exp(log lo + u (log hi - log lo)).
        std::mt19937_64 rng(7);
        const double u = double(rng() >> 11) * 0x1.0p-53;
        const double expected = std::exp(std::log(0.01) + u * (std::log(0.2) - std::log(0.01)));
        QVERIFY2(std::abs(a[0]["lr"].get<double>() - expected) < 1e-15 * expected,
                 qPrintable(QString::number(a[0]["lr"].get<double>(), 'g', 17)));
    }

    void logRangesAreLogUniform() {
        // 1e-4..1e-2: a log-uniform median is the geometric mean 1e-3, a uniform one ~5e-3.
        const double logMedian = median(draws("weight_decay=1e-4..1e-2:log", "weight_decay", 2001));
        QVERIFY2(logMedian > 8e-4 && logMedian < 1.25e-3, qPrintable(QString::number(logMedian)));
        const double linMedian = median(draws("weight_decay=1e-4..1e-2", "weight_decay", 2001));
        QVERIFY2(linMedian > 4.5e-3 && linMedian < 5.6e-3, qPrintable(QString::number(linMedian)));
        // A decade each: about a half of the draws on either side of 1e-3.
        const auto d = draws("weight_decay=1e-4..1e-2:log", "weight_decay", 2000, 3);
        const auto below = std::count_if(d.begin(), d.end(), [](double v) { return v < 1e-3; });
        QVERIFY2(below > 900 && below < 1100, qPrintable(QString::number(below)));
    }

    void integersAndChoices() {
        const TuneSpace s = parseTuneSpace(
            "pad=5..8,batch_size=8..256:log,schedule=cosine|step,nesterov=true|false");
        std::map<int, int> perClass;
        std::vector<double> batch;
        std::set<std::string> schedules;
        std::set<bool> nesterov;
        const int n = 800;
        for (const auto& t : sampleTrials(s, n, 11)) {
            QVERIFY(t["pad"].is_number_integer());
            QVERIFY(t["batch_size"].is_number_integer());
            ++perClass[t["pad"].get<int>()];
            batch.push_back(t["batch_size"].get<double>());
            QVERIFY(t["batch_size"].get<int>() >= 8 && t["batch_size"].get<int>() <= 256);
            schedules.insert(t["schedule"].get<std::string>());
            nesterov.insert(t["nesterov"].get<bool>());
        }
        // Every whole number of the range, the ends as often as the middle.
        QCOMPARE(perClass.size(), size_t(4));
        QCOMPARE(perClass.begin()->first, 5);
        QCOMPARE(perClass.rbegin()->first, 8);
        for (const auto& [k, count] : perClass)
            QVERIFY2(count > n / 4 - 60 && count < n / 4 + 60,
                     qPrintable(QString("%1: %2").arg(k).arg(count)));
        // Log-uniform, rounded after the draw: the median near sqrt(8 x 256) = 45.
        const double m = median(batch);
        QVERIFY2(m >= 38 && m <= 53, qPrintable(QString::number(m)));
        QCOMPARE(schedules, (std::set<std::string>{"cosine", "step"}));
        QCOMPARE(nesterov, (std::set<bool>{true, false}));
    }

    void badSpacesAreRefusedByName_data() {
        QTest::addColumn<QString>("space");
        QTest::addColumn<QStringList>("mustMention");
        auto row = [](const char* name, const char* space, QStringList mention) {
            QTest::newRow(name) << QString(space) << mention;
        };
        row("empty", "", {"--space is empty"});
        row("blank", "   ", {"--space is empty"});
        row("empty dimension", "lr=0.01..0.1,,epochs=2", {"empty dimension", "lr=0.01..0.1,,epochs=2"});
        row("trailing comma", "lr=0.01..0.1,", {"empty dimension"});
        row("no =", "lr", {"'lr' has no '='"});
        row("no key", "=3", {"'=3' has no key"});
        row("unknown key", "lrr=0.1..1", {"unknown key 'lrr'", "lrr=0.1..1"});
        row("key twice", "lr=0.01..0.1,lr=0.02..0.2", {"'lr' is given twice", "lr=0.02..0.2"});
        row("lo above hi", "lr=0.2..0.01", {"lr=0.2..0.01", "0.2", "above", "0.01"});
        row("not a number", "lr=a..0.1", {"'a'", "lr=a..0.1", "not a number"});
        row("log from 0", "weight_decay=0..1e-3:log", {"weight_decay=0..1e-3:log", "above 0"});
        row("log below 0", "label_smoothing=-0.1..0.1:log", {"above 0", "-0.1"});
        row("empty choice", "epochs=30||60", {"empty value", "epochs=30||60"});
        row("empty last choice", "epochs=30|", {"empty value", "epochs=30|"});
        row("nothing after =", "epochs=", {"empty value", "'epochs='"});
        row("choice twice", "epochs=30|30", {"'30' is listed twice"});
        row("unknown suffix", "lr=0.01..0.1:sqrt", {"unknown suffix ':sqrt'", "lr=0.01..0.1:sqrt"});
        row("log without range", "lr=0.1:log", {"':log'", "needs a range", "lr=0.1:log"});
        row("seed", "seed=1..3", {"'seed'", "--seeds"});
        row("method", "method=baseline|mixup", {"'method'"});
        row("execution key", "threads=1..4", {"'threads'", "execution key"});
        row("protocol key", "per_class=5..50", {"'per_class'", "the data"});
        row("validation share", "val_fraction=0.1..0.3", {"'val_fraction'", "the data"});
        row("features_from", "features_from=a|b", {"'features_from'"});
        row("fraction of an integer key", "epochs=1.5..3", {"'1.5'", "whole number", "epochs"});
        row("integer choice", "epochs=30|45.5", {"'45.5'", "whole number"});
        row("range end out of range", "momentum=0.5..1.5", {"momentum=1.5", "'momentum'"});
        row("range end zero", "epochs=0..10", {"epochs=0", "'epochs'"});
        row("lr not positive", "lr=0..0.1", {"lr=0", "'lr'"});
        row("unknown value", "schedule=cosine|linear", {"schedule=linear", "'schedule'"});
        row("range of a choice key", "schedule=a..b", {"'schedule'", "takes values"});
        row("range of a bool", "nesterov=0..1", {"'nesterov'", "takes values"});
        row("bool value", "flip=yes", {"'yes'", "true or false"});
        row("model", "model=resnet18|vgg", {"model=vgg"});
    }
    void badSpacesAreRefusedByName() {
        QFETCH(QString, space);
        QFETCH(QStringList, mustMention);
        try {
            parseTuneSpace(space.toStdString());
            QFAIL(qPrintable("accepted: " + space));
        } catch (const InputError& e) {
            for (const QString& m : mustMention)
                QVERIFY2(std::string(e.what()).find(m.toStdString()) != std::string::npos,
                         qPrintable("message lacks '" + m + "': " + e.what()));
        }
    }

    // Values are checked in the recipe they join: a warmup longer than the base's epochs.
    void valuesAreCheckedOverTheBase() {
        TrainConfig base;
        base.epochs = 5;
        EXPECT_ERROR_MENTIONING(InputError, parseTuneSpace("warmup_epochs=0..10", base),
                                "warmup_epochs=10", "'warmup_epochs'");
        base.epochs = 20;
        QCOMPARE(parseTuneSpace("warmup_epochs=0..10", base).dimensions.size(), size_t(1));
        // A key the method does not read would train one recipe under several names.
        const TuneSpace mix = parseTuneSpace("mix_alpha=0.2..2");
        EXPECT_ERROR_MENTIONING(InputError, checkSpaceForMethod(mix, "baseline"), "'mix_alpha'",
                                "'baseline'");
        checkSpaceForMethod(mix, "mixup");
    }

    void defaultRungsAndRungEpochs() {
        QCOMPARE(defaultRungs(1, 3), 1);
        QCOMPARE(defaultRungs(2, 3), 1);
        QCOMPARE(defaultRungs(3, 3), 2);
        QCOMPARE(defaultRungs(8, 3), 2);
        QCOMPARE(defaultRungs(9, 3), 3);
        QCOMPARE(defaultRungs(27, 3), 4);
        QCOMPARE(defaultRungs(1000, 3), 4);  // at most 4
        QCOMPARE(defaultRungs(4, 2), 3);
        QCOMPARE(rungEpochs(30, 0, 3, 3), 3);  // 30 / 9, rounded
        QCOMPARE(rungEpochs(60, 0, 3, 3), 7);  // 60 / 9 = 6.7
        QCOMPARE(rungEpochs(30, 1, 3, 3), 10);
        QCOMPARE(rungEpochs(30, 2, 3, 3), 30);
        QCOMPARE(rungEpochs(2, 0, 2, 3), 1);  // at least 1
        QCOMPARE(rungEpochs(1, 0, 4, 2), 1);
    }

    // A scripted objective: -|log10(lr) + 1 - 0.1 k| at rung k, so the best learning rate
    // drifts up with the epochs (0.1 at rung 0, 0.126 at rung 1) and the rung-0 leader is not
    // the one chosen.
    void halvingKeepsTheBestPerRung() {
        const std::vector<double> lr = {0.001, 0.01, 0.04, 0.1, 0.3, 1.0, 0.02, 0.15, 0.6};
        std::vector<std::tuple<int, int, int>> calls;
        auto objective = [&](int t, int k, int epochs) {
            calls.emplace_back(t, k, epochs);
            TrialScore s;
            s.valAccuracy = 100 - 10 * std::abs(std::log10(lr[size_t(t)]) + 1 - 0.1 * k);
            s.valLoss = 1;
            return s;
        };
        const HalvingOutcome o =
            successiveHalving(std::vector<int>(lr.size(), 27), 3, 3, 2, objective);
        QCOMPARE(o.rungs.size(), size_t(3));
        QCOMPARE(o.rungs[0].entries.size(), size_t(9));
        QCOMPARE(o.rungs[0].promoted, (std::vector<int>{3, 7, 2}));  // best first
        QCOMPARE(o.rungs[1].entries.size(), size_t(3));
        QCOMPARE(o.rungs[1].entries[0].trial, 2);  // the next rung trains in trial order
        QCOMPARE(o.rungs[1].promoted, (std::vector<int>{7}));
        QCOMPARE(o.rungs[2].entries.size(), size_t(1));
        QCOMPARE(o.chosen, 7);
        for (const RungEntry& e : o.rungs[0].entries) {
            QCOMPARE(e.epochs, 3);
            QCOMPARE(e.promoted, e.trial == 3 || e.trial == 7 || e.trial == 2);
        }
        QCOMPARE(o.rungs[1].entries[1].epochs, 9);
        QCOMPARE(o.rungs[2].entries[0].epochs, 27);
        QVERIFY(o.rungs[2].entries[0].promoted);
        QCOMPARE(calls.size(), size_t(9 + 3 + 1));
        QCOMPARE(calls.back(), std::make_tuple(7, 2, 27));
        // 2 seeds: (9 + 3 + 1) x 2 runs; (9 x 3 + 3 x 9 + 1 x 27) x 2 epochs.
        QCOMPARE(o.budget.runs, int64_t(26));
        QCOMPARE(o.budget.epochsSpent, int64_t(162));
        QCOMPARE(o.budget.trials, 9);
        QCOMPARE(o.budget.rungs, 3);
        QCOMPARE(o.budget.eta, 3);
    }

    void halvingTiesAndFailures() {
        // Equal accuracy: the lower loss first, then the lower index; a failed trial ranks
        // below all others whatever its accuracy.
        const std::vector<TrialScore> scripted = {
            {50, 1.0, false}, {50, 0.5, false}, {50, 0.5, false}, {40, 0.1, false}, {90, 0.1, true}};
        const HalvingOutcome o = successiveHalving(
            std::vector<int>(5, 4), 2, 2, 1,
            [&](int t, int, int) { return scripted[size_t(t)]; });
        QCOMPARE(o.rungs[0].promoted, (std::vector<int>{1, 2, 0}));  // ceil(5 / 2)
        for (const RungEntry& e : o.rungs[0].entries) QCOMPARE(e.epochs, 2);
        QCOMPARE(o.chosen, 1);
        QCOMPARE(o.budget.runs, int64_t(5 + 3));
        QCOMPARE(o.budget.epochsSpent, int64_t(5 * 2 + 3 * 4));
        // A loss that was not recorded ranks after a recorded one.
        TrialScore known{60, 2.0, false}, unknown;
        unknown.valAccuracy = 60;
        QVERIFY(ranksBefore(known, 1, unknown, 0));
        QVERIFY(!ranksBefore(unknown, 0, known, 1));
    }

    void oneTrialAndPerTrialEpochs() {
        int calls = 0;
        const HalvingOutcome one = successiveHalving({10}, 3, defaultRungs(1, 3), 3, [&](int, int, int) {
            ++calls;
            return TrialScore{70, 1, false};
        });
        QCOMPARE(calls, 1);
        QCOMPARE(one.rungs.size(), size_t(1));
        QCOMPARE(one.chosen, 0);
        QCOMPARE(one.budget.runs, int64_t(3));
        QCOMPARE(one.budget.epochsSpent, int64_t(30));
        // Three rungs of one trial: 1, 3, then 10 epochs, the trial kept each time.
        std::vector<int> epochs;
        const HalvingOutcome three = successiveHalving({10}, 3, 3, 1, [&](int, int, int e) {
            epochs.push_back(e);
            return TrialScore{70, 1, false};
        });
        QCOMPARE(epochs, (std::vector<int>{1, 3, 10}));
        QCOMPARE(three.chosen, 0);
        // Each trial's own epochs (epochs=30|60 in a space): fractions of its own.
        std::map<int, int> firstRung;
        successiveHalving({30, 60}, 2, 2, 1, [&](int t, int k, int e) {
            if (k == 0) firstRung[t] = e;
            return TrialScore{double(t), 1, false};
        });
        QCOMPARE(firstRung[0], 15);
        QCOMPARE(firstRung[1], 30);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 successiveHalving({1}, 1, 1, 1, [](int, int, int) {
                                     return TrialScore{};
                                 }));
    }

    // A scheduler trains a rung's trials side by side: the rung scorer gets them together,
    // in trial order with their epochs, and the promotions are the per-trial scorer's.
    void aRungsTrialsComeTogether() {
        const std::vector<double> accuracy = {60, 80, 70, 90, 50};
        std::vector<std::pair<std::vector<int>, std::vector<int>>> calls;
        const HalvingOutcome o = successiveHalving(
            {8, 8, 16, 8, 8}, 2, 3, 1,
            [&](int rung, const std::vector<int>& trials, const std::vector<int>& epochs) {
                calls.emplace_back(trials, epochs);
                std::vector<TrialScore> scores;
                for (int t : trials) scores.push_back({accuracy[size_t(t)] + rung, 1, false});
                return scores;
            });
        QCOMPARE(calls.size(), size_t(3));
        QCOMPARE(calls[0].first, (std::vector<int>{0, 1, 2, 3, 4}));
        QCOMPARE(calls[0].second, (std::vector<int>{2, 2, 4, 2, 2}));
        QCOMPARE(calls[1].first, (std::vector<int>{1, 2, 3}));  // ceil(5 / 2), trial order
        QCOMPARE(calls[1].second, (std::vector<int>{4, 8, 4}));
        QCOMPARE(calls[2].first, (std::vector<int>{1, 3}));
        QCOMPARE(o.chosen, 3);
        QCOMPARE(o.budget.runs, int64_t(5 + 3 + 2));
        // A scorer that loses a trial is a bug, not a failed trial.
        QVERIFY_THROWS_EXCEPTION(
            std::logic_error,
            successiveHalving({4, 4}, 2, 1, 1,
                              [](int, const std::vector<int>&, const std::vector<int>&) {
                                  return std::vector<TrialScore>(1);
                              }));
    }

    void refusedBeforeAnythingRuns_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mustMention");
        const QStringList base = {"tune", "--trials", "3", "--per-class", "5", "--epochs", "2"};
        // On cached features the trials share each seed's baseline: its keys are not searched.
        QTest::newRow("feature method, a baseline key")
            << (base +
                QStringList{"--method", "gnn", "--space", "gnn_lr=0.001..0.1:log,lr=0.01..0.1"})
            << QStringList{"'lr'", "'baseline'", "gnn_epochs"};
        QTest::newRow("feature method, one run for all seeds")
            << (base + QStringList{"--method", "reptile", "--features-from", "/elsewhere",
                                   "--space", "reptile_inner_lr=0.001..0.1:log"})
            << QStringList{"--features-from", "'reptile'"};
        QTest::newRow("feature method, a key it ignores on features")
            << (base +
                QStringList{"--method", "siamese-contrastive", "--space", "batch_classes=2|5"})
            << QStringList{"'batch_classes'", "cached features"};
        QTest::newRow("gnn, the neighbour count on the paper's graph")
            << (base + QStringList{"--method", "gnn", "--space", "gnn_neighbours=5|20"})
            << QStringList{"'gnn_neighbours'", "gnn_graph knn", "same recipe"};
        QTest::newRow("features and images mixed")
            << QStringList{"tune",
                           "--trials",
                           "8",
                           "--per-class",
                           "5",
                           "--epochs",
                           "2",
                           "--method",
                           "siamese-contrastive",
                           "--space",
                           "siamese_input=images|features"}
            << QStringList{"siamese_input=images", "cached features", "images"};
        QTest::newRow("key also a flag")
            << (base + QStringList{"--space", "lr=0.01..0.1", "--lr", "0.05"})
            << QStringList{"'lr'", "--lr"};
        QTest::newRow("key of another method")
            << (base + QStringList{"--space", "mix_alpha=0.1..1"})
            << QStringList{"'mix_alpha'", "'baseline'"};
        QTest::newRow("bad space") << (base + QStringList{"--space", "lr=0.1..0.01"})
                                   << QStringList{"lr=0.1..0.01", "above"};
        QTest::newRow("eta 1") << (base + QStringList{"--space", "lr=0.01..0.1", "--eta", "1"})
                               << QStringList{"--eta 1"};
        QTest::newRow("Slurm's flag, local backend")
            << (base + QStringList{"--space", "lr=0.01..0.1", "--partition", "gpu"})
            << QStringList{"--partition", "--backend slurm"};
        QTest::newRow("unknown backend")
            << (base + QStringList{"--space", "lr=0.01..0.1", "--backend", "pbs"})
            << QStringList{"--backend: 'pbs'"};
        QTest::newRow("poll, local backend")
            << (base + QStringList{"--space", "lr=0.01..0.1", "--poll-seconds", "5"})
            << QStringList{"--poll-seconds", "--backend slurm"};
        QTest::newRow("poll 0") << (base + QStringList{"--space", "lr=0.01..0.1", "--backend",
                                                       "slurm", "--poll-seconds", "0"})
                                << QStringList{"--poll-seconds 0"};
        QTest::newRow("no trials")
            << QStringList{"tune", "--space", "lr=0.01..0.1", "--trials", "0"}
            << QStringList{"--trials 0"};
    }
    void refusedBeforeAnythingRuns() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mustMention);
        QTemporaryDir tmp;
        const QString out = tmp.filePath("tune");
        const Outcome o = cli(args + QStringList{"--out", out});
        QCOMPARE(o.code, 2);
        for (const QString& m : mustMention)
            QVERIFY2(o.err.contains(m), qPrintable("stderr lacks '" + m + "': " + o.err));
        QVERIFY(!QFileInfo::exists(out));  // nothing written
    }

    // A small search through the binary: 3 trials at 1 epoch, the best 2 at 2 epochs.
    void aSmallSearch() {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("tune");
        const QStringList args = {"tune", "--method", "baseline", "--space", "lr=0.01..0.1:log",
                                  "--trials", "3", "--seeds", "1", "--eta", "2", "--rungs", "2",
                                  "--per-class", "5", "--epochs", "2", "--max-test", "200",
                                  "--threads", "2", "--out", dir};
        const Outcome first = cli(args);
        QVERIFY2(first.code == 0, qPrintable(first.out + first.err));
        QVERIFY2(first.out.contains("chosen: trial"), qPrintable(first.out));
        // No trial's test figure is shown before the choice: only the chosen recipe's after it.
        const QString beforeChoice = first.out.left(first.out.indexOf("chosen: trial"));
        QVERIFY2(!beforeChoice.contains(QRegularExpression("test [0-9]")),
                 qPrintable(beforeChoice));
        QVERIFY2(beforeChoice.contains("finished: validation"), qPrintable(beforeChoice));
        QVERIFY2(first.out.contains("budget: 3 trials, 2 rung(s), eta 2, 1 seed(s): 5 runs, 7 "
                                    "epochs"),
                 qPrintable(first.out));

        const nlohmann::json tune = readJson(dir + "/tune.json");
        QVERIFY(tune.is_object());
        // The budget is what ran: 3 runs of 1 epoch, 2 of 2.
        const auto runs = finishedRuns(dir);
        QCOMPARE(runs.size(), size_t(5));
        int epochs = 0;
        for (const auto& [path, result] : runs) epochs += result["epochs_completed"].get<int>();
        QCOMPARE(tune["budget"]["runs"].get<int>(), 5);
        QCOMPARE(tune["budget"]["epochs_spent"].get<int>(), epochs);
        QCOMPARE(epochs, 7);
        QCOMPARE(tune["budget"]["trials"].get<int>(), 3);
        QCOMPARE(tune["budget"]["rungs"].get<int>(), 2);
        QVERIFY(!tune["budget"].contains("budget_key"));  // an image method's as before
        QCOMPARE(tune["rungs"][0]["entries"].size(), size_t(3));
        QCOMPARE(tune["rungs"][0]["promoted"].size(), size_t(2));
        QCOMPARE(tune["rungs"][1]["entries"].size(), size_t(2));
        QCOMPARE(tune["trials"].size(), size_t(3));

        // The chosen trial has the best mean validation accuracy of the last rung, and its
        // entry's figures are its run's.
        const int chosen = tune["chosen"]["trial"].get<int>();
        double bestAccuracy = -1;
        const nlohmann::json* chosenEntry = nullptr;
        for (const auto& e : tune["rungs"][1]["entries"]) {
            bestAccuracy = std::max(bestAccuracy, e["val_accuracy"].get<double>());
            if (e["trial"].get<int>() == chosen) chosenEntry = &e;
        }
        QVERIFY(chosenEntry);
        QCOMPARE((*chosenEntry)["val_accuracy"].get<double>(), bestAccuracy);
        const QString chosenRun =
            dir + "/" + QString::fromStdString((*chosenEntry)["seeds"][0]["run"].get<std::string>());
        const nlohmann::json chosenResult = readJson(chosenRun + "/result.json");
        QCOMPARE((*chosenEntry)["val_accuracy"].get<double>(),
                 chosenResult["val_accuracy"].get<double>());
        QCOMPARE(tune["chosen"]["test_accuracy"]["mean"].get<double>(),
                 chosenResult["test_accuracy"].get<double>());
        QCOMPARE(tune["chosen"]["test_accuracy"]["seeds"].size(), size_t(1));
        QCOMPARE(readJson(chosenRun + "/config.json")["epochs"].get<int>(), 2);

        // best_config.json: the chosen recipe, no seed nor execution keys, read as a config.
        const QString best = dir + "/best_config.json";
        const nlohmann::json bestJson = readJson(best);
        QVERIFY(!bestJson.contains("seed"));
        QVERIFY(!bestJson.contains("threads"));
        QVERIFY(!bestJson.contains("device"));
        const TrainConfig config = TrainConfig::fromFile(best.toStdString());
        QCOMPARE(config.lr, tune["trials"][size_t(chosen)]["values"]["lr"].get<double>());
        QCOMPARE(config.lr, tune["chosen"]["values"]["lr"].get<double>());
        QCOMPARE(config.epochs, 2);
        QCOMPARE(config.per_class, 5);
        QCOMPARE(config.method, std::string("baseline"));
        // compare reads it as it is: its plan is the chosen recipe.
        const QString study = tmp.filePath("study");
        const Outcome plan = cli({"compare", "--config", best, "--seeds", "1", "--plan-only",
                                  "--out", study});
        QVERIFY2(plan.code == 0, qPrintable(plan.err));
        QVERIFY2(plan.out.startsWith("0\tbaseline\t5\t0\tpending"), qPrintable(plan.out));
        QCOMPARE(readJson(study + "/plan.json")["config"]["lr"].get<double>(), config.lr);

        // Each trial at a rung is a study folder: Slurm's array task (compare --task) finds
        // the run the search trained there, and keeps it.
        const QString trialDir = dir + "/rung-0/trial-0";
        QVERIFY(QFileInfo::exists(trialDir + "/plan.json"));
        const Outcome task = cli({"compare", "--task", "0", "--out", trialDir});
        QVERIFY2(task.code == 0 && task.out.contains("done before, kept"),
                 qPrintable(task.out + task.err));

        // The same command again trains nothing: every run is kept, the files stay as they are.
        const std::string tuneText = fileText(dir + "/tune.json");
        const Outcome again = cli(args);
        QVERIFY2(again.code == 0, qPrintable(again.out + again.err));
        QCOMPARE(again.out.count("done before, kept"), 5);
        QVERIFY2(!again.out.contains("running\n"), qPrintable(again.out));
        QCOMPARE(fileText(dir + "/tune.json"), tuneText);
        QCOMPARE(finishedRuns(dir).size(), size_t(5));

        // Another request in the same folder is refused, naming what differs.
        QStringList more = args;
        more[more.indexOf("--trials") + 1] = "4";
        const Outcome refused = cli(more);
        QCOMPARE(refused.code, 2);
        QVERIFY2(refused.err.contains("tune_plan.json") && refused.err.contains("trials 3 there, 4 here"),
                 qPrintable(refused.err));

        // A search stopped before its end continues: a run without its result resumes from its
        // checkpoint, the finished ones are kept, and the search ends as it did.
        const QString rung0 = dir + "/rung-0/trial-0/baseline-seed0";
        QVERIFY(QFile::remove(rung0 + "/result.json"));
        QVERIFY(QFile::remove(dir + "/tune.json"));
        QVERIFY(QFile::remove(best));
        const Outcome resumed = cli(args);
        QVERIFY2(resumed.code == 0, qPrintable(resumed.out + resumed.err));
        QVERIFY2(resumed.out.contains("resuming"), qPrintable(resumed.out));
        QCOMPARE(resumed.out.count("done before, kept"), 4);
        const nlohmann::json again2 = readJson(dir + "/tune.json");
        QCOMPARE(again2["budget"], tune["budget"]);
        QCOMPARE(again2["chosen"]["trial"], tune["chosen"]["trial"]);
        QCOMPARE(again2["trials"], tune["trials"]);
        QVERIFY(QFileInfo::exists(best));
    }

    // A method on cached features: the baseline of each seed trains once, in DIR/features, and
    // every trial reads it; the rungs shorten the method's own stage (gnn_epochs), not epochs.
    void aSearchOnCachedFeatures() {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("tune");
        // On the k-nearest graph, whose neighbour count is then part of each trial's recipe.
        const QStringList args = {"tune",
                                  "--method",
                                  "gnn",
                                  "--gnn-graph",
                                  "knn",
                                  "--space",
                                  "gnn_lr=0.001..0.1:log,gnn_neighbours=3|6",
                                  "--trials",
                                  "3",
                                  "--seeds",
                                  "1",
                                  "--eta",
                                  "2",
                                  "--rungs",
                                  "2",
                                  "--per-class",
                                  "5",
                                  "--epochs",
                                  "1",
                                  "--max-test",
                                  "200",
                                  "--threads",
                                  "2",
                                  "--out",
                                  dir};
        const Outcome first = cli(args);
        QVERIFY2(first.code == 0, qPrintable(first.out + first.err));
        QCOMPARE(first.out.count("finished: validation"), 6);  // 1 baseline, 3 + 2 trials

        const auto runs = finishedRuns(dir);
        QCOMPARE(runs.size(), size_t(6));
        const QString baselineDir = dir + "/features/baseline-seed0";
        QVERIFY(runs.count(baselineDir + "/result.json"));
        const int fullEpochs = TrainConfig().gnn_epochs;
        const int shortEpochs = rungEpochs(fullEpochs, 0, 2, 2);
        QVERIFY(shortEpochs < fullEpochs);
        const nlohmann::json tune = readJson(dir + "/tune.json");
        QCOMPARE(tune["budget"]["budget_key"].get<std::string>(), std::string("gnn_epochs"));
        int spent = 0;
        for (int rung = 0; rung < 2; ++rung) {
            for (const auto& e : tune["rungs"][rung]["entries"]) {
                const int budget = e["gnn_epochs"].get<int>();
                QCOMPARE(budget, rung == 0 ? shortEpochs : fullEpochs);
                const QString run =
                    dir + "/" + QString::fromStdString(e["seeds"][0]["run"].get<std::string>());
                const nlohmann::json config = readJson(run + "/config.json");
                QCOMPARE(config["gnn_epochs"].get<int>(), budget);
                QCOMPARE(config["epochs"].get<int>(), 1);
                QCOMPARE(config["gnn_graph"].get<std::string>(), std::string("knn"));
                QCOMPARE(config["gnn_neighbours"],
                         tune["trials"][e["trial"].get<size_t>()]["values"]["gnn_neighbours"]);
                // It read the shared baseline's features and trained no image stage of its own.
                const QString from =
                    QString::fromStdString(config["features_from"].get<std::string>());
                QCOMPARE(QFileInfo(run + "/" + from).canonicalFilePath(),
                         QFileInfo(baselineDir).canonicalFilePath());
                QFile metrics(run + "/metrics.jsonl");
                QVERIFY(metrics.open(QIODevice::ReadOnly));
                const QByteArray lines = metrics.readAll();
                QVERIFY(!lines.contains("\"stage\":\"baseline\""));
                QCOMPARE(lines.count("\"stage\":\"gnn\""), budget);
                spent += budget;
            }
        }
        QCOMPARE(tune["budget"]["gnn_epochs_spent"].get<int>(), spent);
        QCOMPARE(tune["budget"]["image_stage"]["runs"].get<int>(), 1);
        QCOMPARE(tune["budget"]["image_stage"]["method"].get<std::string>(),
                 std::string("baseline"));
        QVERIFY2(first.out.contains(QString("%1 gnn_epochs trained").arg(spent)) &&
                     first.out.contains("1 baseline run(s) of 1 epochs that every trial shares"),
                 qPrintable(first.out));

        // The chosen recipe names no run: compare trains its own baseline beside it.
        const nlohmann::json best = readJson(dir + "/best_config.json");
        QVERIFY(!best.contains("features_from"));
        QCOMPARE(best["gnn_lr"].get<double>(), tune["chosen"]["values"]["gnn_lr"].get<double>());
        QCOMPARE(best["gnn_epochs"].get<int>(), fullEpochs);

        // A trial's Slurm array task plans the same run, reading the same baseline: it keeps it.
        const Outcome task =
            cli({"compare", "--task", "0", "--out",
                 dir + "/rung-1/trial-" + QString::number(tune["chosen"]["trial"].get<int>())});
        QVERIFY2(task.code == 0 && task.out.contains("done before, kept"),
                 qPrintable(task.out + task.err));

        // Again: nothing trains, the baseline included.
        const Outcome again = cli(args);
        QVERIFY2(again.code == 0, qPrintable(again.out + again.err));
        QCOMPARE(again.out.count("done before, kept"), 6);
        QCOMPARE(readJson(dir + "/tune.json"), tune);
    }
};

QTEST_GUILESS_MAIN(TestTune)
#include "test_tune.moc"
