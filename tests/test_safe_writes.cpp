// Writes a hostile folder or a careless user cannot redirect: planted links are not followed,
// a run whose folder is moved stops instead of writing into the next one, two comparisons on
// one folder share its runs, and errors name the user's paths.
#include <torch/torch.h>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/run/comparison.h"
#include "core/run/run_folder.h"
#include "core/run/train_job.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

nlohmann::json readJson(const fs::path& p) { return nlohmann::json::parse(readText(p)); }

std::set<std::string> namesIn(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
    return names;
}

// Renames the run's folder when the first epoch ends and claims a new run at the old path,
// as `mv run run.old` and a second `train --out run` do.
struct MoveOnFirstEpoch : TrainListener {
    std::string dir;
    bool moved = false;
    std::unique_ptr<RunFolder> second;
    void epoch(const EpochMetrics&) override {
        if (moved) return;
        moved = true;
        fs::rename(dir, dir + ".old");
        second = std::make_unique<RunFolder>(dir);
        second->writeJson("config.json", {{"second", true}});
    }
};

}  // namespace

class TestSafeWrites : public QObject {
    Q_OBJECT

    struct Outcome {
        int code;
        QString out, err;
    };
    static Outcome cli(const QStringList& args, const QString& workDir = {}) {
        QProcess p;
        if (!workDir.isEmpty()) p.setWorkingDirectory(workDir);
        p.start(qEnvironmentVariable("FEWDATA_CLI"), args);
        if (!p.waitForFinished(300000)) return {-1, {}, "timed out"};
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }
    static QStringList tiny(const QString& methods, int seeds, const QString& out) {
        QStringList args{"compare", "--seeds", QString::number(seeds), "--per-class", "5",
                         "--epochs", "1", "--image-size", "16", "--max-test", "50",
                         "--threads", "2", "--out", out};
        if (!methods.isEmpty()) args << "--methods" << methods;
        if (methods.contains("gnn")) args << "--gnn-epochs" << "2";
        return args;
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(qEnvironmentVariable("FEWDATA_CLI")).isExecutable(),
                 "FEWDATA_CLI must name the fewdata-cli binary (ctest sets it)");
    }

    // A link planted at the target or at the temporary names the old scheme used
    // (<file>.tmp-<pid>, <file>.tmp-<pid>.new.tmp-<pid>) leaves the link's target unchanged.
    void plantedLinksAreNotFollowed() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString(), victim = root / "victim";
        std::ofstream(victim) << "precious";
        const std::string pid = std::to_string(::getpid());
        const fs::path target = root / "table.csv";
        for (const std::string& name :
             {"table.csv.tmp-" + pid, "table.csv.tmp-" + pid + ".new.tmp-" + pid})
            fs::create_symlink(victim, root / name);
        writeNewFileAtomically(target.string(), "a,b\n");
        writeFileAtomically((root / "plain.json").string(), "{}\n");
        std::ofstream(root / "model.pt");
        fs::create_symlink(victim, root / ("model.pt.tmp-" + pid));
        writeBytesAtomically((root / "model.pt").string(),
                             [](const ByteSink& out) { out("bytes", 5); });
        QCOMPARE(QString::fromStdString(readText(victim)), QString("precious"));
        QCOMPARE(QString::fromStdString(readText(target)), QString("a,b\n"));
        QCOMPARE(QString::fromStdString(readText(root / "model.pt")), QString("bytes"));
        QVERIFY(fs::is_symlink(root / ("table.csv.tmp-" + pid)));  // not ours to remove

        // A link as the target itself is refused by name, followed by no writer.
        fs::create_symlink(victim, root / "link.csv");
        EXPECT_ERROR_MENTIONING(InputError,
                                writeFileAtomically((root / "link.csv").string(), "x"),
                                "link.csv", "symbolic link");
        EXPECT_ERROR_MENTIONING(InputError,
                                writeNewFileAtomically((root / "link.csv").string(), "x"),
                                "link.csv", "symbolic link");
        const Outcome o = cli({"export", QString::fromStdString(root.string()), "--output",
                               QString::fromStdString((root / "link.csv").string())});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("link.csv' is a symbolic link"), qPrintable(o.err));
        QCOMPARE(QString::fromStdString(readText(victim)), QString("precious"));
        QVERIFY(fs::is_symlink(root / "link.csv"));
        // A dangling one says what it is (not "File exists").
        fs::create_symlink(root / "nowhere", root / "dangling.md");
        const Outcome d = cli({"export", QString::fromStdString(root.string()), "--output",
                               QString::fromStdString((root / "dangling.md").string())});
        QCOMPARE(d.code, 2);
        QVERIFY2(d.err.contains("symbolic link") && d.err.contains("does not exist"),
                 qPrintable(d.err));
        QVERIFY(!fs::exists(root / "nowhere"));
        for (const auto& name : namesIn(root))
            QVERIFY2(name.find(".tmp-") == std::string::npos || fs::is_symlink(root / name),
                     name.c_str());
    }

    // Errors name the user's path, before anything is created, with exit 2.
    void badOutputPathsAreNamed() {
        QTemporaryDir tmp;
        const QString root = tmp.path();
        const Outcome o = cli({"export", root, "--output", root + "/nodir/x.csv"});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("nodir/x.csv") && o.err.contains("does not exist"),
                 qPrintable(o.err));
        QVERIFY2(!o.err.contains(".tmp-"), qPrintable(o.err));
        QVERIFY(!QFileInfo::exists(root + "/nodir"));

        const QString longName = root + "/parent/" + QString(300, 'a');
        for (const QStringList& args :
             {QStringList{"train", "--epochs", "1", "--out", longName}, tiny("", 1, longName)}) {
            const Outcome l = cli(args);
            QCOMPARE(l.code, 2);
            QVERIFY2(l.err.contains("300 characters"), qPrintable(l.err));
            QVERIFY2(!QFileInfo::exists(root + "/parent"), "created before the name was refused");
        }

        QVERIFY(QFile::link(root + "/missing", root + "/dangling"));
        const Outcome d = cli({"train", "--epochs", "1", "--out", root + "/dangling"});
        QCOMPARE(d.code, 2);
        QVERIFY2(d.err.contains("symbolic link") && d.err.contains("does not exist"),
                 qPrintable(d.err));
    }

    // `mv run run.old` during training and a new run at `run`: the first stops with an error
    // saying so, keeps what it wrote in run.old, and leaves the new folder alone.
    void aMovedRunFolderStopsTheRun() {
        QTemporaryDir tmp;
        const std::string dir = tmp.filePath("run").toStdString();
        TrainConfig c;
        c.per_class = 5;
        c.image_size = 16;
        c.epochs = 3;
        c.max_test_samples = 50;
        c.threads = 2;
        MoveOnFirstEpoch mover;
        mover.dir = dir;
        const RunResult r = TrainJob({c, dir}, openCoreDataset).run(&mover, nullptr);
        QVERIFY(mover.moved);
        QCOMPARE(QString::fromStdString(statusName(r.status)), QString("failed"));
        QVERIFY2(r.message.find("moved or replaced") != std::string::npos, r.message.c_str());
        QVERIFY2(r.message.find(dir) != std::string::npos, r.message.c_str());
        const std::set<std::string> second = {RunFolder::kClaimMarker, "config.json"};
        QVERIFY(namesIn(dir) == second);
        QCOMPARE(readJson(fs::path(dir) / "config.json"), nlohmann::json({{"second", true}}));
        const fs::path old = dir + ".old";
        QVERIFY(fs::exists(old / "config.json") && fs::exists(old / "manifest.json"));
        QCOMPARE(QString::fromStdString(readText(old / "metrics.jsonl")).count('\n'), 1);
        QVERIFY(!fs::exists(old / "result.json"));
    }

    // A run killed while it decoded its dataset leaves its folder holding only the claim marker:
    // a new run takes it over. A marker that is a FIFO is refused at once, never waited on.
    void aClaimThatNeverStartedIsTakenOver() {
        QTemporaryDir tmp;
        const fs::path run = fs::path(tmp.path().toStdString()) / "run";
        fs::create_directories(run);
        std::ofstream(run / RunFolder::kClaimMarker).flush();
        QVERIFY(RunFolder::neverStarted(run.string()));
        QCOMPARE(runFolderState(run.string()), RunFolderState::Missing);
        const Outcome o = cli({"train", "--per-class", "5", "--epochs", "1", "--image-size", "12",
                               "--max-test", "50", "--threads", "2", "--out",
                               QString::fromStdString(run.string())});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY(fs::exists(run / "result.json"));
        QVERIFY(!RunFolder::neverStarted(run.string()));

        const fs::path fifoRun = fs::path(tmp.path().toStdString()) / "fifo";
        fs::create_directories(fifoRun);
        QCOMPARE(::mkfifo((fifoRun / RunFolder::kClaimMarker).c_str(), 0644), 0);
        std::ofstream(fifoRun / "config.json") << readText(run / "config.json");
        QVERIFY(!RunFolder::isLocked(fifoRun.string()));  // returns, does not wait for a writer
        const Outcome r = cli({"train", "--resume", QString::fromStdString(fifoRun.string())});
        QVERIFY2(r.code == 2 && r.err.contains("not a plain file"), qPrintable(r.err));
    }

    // Two comparisons started together on one folder: neither fails, every run trains once.
    void twoComparesShareOneFolder() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("cmp");
        const QStringList args = tiny("baseline", 3, out);
        QProcess a, b;
        a.start(qEnvironmentVariable("FEWDATA_CLI"), args);
        b.start(qEnvironmentVariable("FEWDATA_CLI"), args);
        QVERIFY(a.waitForFinished(300000) && b.waitForFinished(300000));
        const QString outA = QString::fromUtf8(a.readAllStandardOutput()),
                      outB = QString::fromUtf8(b.readAllStandardOutput());
        const QString said = outA + QString::fromUtf8(a.readAllStandardError()) + outB +
                             QString::fromUtf8(b.readAllStandardError());
        QVERIFY2(a.exitCode() == 0 && b.exitCode() == 0, qPrintable(said));
        QCOMPARE((outA + outB).count("finished: test"), 3);  // each run trained once
        for (int s = 0; s < 3; ++s) {
            const fs::path run = out.toStdString() + "/baseline-seed" + std::to_string(s);
            QCOMPARE(readJson(run / "result.json")["status"].get<std::string>(),
                     std::string("finished"));
            QCOMPARE(QString::fromStdString(readText(run / "metrics.jsonl")).count('\n'), 1);
        }
        QCOMPARE(QDir(out).entryList({"*.interrupted-*"}, QDir::Dirs).size(), 0);
    }

    // A run that failed writing its files (a full disk) is continued by the next compare, as
    // `train --resume` would; one that failed for what it computed stays kept. A write failure
    // after runs were written is a failed run (exit 3 naming it), not bad input.
    void aRunThatFailedWritingIsResumed() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("cmp");
        const fs::path run = out.toStdString() + "/baseline-seed0";
        QCOMPARE(cli(tiny("baseline", 1, out)).code, 0);
        auto failWith = [&](const std::string& message, int writeErrno = 0) {
            nlohmann::json r = readJson(run / "result.json");
            r["status"] = "failed";
            r["message"] = message;
            r.erase("write_errno");
            if (writeErrno != 0) r["write_errno"] = writeErrno;
            std::ofstream(run / "result.json") << r.dump();
        };
        failWith("cannot write '" + (run / "features.pt").string() +
                 "': No space left on device");
        Outcome o = cli(tiny("baseline", 1, out));
        QVERIFY2(o.code == 0, qPrintable(o.out + o.err));
        QVERIFY2(o.out.contains("failed writing its files after epoch 1, resuming"),
                 qPrintable(o.out));
        QCOMPARE(readJson(run / "result.json")["status"].get<std::string>(),
                 std::string("finished"));
        // The window writes strerror in its locale's language; the errno it records decides.
        failWith("kann nicht schreiben: Auf dem Gerät ist kein Speicherplatz mehr verfügbar",
                 ENOSPC);
        o = cli(tiny("baseline", 1, out));
        QVERIFY2(o.code == 0 && o.out.contains("failed writing its files"), qPrintable(o.out));

        failWith("training diverged: the loss is nan at epoch 1, batch 2");
        o = cli(tiny("baseline", 1, out));
        QCOMPARE(o.code, 3);
        QVERIFY2(o.out.contains("FAILED before, kept"), qPrintable(o.out));

        // The next run's folder cannot be made after seed 1 was written: exit 3, named.
        const QString other = tmp.filePath("cmp2");
        QVERIFY(QDir().mkpath(other));
        QVERIFY(QFile::link(other + "/nowhere", other + "/baseline-seed1"));
        o = cli(tiny("baseline", 2, other));
        QCOMPARE(o.code, 3);
        QVERIFY2(o.out.contains("FAILED: run folder '" + other + "/baseline-seed1'"),
                 qPrintable(o.out + o.err));
        QVERIFY(QFileInfo::exists(other + "/baseline-seed0/result.json"));
    }

    // features_from is stored relative to the run folder: the study moved, and continued
    // from another working folder, still matches its kept runs.
    void featuresFromSurvivesMovingTheStudy() {
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkpath("a") && QDir(tmp.path()).mkpath("b"));
        Outcome o = cli(tiny("baseline,gnn", 1, "cmp"), tmp.filePath("a"));
        QVERIFY2(o.code == 0, qPrintable(o.out + o.err));
        const fs::path first = tmp.filePath("a/cmp").toStdString();
        QCOMPARE(readJson(first / "gnn-seed0" / "config.json")["features_from"].get<std::string>(),
                 std::string("../baseline-seed0"));
        const fs::path moved = tmp.filePath("b/moved").toStdString();
        fs::rename(first, moved);
        o = cli(tiny("baseline,gnn", 1, "b/moved"), tmp.path());
        QVERIFY2(o.code == 0, qPrintable(o.out + o.err));
        QVERIFY2(o.out.contains("gnn K 5 seed 0: done before, kept"), qPrintable(o.out));
        // A resume reads it back from the run folder too.
        QCOMPARE(fs::path(resumeConfig((moved / "gnn-seed0").string()).features_from),
                 moved / "baseline-seed0");
    }

    // A folder set aside keeps what the run wrote, not the temporary files of its last write.
    void aSetAsideFolderDropsItsTemporaryFiles() {
        QTemporaryDir tmp;
        const fs::path dir = tmp.filePath("mixup-seed0").toStdString();
        fs::create_directories(dir);
        std::ofstream(dir / RunFolder::kClaimMarker);
        std::ofstream(dir / "config.json") << "{}";
        std::ofstream(dir / "metrics.jsonl.tmp-x1y2z3") << "{\"epo";
        const std::string aside = setAside(dir.string());
        QCOMPARE(QString::fromStdString(aside),
                 QString::fromStdString(dir.string() + ".interrupted-1"));
        const std::set<std::string> kept = {RunFolder::kClaimMarker, "config.json"};
        QVERIFY(namesIn(aside) == kept);
        // One that a live run holds is not moved.
        RunFolder live(dir.string());
        EXPECT_ERROR_MENTIONING(FolderBusy, setAside(dir.string()), "still going");
        QVERIFY(fs::exists(dir / RunFolder::kClaimMarker));
    }
};

QTEST_GUILESS_MAIN(TestSafeWrites)
#include "test_safe_writes.moc"
