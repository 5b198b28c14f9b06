// Ablations: the variants compare --ablate parses and records, their pairing with the
// reference against figures worked out by hand, the table in every export format, and the
// whole path through the binary (--plan-only, then finished runs written by hand, export).
#include <QtTest>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/base/csv.h"
#include "core/base/errors.h"
#include "core/config/config_table.h"
#include "core/results/ablation.h"
#include "core/results/results.h"
#include "core/results/table_export.h"
#include "core/run/ablation_plan.h"
#include "finished_run.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;
using testhelp::writeFinishedRun;

namespace {

// InputError whose message holds `part`.
template <class F>
bool refusedNaming(F&& f, const std::string& part) {
    try {
        f();
    } catch (const InputError& e) {
        if (std::string(e.what()).find(part) != std::string::npos) return true;
        qWarning("message without '%s': %s", part.c_str(), e.what());
        return false;
    }
    qWarning("not refused (expected '%s')", part.c_str());
    return false;
}

const AblationLine* lineOf(const std::vector<AblationLine>& lines, const std::string& change) {
    for (const auto& l : lines)
        if (l.row != l.reference && l.change == change) return &l;
    return nullptr;
}

// The folder of the hand-made ablation used below: reference baseline 70/72/74 over seeds
// 0-2; ema_decay=0.99 71/74/77 (differences 1, 2, 3); ema_decay=0.99 with tta_flip 69/73 over
// seeds 0-1 (differences -1, +1); reference mixup 60 x 3 and mixup with ema_decay=0.99
// 61/62/63, a Holm family of its own; and rows tied to no reference: cosine (no reference
// runs), K = 20, and a baseline drawing another split (val_fraction).
void writeHandMadeAblation(const fs::path& dir) {
    const nlohmann::json ema{{"ema_decay", 0.99}};
    const nlohmann::json both{{"ema_decay", 0.99}, {"tta_flip", true}};
    const int k = TrainConfig().per_class;
    for (int s = 0; s < 3; ++s) {
        const std::string seed = "-seed" + std::to_string(s);
        writeFinishedRun(dir / "reference" / ("baseline" + seed), "baseline", s, 70 + 2 * s, k);
        writeFinishedRun(dir / "reference" / ("mixup" + seed), "mixup", s, 60, k);
        writeFinishedRun(dir / "ema" / ("baseline" + seed), "baseline", s, 71 + 3 * s, k, ema);
        writeFinishedRun(dir / "ema" / ("mixup" + seed), "mixup", s, 61 + s, k, ema);
        writeFinishedRun(dir / "cosine" / ("cosine" + seed), "cosine", s, 60, k);
        writeFinishedRun(dir / "k20" / ("baseline" + seed), "baseline", s, 50, 20, ema);
        writeFinishedRun(dir / "split" / ("baseline" + seed), "baseline", s, 90, k,
                         {{"val_fraction", 0.3}});
    }
    writeFinishedRun(dir / "both" / "baseline-seed0", "baseline", 0, 69, k, both);
    writeFinishedRun(dir / "both" / "baseline-seed1", "baseline", 1, 73, k, both);
}

// result.json's "device", as a run records where it computed.
void setDevice(const fs::path& run, const std::string& device) {
    nlohmann::json r = nlohmann::json::parse(std::ifstream(run / "result.json"));
    r["device"] = device;
    std::ofstream(run / "result.json") << r;
}

}  // namespace

class TestAblation : public QObject {
    Q_OBJECT

private slots:
    void variantsAreParsedTypedAndNamed() {
        const TrainConfig base;
        const AblationVariant v = parseAblationVariant(" ema_decay=0.99 , tta_flip=true", base);
        QCOMPARE(v.folder, std::string("ema_decay=0.99+tta_flip=true"));
        QVERIFY(v.changes.at("ema_decay").is_number_float());
        QCOMPARE(v.changes.at("ema_decay").get<double>(), 0.99);
        QCOMPARE(v.changes.at("tta_flip").get<bool>(), true);
        const TrainConfig c = variantConfig(base, v);
        QCOMPARE(c.ema_decay, 0.99);
        QVERIFY(c.tta_flip);
        QCOMPARE(c.lr, base.lr);  // nothing else moves
        // An integer key stays an integer; the folder holds no character a shell would trip on.
        const AblationVariant e = parseAblationVariant("epochs=30", base);
        QVERIFY(e.changes.at("epochs").is_number_integer());
        QCOMPARE(e.folder, std::string("epochs=30"));
    }

    void badVariantsAreRefusedNamingTheValue() {
        const TrainConfig base;
        auto parse = [&](const std::string& t) { return [&base, t] { parseAblationVariant(t, base); }; };
        QVERIFY(refusedNaming(parse("lr=0.01..0.2"), "takes one value"));
        QVERIFY(refusedNaming(parse("epochs=30|60"), "takes one value"));
        QVERIFY(refusedNaming(parse("no_such_key=1"), "--ablate: unknown key 'no_such_key'"));
        QVERIFY(refusedNaming(parse("seed=3"), "'seed'"));
        QVERIFY(refusedNaming(parse("per_class=20"), "changes the data"));
        QVERIFY(refusedNaming(parse("threads=4"), "execution key"));
        QVERIFY(refusedNaming(parse("method=mixup"), "'method'"));
        QVERIFY(refusedNaming(parse("ema_decay=1.5"), "1.5"));
        QVERIFY(refusedNaming(parse("tta_flip=maybe"), "'maybe'"));
        QVERIFY(refusedNaming(parse("ema_decay=0"), "reference's own value"));
        QVERIFY(refusedNaming(parse("  "), "--ablate is empty"));
        QVERIFY(refusedNaming(parse("epochs=30,epochs=40"), "given twice"));
        const AblationVariant mixOnly = parseAblationVariant("mix_alpha=0.4", base);
        QVERIFY(refusedNaming([&] { checkVariantForMethod(mixOnly, base, "baseline"); },
                              "'mix_alpha=0.4' does not change what method 'baseline'"));
        checkVariantForMethod(mixOnly, base, "mixup");  // no throw
        // A key the method lists but does not read in this setting: the recipe decides.
        const AblationVariant classes = parseAblationVariant("batch_classes=8", base);
        QVERIFY(refusedNaming([&] { checkVariantForMethod(classes, base, "siamese-contrastive"); },
                              "'batch_classes=8' does not change what method "
                              "'siamese-contrastive'"));
        // One recipe given in two orders is one folder.
        QCOMPARE(parseAblationVariant("tta_flip=true,ema_decay=0.99", base).folder,
                 parseAblationVariant("ema_decay=0.99,tta_flip=true", base).folder);
        // Every real-valued recipe key at once: a folder name no file system takes.
        std::string many;
        for (const ConfigKey& k : configTable()) {
            const auto& protocol = protocolKeys();
            if (k.member.index() != 1 || k.role == KeyRole::Execution || !(k.hi > k.lo) ||
                std::find(protocol.begin(), protocol.end(), k.key) != protocol.end())
                continue;
            const double v = k.lo + (std::min(k.hi, k.lo + 1.0) - k.lo) * 0.123456789012345;
            many += (many.empty() ? "" : ",") + std::string(k.key) + "=" + nlohmann::json(v).dump();
        }
        QVERIFY(refusedNaming(parse(many), "more than a file system takes"));
    }

    void theRequestIsRecordedAndExtended() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString() + "/abl";
        QVERIFY(!readAblationPlan(dir));
        const TrainConfig base;
        const auto ema = parseAblationVariant("ema_decay=0.99", base);
        const auto tta = parseAblationVariant("tta_flip=true", base);
        recordAblationPlan(dir, {ema});
        const AblationPlan merged = recordAblationPlan(dir, {tta, ema});
        QCOMPARE(int(merged.variants.size()), 2);
        const auto back = readAblationPlan(dir);
        QVERIFY(back.has_value());
        QCOMPARE(back->reference, std::string("reference"));
        QCOMPARE(back->variants[0].folder, std::string("ema_decay=0.99"));
        QCOMPARE(back->variants[1].folder, std::string("tta_flip=true"));
        QCOMPARE(back->variants[1].changes, tta.changes);
        // A file that leads out of the folder, or is not one the workbench wrote, is named.
        const std::string file = dir + "/ablation.json";
        for (const std::string& text :
             {std::string(R"({"format":1,"reference":"..","variants":[]})"),
              std::string(R"({"format":1,"reference":"reference","variants":[{"folder":"a/b","changes":{"lr":0.1}}]})"),
              std::string(R"({"format":2})"), std::string("not json")}) {
            fs::remove(file);
            std::ofstream(file) << text;
            QVERIFY(refusedNaming([&] { readAblationPlan(dir); }, file));
        }
    }

    void variantsArePairedWithTheReferenceBySeed() {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        writeHandMadeAblation(dir);
        const RunScan scan = scanRuns(dir.string());
        QVERIFY(scan.problems.empty());
        const std::vector<MethodRow> rows = aggregate(scan.runs);
        const std::vector<AblationLine> lines = ablationLines(rows, (dir / "reference").string());
        // Baseline's reference and its two variants, then mixup's and its one; cosine, K = 20
        // and the other split are tied to none.
        QCOMPARE(int(lines.size()), 5);
        for (const auto& l : lines) {
            QVERIFY(l.row->method != "cosine" && l.row->perClass != 20);
            QVERIFY(l.row->recipe.value("val_fraction", 0.0) != 0.3);
        }
        QVERIFY(lines[0].row == lines[0].reference);
        QVERIFY2(lines[0].change.find("ema_decay=0.0") != std::string::npos &&
                     lines[0].change.find("tta_flip=false") != std::string::npos,
                 lines[0].change.c_str());
        const AblationLine* ema = lineOf(lines, "ema_decay=0.99");
        QVERIFY(ema);
        QCOMPARE(ema->pairs, 3);
        // Differences 1, 2, 3: mean 2, sd 1, half-width t(0.975, 2) / sqrt(3) = 2.4841.
        QCOMPARE(ema->vsReference->mean, 2.0);
        QCOMPARE(ema->vsReference->sd, 1.0);
        QVERIFY(std::abs(ema->vsReference->low - (2 - 2.4841)) < 1e-3);
        QVERIFY(std::abs(ema->vsReference->high - (2 + 2.4841)) < 1e-3);
        // t = 2 sqrt(3) on 2 df: p = 1 - t / sqrt(2 + t^2) = 0.07418; all three signs agree:
        // 2 of the 8 sign flips are as extreme, 0.25.
        QVERIFY(std::abs(ema->significance->pT - 0.07418) < 1e-4);
        QCOMPARE(ema->significance->pPerm, 0.25);
        const AblationLine* both = lineOf(lines, "ema_decay=0.99, tta_flip=true");
        QVERIFY(both);
        QCOMPARE(both->pairs, 2);
        QCOMPARE(both->vsReference->mean, 0.0);
        QCOMPARE(both->significance->pPerm, 1.0);
        // Holm over the two: 0.25 x 2 = 0.5, then max(0.5, 1.0).
        QCOMPARE(ema->significance->pHolm, 0.5);
        QCOMPARE(both->significance->pHolm, 1.0);
        QCOMPARE(ema->significance->family, 2);
        // Mixup's change is a family of its own: Holm leaves its 0.25 as it is.
        const auto mixupEma = std::find_if(lines.begin(), lines.end(), [](const AblationLine& l) {
            return l.row->method == "mixup" && l.row != l.reference;
        });
        QVERIFY(mixupEma != lines.end());
        QCOMPARE(mixupEma->change, std::string("ema_decay=0.99"));
        QCOMPARE(mixupEma->vsReference->mean, 2.0);
        QCOMPARE(mixupEma->significance->family, 1);
        QCOMPARE(mixupEma->significance->pHolm, 0.25);
        // A reference folder of two recipes of one method: refused, naming it.
        QVERIFY(refusedNaming([&] { ablationLines(rows, dir.string()); }, "two recipes of"));
        // A reference folder holding nothing: no lines.
        QVERIFY(ablationLines(rows, (dir / "none").string()).empty());
    }

    void theTableInEveryFormat() {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        writeHandMadeAblation(dir);
        const RunScan scan = scanRuns(dir.string());
        const std::vector<MethodRow> rows = aggregate(scan.runs);
        const auto lines = ablationLines(rows, (dir / "reference").string());
        const std::string md = exportTable(scan, rows, "md", lines);
        QVERIFY2(md.find("Ablation: each change against the reference recipe") != std::string::npos,
                 md.c_str());
        // The last epoch's figures are the best epoch's in these runs: the same difference.
        QVERIFY2(md.find("| ema_decay=0.99 | 3 | 74.00 ± 3.00 | +2.00 [-0.48, 4.48] | 0.500 | "
                         "+2.00 [-0.48, 4.48] | - |") != std::string::npos,
                 md.c_str());
        // Two of the reference's three seeds: said beside the row's own.
        QVERIFY2(md.find("| ema_decay=0.99, tta_flip=true | 2 (2 paired) |") != std::string::npos,
                 md.c_str());
        QVERIFY2(md.find("With 3 pairs no p can be below 0.250") != std::string::npos, md.c_str());
        // Without lines, no such table.
        QVERIFY(exportTable(scan, rows, "md").find("Ablation") == std::string::npos);

        const auto j = nlohmann::json::parse(exportTable(scan, rows, "json", lines));
        QCOMPARE(int(j.at("ablation").size()), 5);
        QCOMPARE(j["ablation"][0]["reference"].get<bool>(), true);
        QVERIFY(!j["ablation"][0].contains("test_vs_reference"));
        bool seen = false;
        for (const auto& l : j["ablation"])
            if (l["change"] == "ema_decay=0.99" && l["method"] == "baseline") {
                seen = true;
                QCOMPARE(l["test_vs_reference"]["mean"].get<double>(), 2.0);
                QCOMPARE(l["p_value_holm"].get<double>(), 0.5);
            }
        QVERIFY(seen);

        // Every CSV record has the header's fields (a label of two keys is quoted); the
        // variant's line holds its change and its difference with the interval.
        const auto records = parseCsv(exportTable(scan, rows, "csv", lines), "csv");
        const std::vector<std::string>& header = records.front();
        const auto column = [&](const char* name) {
            return size_t(std::find(header.begin(), header.end(), name) - header.begin());
        };
        QVERIFY(column("test_vs_reference_high") < header.size());
        int ablationLinesSeen = 0;
        for (const auto& r : records) {
            QCOMPARE(r.size(), header.size());
            if (r[0] == "ablation" && r[column("change")] == "ema_decay=0.99" &&
                r[column("method")] == "baseline") {
                ++ablationLinesSeen;
                QCOMPARE(r[column("test_vs_reference")], std::string("2.0000"));
                QCOMPARE(r[column("test_vs_reference_low")], std::string("-0.4841"));
                QCOMPARE(r[column("p_value_holm")], std::string("0.500000"));
                QCOMPARE(r[column("runs")], std::string("3"));
            }
        }
        QCOMPARE(ablationLinesSeen, 1);

        const std::string tex = exportTable(scan, rows, "latex", lines);
        QVERIFY2(tex.find("reference: ") != std::string::npos, tex.c_str());
        QVERIFY2(tex.find("ema\\_decay=0.99 & $74.00 \\pm 3.00$ & $+2.00 [-0.48, 4.48]$") !=
                     std::string::npos,
                 tex.c_str());
    }

    // The last epoch's test figure is paired by seed too, beside the selected epoch's: with
    // a small validation split the two can tell different stories.
    void theLastEpochIsPairedToo() {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        writeHandMadeAblation(dir);
        // The ema variant's last epochs 72, 76, 80 against the reference's 70, 72, 74.
        for (int s = 0; s < 3; ++s) {
            const fs::path run = dir / "ema" / ("baseline-seed" + std::to_string(s));
            nlohmann::json r = nlohmann::json::parse(std::ifstream(run / "result.json"));
            r["test_accuracy_last"] = 72 + 4 * s;
            std::ofstream(run / "result.json") << r;
        }
        const RunScan scan = scanRuns(dir.string());
        const std::vector<MethodRow> rows = aggregate(scan.runs);
        const auto lines = ablationLines(rows, (dir / "reference").string());
        const AblationLine* ema = lineOf(lines, "ema_decay=0.99");
        QVERIFY(ema && ema->lastVsReference);
        // Differences 2, 4, 6: mean 4, sd 2, half-width t(0.975, 2) x 2 / sqrt(3) = 4.9683.
        QCOMPARE(ema->lastVsReference->mean, 4.0);
        QCOMPARE(ema->lastVsReference->sd, 2.0);
        QVERIFY(std::abs(ema->lastVsReference->high - (4 + 4.9682)) < 1e-3);
        QCOMPARE(ema->vsReference->mean, 2.0);  // the selected epoch's, unchanged
        QVERIFY(!lines[0].lastVsReference);     // the reference's own line
        const std::string md = exportTable(scan, rows, "md", lines);
        QVERIFY2(md.find("| +2.00 [-0.48, 4.48] | 0.500 | +4.00 [-0.97, 8.97] | - |") !=
                     std::string::npos,
                 md.c_str());
        const auto j = nlohmann::json::parse(exportTable(scan, rows, "json", lines));
        bool seen = false;
        for (const auto& l : j["ablation"])
            if (l["change"] == "ema_decay=0.99" && l["method"] == "baseline") {
                seen = true;
                QCOMPARE(l["last_vs_reference"]["mean"].get<double>(), 4.0);
            }
        QVERIFY(seen);
        const auto records = parseCsv(exportTable(scan, rows, "csv", lines), "csv");
        const auto& header = records.front();
        const size_t last = size_t(
            std::find(header.begin(), header.end(), "last_vs_reference_low") - header.begin());
        const size_t change =
            size_t(std::find(header.begin(), header.end(), "change") - header.begin());
        QVERIFY(last < header.size() && change < header.size());
        int seenCsv = 0;
        for (const auto& r : records)
            if (r[0] == "ablation" && r[change] == "ema_decay=0.99" && r[4] == "baseline") {
                ++seenCsv;
                QCOMPARE(r[last], std::string("-0.9683"));  // 4 - 4.968275
            }
        QCOMPARE(seenCsv, 1);
        QVERIFY(exportTable(scan, rows, "latex", lines).find("$+4.00 [-0.97, 8.97]$") !=
                std::string::npos);
    }

    void anotherDeviceOrThreadCountIsNoted() {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        writeHandMadeAblation(dir);
        for (int s = 0; s < 3; ++s) {
            const std::string run = "baseline-seed" + std::to_string(s);
            setDevice(dir / "reference" / run, "cpu (1 threads)");
            setDevice(dir / "ema" / run, "cpu (2 threads)");
        }
        auto table = [&] {
            const RunScan scan = scanRuns(dir.string());
            const std::vector<MethodRow> rows = aggregate(scan.runs);
            return exportTable(scan, rows, "md", ablationLines(rows, (dir / "reference").string()));
        };
        std::string md = table();
        QVERIFY2(md.find("baseline with ema_decay=0.99 ran on cpu (2 threads), its reference on "
                         "cpu (1 threads): the device and the thread count") != std::string::npos,
                 md.c_str());
        QVERIFY2(md.find("mixes runs on") == std::string::npos, md.c_str());
        // One seed of the reference elsewhere: its row says so too.
        setDevice(dir / "reference" / "baseline-seed2", "cpu (2 threads)");
        md = table();
        QVERIFY2(md.find("at K = 50 mixes runs on cpu (1 threads), cpu (2 threads)") !=
                     std::string::npos,
                 md.c_str());
    }

    void throughTheBinary() {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/abl";
        const auto plan = testhelp::runCli({"compare", "--methods", "baseline", "--seeds", "2",
                                            "--ablate", "ema_decay=0.99", "--ablate",
                                            "tta_flip=true,ema_decay=0.5", "--out", dir,
                                            "--plan-only"},
                                           120000);
        QVERIFY2(plan.code == 0, qPrintable(plan.err));
        QCOMPARE(plan.out.count("\tbaseline\t"), 6);  // 2 seeds x (reference + 2 variants)
        const auto stored = readAblationPlan(dir.toStdString());
        QVERIFY(stored.has_value());
        QCOMPARE(int(stored->variants.size()), 2);
        // The keys in config table order, whatever order they were given in.
        QCOMPARE(stored->variants[1].folder, std::string("ema_decay=0.5+tta_flip=true"));
        for (const char* sub : {"/reference/plan.json", "/ema_decay=0.99/plan.json",
                                "/ema_decay=0.5+tta_flip=true/plan.json"})
            QVERIFY2(QFile::exists(dir + sub), sub);
        const auto variantPlan = nlohmann::json::parse(
            std::ifstream((dir + "/ema_decay=0.99/plan.json").toStdString()));
        QCOMPARE(variantPlan["config"]["ema_decay"].get<double>(), 0.99);

        // Refused, naming why: a plain study into the ablation, an ablation into a study, a
        // variant that does not change the method, --task with --ablate.
        auto refused = [](const QStringList& args, const QString& part) {
            const auto r = testhelp::runCli(args, 120000);
            if (r.code == 2 && r.err.contains(part)) return true;
            qWarning("exit %d, stderr: %s", r.code, qPrintable(r.err));
            return false;
        };
        QVERIFY(refused({"compare", "--out", dir, "--plan-only"}, "is an ablation"));
        const QString study = tmp.path() + "/study";
        QCOMPARE(testhelp::runCli({"compare", "--out", study, "--plan-only"}, 120000).code, 0);
        QVERIFY(refused({"compare", "--out", study, "--ablate", "lr=0.1", "--plan-only"},
                        "holds a study of its own"));
        QVERIFY(refused({"compare", "--out", tmp.path() + "/x", "--ablate", "mix_alpha=0.4",
                         "--plan-only"},
                        "does not change what method 'baseline'"));
        QVERIFY(!QFile::exists(tmp.path() + "/x"));  // refused before anything was written
        QVERIFY(refused({"compare", "--out", dir, "--ablate", "ema_decay=0.99,tta_flip=true",
                         "--ablate", "tta_flip=true,ema_decay=0.99", "--plan-only"},
                        "same variant"));
        QVERIFY(refused({"compare", "--out", dir + "/reference", "--task", "0", "--ablate",
                         "lr=0.1"},
                        "--task runs an entry"));

        // Finished runs in the planned folders: export finds the reference by ablation.json.
        const fs::path root = dir.toStdString();
        for (int s = 0; s < 2; ++s) {
            const std::string run = "baseline-seed" + std::to_string(s);
            writeFinishedRun(root / "reference" / run, "baseline", s, 70 + s);
            writeFinishedRun(root / "ema_decay=0.99" / run, "baseline", s, 72 + 2 * s,
                             TrainConfig().per_class, {{"ema_decay", 0.99}});
        }
        // status: each study of the ablation in turn, the reference first.
        const auto status = testhelp::runCli({"status", dir}, 120000);
        QVERIFY2(status.code == 0, qPrintable(status.err));
        const QStringList summaries = status.out.split('\n').filter(": 2 runs: ");
        QCOMPARE(summaries.size(), 3);
        QVERIFY2(summaries[0].contains("/reference: 2 runs: 2 done"), qPrintable(status.out));
        QVERIFY2(summaries[2].contains("ema_decay=0.5+tta_flip=true: 2 runs: 0 done, 0 running, "
                                       "0 failed, 2 pending"),
                 qPrintable(status.out));
        const auto md = testhelp::runCli({"export", dir}, 120000);
        QVERIFY2(md.code == 0, qPrintable(md.err));
        QVERIFY2(md.out.contains("| ema_decay=0.99 | 2 | 73.00 ± 1.41 | +2.50 "), qPrintable(md.out));
        QVERIFY(refused({"export", dir, "--reference", dir + "/none"}, "holds no finished run"));
        // Any folder of runs, by hand: the same table with --reference.
        // Relative to DIR, as the help says.
        const auto byHand = testhelp::runCli({"export", dir + "/..", "--reference", "abl/reference"},
                                             120000);
        QVERIFY2(byHand.out.contains("| ema_decay=0.99 | 2 | 73.00 ± 1.41 | +2.50 "),
                 qPrintable(byHand.out + byHand.err));
    }
};

QTEST_APPLESS_MAIN(TestAblation)
#include "test_ablation.moc"
