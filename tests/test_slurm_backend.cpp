// compare --backend slurm, --task and status against stand-ins for sbatch, squeue and scancel
// on the PATH (shell scripts that record their arguments): the scripts, arrays and
// dependencies the workbench submits, and its refusals. The real cluster is tests/slurm.
#include <torch/torch.h>

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

class TestSlurmBackend : public QObject {
    Q_OBJECT

    struct Outcome {
        int code;
        QString out, err;
    };
    QTemporaryDir bin_;  // the stand-ins

    Outcome cli(const QStringList& args, const QString& path) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PATH", path);
        env.insert("FAKE_SLURM", bin_.path());
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("FEWDATA_CLI"), args);
        if (!p.waitForFinished(300000)) {
            p.kill();
            p.waitForFinished(10000);
            return {-1, {}, "timed out"};
        }
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }
    QString withFakes() const { return bin_.path() + ":" + qEnvironmentVariable("PATH"); }

    static void writeText(const QString& path, const std::string& text) {
        std::ofstream(path.toStdString(), std::ios::binary) << text;
        QFile(path).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    static QString readText(const QString& path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) return {};
        return QString::fromUtf8(f.readAll());
    }
    QStringList sbatchCalls() const {
        return readText(bin_.filePath("sbatch.log")).split('\n', Qt::SkipEmptyParts);
    }

    const QStringList study_{"compare",  "--methods",    "baseline,gnn,mixup", "--seeds",
                             "2",        "--per-class",  "10",                 "--epochs",
                             "1",        "--image-size", "12",                 "--max-test",
                             "50",       "--threads",    "1"};

private slots:
    void initTestCase() {
        QVERIFY(bin_.isValid());
        // Job ids 100, 101, ... in call order; FAKE_SBATCH_FAIL_AT=n refuses the n-th call.
        writeText(bin_.filePath("sbatch"), R"(#!/bin/sh
echo "$*" >>"$FAKE_SLURM/sbatch.log"
n=$(wc -l <"$FAKE_SLURM/sbatch.log")
if [ "$n" = "${FAKE_SBATCH_FAIL_AT:-0}" ] || [ -e "$FAKE_SLURM/fail.$n" ]; then
  echo "sbatch: error: invalid partition specified: nope" >&2; exit 1
fi
echo "$((99 + n));fake-cluster"
)");
        writeText(bin_.filePath("scancel"), "#!/bin/sh\necho \"$*\" >>\"$FAKE_SLURM/scancel.log\"\n");
        // FAKE_SLURM/squeue.fail: its text on stderr and exit 1, as squeue fails.
        writeText(bin_.filePath("squeue"),
                  "#!/bin/sh\necho \"$*\" >>\"$FAKE_SLURM/squeue.log\"\n"
                  "[ -e \"$FAKE_SLURM/squeue.fail\" ] && { cat \"$FAKE_SLURM/squeue.fail\" >&2; "
                  "exit 1; }\n"
                  "cat \"$FAKE_SLURM/queue\"\n");
    }

    void init() {
        for (const char* f :
             {"sbatch.log", "scancel.log", "squeue.log", "fail.1", "fail.2", "squeue.fail"})
            QFile::remove(bin_.filePath(f));
    }

    // Plan order is seed-major, the baseline first: 0 baseline, 1 gnn, 2 mixup for seed 0 and
    // 3, 4, 5 for seed 1. gnn reads the same seed's baseline features.
    void submitsArraysWithTheirDependencies() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("study");
        QStringList args = study_;
        args << "--out" << out << "--backend" << "slurm" << "--max-parallel" << "3"
             << "--partition" << "p1" << "--time" << "1:00:00" << "--cpus-per-task" << "2"
             << "--sbatch-arg=--account=lab";
        const Outcome o = cli(args, withFakes());
        QVERIFY2(o.code == 0, qPrintable(o.err + o.out));
        QVERIFY2(o.out.contains("submitted 6 of 6 runs") && o.out.contains("100\truns") &&
                     o.out.contains("101\tfeatures-gnn") && o.out.contains("102\ttable"),
                 qPrintable(o.out));
        const QString dir = out + "/slurm/1/";
        const QString runs = readText(dir + "runs.sbatch");
        for (const char* line :
             {"#SBATCH --array=0,2,3,5%3\n", "#SBATCH --partition=p1\n", "#SBATCH --time=1:00:00\n",
              "#SBATCH --cpus-per-task=2\n", "#SBATCH --ntasks=1\n", "#SBATCH --account=lab\n", "#SBATCH --requeue\n",
              "#SBATCH --signal=B:USR1@300\n", "compare --task \"$index\" --out '"})
            QVERIFY2(runs.contains(line), line);
        // By its array id: the array's own job id (which one task runs under) means every task.
        const char* requeue = "scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n";
        QVERIFY2(runs.contains(requeue), qPrintable(runs));
        const QString gnn = readText(dir + "features-gnn.sbatch");
        for (const char* line : {"#SBATCH --array=0,3%3\n", "  0) index=1 ;;\n",
                                 "  3) index=4 ;;\n", "#SBATCH --kill-on-invalid-dep=yes\n"})
            QVERIFY2(gnn.contains(line), line);
        QVERIFY2(gnn.contains(requeue), qPrintable(gnn));
        QVERIFY(readText(dir + "table.sbatch").contains(" export '"));
        const QStringList calls = sbatchCalls();
        QCOMPARE(calls.size(), 3);
        QCOMPARE(calls[0], "--parsable " + dir + "runs.sbatch");
        QCOMPARE(calls[1], "--parsable --dependency=aftercorr:100 " + dir + "features-gnn.sbatch");
        QCOMPARE(calls[2], "--parsable --dependency=afterany:100:101 " + dir + "table.sbatch");
        const auto jobs = nlohmann::json::parse(readText(dir + "jobs.json").toStdString());
        QCOMPARE(jobs["jobs"][1]["tasks"]["3"].get<int>(), 4);

        // status: Slurm's state beside each run's, a summary line first.
        writeText(bin_.filePath("queue"), "100_2|RUNNING|None\n101_3|PENDING|Dependency\n"
                                          "102|PENDING|Dependency\n");
        const Outcome s = cli({"status", out}, withFakes());
        QCOMPARE(s.code, 0);
        const QStringList lines = s.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines[0].endsWith("6 pending, 0 interrupted; in Slurm's queue: 1 PENDING, "
                                   "1 RUNNING; table job 102 PENDING"),
                 qPrintable(lines[0]));
        QVERIFY2(lines[3].endsWith("mixup-seed0\t100_2\tRUNNING\tNone"), qPrintable(lines[3]));
        QVERIFY2(lines[5].endsWith("gnn-seed1\t101_3\tPENDING\tDependency"), qPrintable(lines[5]));
        QVERIFY2(lines[1].endsWith("baseline-seed0"), qPrintable(lines[1]));  // not in the queue
        QVERIFY(readText(bin_.filePath("squeue.log")).contains("-j 100,101,102"));

        // --task runs that entry alone; a second submission leaves it out and the runs still in
        // the queue (mixup seed 0, gnn seed 1), and gnn's seed-0 run, its features now there,
        // goes into the plain array.
        const Outcome t = cli({"compare", "--task", "0", "--out", out}, withFakes());
        QVERIFY2(t.code == 0, qPrintable(t.err + t.out));
        QVERIFY(QFileInfo::exists(out + "/baseline-seed0/result.json"));
        QVERIFY(!QFileInfo::exists(out + "/gnn-seed0") && !QFileInfo::exists(out + "/mixup-seed0"));
        QFile::remove(bin_.filePath("sbatch.log"));
        const Outcome again = cli(args, withFakes());
        QVERIFY2(again.code == 0, qPrintable(again.err + again.out));
        QVERIFY2(again.out.contains("submitted 3 of 6 runs"), qPrintable(again.out));
        QVERIFY(readText(out + "/slurm/2/runs.sbatch").contains("#SBATCH --array=1,3,5%3\n"));
        QVERIFY(!QFileInfo::exists(out + "/slurm/2/features-gnn.sbatch"));
        QVERIFY(readText(dir + "runs.sbatch") == runs);  // the first submission's are kept
    }

    // squeue that fails for want of the controller says nothing of the jobs: status says so
    // and a second submission is refused, where "Invalid job id" (every job gone) lets it go.
    void aFailedSqueueIsNotAnEmptyQueue() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("study");
        QStringList args = study_;
        args[args.indexOf("baseline,gnn,mixup")] = "baseline";
        args << "--out" << out << "--backend"
             << "slurm";
        QVERIFY(cli(args, withFakes()).code == 0);
        QCOMPARE(sbatchCalls().size(), 2);  // the runs and the table
        writeText(bin_.filePath("squeue.fail"),
                  "slurm_load_jobs error: Socket timed out on send/recv operation\n");
        const Outcome s = cli({"status", out}, withFakes());
        QVERIFY2(s.out.contains("Slurm's queue could not be read (squeue: slurm_load_jobs error: "
                                "Socket timed out"),
                 qPrintable(s.out));
        const Outcome refused = cli(args, withFakes());
        QCOMPARE(refused.code, 2);
        QVERIFY2(refused.err.contains("Socket timed out") && refused.err.contains("try again"),
                 qPrintable(refused.err));
        QCOMPARE(sbatchCalls().size(), 2);
        writeText(bin_.filePath("squeue.fail"),
                  "slurm_load_jobs error: Invalid job id specified\n");
        const Outcome gone = cli(args, withFakes());
        QVERIFY2(gone.code == 0 && gone.out.contains("submitted 2 of 2 runs"),
                 qPrintable(gone.out + gone.err));
    }

    // An ablation on Slurm: the reference and each variant are studies of their own, each
    // submitted with its array and table job, their tasks running in their own folders.
    void anAblationIsSubmittedStudyByStudy() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("ablation");
        QStringList args = study_;
        args[args.indexOf("baseline,gnn,mixup")] = "baseline";
        args << "--out" << out << "--backend" << "slurm" << "--ablate" << "ema_decay=0.99";
        const Outcome o = cli(args, withFakes());
        QVERIFY2(o.code == 0, qPrintable(o.err + o.out));
        QCOMPARE(o.out.count("submitted 2 of 2 runs"), 2);
        QVERIFY2(o.out.contains("the ablation table, once all are done: fewdata-cli export " + out),
                 qPrintable(o.out));
        const QStringList calls = sbatchCalls();
        QCOMPARE(calls.size(), 4);
        QCOMPARE(calls[0], "--parsable " + out + "/reference/slurm/1/runs.sbatch");
        QCOMPARE(calls[2], "--parsable " + out + "/ema_decay=0.99/slurm/1/runs.sbatch");
        QVERIFY2(calls[3].startsWith("--parsable --dependency=afterany:102 "), qPrintable(calls[3]));
        QVERIFY(readText(out + "/ema_decay=0.99/slurm/1/runs.sbatch")
                    .contains("compare --task \"$index\" --out '" + out + "/ema_decay=0.99'"));
        // Array task 1 of the variant trains its seed-1 run with the variant's recipe.
        const Outcome task = cli({"compare", "--task", "1", "--out", out + "/ema_decay=0.99"},
                                 withFakes());
        QVERIFY2(task.code == 0, qPrintable(task.err + task.out));
        const auto config = nlohmann::json::parse(
            readText(out + "/ema_decay=0.99/baseline-seed1/config.json").toStdString());
        QCOMPARE(config["ema_decay"].get<double>(), 0.99);
        QCOMPARE(config["seed"].get<int>(), 1);
    }

    void aRefusedSubmissionCancelsTheJobsBeforeIt() {
        QTemporaryDir tmp;
        QStringList args = study_;
        args << "--out" << tmp.filePath("study") << "--backend" << "slurm";
        writeText(bin_.filePath("fail.2"), "");
        const Outcome o = cli(args, withFakes());
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("sbatch refused") && o.err.contains("features-gnn.sbatch") &&
                     o.err.contains("invalid partition specified: nope") &&
                     o.err.contains("were cancelled"),
                 qPrintable(o.err));
        QCOMPARE(readText(bin_.filePath("scancel.log")), QString("100\n"));
    }

    void refusals_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("fakesOnPath");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown backend") << QStringList{"--backend", "pbs"} << true << "'pbs'";
        QTest::newRow("slurm flag, local backend")
            << QStringList{"--partition", "gpu"} << true << "are for --backend slurm";
        QTest::newRow("no cpus") << QStringList{"--backend", "slurm", "--cpus-per-task", "0"}
                                 << true << "--cpus-per-task: 0";
        QTest::newRow("not an sbatch option")
            << QStringList{"--backend", "slurm", "--sbatch-arg=account"} << true << "'account'";
        QTest::newRow("no sbatch")
            << QStringList{"--backend", "slurm"} << false << "sbatch is not on the PATH";
    }
    void refusals() {
        QFETCH(QStringList, args);
        QFETCH(bool, fakesOnPath);
        QFETCH(QString, named);
        QTemporaryDir tmp;
        const QString out = tmp.filePath("study");
        const Outcome o = cli(study_ + QStringList{"--out", out} + args,
                              fakesOnPath ? withFakes() : "/nonexistent");
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(named), qPrintable(o.err));
        QVERIFY(!QFileInfo::exists(out + "/slurm"));
        QVERIFY(sbatchCalls().isEmpty());
    }

    void taskRefusals() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("study");
        Outcome o = cli({"compare", "--task", "0", "--out", out}, withFakes());
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("has no plan.json"), qPrintable(o.err));
        QCOMPARE(cli(study_ + QStringList{"--out", out, "--plan-only"}, withFakes()).code, 0);
        o = cli({"compare", "--task", "6", "--out", out}, withFakes());
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("has 6 entries (0 to 5)"), qPrintable(o.err));
        o = cli({"compare", "--task", "1", "--out", out, "--epochs", "3"}, withFakes());
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("'--epochs' changes what the planned run computes"),
                 qPrintable(o.err));
        o = cli({"compare", "--task", "1", "--out", out, "--seeds", "2"}, withFakes());
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("as planned"), qPrintable(o.err));
        QVERIFY(!QFileInfo::exists(out + "/gnn-seed0"));
    }
};

QTEST_GUILESS_MAIN(TestSlurmBackend)
#include "test_slurm_backend.moc"
