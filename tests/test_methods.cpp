// The methods of docs/methods.md on tensors small enough to work out by hand: each loss, the pair
// and triplet draws, the paper's graph (eq. 6 to 9) on four points, one Reptile meta step; then
// every feature method on well-separated synthetic clusters, and the feature cache's file.
#include <QtTest>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/run/comparison.h"
#include "core/base/errors.h"
#include "core/train/feature_cache.h"
#include "core/methods/feature_methods.h"
#include "core/methods/reptile_inner.h"
#include "core/model/losses.h"
#include "core/train/pair_sampling.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

bool near(const torch::Tensor& t, double expected, double tol = 1e-5) {
    return std::abs(t.item<double>() - expected) < tol;
}

// `classes` Gaussian clusters in `dim` dimensions, centres 6 apart on the axes.
LabelledFeatures clusters(int classes, int perClass, int dim, uint64_t seed) {
    torch::manual_seed(seed);
    LabelledFeatures f;
    auto y = torch::arange(classes, torch::kInt64).repeat_interleave(perClass);
    auto centres = 6.0 * torch::eye(classes, dim);
    f.x = centres.index_select(0, y) + torch::randn({classes * perClass, dim});
    f.y = y;
    f.logits = torch::nn::functional::one_hot(y, classes).to(torch::kFloat32);
    return f;
}

// The first entry of a 4 x 4 matrix off its hand-computed value by more than `tolerance`, as
// "A[i][j] = value"; empty when none is.
QString mismatch(const torch::Tensor& a, const float (&expected)[4][4], double tolerance) {
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            if (std::abs(a[i][j].item<float>() - expected[i][j]) >= tolerance)
                return QString("A[%1][%2] = %3").arg(i).arg(j).arg(a[i][j].item<float>());
    return {};
}
bool matches(const torch::Tensor& a, const float (&expected)[4][4], double tolerance) {
    return a.sizes() == torch::IntArrayRef({4, 4}) && mismatch(a, expected, tolerance).isEmpty();
}

FeatureCache syntheticCache() {
    FeatureCache c;
    c.train = clusters(5, 16, 12, 1);
    c.val = clusters(5, 4, 12, 2);
    c.test = clusters(5, 40, 12, 3);
    return c;
}

}  // namespace

class TestMethods : public QObject {
    Q_OBJECT
private slots:
    void cosineLossByHand() {
        // Unit outputs (0.6, 0.8) with class 0 and (1, 0) with class 1: 1 - 0.6 and 1 - 0.
        const auto out = torch::tensor({3.0f, 4.0f, 1.0f, 0.0f}).view({2, 2});
        const auto y = torch::tensor({0, 1}, torch::kInt64);
        QVERIFY(near(cosineLoss(out, y), 0.7));
        // With an identity head the CE terms are log(1 + e^0.2) and log(1 + e^1).
        torch::nn::Linear identity(2, 2);
        {
            torch::NoGradGuard g;
            identity->weight.copy_(torch::eye(2));
            identity->bias.zero_();
        }
        torch::nn::Sequential head(identity);
        QVERIFY(near(cosineWithCrossEntropy(out, y, head, 0.1), 0.80557003));
        QVERIFY(near(cosineWithCrossEntropy(out, y, head, 0.0), 0.7));
    }

    void contrastiveAndTripletByHand() {
        const auto a = torch::tensor({1.0f, 0.0f, 1.0f, 0.0f}).view({2, 2});
        const auto b = torch::tensor({0.0f, 1.0f, 0.6f, 0.8f}).view({2, 2});
        // Same pair at distance sqrt 2: d^2 = 2; different pair at sqrt 0.8 < m: (1 - d)^2.
        QVERIFY(near(contrastiveLoss(a, b, torch::tensor({1.0f, 0.0f}), 1.0), 1.00557281));
        // A different pair beyond the margin costs nothing.
        QVERIFY(
            near(contrastiveLoss(a.narrow(0, 0, 1), b.narrow(0, 0, 1), torch::tensor({0.0f}), 1.0),
                 0.0));
        // Triplets: the first is satisfied by more than the margin (0), the second is not.
        // Anchor (1, 0): positive (0.6, 0.8) at sqrt 0.8, negative (0, 1) at sqrt 2; then swapped.
        const auto p = b.flip(0), n = b;
        QVERIFY(near(tripletLoss(a, p, n, 0.2), 0.35989319));
        QVERIFY(
            near(tripletLoss(a.narrow(0, 0, 1), p.narrow(0, 0, 1), n.narrow(0, 0, 1), 0.2), 0.0));
    }

    void supervisedContrastiveByHand() {
        // Anchors 1 and 2 are each other's positive; anchor 3 has none and is left out.
        const auto z = torch::tensor({1.0f, 0.0f, 1.0f, 0.0f, 0.0f, 1.0f}).view({3, 2});
        const auto y = torch::tensor({0, 0, 1}, torch::kInt64);
        QVERIFY(near(supConLoss(z, y, 1.0, 1.0), 0.31326169));  // log(1 + e) - 1
        QVERIFY(near(supConLoss(z, y, 0.5, 0.5), 0.12692801));  // log(e^2 + 1) - 2
        QVERIFY(near(supConLoss(z, y, 0.5, 1.0), 0.06346401));  // scaled by tau / tau_base
        // Two positives for an anchor: their log-probabilities are averaged.
        const auto z4 =
            torch::tensor({1.0f, 0.0f, 1.0f, 0.0f, 0.6f, 0.8f, 0.0f, 1.0f}).view({4, 2});
        QVERIFY(
            near(supConLoss(z4, torch::tensor({0, 0, 0, 1}, torch::kInt64), 1.0, 1.0), 0.99798351));
    }

    void pairsAreBalancedAndTripletsValid() {
        torch::manual_seed(7);
        const auto y = torch::arange(10, torch::kInt64).repeat_interleave(20);
        const Pairs p = balancedPairs(y);
        QCOMPARE(p.first.numel(), int64_t(200));
        const double share = p.same.mean().item<double>();
        QVERIFY2(share > 0.4 && share < 0.6, qPrintable(QString::number(share)));  // random: ~0.1
        const auto same = y.index_select(0, p.first).eq(y.index_select(0, p.second));
        QVERIFY(same.to(torch::kFloat32).equal(p.same));
        QVERIFY(p.first.ne(p.second).all().item<bool>());
        // A lone row of its class can only be a negative pair.
        const Pairs lone = balancedPairs(torch::tensor({0, 1, 1}, torch::kInt64));
        QCOMPARE(lone.same[0].item<float>(), 0.0f);

        const Triplets t = randomTriplets(torch::tensor({0, 0, 1, 1, 2}, torch::kInt64));
        QCOMPARE(t.anchor.numel(), int64_t(4));  // the lone class-2 row has no positive
        const auto lab = torch::tensor({0, 0, 1, 1, 2}, torch::kInt64);
        QVERIFY(
            lab.index_select(0, t.anchor).eq(lab.index_select(0, t.positive)).all().item<bool>());
        QVERIFY(
            lab.index_select(0, t.anchor).ne(lab.index_select(0, t.negative)).all().item<bool>());
        QVERIFY(t.anchor.ne(t.positive).all().item<bool>());
    }

    void graphFollowsThePaperOnFourPoints() {
        // Points 0, 1, 3, 6 on a line: distances 1 3 6 2 5 3, mean 20 / 6; edges 01 02 12 23.
        const auto v = torch::tensor({0.0f, 1.0f, 3.0f, 6.0f}).view({4, 1});
        GraphStats s;
        const auto a = similarityGraph(v, "row", &s);
        QCOMPARE(s.edges, int64_t(4));
        QCOMPARE(s.isolatedNodes, int64_t(0));
        QVERIFY(std::abs(s.meanDistance - 20.0 / 6.0) < 1e-5);
        const float expected[4][4] = {{0, 0.75f, 0.25f, 0},
                                      {2.0f / 3, 0, 1.0f / 3, 0},
                                      {2.0f / 7, 3.0f / 7, 0, 2.0f / 7},
                                      {0, 0, 1, 0}};
        QVERIFY2(matches(a, expected, 1e-5), qPrintable(mismatch(a, expected, 1e-5)));
        // Kipf: D^-1/2 (W + I) D^-1/2 with weighted degrees 7/3, 5/2, 13/6, 4/3.
        const auto k = similarityGraph(v, "symmetric");
        QVERIFY(std::abs(k[0][0].item<float>() - 3.0f / 7) < 1e-5);
        QVERIFY(std::abs(k[0][1].item<float>() - 0.41403934f) < 1e-5);
        QVERIFY(std::abs(k[0][3].item<float>()) < 1e-9);
        QVERIFY(k.allclose(k.t()));
    }

    void gcnPropagatesWithSelfLoops() {
        // The four points and one far away at 30: mean distance 130 / 10 = 13, so node 4 has
        // no edge; node 0's neighbours are 1, 3 and 6 away.
        const auto v = torch::tensor({0.0f, 1.0f, 3.0f, 6.0f, 30.0f}).view({5, 1});
        GraphStats s;
        const auto a = gcnPropagation(v, "row", &s);
        QCOMPARE(s.isolatedNodes, int64_t(1));
        QVERIFY(a.diagonal().gt(0).all().item<bool>());
        QVERIFY(a.sum(1).allclose(torch::ones({5})));
        // Row 0 of W + I: 1 (self), 1, 1/3, 1/6, 0, summing to 5/2.
        const float row0[5] = {0.4f, 0.4f, 2.0f / 15, 1.0f / 15, 0};
        for (int j = 0; j < 5; ++j) QVERIFY(std::abs(a[0][j].item<float>() - row0[j]) < 1e-6);
        // The isolated node is its own only neighbour; the viewer's graph (eq. 9) leaves its
        // row empty.
        QVERIFY(a[4].equal(torch::tensor({0.0f, 0.0f, 0.0f, 0.0f, 1.0f})));
        QCOMPARE(similarityGraph(v, "row")[4].sum().item<float>(), 0.0f);
        const auto k = gcnPropagation(v, "symmetric");
        QVERIFY(k.allclose(k.t()));
        QVERIFY(k.diagonal().gt(0).all().item<bool>());
        QCOMPARE(k[4][4].item<float>(), 1.0f);
    }

    void knnGraphOnFourPoints() {
        // Points 0, 1, 3, 7 and k = 1: the nearest of 0 is 1, of 1 is 0, of 3 is 1, of 7 is 3;
        // symmetrised, edges 01 12 23 with weights 1, 1/2, 1/4. The mean distance (23 / 6)
        // would leave the point at 7 alone.
        const auto v = torch::tensor({0.0f, 1.0f, 3.0f, 7.0f}).view({4, 1});
        GraphStats s;
        const auto a = gcnPropagation(v, "row", &s, 1);
        QCOMPARE(s.edges, int64_t(3));
        QCOMPARE(s.isolatedNodes, int64_t(0));
        QVERIFY(std::abs(s.meanDistance - 23.0 / 6.0) < 1e-5);
        // Rows of W + I over their sums 2, 2.5, 1.75, 1.25.
        const float expected[4][4] = {{0.5f, 0.5f, 0, 0},
                                      {0.4f, 0.4f, 0.2f, 0},
                                      {0, 2.0f / 7, 4.0f / 7, 1.0f / 7},
                                      {0, 0, 0.2f, 0.8f}};
        QVERIFY2(matches(a, expected, 1e-6), qPrintable(mismatch(a, expected, 1e-6)));
        GraphStats paper;
        gcnPropagation(v, "row", &paper);
        QCOMPARE(paper.isolatedNodes, int64_t(1));
        // k = 2: 0 -> 1, 3; 1 -> 0, 3; 3 -> 1, 0; 7 -> 3, 1: every pair but 0-7.
        const auto two = knnEdges(torch::cdist(v.unsqueeze(0), v.unsqueeze(0)).squeeze(0), 2);
        QCOMPARE(two.sum().item<int64_t>(), int64_t(2 * 5));
        QVERIFY(!two[0][3].item<bool>() && two[3][1].item<bool>() && !two[2][2].item<bool>());
    }

    void gnnOnAKnnGraph() {
        const FeatureCache cache = syntheticCache();
        TrainConfig c;
        c.method = "gnn";
        c.gnn_graph = "knn";
        c.gnn_neighbours = 5;
        c.gnn_epochs = 60;
        RunResult r;
        torch::manual_seed(0);
        runFeatureMethod(c, cache, nullptr, nullptr, r);
        std::map<std::string, double> f(r.figures.begin(), r.figures.end());
        QCOMPARE(f.at("graph_neighbours"), 5.0);
        QCOMPARE(f.at("graph_isolated_nodes"), 0.0);
        // 300 nodes of degree >= 5: between 300 x 5 / 2 and 300 x 5 undirected edges.
        QVERIFY(f.at("graph_edges") >= 750 && f.at("graph_edges") <= 1500);
        // Clusters 6 standard deviations apart and 60 images each: five neighbours stay within
        // the class, where the mean distance links across classes.
        QCOMPARE(f.at("graph_same_class_edge_share"), 100.0);
        QVERIFY2(r.testAccuracy > 80.0, qPrintable(QString::number(r.testAccuracy)));
        c.gnn_graph = "mean-distance";
        RunResult paper;
        runFeatureMethod(c, cache, nullptr, nullptr, paper);
        std::map<std::string, double> g(paper.figures.begin(), paper.figures.end());
        QVERIFY(g.at("graph_same_class_edge_share") < 100.0);
        QVERIFY(!g.count("graph_neighbours"));

        c.gnn_graph = "knn";
        c.gnn_neighbours = 300;
        EXPECT_ERROR_MENTIONING(InputError, runFeatureMethod(c, cache, nullptr, nullptr, r),
                                "gnn_neighbours", "300", "only 300 nodes");
        c.gnn_neighbours = 10;
        c.gnn_max_nodes = 10;  // refused before any work: no node could have 10 neighbours
        EXPECT_ERROR_MENTIONING(InputError, c.validate(), "gnn_neighbours", "gnn_max_nodes = 10");
        c.gnn_graph = "mean-distance";  // the paper's graph does not read the count
        c.validate();
        c.gnn_graph = "nearest";
        EXPECT_ERROR_MENTIONING(InputError, c.validate(), "gnn_graph", "nearest");
    }

    void gcnClassifiesAnIsolatedNodeByItsOwnFeatures_data() {
        QTest::addColumn<QString>("normalization");
        QTest::newRow("row") << "row";
        QTest::newRow("symmetric") << "symmetric";
    }
    void gcnClassifiesAnIsolatedNodeByItsOwnFeatures() {
        QFETCH(QString, normalization);
        FeatureCache cache = syntheticCache();
        // Four test nodes far out on the axes of classes 1 to 4: no edge reaches them, and by
        // their own features each is clearly of its class (none of class 0, which a node
        // scoring 0 for every class would be given).
        const auto y = torch::arange(1, 5, torch::kInt64);
        cache.test.x = 25.0 * torch::eye(5, 12).index_select(0, y);
        cache.test.y = y;
        cache.test.logits = torch::nn::functional::one_hot(y, 5).to(torch::kFloat32);
        TrainConfig c;
        c.method = "gnn";
        c.gnn_normalization = normalization.toStdString();
        c.gnn_epochs = 100;
        RunResult r;
        torch::manual_seed(0);
        runFeatureMethod(c, cache, nullptr, nullptr, r);
        std::map<std::string, double> f(r.figures.begin(), r.figures.end());
        QCOMPARE(f.at("graph_isolated_nodes"), 4.0);
        QCOMPARE(r.testAccuracy, 100.0);
        for (size_t k = 1; k < 5; ++k) QCOMPARE(r.testConfusion[k][k], int64_t(1));
    }

    void featureClassifierFollowsTheRunsSchedule() {
        const StandardRows rows = standardRows(syntheticCache());
        TrainConfig c;
        c.lr = 0.1;
        c.epochs = 10;
        c.schedule = "step";
        c.step_epochs = 5;
        c.step_gamma = 0.1;
        std::vector<double> lrs;
        auto fit = [&](const TrainConfig& run) {
            lrs.clear();
            torch::manual_seed(0);
            torch::nn::Sequential model(torch::nn::Linear(12, 5));
            fitClassifier(
                model, rows.train, rows.val, rows.test,
                FeatureTrainOptions::fromConfig(run, 20, "classifier", 0),
                [&](const EpochMetrics& m) { lrs.push_back(m.lr); }, nullptr);
            QCOMPARE(lrs.size(), size_t(20));
        };
        // A drop after half the run: after half the classifier's 20 epochs too.
        fit(c);
        for (size_t e = 0; e < 20; ++e)
            QVERIFY2(std::abs(lrs[e] - (e < 10 ? 0.1 : 0.01)) < 1e-12,
                     qPrintable(QString("epoch %1: %2").arg(e + 1).arg(lrs[e])));
        // Two warm-up epochs of ten: four of twenty, from 0, then the cosine.
        c.schedule = "cosine";
        c.warmup_epochs = 2;
        fit(c);
        QCOMPARE(lrs[0], 0.0);
        QVERIFY(std::abs(lrs[2] - 0.5 * 0.05 * (1 + std::cos(M_PI * 2 / 20))) < 1e-12);
        QVERIFY(std::abs(lrs[10] - 0.05) < 1e-12);  // halfway down the cosine
    }

    // The methods on features hand the run's schedule to their stages: the step falls halfway
    // through the embedding network's epochs and through the classifier's.
    void featureStagesFollowTheRunsSchedule_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("siamese-contrastive") << "siamese-contrastive";
        QTest::newRow("reptile") << "reptile";
    }
    void featureStagesFollowTheRunsSchedule() {
        QFETCH(QString, method);
        TrainConfig c;
        c.method = method.toStdString();
        c.lr = 0.05;
        c.epochs = 6;
        c.schedule = "step";
        c.step_epochs = 3;
        c.step_gamma = 0.5;
        c.embedding_epochs = 4;
        c.classifier_epochs = 6;
        c.hidden_dim = 16;
        c.embedding_dim = 8;
        c.reptile_iterations = 10;
        c.reptile_meta_batch = 1;
        std::map<std::string, std::vector<double>> lrs;
        RunResult r;
        torch::manual_seed(0);
        runFeatureMethod(
            c, syntheticCache(), [&](const EpochMetrics& m) { lrs[m.stage].push_back(m.lr); },
            nullptr, r);
        const std::vector<double> classifier = {0.05, 0.05, 0.05, 0.025, 0.025, 0.025};
        QCOMPARE(lrs["classifier"], classifier);
        if (c.method == "siamese-contrastive")
            QCOMPARE(lrs["embedding"], (std::vector<double>{0.05, 0.05, 0.025, 0.025}));
    }

    void reptileMetaStep() {
        // phi + eps (mean(phi') - phi): tasks moved phi to (3, 2) and (1, 6).
        const std::vector<torch::Tensor> phi = {torch::tensor({1.0f, 2.0f}), torch::tensor({0.0f})};
        const std::vector<std::vector<torch::Tensor>> adapted = {
            {torch::tensor({3.0f, 2.0f}), torch::tensor({4.0f})},
            {torch::tensor({1.0f, 6.0f}), torch::tensor({0.0f})}};
        auto half = reptileMetaUpdate(phi, adapted, 0.5);
        QVERIFY(half[0].equal(torch::tensor({1.5f, 3.0f})));
        QVERIFY(half[1].equal(torch::tensor({1.0f})));
        auto full = reptileMetaUpdate(phi, adapted, 1.0);
        QVERIFY(full[0].equal(torch::tensor({2.0f, 4.0f})));
        auto none = reptileMetaUpdate(phi, adapted, 0.0);
        QVERIFY(none[0].equal(phi[0]));
    }

    // The meta-batch's inner loops as one computation give each task the weights it reaches
    // alone: tasks with different images and labels, 8 Adam steps at a learning rate large
    // enough to move every weight.
    void reptileBatchedInnerLoopsMatchOneByOne() {
        torch::manual_seed(3);
        const int64_t d = 12, h = 16, ways = 5, n = 15;
        const std::vector<torch::Tensor> phi = {torch::randn({h, d}) * 0.3, torch::randn({h}) * 0.1,
                                                torch::randn({ways, h}) * 0.3,
                                                torch::randn({ways}) * 0.1};
        std::vector<ReptileTask> tasks;
        for (int t = 0; t < 4; ++t)
            tasks.push_back({torch::randn({n, d}), torch::randint(0, ways, {n}, torch::kInt64)});
        const ReptileInner inner{8, 0.02};
        const auto one = adaptTasksOneByOne(phi, tasks, inner);
        const auto all = adaptTasksBatched(phi, tasks, inner);
        QCOMPARE(all.weights.size(), tasks.size());
        for (size_t t = 0; t < tasks.size(); ++t)
            for (size_t i = 0; i < phi.size(); ++i) {
                QCOMPARE(all.weights[t][i].sizes(), phi[i].sizes());
                const double moved = (one.weights[t][i] - phi[i]).abs().max().item<double>();
                const double apart = (one.weights[t][i] - all.weights[t][i]).abs().max().item<double>();
                QVERIFY2(moved > 0.05, qPrintable(QString::number(moved)));
                QVERIFY2(apart < 1e-5, qPrintable(QString("task %1 tensor %2: %3").arg(t).arg(i).arg(apart)));
            }
        // Tasks train apart: the first two end far from each other.
        QVERIFY((all.weights[0][0] - all.weights[1][0]).abs().max().item<double>() > 0.05);
        QVERIFY(one.lastLossSum > 0);
        QVERIFY(std::abs(one.lastLossSum - all.lastLossSum) < 1e-5 * one.lastLossSum);
    }

    void featureMethodsLearnSeparableClusters_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("siamese-contrastive") << "siamese-contrastive";
        QTest::newRow("siamese-triplet") << "siamese-triplet";
        QTest::newRow("reptile") << "reptile";
        QTest::newRow("gnn") << "gnn";
    }
    void featureMethodsLearnSeparableClusters() {
        QFETCH(QString, method);
        const FeatureCache cache = syntheticCache();
        TrainConfig c;
        c.method = method.toStdString();
        c.embedding_epochs = 15;
        c.classifier_epochs = 15;
        c.hidden_dim = 32;
        c.embedding_dim = 16;
        c.reptile_iterations = 60;
        c.reptile_meta_batch = 2;
        c.gnn_epochs = 60;
        RunResult r;
        int epochs = 0;
        torch::manual_seed(0);
        runFeatureMethod(
            c, cache, [&](const EpochMetrics&) { ++epochs; }, nullptr, r);
        // Chance is 20 %; the clusters are 6 standard deviations apart.
        QVERIFY2(r.testAccuracy > 80.0, qPrintable(QString::number(r.testAccuracy)));
        QVERIFY(r.valAccuracy > 60.0);
        QVERIFY(epochs > 0);
        QVERIFY(r.stepsCompleted > 0);
        // The confusion matrix comes from the same weights as the test accuracy: its diagonal
        // share is that accuracy, its total the test rows.
        QCOMPARE(r.testConfusion.size(), size_t(5));
        int64_t total = 0, right = 0;
        for (size_t t = 0; t < 5; ++t) {
            QCOMPARE(r.testConfusion[t].size(), size_t(5));
            for (size_t p = 0; p < 5; ++p) total += r.testConfusion[t][p];
            right += r.testConfusion[t][t];
        }
        QCOMPARE(total, cache.test.y.size(0));
        QVERIFY(std::abs(100.0 * double(right) / double(total) - r.testAccuracy) < 1e-6);
        QVERIFY(r.testConfusionClasses.empty());  // all classes, in order
        // Per-sample predictions of every row, from the same weights as the accuracy.
        QCOMPARE(r.predictions.train.size(), size_t(80));
        QCOMPARE(r.predictions.val.size(), size_t(20));
        QCOMPARE(r.predictions.test.size(), size_t(200));
        int64_t predictedRight = 0;
        for (size_t i = 0; i < r.predictions.test.size(); ++i) {
            QCOMPARE(r.predictions.test.rows[i], int64_t(i));
            QCOMPARE(r.predictions.test.truth[i], cache.test.y[int64_t(i)].item<int64_t>());
            predictedRight += r.predictions.test.truth[i] == r.predictions.test.predicted[i];
            QVERIFY(r.predictions.test.pTrue[i] <= r.predictions.test.pPredicted[i] + 1e-6f);
        }
        QCOMPARE(predictedRight, right);
        if (c.method == "gnn") {
            std::map<std::string, double> f(r.figures.begin(), r.figures.end());
            QCOMPARE(f.at("graph_nodes"), 300.0);
            QVERIFY(f.at("cnn_test_accuracy") == 100.0);  // the synthetic logits are the labels
            QVERIFY(f.at("mlp_test_accuracy") > 80.0);
            QVERIFY(f.at("graph_same_class_edge_share") > 20.0);  // chance would be 20 %
        }
    }

    void gnnSubsetOfClassesAndTooLargeGraphs() {
        const FeatureCache cache = syntheticCache();
        TrainConfig c;
        c.method = "gnn";
        c.gnn_classes = 3;
        c.gnn_feature_dims = 4;
        c.gnn_epochs = 5;
        RunResult r;
        runFeatureMethod(c, cache, nullptr, nullptr, r);
        std::map<std::string, double> f(r.figures.begin(), r.figures.end());
        QCOMPARE(f.at("graph_classes"), 3.0);
        QCOMPARE(f.at("graph_nodes"), 3.0 * (16 + 4 + 40));
        // Three of five classes: the matrix is 3 x 3 and names which three, ascending.
        QCOMPARE(r.testConfusion.size(), size_t(3));
        QCOMPARE(r.testConfusionClasses.size(), size_t(3));
        QVERIFY(std::is_sorted(r.testConfusionClasses.begin(), r.testConfusionClasses.end()));
        QVERIFY(r.testConfusionClasses.front() >= 0 && r.testConfusionClasses.back() < 5);
        // Predictions for the graph's nodes only, named by the dataset's classes and by each
        // node's position in its split.
        QCOMPARE(r.predictions.test.size(), size_t(3 * 40));
        QCOMPARE(r.predictions.train.size(), size_t(3 * 16));
        const std::set<int64_t> chosen(r.testConfusionClasses.begin(), r.testConfusionClasses.end());
        for (size_t i = 0; i < r.predictions.test.size(); ++i) {
            QVERIFY(chosen.count(r.predictions.test.truth[i]));
            QVERIFY(chosen.count(r.predictions.test.predicted[i]));
            QCOMPARE(cache.test.y[r.predictions.test.rows[i]].item<int64_t>(),
                     r.predictions.test.truth[i]);
        }
        c.gnn_classes = 0;
        c.gnn_max_nodes = 100;
        EXPECT_ERROR_MENTIONING(InputError, runFeatureMethod(c, cache, nullptr, nullptr, r),
                                "300 nodes", "gnn_max_nodes");
        c.gnn_classes = 6;
        EXPECT_ERROR_MENTIONING(InputError, runFeatureMethod(c, cache, nullptr, nullptr, r),
                                "gnn_classes", "5 classes");
    }

    void featureCacheRoundTripAndBadFiles() {
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/features.pt";
        const FeatureCache c = syntheticCache();
        saveFeatureCache(c, path);
        const FeatureCache back = loadFeatureCache(path);
        QVERIFY(back.train.x.equal(c.train.x));
        QVERIFY(back.test.y.equal(c.test.y));
        QCOMPARE(back.numClasses(), int64_t(5));
        EXPECT_ERROR_MENTIONING(InputError, loadFeatureCache(path + ".missing"), "features.pt",
                                "does not exist");
        std::ofstream(path + ".bad", std::ios::binary) << "not a torch file";
        EXPECT_ERROR_MENTIONING(InputError, loadFeatureCache(path + ".bad"), ".bad",
                                "cannot be read");
        FeatureCache wrong = c;
        wrong.val.y = wrong.val.y.narrow(0, 0, 3);
        saveFeatureCache(wrong, path + ".short");
        EXPECT_ERROR_MENTIONING(InputError, loadFeatureCache(path + ".short"), "val has 20",
                                "3 labels");
    }

    void comparisonPlansBaselineFirstAndPresets() {
        TrainConfig base;
        const auto plan = planComparison(base, {"gnn", "baseline", "mixup"}, 2, "/tmp/cmp");
        QCOMPARE(plan.size(), size_t(6));
        QCOMPARE(QString::fromStdString(plan[0].method), QString("baseline"));
        QCOMPARE(QString::fromStdString(plan[1].config.features_from),
                 QString("/tmp/cmp/baseline-seed0"));
        QCOMPARE(QString::fromStdString(plan[4].config.features_from),
                 QString("/tmp/cmp/baseline-seed1"));
        QVERIFY(plan[2].config.features_from.empty());  // mixup trains on images
        // Without a baseline in the list, a feature method trains its own first.
        QVERIFY(planComparison(base, {"reptile"}, 1, "/o")[0].config.features_from.empty());
        EXPECT_ERROR_MENTIONING(InputError, planComparison(base, {"mixup", "mixup"}, 1, "/o"),
                                "'mixup' is listed twice");
        QCOMPARE(findPreset("paper-table1").methods.size(), size_t(8));
        QCOMPARE(findPreset("paper-table2").config["gnn_classes"].get<int>(), 10);
        EXPECT_ERROR_MENTIONING(InputError, findPreset("table3"), "paper-table1", "paper-table2");
        QVERIFY(!TrainConfig::keyAffects("gnn_classes", "baseline"));
        QVERIFY(TrainConfig::keyAffects("gnn_classes", "gnn"));
        QVERIFY(TrainConfig::keyAffects("lr", "gnn"));
        QVERIFY(!TrainConfig::keyAffects("mix_alpha", "reptile"));
    }
};

QTEST_GUILESS_MAIN(TestMethods)
#include "test_methods.moc"
