// The study's views on folders whose figures are known: the plots' series and points (window
// and command line), and the run details' gallery of a confusion cell and of the hardest
// training images, clicked as a user would.
#include <qcustomplot.h>

#include <QListWidget>
#include <QPushButton>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/base/errors.h"
#include "core/config/config.h"
#include "core/config/recipe.h"
#include "core/run/run_folder.h"
#include "core/run/study.h"
#include "core/results/results.h"
#include "core/run/predictions_file.h"
#include "dataset_browser.h"
#include "run_details.h"
#include "sample_gallery.h"
#include "study_page.h"
#include "study_plot_view.h"
#include "study_plots.h"
#include "finished_run.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

void writeRun(const fs::path& dir, const std::string& method, int seed, int perClass,
              double test) {
    testhelp::writeFinishedRun(dir, method, seed, test, perClass);
}

// Three methods x K 5 and 20 x 3 seeds; mixup is 5 points above the baseline in every seed.
void writeGrid(const fs::path& root) {
    for (int k : {5, 20})
        for (int seed = 0; seed < 3; ++seed) {
            const double base = 40.0 + k + seed;
            const std::string tail = "-k" + std::to_string(k) + "-seed" + std::to_string(seed);
            writeRun(root / ("baseline" + tail), "baseline", seed, k, base);
            writeRun(root / ("mixup" + tail), "mixup", seed, k, base + 5.0);
            writeRun(root / ("cutmix" + tail), "cutmix", seed, k, base - 1.0 + 2.0 * (seed % 2));
        }
}

std::vector<MethodRow> rowsOf(const fs::path& root) {
    return aggregate(scanRuns(root.string()).runs);
}

int legendItems(const QCustomPlot& plot) {
    return plot.legend->itemCount();
}

}  // namespace

class TestStudyViews : public QObject {
    Q_OBJECT
private slots:
    void methodsPlotOfAKnownFolder() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeGrid(root);
        QCustomPlot plot;
        plot.resize(800, 500);
        const auto rows = rowsOf(root);
        QCOMPARE(rows.size(), size_t(6));
        const PlotContent c = drawMethodsPlot(plot, rows);
        QCOMPARE(c.series, 1);
        QCOMPARE(c.points, 6);
        // The dots, one baseline line per K; no difference survives Holm with 3 seeds
        // (the exact sign-flip test's smallest p is 0.25), so nothing is marked.
        QCOMPARE(plot.graphCount(), 1 + 2);
        QCOMPARE(plot.graph(0)->data()->size(), 6);
        QCOMPARE(legendItems(plot), 2);
        // Each baseline line sits at the baseline's mean of its K: (45 + 46 + 47) / 3 at K 5,
        // 61 at K 20.
        const std::set<double> lines = {plot.graph(1)->data()->at(0)->value,
                                        plot.graph(2)->data()->at(0)->value};
        QVERIFY(lines == std::set<double>({46.0, 61.0}));
        auto* bars = qobject_cast<QCPErrorBars*>(plot.plottable(1));
        QVERIFY(bars);
        QCOMPARE(bars->dataCount(), 6);
        // The interval's half width of three values 1 apart: t(0.975, 2) x 1 / sqrt 3.
        QVERIFY(std::abs(bars->data()->at(0).errorPlus - 4.302653 / std::sqrt(3.0)) < 1e-4);
    }

    void significantDifferencesAreMarked() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        // Six seeds, always 5 points better: exact sign-flip p = 2 / 64 < 0.05, one method.
        for (int seed = 0; seed < 6; ++seed) {
            writeRun(root / ("baseline-seed" + std::to_string(seed)), "baseline", seed, 50,
                     70.0 + seed);
            writeRun(root / ("mixup-seed" + std::to_string(seed)), "mixup", seed, 50, 75.0 + seed);
        }
        QCustomPlot plot;
        drawMethodsPlot(plot, rowsOf(root));
        QCOMPARE(plot.graphCount(), 3);  // dots, baseline, the mark
        QCOMPARE(plot.graph(2)->data()->size(), 1);
        QCOMPARE(plot.graph(2)->data()->at(0)->key, 2.0);  // mixup's place
    }

    void learningCurvesOfAKnownFolder() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeGrid(root);
        QCustomPlot plot;
        const PlotContent c = drawStudyPlot(plot, StudyPlotKind::LearningCurve, rowsOf(root));
        QCOMPARE(c.series, 3);
        QCOMPARE(c.points, 6);
        // Each curve: its line and the two edges of its band; only the lines in the legend.
        QCOMPARE(plot.graphCount(), 9);
        QCOMPARE(legendItems(plot), 3);
        QCOMPARE(plot.xAxis->scaleType(), QCPAxis::stLogarithmic);
        int lines = 0;
        for (int i = 0; i < plot.graphCount(); ++i)
            if (plot.graph(i)->pen().style() != Qt::NoPen) {
                ++lines;
                QCOMPARE(plot.graph(i)->data()->size(), 2);
                QCOMPARE(plot.graph(i)->data()->at(0)->key, 5.0);
                QCOMPARE(plot.graph(i)->data()->at(1)->key, 20.0);
            }
        QCOMPARE(lines, 3);
        // One K: no curve, and the plot says why.
        QTemporaryDir one;
        writeRun(fs::path(one.path().toStdString()) / "baseline-seed0", "baseline", 0, 50, 70);
        QCOMPARE(drawLearningCurves(plot, learningCurves(rowsOf(one.path().toStdString()))).points,
                 0);
        QCOMPARE(plot.graphCount(), 0);
    }

    void plotViewPicksTheFigureAndSaves() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeGrid(root);
        StudyPlotView view;
        view.resize(700, 480);
        view.setRows(rowsOf(root));
        QCOMPARE(view.kind(), StudyPlotKind::LearningCurve);  // a K grid opens on its curves
        view.setKind(StudyPlotKind::Methods);
        QCOMPARE(view.content().points, 6);
        const QString png = tmp.filePath("methods.png");
        QCOMPARE(view.saveTo(png), QString());
        QVERIFY(QImage(png).width() > 100);
        const QString pdf = tmp.filePath("methods.pdf");
        QCOMPARE(view.saveTo(pdf), QString());
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.read(5) == "%PDF-");
        QVERIFY(view.saveTo(png).contains("exists"));  // never overwritten
        QVERIFY(view.saveTo(tmp.filePath("methods.svg")).contains(".png or .pdf"));
    }

    void plotCommandDrawsWithoutADisplay() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "study";
        writeGrid(root);
        auto cli = [](const QStringList& args, QString* out = nullptr) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(qEnvironmentVariable("FEWDATA_CLI"), args);
            p.waitForFinished(120000);
            if (out) *out = QString::fromUtf8(p.readAll());
            return p.exitCode();
        };
        QString out;
        const QString file = tmp.filePath("curve.pdf");
        QCOMPARE(cli({"plot", QString::fromStdString(root.string()), "--kind", "learning-curve",
                      "--output", file},
                     &out),
                 0);
        QVERIFY2(out.contains("3 series, 6 points, 18 runs"), qPrintable(out));
        QVERIFY(QFileInfo(file).size() > 1000);
        QCOMPARE(cli({"plot", QString::fromStdString(root.string()), "--output", file}), 2);
        QCOMPARE(cli({"plot", QString::fromStdString(root.string()), "--kind", "bars", "--output",
                      tmp.filePath("x.png")},
                     &out),
                 2);
        QVERIFY(out.contains("bars"));
    }

    void studyPlanIsRecordedExtendedOrRefused() {
        QTemporaryDir tmp;
        const std::string out = tmp.filePath("study").toStdString();
        StudySpec a;
        a.methods = {"baseline", "mixup"};
        a.seeds = 2;
        a.perClass = {5, 10};
        a.base.per_class = 5;
        QCOMPARE(recordStudySpec(out, a).methods.size(), size_t(2));
        // More methods, seeds and K of the same recipe (threads aside): the union.
        StudySpec b = a;
        b.methods = {"cutmix"};
        b.seeds = 3;
        b.perClass = {20};
        b.base.threads = 1;
        const StudySpec merged = recordStudySpec(out, b);
        QVERIFY(merged.methods == std::vector<std::string>({"baseline", "mixup", "cutmix"}));
        QVERIFY(merged.perClass == std::vector<int>({5, 10, 20}));
        QCOMPARE(merged.seeds, 3);
        QCOMPARE(readStudySpec(out)->methods.size(), size_t(3));
        // Another recipe: refused, naming the key; the file stays as it was.
        StudySpec c = a;
        c.base.epochs = 7;
        EXPECT_ERROR_MENTIONING(InputError, recordStudySpec(out, c), "plan.json",
                                "another recipe", "epochs");
        QCOMPARE(readStudySpec(out)->methods.size(), size_t(3));
        // A key of a method the study does not hold changes none of its runs...
        StudySpec d = a;
        d.base.gnn_graph = "knn";
        QCOMPARE(recordStudySpec(out, d).methods.size(), size_t(3));
        // ...but it does once the study would train that method.
        d.methods = {"gnn"};
        EXPECT_ERROR_MENTIONING(InputError, recordStudySpec(out, d), "another recipe", "gnn_graph");
        QCOMPARE(readStudySpec(out)->methods.size(), size_t(3));
        // A plan-only request leaves an existing plan alone.
        QCOMPARE(recordStudySpec(out, b, /*extend=*/false).methods.size(), size_t(3));
        // A damaged plan is named, not replaced.
        std::ofstream(fs::path(out) / "plan.json") << "{ broken";
        EXPECT_ERROR_MENTIONING(InputError, recordStudySpec(out, a), "plan.json", "not valid JSON");
    }

    // A study whose feature method reads another study's image stage (a tune's trial folder):
    // plan.json keeps the folder relative, format 2; the plan, the refusal of another folder
    // and the page reopening it all follow it.
    void aStudyReadsAnotherStudysFeatures() {
        QTemporaryDir tmp;
        const std::string trial = tmp.filePath("tune/rung-0/trial-1").toStdString();
        StudySpec s;
        s.methods = {"gnn"};
        s.seeds = 2;
        s.base.method = "gnn";
        s.featuresStudy = "../../features";
        recordStudySpec(trial, s);
        const nlohmann::json stored =
            nlohmann::json::parse(std::ifstream(fs::path(trial) / "plan.json"), nullptr, false);
        QCOMPARE(stored["format"].get<int>(), 2);
        QCOMPARE(stored["features_study"].get<std::string>(), std::string("../../features"));
        const auto plan = planStudy(*readStudySpec(trial), trial);
        QCOMPARE(plan.size(), size_t(2));
        for (const PlannedRun& r : plan)
            QCOMPARE(QString::fromStdString(r.config.features_from),
                     tmp.filePath("tune/features/baseline-seed" + QString::number(r.seed)));
        // Without the folder, or with another one, it is another study.
        StudySpec other = s;
        other.featuresStudy.clear();
        EXPECT_ERROR_MENTIONING(InputError, recordStudySpec(trial, other), "features_study");
        // A plain study is written as before.
        const std::string plain = tmp.filePath("plain").toStdString();
        recordStudySpec(plain, other);
        QVERIFY(readStudySpec(plain)->featuresStudy.empty());
        QCOMPARE(nlohmann::json::parse(std::ifstream(fs::path(plain) / "plan.json"))["format"]
                     .get<int>(),
                 1);
        // The Study page reopens it with the same runs, and its Start would record the same plan.
        StudyPage page;
        QSignalSpy opened(&page, &StudyPage::opened);
        page.openFolder(QString::fromStdString(trial));
        QVERIFY(opened.wait(10000));
        QCOMPARE(page.plan().size(), plan.size());
        for (size_t i = 0; i < plan.size(); ++i)
            QCOMPARE(page.plan()[i].config.features_from, plan[i].config.features_from);
        QCOMPARE(page.spec().featuresStudy, s.featuresStudy);
        QVERIFY(checkStudySpec(trial, page.spec()).has_value());
    }

    void studyPagePlansAsTheCommandLine() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("study");
        StudyPage page;
        page.setBaseConfig(TrainConfig());
        page.setMethods({"baseline", "mixup", "gnn"});
        page.setPerClassText("5,10");
        page.setSeeds(2);
        page.setOutDir(out);
        const auto plan = page.plan();
        QCOMPARE(plan.size(), size_t(3 * 2 * 2));
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(qEnvironmentVariable("FEWDATA_CLI"),
                {"compare", "--methods", "baseline,mixup,gnn", "--per-class", "5,10", "--seeds",
                 "2", "--out", out, "--plan-only"});
        QVERIFY(p.waitForFinished(120000));
        const QString text = QString::fromUtf8(p.readAll());
        QCOMPARE(p.exitCode(), 0);
        const QStringList lines = text.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), int(plan.size()));
        for (size_t i = 0; i < plan.size(); ++i) {
            const QStringList f = lines[int(i)].split('\t');
            QCOMPARE(f.size(), 6);
            QCOMPARE(f[1], QString::fromStdString(plan[i].method));
            QCOMPARE(f[2].toInt(), plan[i].perClass);
            QCOMPARE(f[3].toInt(), plan[i].seed);
            QCOMPARE(f[4], QString("pending"));
            QCOMPARE(f[5], QString::fromStdString(plan[i].dir));
        }
        // The CLI's plan.json reopens as the same plan, recipes and all.
        const auto stored = readStudySpec(out.toStdString());
        QVERIFY(stored.has_value());
        const auto cliPlan = planStudy(*stored, out.toStdString());
        QCOMPARE(cliPlan.size(), plan.size());
        for (size_t i = 0; i < plan.size(); ++i) {
            QCOMPARE(QString::fromStdString(cliPlan[i].dir), QString::fromStdString(plan[i].dir));
            QVERIFY2(recipeOf(cliPlan[i].config) == recipeOf(plan[i].config),
                     qPrintable(QString::fromStdString(plan[i].dir)));
            QCOMPARE(QString::fromStdString(cliPlan[i].config.features_from),
                     QString::fromStdString(plan[i].config.features_from));
        }
        StudyPage reopened;
        QSignalSpy opened(&reopened, &StudyPage::opened);
        reopened.openFolder(out);
        QVERIFY(opened.wait(10000));
        QCOMPARE(reopened.plan().size(), plan.size());
        QSignalSpy shown(&reopened, &StudyPage::planShown);
        QVERIFY(shown.wait(20000));
        QCOMPARE(reopened.cellState(0), QString("pending"));
        QVERIFY2(reopened.summary().contains("12"), qPrintable(reopened.summary()));
        // status reads the same plan and each folder's state: done, running (a live lock, even
        // while it only decodes), failed, interrupted, and pending (a claim a killed run left).
        testhelp::writeFinishedRun(plan[0].dir, plan[0].method, plan[0].seed, 50, plan[0].perClass);
        const std::unique_ptr<RunFolder> live = std::make_unique<RunFolder>(plan[1].dir);
        testhelp::writeFinishedRun(plan[2].dir, plan[2].method, plan[2].seed, 50, plan[2].perClass);
        {
            nlohmann::json failed = {{"format", 1}, {"status", "failed"}, {"message", "diverged"}};
            std::ofstream(fs::path(plan[2].dir) / "result.json") << failed;
        }
        fs::create_directories(plan[3].dir);
        std::ofstream(fs::path(plan[3].dir) / "config.json") << plan[3].config.toJson();
        fs::create_directories(plan[4].dir);
        std::ofstream(fs::path(plan[4].dir) / RunFolder::kClaimMarker).flush();
        p.start(qEnvironmentVariable("FEWDATA_CLI"), {"status", out});
        QVERIFY(p.waitForFinished(60000));
        const QStringList status = QString::fromUtf8(p.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(status.size(), int(plan.size()) + 1);
        QCOMPARE(status[0], QString("%1: %2 runs: 1 done, 1 running, 1 failed, %3 pending, 1 "
                                    "interrupted")
                                .arg(out)
                                .arg(plan.size())
                                .arg(plan.size() - 4));
        const QStringList expected = {"done", "running", "failed", "interrupted", "pending"};
        for (int i = 0; i < expected.size(); ++i)
            QCOMPARE(status[i + 1].split('\t')[4], expected[i]);
        p.start(qEnvironmentVariable("FEWDATA_CLI"), {"status", tmp.filePath("nowhere")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAll()).contains("has no plan.json"));

        // Bad input named: a K list that does not parse, no method.
        page.setPerClassText("5,x");
        QVERIFY(page.plan().empty());
        QVERIFY2(page.message().contains("'x'"), qPrintable(page.message()));
        page.setPerClassText("5");
        page.setMethods({});
        QVERIFY(page.message().contains("method"));
    }

    void aClickedCellListsItsImagesInConfidenceOrder() {
        QTemporaryDir tmp;
        const fs::path run = fs::path(tmp.path().toStdString()) / "run";
        fs::create_directories(run);
        std::ofstream(run / "config.json") << TrainConfig().toJson();
        // Three classes; the test images of Fashion-MNIST by index, with known predictions.
        Predictions p;
        auto add = [](SplitPredictions& s, int64_t row, int64_t t, int64_t pr, float pp, float pt) {
            s.rows.push_back(row);
            s.truth.push_back(t);
            s.predicted.push_back(pr);
            s.pPredicted.push_back(pp);
            s.pTrue.push_back(pt);
        };
        add(p.test, 0, 1, 2, 0.6f, 0.3f);
        add(p.test, 1, 1, 2, 0.9f, 0.05f);
        add(p.test, 2, 1, 1, 0.8f, 0.8f);
        add(p.test, 3, 1, 2, 0.7f, 0.2f);
        add(p.test, 4, 0, 0, 0.5f, 0.5f);
        add(p.test, 5, 0, 0, 0.4f, 0.4f);
        add(p.train, 0, 2, 0, 0.95f, 0.01f);
        add(p.train, 1, 2, 2, 0.9f, 0.9f);
        add(p.val, 0, 0, 1, 0.55f, 0.2f);
        SplitIds ids;
        for (int i = 0; i < 6; ++i) ids.test.push_back("test/" + std::to_string(i));
        ids.train = {"train/0", "train/1"};
        ids.val = {"train/2"};
        std::ofstream(run / kPredictionsFile) << predictionsCsv(p, ids, {"T-shirt", "Trouser", "Pullover"});
        RunRecord r;
        r.dir = run.string();
        r.method = "baseline";
        r.testConfusion = {{2, 0, 0}, {0, 1, 3}, {0, 0, 0}};
        RunDetails details(r);
        details.resize(1000, 760);
        details.show();
        QVERIFY(QTest::qWaitForWindowExposed(&details));
        if (!details.predictionsReady()) {
            QSignalSpy loaded(&details, &RunDetails::predictionsLoaded);
            QVERIFY(loaded.wait(10000));
        }
        // Click the cell true Trouser (row 1), predicted Pullover (column 2).
        QCustomPlot* plot = details.confusionPlot();
        QVERIFY(plot);
        plot->replot();
        const QPoint cell(int(plot->xAxis->coordToPixel(2)), int(plot->yAxis->coordToPixel(3 - 1 - 1)));
        QSignalSpy thumbs(details.cellGallery(), &SampleGallery::thumbnailsShown);
        QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, cell);
        const auto& shown = details.cellGallery()->samples();
        QCOMPARE(shown.size(), size_t(3));
        QCOMPARE(QString::fromStdString(shown[0].id), QString("test/1"));  // 0.9, surest first
        QCOMPARE(QString::fromStdString(shown[1].id), QString("test/3"));
        QCOMPARE(QString::fromStdString(shown[2].id), QString("test/0"));
        QCOMPARE(details.cellGallery()->shown(), 3);
        QVERIFY(details.cellGallery()->list()->item(0)->text().contains("Trouser → Pullover"));
        // The images come from the dataset, decoded in the background.
        QTRY_COMPARE_WITH_TIMEOUT(details.cellGallery()->imagesShown(), 3, 30000);
        // The diagonal: the least sure correct ones first.
        details.showCell(0, 0);
        QCOMPARE(QString::fromStdString(details.cellGallery()->samples()[0].id), QString("test/5"));
        // The hardest training images: wrong ones only, surest first, validation included.
        const auto& hard = details.hardestGallery()->samples();
        QCOMPARE(hard.size(), size_t(2));
        QCOMPARE(QString::fromStdString(hard[0].id), QString("train/0"));
        QCOMPARE(QString::fromStdString(hard[1].id), QString("train/2"));
        // They go to the Dataset page as a filter.
        QSignalSpy toDataset(&details, &RunDetails::showOnDatasetPage);
        QPushButton* button = nullptr;
        for (auto* b : details.findChildren<QPushButton*>())
            if (b->text().contains("Dataset page")) button = b;
        QVERIFY(button);
        button->click();
        QCOMPARE(toDataset.count(), 1);
        QCOMPARE(toDataset.at(0).at(0).toStringList(), QStringList({"train/0", "train/2"}));
        DatasetBrowser browser;
        QSignalSpy drawn(&browser, &DatasetBrowser::splitsDrawn);
        TrainConfig c;
        c.per_class = 5;
        c.max_test_samples = 100;
        browser.setConfig(c);
        QVERIFY(drawn.wait(120000));
        const int all = browser.visibleCount();
        browser.filterIds(toDataset.at(0).at(0).toStringList(), "hardest");
        QCOMPARE(browser.visibleCount(), 2);
        QVERIFY(browser.filteredByIds());
        browser.filterIds({}, {});
        QCOMPARE(browser.visibleCount(), all);
        // Double-click opens the image large.
        std::unique_ptr<QDialog> large(details.cellGallery()->openLarge(0));
        QVERIFY(large);
        QVERIFY(large->windowTitle().contains("test/"));
    }

    void aRunWithoutPredictionsSaysSo() {
        QTemporaryDir tmp;
        RunRecord r;
        r.dir = tmp.path().toStdString();
        r.testConfusion = {{1, 0}, {0, 1}};
        RunDetails details(r);
        QSignalSpy loaded(&details, &RunDetails::predictionsLoaded);
        QVERIFY(details.predictionsReady() || loaded.wait(10000));
        details.showCell(0, 0);
        QCOMPARE(details.cellGallery()->shown(), 0);
        QVERIFY(details.hardestGallery()->samples().empty());
        QVERIFY2(details.predictionsNote().contains("predictions.csv"),
                 qPrintable(details.predictionsNote()));
    }
};

QTEST_MAIN(TestStudyViews)
#include "test_study_views.moc"
