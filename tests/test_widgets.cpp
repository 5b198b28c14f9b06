// The dataset browser and the augmentation preview on a small generated ImageFolder with one
// corrupt file: counts per split equal the protocol's draw, thumbnails arrive from the worker
// thread, the corrupt file is listed with its reason, and the preview's batch equals the
// engine's previewTrainingBatch (which test_batch_preview ties to a real Trainer). The pages'
// background work goes through LatestResult: only the newest request's result arrives.
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFormLayout>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QFileInfo>
#include <QTableWidget>
#include <QTranslator>
#include <qcustomplot.h>

#include <QtTest>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <opencv2/imgcodecs.hpp>

#include <nlohmann/json.hpp>
#include "augmentation_preview.h"
#include "core/train/augment_policy.h"
#include "core/config/config_table.h"
#include "core/run/batch_preview.h"
#include "core/train/feature_cache.h"
#include "core/methods/feature_methods.h"
#include "core/run/train_job.h"
#include "dataset_browser.h"
#include "engine_controller.h"
#include "experiment_form.h"
#include "finished_run.h"
#include "graph_view.h"
#include "imaging/dataset_factory.h"
#include "latest_result.h"
#include "left_out_text.h"
#include "results_view.h"
#include "run_details.h"
#include "thumbnail_model.h"
#include "training_charts.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

void writeFolder(const fs::path& root) {
    cv::RNG rng(3);
    for (const char* cls : {"ant", "bee", "cat"}) {
        fs::create_directories(root / cls);
        for (int i = 0; i < 6; ++i) {
            cv::Mat m(20, 24, CV_8UC3);
            rng.fill(m, cv::RNG::UNIFORM, 0, 255);
            QVERIFY(cv::imwrite((root / cls / ("img" + std::to_string(i) + ".png")).string(), m));
        }
    }
    std::ofstream(root / "cat" / "broken.png") << "not a png at all";
}

bool waitUntil(const std::function<bool()>& done, int ms = 60000) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms) QTest::qWait(20);
    return done();
}

// The symmetrised k-nearest-neighbour graph of the rows of x, counted by brute force in plain
// loops (double distances, a full sort per node): its undirected edge count, and the degrees.
int64_t bruteKnnEdges(const torch::Tensor& features, int k, std::vector<int>* degree = nullptr) {
    const auto x = features.to(torch::kFloat64).contiguous();
    const auto a = x.accessor<double, 2>();
    const int64_t n = x.size(0), d = x.size(1);
    std::vector<std::vector<bool>> near(size_t(n), std::vector<bool>(size_t(n), false));
    for (int64_t i = 0; i < n; ++i) {
        std::vector<std::pair<double, int64_t>> byDistance;
        for (int64_t j = 0; j < n; ++j) {
            if (j == i) continue;
            double s = 0;
            for (int64_t c = 0; c < d; ++c) s += (a[i][c] - a[j][c]) * (a[i][c] - a[j][c]);
            byDistance.emplace_back(std::sqrt(s), j);
        }
        std::sort(byDistance.begin(), byDistance.end());
        for (int m = 0; m < k; ++m) near[size_t(i)][size_t(byDistance[size_t(m)].second)] = true;
    }
    int64_t edges = 0;
    if (degree) degree->assign(size_t(n), 0);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = i + 1; j < n; ++j)
            if (near[size_t(i)][size_t(j)] || near[size_t(j)][size_t(i)]) {
                ++edges;
                if (degree) ++(*degree)[size_t(i)], ++(*degree)[size_t(j)];
            }
    return edges;
}

// `classes` clusters of images (cluster c around 3 x the c-th unit vector), train/val/test.
FeatureCache clusteredCache(int64_t classes, int64_t train, int64_t val, int64_t test,
                            double spread = 0.6) {
    auto split = [&](int64_t n) {
        LabelledFeatures f;
        f.y = torch::arange(n, torch::kInt64).remainder(classes);
        f.x = torch::randn({n, classes}) * spread +
              torch::one_hot(f.y, classes).to(torch::kFloat32) * 3.0;
        f.logits = torch::one_hot(f.y, classes).to(torch::kFloat32);
        f.logits[0][0] = -1.0;  // one wrong CNN prediction to ring
        return f;
    };
    return {split(train), split(val), split(test)};
}

using testhelp::writeFinishedRun;

// The German translation while it lives.
struct German {
    QTranslator translator;
    bool loaded = translator.load(FEWDATA_DE_QM);
    German() { QCoreApplication::installTranslator(&translator); }
    ~German() { QCoreApplication::removeTranslator(&translator); }
};

}  // namespace

class TestWidgets : public QObject {
    Q_OBJECT
private slots:
    void experimentFormOffersEveryKeyAndKeepsUntouchedValues() {
        ExperimentForm form;
        TrainConfig loaded;
        loaded.reptile_inner_lr = 1.23456789e-3;  // more digits than a spin box shows
        loaded.gnn_epochs = 7;
        loaded.take_all_available = true;
        loaded.gnn_normalization = "symmetric";
        form.setConfig(loaded);
        // Untouched, every key comes back exactly as loaded.
        QCOMPARE(form.config().toJson(), loaded.toJson());
        // Every key of the table has an editor: above, or under "More settings" by its name.
        int named = 0;
        for (const ConfigKey& k : configTable())
            for (QLabel* l : form.findChildren<QLabel*>())
                if (l->text() == QString::fromUtf8(k.key)) ++named;
        QCOMPARE(named, int(configTable().size()) - 15);  // 15 keys have fields of their own
        // An edited key is taken, as its editor says.
        for (QLabel* l : form.findChildren<QLabel*>()) {
            if (l->text() != "mix_alpha") continue;
            auto* rows = qobject_cast<QFormLayout*>(l->parentWidget()->layout());
            QVERIFY(rows);
            int row = -1;
            QFormLayout::ItemRole role;
            rows->getWidgetPosition(l, &row, &role);
            auto* spin = qobject_cast<QDoubleSpinBox*>(
                rows->itemAt(row, QFormLayout::FieldRole)->widget());
            QVERIFY(spin);
            QCOMPARE(spin->maximum(), findConfigKey("mix_alpha")->hi);
            spin->setValue(0.4);
        }
        const TrainConfig edited = form.config();
        QCOMPARE(edited.mix_alpha, 0.4);
        QCOMPARE(edited.reptile_inner_lr, 1.23456789e-3);
        QVERIFY(edited.take_all_available);

        // A preset sets its whole recipe; the paper's keeps the user's dataset.
        loaded.dataset = "/data/vipriors";
        form.setConfig(loaded);
        QVERIFY(form.applyPreset("paper-table1"));
        TrainConfig paper = form.config();
        QCOMPARE(paper.model, std::string("resnet50"));
        QCOMPARE(paper.schedule, std::string("step"));
        QCOMPARE(paper.batch_size, 256);
        QCOMPARE(paper.dataset, std::string("/data/vipriors"));
        QVERIFY(!paper.take_all_available);  // a preset key, over the loaded value
        QCOMPARE(paper.gnn_epochs, TrainConfig().gnn_epochs);  // not the loaded 7
        QVERIFY(form.applyPreset("fmnist-table1"));
        QCOMPARE(form.config().dataset, std::string("fashion-mnist"));
        QCOMPARE(form.config().epochs, 30);
        QVERIFY(!form.applyPreset("table9"));
    }

    void latestResultDeliversOnlyTheNewest() {
        std::atomic<bool> release{false}, firstCancelled{false};
        std::atomic<int> ran{0};
        QList<int> delivered;
        const auto record = [&](int v) { delivered << v; };
        const auto held = [&](int value) {
            return [&, value](const std::atomic<bool>* cancel) {
                ++ran;
                while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                if (value == 1) firstCancelled = cancel->load();
                return value;
            };
        };
        std::thread releaser;
        {
            LatestResult<int> job;
            QVERIFY(!job.busy());
            const auto first = job.request(held(1), record);
            for (int i = 2; i <= 5; ++i)
                job.request(
                    [&ran, i] {
                        ++ran;
                        return i;
                    },
                    record);
            QVERIFY(job.busy());
            QVERIFY(!job.isCurrent(first));
            release = true;
            QVERIFY(waitUntil([&] { return !job.busy(); }));
            // The first ran and was told it is stale; of those that waited only the newest ran.
            QCOMPARE(delivered, QList<int>({5}));
            QCOMPARE(ran.load(), 2);
            QVERIFY(firstCancelled.load());

            // invalidate() drops the running job's result; a later request still arrives.
            release = false;
            job.request(held(6), record);
            job.invalidate();
            QVERIFY(!job.busy());
            job.request([] { return 7; }, record);
            QVERIFY(job.busy());
            release = true;
            QVERIFY(waitUntil([&] { return !job.busy(); }));
            QCOMPARE(delivered, QList<int>({5, 7}));

            // A delivery may ask again at once.
            std::function<void(int)> chain = [&](int v) {
                delivered << v;
                if (v < 10) job.request([v] { return v + 1; }, chain);
            };
            job.request([] { return 8; }, chain);
            QVERIFY(waitUntil([&] { return !job.busy(); }));
            QCOMPARE(delivered, QList<int>({5, 7, 8, 9, 10}));

            // Destroyed while a job runs: it waits for it and delivers nothing.
            release = false;
            job.request(held(11), record);
            releaser = std::thread([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                release = true;
            });
        }
        releaser.join();
        QTest::qWait(100);
        QCOMPARE(delivered, QList<int>({5, 7, 8, 9, 10}));
    }

    void browserShowsTheDrawAndLazyThumbnails() {
        QTemporaryDir tmp;
        writeFolder(fs::path(tmp.path().toStdString()));
        DatasetBrowser browser;
        browser.resize(1000, 700);
        browser.show();
        QSignalSpy drawn(&browser, &DatasetBrowser::splitsDrawn);
        TrainConfig c;
        c.dataset = tmp.path().toStdString();
        c.per_class = 4;
        c.val_fraction = 0.25;
        c.seed = 2;
        c.image_size = 16;
        browser.setConfig(c);
        QVERIFY(drawn.wait(60000));
        auto data = browser.prepared();
        QVERIFY(data);
        ThumbnailModel* model = browser.model();
        QCOMPARE(model->rowCount(), 19);  // 18 images and the corrupt one

        // Per class: 3 train and 1 validation; the rest of the pool is the test split.
        const auto counts = model->countsPerClass();
        QCOMPARE(counts.size(), size_t(3));
        int train = 0, val = 0, test = 0;
        for (const auto& k : counts) {
            QCOMPARE(k.train, 3);
            QCOMPARE(k.val, 1);
            train += k.train;
            val += k.val;
            test += k.test;
        }
        QCOMPARE(int64_t(train), data->splits.train.images.size(0));
        QCOMPARE(int64_t(val), data->splits.val.images.size(0));
        QCOMPARE(int64_t(test), int64_t(data->splits.test.samples.size()));
        browser.filterSplit(int(SplitTag::Train));
        QCOMPARE(browser.visibleCount(), 9);
        browser.filterSplit(-1);
        browser.filterClass(2);
        QCOMPARE(browser.visibleCount(), 7);
        browser.filterClass(-1);

        // Nothing is decoded until asked; asking for every row decodes all that can be.
        for (int r = 0; r < model->rowCount(); ++r)
            model->data(model->index(r), Qt::DecorationRole);
        QVERIFY(waitUntil([&] { return model->pendingCount() == 0; }));
        QCOMPARE(model->decodedCount(), 18);
        // One corrupt file: listed once, however often the draw and the filters change; its
        // thumbnail is a broken-image mark (red), not the grey of one still coming.
        QCOMPARE(browser.unreadableCount(), 1);
        int brokenMarks = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            const QImage img = model->data(model->index(r), Qt::DecorationRole).value<QImage>();
            auto red = [&](int x, int y) {
                const QColor c = img.pixelColor(x, y);
                return c.red() > 150 && c.green() < 100 && c.blue() < 100;
            };
            const QColor between = img.pixelColor(img.width() / 2, img.height() / 4);
            // The frame and the cross in red, white between the cross's arms.
            brokenMarks += red(1, 1) && red(img.width() / 2, img.height() / 2) &&
                           between.red() > 240 && between.green() > 240 && between.blue() > 240;
        }
        QCOMPARE(brokenMarks, 1);
        for (int seed : {3, 4, 5}) {
            c.seed = seed;
            browser.setConfig(c);
            QVERIFY(drawn.wait(60000));
            browser.filterClass(seed % 3);
            browser.filterSplit(int(SplitTag::Test));
            for (int r = 0; r < model->rowCount(); ++r)
                model->data(model->index(r), Qt::DecorationRole);
            QVERIFY(waitUntil([&] { return model->pendingCount() == 0; }));
        }
        browser.filterClass(-1);
        browser.filterSplit(-1);
        QCOMPARE(browser.unreadableCount(), 1);
        // The details follow the selection: an image the filter hides leaves no stale details.
        const QModelIndex first = browser.view()->model()->index(0, 0);
        browser.view()->setCurrentIndex(first);
        const QString id = first.data(ThumbnailModel::IdRole).toString();
        QVERIFY2(browser.detailsText().contains(QFileInfo(id).fileName()),
                 qPrintable(browser.detailsText()));
        const QString other =
            browser.view()->model()->index(5, 0).data(ThumbnailModel::IdRole).toString();
        browser.filterIds({other}, "one image");
        QCOMPARE(browser.visibleCount(), 1);
        QVERIFY2(!browser.detailsText().contains(QFileInfo(id).fileName()),
                 qPrintable(browser.detailsText()));
        browser.filterIds({}, {});
        const QImage thumb = model->data(model->index(0), Qt::DecorationRole).value<QImage>();
        QVERIFY(!thumb.isNull());
        QVERIFY(thumb.width() >= 16);
    }

    void previewBatchIsTheEngines() {
        QTemporaryDir tmp;
        writeFolder(fs::path(tmp.path().toStdString()));
        DatasetBrowser browser;
        QSignalSpy drawn(&browser, &DatasetBrowser::splitsDrawn);
        TrainConfig c;
        c.dataset = tmp.path().toStdString();
        c.per_class = 5;
        c.val_fraction = 0.2;
        c.seed = 4;
        c.image_size = 16;
        browser.setConfig(c);
        QVERIFY(drawn.wait(60000));

        AugmentationPreview preview;
        QSignalSpy batchShown(&preview, &AugmentationPreview::batchShown);
        QSignalSpy pairShown(&preview, &AugmentationPreview::pairShown);
        TrainConfig form = c;
        form.method = "cutmix";
        form.batch_size = 4;
        preview.setConfig(form);
        preview.setData(browser.prepared());
        QVERIFY(waitUntil([&] { return !preview.busy() && batchShown.count() > 0; }));
        const auto& data = *browser.prepared();
        const BatchPreview expected = previewTrainingBatch(form, data.setup, data.splits.train, 0);
        QVERIFY(torch::equal(preview.batch().batch.images, expected.batch.images));
        QVERIFY(torch::equal(preview.batch().samples, expected.samples));
        QVERIFY(preview.batch().batch.mixed);

        preview.setPair(0, 5);
        preview.setLambda(0.3);
        pairShown.clear();
        QVERIFY(waitUntil([&] { return !preview.busy() && pairShown.count() > 0; }));
        QCOMPARE(preview.mixup().lambda, 0.3);
        const auto& cut = preview.cutmix();
        const double h = double(cut.images.size(2)), w = double(cut.images.size(3));
        QCOMPARE(cut.lambda, 1.0 - double(cut.box.area()) / (h * w));
        // The soft label puts the weights on the two images' classes and sums to one.
        const auto soft = softTargets(preview.mixup(), 3)[0];
        QVERIFY(std::abs(soft.sum().item<double>() - 1.0) < 1e-6);
        QVERIFY(
            std::abs(soft.max().item<double>() - (preview.mixup().labelsA[0].item<int64_t>() ==
                                                          preview.mixup().labelsB[0].item<int64_t>()
                                                      ? 1.0
                                                      : 0.7)) < 1e-6);

        // One op at a chosen bin of the form's policy's ranges: the engine's op on image A's
        // evaluation view (TrivialAugmentWide rotates up to 135 degrees at bin 30).
        QSignalSpy opShown(&preview, &AugmentationPreview::opShown);
        auto showOp = [&](const char* policy, const char* op, int bin) {
            form.augment_policy = policy;
            preview.setConfig(form);
            preview.setOp(op, bin);
            opShown.clear();
            return waitUntil([&] { return !preview.busy() && opShown.count() > 0; });
        };
        QVERIFY(showOp("trivialaugment", "Rotate", 30));
        QCOMPARE(preview.opMagnitude(), 135.0);
        const auto original = evalView(data.splits.train.images.narrow(0, 0, 1),
                                       trainAugmentOptions(data.config, data.setup));
        const auto rotated = applyAugmentOp(original, AugmentOp::Rotate,
                                            torch::full({1}, 135.0, torch::kFloat64));
        QVERIFY(torch::equal(preview.opView(), rotated));
        QVERIFY(!torch::equal(rotated, original));
        // RandAugment's ranges without a policy: Solarize at bin 30 inverts every pixel.
        QVERIFY(showOp("none", "Solarize", 30));
        QCOMPARE(preview.opMagnitude(), 0.0);
        QVERIFY(torch::equal(preview.opView(), 255 - original));
    }

    void graphViewCountsAreTheEngines() {
        // Three classes as three clusters in 6 dimensions: 12 train, 6 val, 30 test.
        torch::manual_seed(5);
        auto split = [](int64_t n) {
            LabelledFeatures f;
            f.y = torch::arange(n, torch::kInt64).remainder(3);
            f.x = torch::randn({n, 6}) * 0.6 + torch::one_hot(f.y, 6).to(torch::kFloat32) * 3.0;
            f.logits = torch::one_hot(f.y, 3).to(torch::kFloat32);
            f.logits[0][0] = -1.0;  // one wrong CNN prediction to ring
            return f;
        };
        FeatureCache cache{split(12), split(6), split(30)};
        QTemporaryDir tmp;
        saveFeatureCache(cache, tmp.filePath("features.pt").toStdString());

        GraphView view;
        QSignalSpy shown(&view, &GraphView::graphShown);
        view.setRunFolder(tmp.path());
        QVERIFY(shown.wait(60000));
        const auto x = torch::cat({cache.train.x, cache.val.x, cache.test.x});
        const auto y = torch::cat({cache.train.y, cache.val.y, cache.test.y});
        GraphStats engine;
        const auto a = similarityGraph(x, "row", &engine);
        QCOMPARE(view.nodeItems(), 48);
        QCOMPARE(view.graph()->stats.nodes, engine.nodes);
        QCOMPARE(view.graph()->stats.edges, engine.edges);
        QVERIFY(view.edgeItems() > 0 && view.edgeItems() <= engine.edges);
        QCOMPARE(view.graph()->predictions[0] != view.graph()->labels[0], true);
        // Same-class share from the engine's adjacency; clear clusters put it far above the
        // one in three of a graph that ignores the classes.
        const auto same = y.view({-1, 1}).eq(y.view({1, -1}));
        const double expected =
            a.gt(0).logical_and(same).sum().item<double>() / (2.0 * engine.edges);
        QVERIFY(std::abs(view.graph()->sameClassShare - expected) < 1e-9);
        QVERIFY(expected > 0.5);

        // A tighter threshold keeps fewer edges, again as the engine counts them.
        shown.clear();
        view.setThresholdScale(0.5);
        QVERIFY(shown.wait(60000));
        GraphStats tight;
        similarityGraph(x, "row", &tight, 0.5);
        QCOMPARE(view.graph()->stats.edges, tight.edges);
        QVERIFY(tight.edges < engine.edges);
    }

    void knnGraphLinksEachNodesNearest() {
        // Unstructured features: the edge count and every degree equal a brute-force count.
        torch::manual_seed(11);
        FeatureCache cache{{torch::randn({12, 5}), torch::zeros({12, 3}),
                            torch::arange(12, torch::kInt64).remainder(3)},
                           {torch::randn({6, 5}), torch::zeros({6, 3}),
                            torch::arange(6, torch::kInt64).remainder(3)},
                           {torch::randn({30, 5}), torch::zeros({30, 3}),
                            torch::arange(30, torch::kInt64).remainder(3)}};
        const auto x = torch::cat({cache.train.x, cache.val.x, cache.test.x});
        for (int k : {1, 3, 10}) {
            GraphRequest r;
            r.kind = GraphKind::Knn;
            r.k = k;
            const GraphData g = buildGraph(cache, r);
            std::vector<int> degree;
            const int64_t edges = bruteKnnEdges(x, k, &degree);
            QCOMPARE(g.kind, GraphKind::Knn);
            QCOMPARE(g.k, k);
            QCOMPARE(g.stats.nodes, int64_t(48));
            QCOMPARE(g.stats.edges, edges);
            QCOMPARE(g.stats.isolatedNodes, int64_t(0));
            QCOMPARE(g.degree, degree);
            for (int d : g.degree) QVERIFY(d >= k);
            QVERIFY(edges >= 48 * k / 2 && edges <= 48 * k);  // the counter itself is sane
        }
        // k beyond the nodes links every pair.
        GraphRequest all;
        all.kind = GraphKind::Knn;
        all.k = 100;
        all.testNodes = 2;
        QCOMPARE(buildGraph(cache, all).stats.edges, int64_t(20 * 19 / 2));

        // Two clusters far apart, 15 images each: with k below the cluster size every edge
        // joins one class, where the threshold graph at the mean distance does not.
        torch::manual_seed(12);
        const FeatureCache two = clusteredCache(2, 10, 4, 16, 0.3);
        GraphRequest r;
        r.kind = GraphKind::Knn;
        r.k = 5;
        const GraphData g = buildGraph(two, r);
        QCOMPARE(g.stats.edges, bruteKnnEdges(torch::cat({two.train.x, two.val.x, two.test.x}), 5));
        QCOMPARE(g.sameClassShare, 1.0);
        r.k = 20;  // beyond a cluster: some edges must cross
        QVERIFY(buildGraph(two, r).sameClassShare < 1.0);
    }

    void graphLegendNamesTheRunsClasses() {
        // Twelve classes: the tab10 colours (with their red) and two from the hue wheel.
        torch::manual_seed(13);
        const FeatureCache cache = clusteredCache(12, 24, 12, 24);
        QTemporaryDir tmp;
        saveFeatureCache(cache, tmp.filePath("features.pt").toStdString());
        QStringList names;
        for (int c = 0; c < 12; ++c) names << QString("kind-%1 & co").arg(c);
        {
            QFile manifest(tmp.filePath("manifest.json"));
            QVERIFY(manifest.open(QIODevice::WriteOnly));
            manifest.write(
                QJsonDocument(QJsonObject{{"classes", QJsonArray::fromStringList(names)}})
                    .toJson());
        }
        GraphView view;
        QSignalSpy shown(&view, &GraphView::graphShown);
        view.setRunFolder(tmp.path());
        QVERIFY(shown.wait(60000));
        QCOMPARE(view.legendClasses().size(), 12);
        QCOMPARE(view.legendClasses(), names);

        // The wrong-prediction ring is unlike every class fill (issue 18: a red fill beside a
        // red ring).
        const auto* canvas = view.findChild<GraphCanvas*>();
        QVERIFY(canvas);
        std::vector<QColor> fills, rings;
        for (QGraphicsItem* item : canvas->scene()->items())
            if (auto* e = dynamic_cast<QGraphicsEllipseItem*>(item)) {
                fills.push_back(e->brush().color());
                if (e->pen().style() != Qt::NoPen) rings.push_back(e->pen().color());
            }
        QCOMPARE(int(fills.size()), view.nodeItems());
        QVERIFY(!rings.empty());
        for (const QColor& ring : rings)
            for (const QColor& fill : fills) {
                const int gap = std::abs(ring.red() - fill.red()) +
                                std::abs(ring.green() - fill.green()) +
                                std::abs(ring.blue() - fill.blue());
                QVERIFY2(gap > 150, qPrintable(ring.name() + " ring on a " + fill.name()));
            }

        // Without a manifest the classes are numbered; the test box shows the 24 drawn.
        QFile::remove(tmp.filePath("manifest.json"));
        GraphView bare;
        QSignalSpy bareShown(&bare, &GraphView::graphShown);
        bare.setRunFolder(tmp.path());
        QVERIFY(bareShown.wait(60000));
        QCOMPARE(bare.legendClasses().size(), 12);
        QCOMPARE(bare.legendClasses().front(), QString("class 0"));
        QCOMPARE(bare.legendClasses().back(), QString("class 11"));
        QCOMPARE(bare.graph()->testNodes, int64_t(24));
        const auto* tests = bare.findChild<QSpinBox*>("testNodes");
        QVERIFY(tests);
        QCOMPARE(tests->value(), 24);

        // Past fifty classes the legend gives their number instead of an unreadable list.
        const FeatureCache many = clusteredCache(60, 60, 60, 60);
        QTemporaryDir manyDir;
        saveFeatureCache(many, manyDir.filePath("features.pt").toStdString());
        GraphView crowded;
        QSignalSpy crowdedShown(&crowded, &GraphView::graphShown);
        crowded.setRunFolder(manyDir.path());
        QVERIFY(crowdedShown.wait(60000));
        QVERIFY(crowded.legendClasses().isEmpty());
        bool counted = false;
        for (const QLabel* l : crowded.findChild<QWidget*>("graphLegend")->findChildren<QLabel*>())
            counted = counted || l->text().startsWith("60 classes");
        QVERIFY(counted);
    }

    void graphKindSwitchRebuildsAsKnn() {
        torch::manual_seed(5);
        const FeatureCache cache = clusteredCache(3, 12, 6, 30);
        QTemporaryDir tmp;
        saveFeatureCache(cache, tmp.filePath("features.pt").toStdString());
        const auto x = torch::cat({cache.train.x, cache.val.x, cache.test.x});

        GraphView view;
        QSignalSpy shown(&view, &GraphView::graphShown);
        view.setRunFolder(tmp.path());
        QVERIFY(shown.wait(60000));
        GraphStats engine;
        similarityGraph(x, "row", &engine);
        QCOMPARE(view.graph()->kind, GraphKind::Threshold);
        QCOMPARE(view.graph()->stats.edges, engine.edges);
        auto* kind = view.findChild<QComboBox*>("graphKind");
        auto* k = view.findChild<QSpinBox*>("knnK");
        QVERIFY(kind && k);
        QCOMPARE(kind->count(), 2);
        QVERIFY(!k->isVisibleTo(&view));  // k only for the k-nearest-neighbour graph

        shown.clear();
        kind->setCurrentIndex(1);
        QVERIFY(shown.wait(60000));
        QCOMPARE(view.graph()->kind, GraphKind::Knn);
        QVERIFY(k->isVisibleTo(&view));
        const int64_t knn10 = bruteKnnEdges(x, 10);
        QCOMPARE(view.graph()->stats.edges, knn10);
        QVERIFY(knn10 != engine.edges);
        QCOMPARE(view.edgeItems(), int(knn10));  // few enough to draw them all

        // A new k rebuilds once the box rests.
        shown.clear();
        k->setValue(3);
        QVERIFY(shown.wait(60000));
        QCOMPARE(view.graph()->stats.edges, bruteKnnEdges(x, 3));

        // Back to the threshold graph: the engine's edges again.
        shown.clear();
        kind->setCurrentIndex(0);
        QVERIFY(shown.wait(60000));
        QCOMPARE(view.graph()->stats.edges, engine.edges);
    }

    void resultsListRunsWithTheirConfusion() {
        QTemporaryDir tmp;
        TrainConfig c;
        c.per_class = 10;
        c.image_size = 16;
        c.epochs = 2;
        c.batch_size = 16;
        c.lr = 0.02;
        c.max_test_samples = 200;
        const RunResult r =
            TrainJob({c, tmp.filePath("runs/baseline-seed0").toStdString()}, openDataset)
                .run(nullptr, nullptr);
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("finished"));

        ResultsView view;
        QSignalSpy scanned(&view, &ResultsView::scanned);
        view.setFolder(tmp.filePath("runs"));
        QVERIFY(scanned.wait(60000));
        QCOMPARE(view.rowCount(), 1);
        QCOMPARE(view.runCount(), 1);
        std::unique_ptr<RunDetails> details(view.details(0));
        QVERIFY(details);
        const auto& perClass = details->perClass();
        QCOMPARE(perClass.size(), size_t(10));
        QCOMPARE(perClass[0].name, QString("T-shirt/top"));
        int64_t images = 0, right = 0;
        for (const auto& k : perClass) {
            QVERIFY(k.right <= k.images);
            images += k.images;
            right += k.right;
        }
        QCOMPARE(images, int64_t(200));
        QVERIFY(std::abs(100.0 * double(right) / double(images) - r.testAccuracy) < 1e-9);

        // A GNN run on that baseline's features: Table 2 gets its three lines (CNN, MLP, GNN).
        TrainConfig g = c;
        g.method = "gnn";
        g.features_from = tmp.filePath("runs/baseline-seed0").toStdString();
        g.gnn_epochs = 20;
        g.gnn_classes = 5;
        const RunResult gr =
            TrainJob({g, tmp.filePath("runs/gnn-seed0").toStdString()}, openDataset)
                .run(nullptr, nullptr);
        QCOMPARE(QString::fromStdString(statusName(gr.status)), QString("finished"));
        scanned.clear();
        view.setFolder(tmp.filePath("runs"));
        QVERIFY(scanned.wait(60000));
        QCOMPARE(view.runCount(), 2);
        QCOMPARE(view.table2RowCount(), 3);
        // Its confusion matrix covers the 5 simulated classes, named as the dataset names them.
        const RunScan scan = scanRuns(tmp.filePath("runs").toStdString());
        const auto gnnRun = std::find_if(scan.runs.begin(), scan.runs.end(),
                                         [](const RunRecord& x) { return x.method == "gnn"; });
        QVERIFY(gnnRun != scan.runs.end());
        QCOMPARE(gnnRun->testConfusionClasses.size(), size_t(5));
        const QStringList all = runClassNames(tmp.filePath("runs/baseline-seed0"), 10);
        RunDetails gnnDetails(*gnnRun);
        QCOMPARE(gnnDetails.perClass().size(), size_t(5));
        int64_t gnnImages = 0, gnnRight = 0;
        for (size_t i = 0; i < 5; ++i) {
            QCOMPARE(gnnDetails.perClass()[i].name, all[int(gnnRun->testConfusionClasses[i])]);
            gnnImages += gnnDetails.perClass()[i].images;
            gnnRight += gnnDetails.perClass()[i].right;
        }
        QVERIFY(std::abs(100.0 * double(gnnRight) / double(gnnImages) - gr.testAccuracy) < 1e-9);

        // The graph page on the baseline's folder: every node has its image for the hover card.
        GraphView graph;
        QSignalSpy shown(&graph, &GraphView::graphShown);
        graph.setRunFolder(tmp.filePath("runs/baseline-seed0"));
        QVERIFY(shown.wait(60000));
        QCOMPARE(graph.graph()->thumbnails.size(), size_t(graph.nodeItems()));
        for (const QImage& t : graph.graph()->thumbnails) QVERIFY(!t.isNull());

        // Export through the engine's exporters: files that parse, never overwritten.
        for (const char* format : {"csv", "md", "latex", "json"}) {
            const QString path = tmp.filePath(QString("table.%1").arg(format));
            QCOMPARE(view.exportTo(format, path), QString());
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray text = f.readAll();
            QVERIFY2(text.contains("baseline"), format);
            if (QString(format) == "json") {
                const auto j = nlohmann::json::parse(text.toStdString());
                QVERIFY(j.dump().find("baseline") != std::string::npos);
            }
            QVERIFY(!view.exportTo(format, path).isEmpty());  // the file exists: refused
        }
    }

    // The engine's reasons for leaving a run out, in German with their paths and messages kept;
    // in English (and for a form it does not know) the engine's text as written.
    void leftOutReasonsFollowTheLanguage() {
        const std::vector<std::string> reasons = {
            "unfinished: no result.json",
            "status 'cancelled': stopped by the user",
            "status 'failed'",
            "result.json has format 7; this version reads format 1",
            "same recipe and seed as /runs/baseline-seed0-a",
            "missing or ill-typed field: [json.exception.out_of_range.403] key 'seed' not found",
            "'/runs/x/result.json' does not exist",
            "'/runs/x/config.json' is not valid JSON: [json.exception.parse_error.101] oops",
            "'/runs/x/result.json' is a FIFO, not a file",
            "config.json: '/runs/x/config.json' is nested more than 64 levels deep",
            "something the engine says one day",
            "cannot read this folder (Permission denied); runs inside it, if any, are not in the "
            "table",
        };
        for (const std::string& r : reasons) QCOMPARE(leftOutText(r), QString::fromStdString(r));

        German de;
        QVERIFY(de.loaded);
        QCOMPARE(leftOutText(reasons[0]), QString("unvollständig: keine result.json"));
        QCOMPARE(leftOutText(reasons[1]), QString("Status 'cancelled': stopped by the user"));
        QCOMPARE(leftOutText(reasons[2]), QString("Status 'failed'"));
        QCOMPARE(leftOutText(reasons[3]),
                 QString("result.json hat Format 7; diese Version liest Format 1"));
        QCOMPARE(leftOutText(reasons[4]),
                 QString("dasselbe Rezept und derselbe Seed wie /runs/baseline-seed0-a"));
        QVERIFY(leftOutText(reasons[5]).startsWith("fehlendes oder falsch typisiertes Feld: "
                                                   "[json.exception.out_of_range.403]"));
        QCOMPARE(leftOutText(reasons[6]), QString("'/runs/x/result.json' existiert nicht"));
        QCOMPARE(leftOutText(reasons[7]),
                 QString("'/runs/x/config.json' ist kein gültiges JSON: "
                         "[json.exception.parse_error.101] oops"));
        QCOMPARE(leftOutText(reasons[8]), QString("'/runs/x/result.json' ist ein FIFO, keine Datei"));
        QCOMPARE(leftOutText(reasons[9]),
                 QString("config.json: '/runs/x/config.json' ist tiefer als 64 Ebenen verschachtelt"));
        QCOMPARE(leftOutText(reasons[10]), QString::fromStdString(reasons[10]));
        QCOMPARE(leftOutText(reasons[11]),
                 QString("Ordner nicht lesbar (Permission denied); Läufe darin, falls es welche "
                         "gibt, fehlen in der Tabelle"));

        // The Results page lists them so.
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeFinishedRun(root / "baseline-seed0", "baseline", 0, 50);
        fs::create_directories(root / "baseline-seed1");
        std::ofstream(root / "baseline-seed1" / "config.json") << TrainConfig().toJson();
        writeFinishedRun(root / "baseline-seed2", "baseline", 2, 50);
        std::ofstream(root / "baseline-seed2" / "result.json")
            << nlohmann::json{{"format", 1}, {"status", "cancelled"}, {"message", "by hand"}};
        ResultsView view;
        QSignalSpy scanned(&view, &ResultsView::scanned);
        view.setFolder(tmp.path());
        QVERIFY(scanned.wait(60000));
        QString left;
        for (QLabel* l : view.findChildren<QLabel*>())
            if (l->text().startsWith("Nicht in den Tabellen:")) left = l->text();
        QVERIFY2(left.contains(tmp.filePath("baseline-seed1") + ": unvollständig: keine result.json"),
                 qPrintable(left));
        QVERIFY2(left.contains(tmp.filePath("baseline-seed2") + ": Status 'cancelled': by hand"),
                 qPrintable(left));
    }

    // A folder made by compare --ablate: the Ablation tab pairs the change with the reference
    // seed by seed, and the page's export carries the same table.
    void anAblationFolderHasItsTab() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const nlohmann::json ema = {{"ema_decay", 0.99}};
        for (int s = 0; s < 3; ++s) {
            const std::string run = "baseline-seed" + std::to_string(s);
            writeFinishedRun(root / "reference" / run, "baseline", s, 70 + s);
            writeFinishedRun(root / "ema_decay=0.99" / run, "baseline", s, 72 + 2 * s, 50, ema);
        }
        ResultsView view;
        QSignalSpy scanned(&view, &ResultsView::scanned);
        auto* table = view.findChild<QTableWidget*>("ablationTable");
        QVERIFY(table);
        view.setFolder(tmp.path());
        QVERIFY(scanned.wait(60000));
        QCOMPARE(view.ablationRowCount(), 0);  // no ablation.json: two recipes, no pairing
        std::ofstream(root / "ablation.json")
            << nlohmann::json{{"format", 1},
                              {"reference", "reference"},
                              {"variants", {{{"changes", ema}, {"folder", "ema_decay=0.99"}}}}};
        scanned.clear();
        view.setFolder(tmp.path());
        QVERIFY(scanned.wait(60000));
        QCOMPARE(view.ablationRowCount(), 2);
        QCOMPARE(table->item(0, 3)->text(), QString("reference: ema_decay=0.0"));
        QCOMPARE(table->item(1, 3)->text(), QString("ema_decay=0.99"));
        QCOMPARE(table->item(1, 5)->text(), QString("74.00"));  // 72, 74, 76
        QCOMPARE(table->item(1, 7)->text(), QString("3.00"));  // +2, +3, +4 over 70, 71, 72
        QVERIFY(table->item(1, 8)->text().startsWith("["));
        const QString md = tmp.filePath("table.md");
        QCOMPARE(view.exportTo("md", md), QString());
        QFile f(md);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY2(text.contains("Ablation: each change against the reference recipe") &&
                     text.contains("| ema_decay=0.99 | 3 | 74.00 ± 2.00 | +3.00"),
                 qPrintable(text));
    }

    // A rerun of a seed (same method, seed and recipe) is left out of the tables: the Runs tab
    // still lists it, greyed, naming the run the tables use, and that run says it has one.
    void aRerunIsListedBesideTheRunTheTablesUse() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeFinishedRun(root / "baseline-seed0-a", "baseline", 0, 50);
        writeFinishedRun(root / "baseline-seed0-b", "baseline", 0, 60);
        writeFinishedRun(root / "baseline-seed1-a", "baseline", 1, 55);
        ResultsView view;
        QSignalSpy scanned(&view, &ResultsView::scanned);
        view.setFolder(tmp.path());
        QVERIFY(scanned.wait(60000));
        QCOMPARE(view.rowCount(), 1);
        QCOMPARE(view.runCount(), 3);
        QStringList names, notes;
        QList<bool> counted;
        for (int row = 0; row < view.runCount(); ++row) {
            names << QFileInfo(QString::fromStdString(view.runRecord(row).dir)).fileName();
            notes << view.runNote(row);
            counted << view.inTables(row);
        }
        QCOMPARE(names, QStringList({"baseline-seed0-a", "baseline-seed0-b", "baseline-seed1-a"}));
        QCOMPARE(counted, QList<bool>({true, false, true}));
        QCOMPARE(notes[0], QString("in the tables; 1 rerun(s) of it left out"));
        QCOMPARE(notes[1],
                 QString("not in the tables: the same method, seed and recipe as baseline-seed0-a"));
        QVERIFY(notes[2].isEmpty());
        QCOMPARE(view.runRecord(1).testAccuracy, 60.0);
        // Greyed, and its details open like any run's.
        QTableWidget* runs = nullptr;
        for (QTableWidget* t : view.findChildren<QTableWidget*>())
            if (t->columnCount() == 11) runs = t;
        QVERIFY(runs);
        QCOMPARE(runs->item(1, 0)->foreground().color(),
                 QApplication::palette().color(QPalette::Disabled, QPalette::Text));
        QVERIFY(runs->item(0, 0)->foreground().style() == Qt::NoBrush);
        std::unique_ptr<RunDetails> details(view.details(1));
        QVERIFY(details);
    }

    void chartsShowAShortRunFromItsFirstEpoch() {
        TrainingCharts charts;
        charts.resize(900, 600);
        // Before any run: the accuracy axis spans 0-100, the learning rate starts at 0.
        QCOMPARE(charts.accuracyPlot()->yAxis->range().lower, 0.0);
        QCOMPARE(charts.accuracyPlot()->yAxis->range().upper, 100.0);
        charts.beginRun("mixup s4", 2);
        EpochMetrics m;
        m.epoch = 1;
        m.trainLoss = 2.4;
        m.valLoss = 168.0;  // a first epoch's BatchNorm statistics
        m.trainAccuracy = 12;
        m.valAccuracy = 10;
        m.lr = 0.05;
        m.best = true;
        charts.addEpoch(m);
        // One point is drawn as a marker, inside sensible ranges.
        QVERIFY(charts.trainLossGraph(0)->scatterStyle().shape() != QCPScatterStyle::ssNone);
        QCOMPARE(charts.epochPoints(0), 1);
        for (QCustomPlot* p : {charts.lossPlot(), charts.accuracyPlot(), charts.lrPlot()}) {
            QCOMPARE(p->xAxis->range().lower, 0.0);
            QCOMPARE(p->xAxis->range().upper, 1.5);
        }
        const QCPRange acc = charts.accuracyPlot()->yAxis->range();
        QVERIFY(acc.lower == 0 && acc.upper >= 20 && acc.upper <= 100);
        const QCPRange lr = charts.lrPlot()->yAxis->range();
        QVERIFY2(lr.lower == 0 && lr.contains(0.05) && lr.upper < 0.1,
                 qPrintable(QString("%1 %2").arg(lr.lower).arg(lr.upper)));
        const QCPRange loss = charts.lossPlot()->yAxis->range();
        QVERIFY(loss.contains(2.4) && loss.contains(168.0) && loss.lower > 0);
        m.epoch = 2;
        m.valLoss = 2.1;
        m.valAccuracy = 55;
        charts.addEpoch(m);
        QCOMPARE(charts.epochPoints(0), 2);
        QCOMPARE(charts.accuracyPlot()->xAxis->range().upper, 2.5);
        QVERIFY(charts.accuracyPlot()->yAxis->range().contains(55));
        // The same method and seed again: another label, in the list beside the charts.
        charts.endRun();
        charts.beginRun("mixup s4", 2);
        const QStringList labels = charts.runLabels();
        QCOMPARE(labels.size(), 2);
        QVERIFY(labels[0] != labels[1]);
        QVERIFY(labels[1].startsWith("mixup s4 "));
        // The style keys are the legend; the runs' graphs are not in it.
        QCOMPARE(charts.lossPlot()->legend->itemCount(), 3);
        // Hidden, then cleared: the running run stays.
        charts.setRunVisible(0, false);
        QVERIFY(!charts.trainLossGraph(0)->visible());
        QVERIFY(!charts.runVisible(0) && charts.runVisible(1));
        charts.clearFinished();
        QCOMPARE(charts.runCount(), 1);
        QCOMPARE(charts.runLabels().front(), labels[1]);
        charts.endRun();
        charts.clearFinished();
        QCOMPARE(charts.runCount(), 0);
        // A run that ended without a point (a study's kept cell) leaves no entry.
        charts.beginRun("kept", 1);
        charts.endRun();
        QCOMPARE(charts.runCount(), 0);
        QCOMPARE(charts.lossPlot()->graphCount(), 3);  // the style keys alone
    }

    void chartsGainPointsFromARun() {
        QTemporaryDir tmp;
        EngineController controller;
        TrainingCharts charts;
        QObject::connect(&controller, &EngineController::batchProgress, &charts,
                         &TrainingCharts::addBatch);
        QObject::connect(&controller, &EngineController::epochFinished, &charts,
                         &TrainingCharts::addEpoch);
        QSignalSpy progress(&controller, &EngineController::batchProgress);
        QSignalSpy finished(&controller, &EngineController::runFinished);
        TrainConfig c;
        c.per_class = 10;
        c.image_size = 16;
        c.epochs = 3;
        c.batch_size = 16;
        c.max_test_samples = 100;
        charts.beginRun("baseline s0", 1);
        QVERIFY(controller.start(c, tmp.filePath("run")));
        QVERIFY(finished.wait(300000));
        QVERIFY(progress.count() >= 3);  // at least the first batch of every epoch
        QCOMPARE(charts.epochPoints(0), 3);
        QCOMPARE(charts.batchPoints(0), int(progress.count()));
        charts.beginRun("second", 1);
        QCOMPARE(charts.runCount(), 2);
        QCOMPARE(charts.epochPoints(1), 0);
    }
};

QTEST_MAIN(TestWidgets)
#include "test_widgets.moc"
