// Data-parallel training's parts (train/data_parallel): two Gloo ranks (threads of this
// process, meeting at a TCPStore on the loopback) against one process with the same global
// batch, where the parameters must agree; where the ranks come from (torchrun's and Slurm's
// variables); and a rank that never comes ends the wait in bounded time.
#include <torch/torch.h>

#include <QtTest>
#include <array>
#include <functional>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "core/base/errors.h"
#include "core/config/config.h"
#include "core/model/resnet.h"
#include "core/train/augment.h"
#include "core/train/data_parallel.h"
#include "core/train/objectives.h"
#include "core/train/sharded_evaluation.h"

using namespace fewdata;

namespace {

// Free-ish ports: a range of their own per test, away from a real cluster's.
int testPort(int offset) {
    static const int base = 30000 + int(std::random_device{}() % 20000);
    return base + offset;
}

struct Net : torch::nn::Module {
    torch::nn::Linear a{8, 16}, b{16, 3};
    Net() {
        register_module("a", a);
        register_module("b", b);
    }
    torch::Tensor forward(const torch::Tensor& x) { return b(torch::relu(a(x))); }
};

// `steps` SGD steps of `net` (momentum, weight decay) on batches of `batch` rows; one process
// when `dp` is null, else this rank's rows with the gradients summed over ranks.
std::vector<torch::Tensor> trainFrom(const std::shared_ptr<Net>& net, DataParallel* dp,
                                     int64_t batch, int steps) {
    torch::optim::SGD opt(net->parameters(),
                          torch::optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-3));
    auto gen = at::detail::createCPUGenerator(11);  // the same batches in every rank
    for (int s = 0; s < steps; ++s) {
        const auto x = torch::randn({batch, 8}, gen);
        const auto y = torch::randint(0, 3, {batch}, gen);
        int64_t begin = 0, end = batch;
        if (dp) std::tie(begin, end) = dp->rows(batch);
        opt.zero_grad();
        torch::nn::functional::cross_entropy(net->forward(x.slice(0, begin, end)),
                                             y.slice(0, begin, end))
            .backward();
        if (dp) dp->reduceGradients(net->parameters(), double(end - begin) / double(batch));
        opt.step();
    }
    std::vector<torch::Tensor> out;
    for (const auto& p : net->parameters()) out.push_back(p.detach().clone());
    return out;
}

// The weights every run starts from, made once before any thread (the global generator is
// not for two threads at once).
std::vector<torch::Tensor> initialWeights() {
    torch::manual_seed(7);
    std::vector<torch::Tensor> out;
    for (const auto& p : Net().parameters()) out.push_back(p.detach().clone());
    return out;
}

// The same from `initial`; ranks other than 0 start elsewhere, and the broadcast must bring
// them to rank 0's weights.
std::vector<torch::Tensor> train(DataParallel* dp, int64_t batch, int steps,
                                 const std::vector<torch::Tensor>& initial) {
    auto net = std::make_shared<Net>();
    const auto params = net->parameters();
    {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < params.size(); ++i)
            params[i].copy_(initial[i] + (dp && dp->rank() != 0 ? 1.0 : 0.0));
    }
    if (dp) dp->broadcast(params);
    return trainFrom(net, dp, batch, steps);
}

// Runs `work(dp)` in two threads, ranks 0 and 1 of a group meeting at `port`; the ranks'
// errors, empty where none.
std::array<std::string, 2> onTwoRanks(int port, const std::function<void(DataParallel&)>& work) {
    std::array<std::string, 2> errors;
    auto rank = [&](int r) {
        try {
            ParallelEnv env;
            env.rank = r;
            env.worldSize = 2;
            env.masterPort = port;
            DataParallel dp(env, std::chrono::seconds(30));
            work(dp);
        } catch (const std::exception& e) {
            errors[size_t(r)] = e.what();
        }
    };
    std::thread t0(rank, 0), t1(rank, 1);
    t0.join();
    t1.join();
    return errors;
}

}  // namespace

class TestDataParallel : public QObject {
    Q_OBJECT

    static QStringList tinyRun(const QString& out, int epochs) {
        return {"train", "--per-class", "20", "--epochs", QString::number(epochs),
                "--image-size", "16", "--max-test", "500", "--seed", "3", "--threads", "1",
                "--out", out};
    }
    static nlohmann::json result(const QString& dir) {
        std::ifstream f((dir + "/result.json").toStdString());
        return f ? nlohmann::json::parse(f, nullptr, false) : nlohmann::json();
    }
    // The pid of the rank `rank` that `launcher` started (its child with RANK=<rank>).
    static pid_t rankPid(qint64 launcher, int rank) {
        QDir proc("/proc");
        for (const QString& entry : proc.entryList(QDir::Dirs)) {
            bool number = false;
            const pid_t pid = entry.toInt(&number);
            if (!number) continue;
            QFile stat("/proc/" + entry + "/stat");
            if (!stat.open(QIODevice::ReadOnly)) continue;
            const QStringList fields = QString(stat.readAll()).section(')', 1).split(' ');
            if (fields.size() < 3 || fields[2].toLongLong() != launcher) continue;
            QFile env("/proc/" + entry + "/environ");
            if (env.open(QIODevice::ReadOnly) &&
                env.readAll().split('\0').contains("RANK=" + QByteArray::number(rank)))
                return pid;
        }
        return -1;
    }

private slots:
    void twoRanksAgreeWithOneProcess_data() {
        QTest::addColumn<int>("batch");
        QTest::newRow("even batch") << 10;
        QTest::newRow("odd batch, uneven rows") << 7;
    }
    void twoRanksAgreeWithOneProcess() {
        QFETCH(int, batch);
        const auto initial = initialWeights();
        const auto single = train(nullptr, batch, 6, initial);
        std::vector<torch::Tensor> ranks[2];
        const auto errors = onTwoRanks(testPort(batch), [&](DataParallel& dp) {
            ranks[dp.rank()] = train(&dp, batch, 6, initial);
        });
        QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
        QCOMPARE(ranks[0].size(), single.size());
        double worst = 0, moved = 0;
        for (size_t i = 0; i < single.size(); ++i) {
            worst = std::max(worst, (ranks[0][i] - single[i]).abs().max().item<double>());
            worst = std::max(worst, (ranks[1][i] - ranks[0][i]).abs().max().item<double>());
        }
        // Training moved the weights far more than the tolerance: the agreement is not trivial.
        for (size_t i = 0; i < single.size(); ++i)
            moved = std::max(moved, (single[i] - initial[i]).abs().max().item<double>());
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        QVERIFY2(moved > 1e-2, qPrintable(QString::number(moved)));
    }

    // Two ranks evaluate 13 images (7 + 6) of a ResNet-18 whose rank-1 copy has other
    // BatchNorm statistics: both must report what one process reports for rank 0's network.
    void evaluationIsShardedAndPutTogether() {
        torch::manual_seed(5);
        ResNetOptions ro;
        ro.numClasses = 10;
        ro.inChannels = 1;
        ro.smallStem = true;
        ResNet models[2] = {ResNet(ro), ResNet(ro)};
        {
            torch::NoGradGuard noGrad;
            const auto from = models[0]->named_parameters();
            for (auto& p : models[1]->named_parameters()) p.value().copy_(from[p.key()]);
            const auto stats = models[0]->named_buffers();
            for (auto& b : models[1]->named_buffers()) {
                // Running means and variances far from rank 0's (variances stay positive).
                if (b.value().is_floating_point()) b.value().copy_(stats[b.key()] * 3.0 + 0.5);
            }
        }
        for (auto& m : models) m->eval();
        const auto images = torch::randint(0, 256, {13, 1, 16, 16}, torch::kUInt8);
        const auto labels = torch::randint(0, 10, {13}, torch::kInt64);
        TrainConfig c;
        AugmentOptions augment;
        augment.outputSize = 16;
        const Normalizer norm = Normalizer::fromImages(images);
        const EvalData data = evalDataFor(c, augment, norm, torch::kCPU, nullptr);
        auto objective = [&] {
            return makeClassifyObjective({c, augment, norm, models[0]->featureDim(), 10},
                                         ClassifyLoss::CrossEntropy);
        };
        const EvalResult single = objective()->evaluate(models[0], images, labels, data);
        const EvalResult ownStats = objective()->evaluate(models[1], images, labels, data);
        std::unique_ptr<Objective> objectives[2] = {objective(), objective()};
        EvalResult ranks[2];
        const auto errors = onTwoRanks(testPort(40), [&](DataParallel& dp) {
            const int r = dp.rank();
            ranks[r] = evaluateSharded(*objectives[r], models[r], {models[r].ptr().get()}, images,
                                       labels, data, &dp);
        });
        QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
        // Rank 1's own statistics give other logits: the copy from rank 0 is what agrees.
        QVERIFY((ownStats.logits - single.logits).abs().max().item<double>() > 1e-3);
        for (const EvalResult& r : ranks) {
            QCOMPARE(r.logits.size(0), int64_t(13));
            QVERIFY(torch::allclose(r.logits, single.logits, 1e-4, 1e-5));
            QVERIFY(torch::allclose(r.features, single.features, 1e-4, 1e-5));
            QVERIFY(torch::equal(r.predictions, single.predictions));
            QCOMPARE(r.accuracy, single.accuracy);
            QVERIFY2(std::abs(r.loss - single.loss) < 1e-5 * single.loss,
                     qPrintable(QString("%1 vs %2").arg(r.loss).arg(single.loss)));
        }
    }

    void rowsSplitTheBatch() {
        using R = std::pair<int64_t, int64_t>;
        QCOMPARE(DataParallel::rowsOf(10, 0, 3), R(0, 4));
        QCOMPARE(DataParallel::rowsOf(10, 1, 3), R(4, 7));
        QCOMPARE(DataParallel::rowsOf(10, 2, 3), R(7, 10));
        QCOMPARE(DataParallel::rowsOf(1, 1, 2), R(1, 1));  // a rank may get no row
        QCOMPARE(DataParallel::rowsOf(8, 0, 1), R(0, 8));
    }

    void ranksComeFromTorchrunOrSlurm() {
        std::map<std::string, std::string> vars;
        auto from = [&](const char* name) -> const char* {
            const auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
        QCOMPARE(parallelEnvFrom(from).worldSize, 1);
        vars = {{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"MASTER_ADDR", "10.0.0.2"},
                {"MASTER_PORT", "29600"}};
        ParallelEnv e = parallelEnvFrom(from);
        QCOMPARE(e.rank, 1);
        QCOMPARE(e.worldSize, 4);
        QCOMPARE(QString::fromStdString(e.masterAddr), QString("10.0.0.2"));
        QCOMPARE(e.masterPort, 29600);
        QCOMPARE(QString::fromStdString(e.source), QString("torchrun"));
        vars = {{"SLURM_STEP_NUM_TASKS", "2"}, {"SLURM_PROCID", "1"},
                {"SLURM_STEP_NODELIST", "gpu[07-09,12],cpu1"}, {"SLURM_JOB_ID", "123456"}};
        e = parallelEnvFrom(from);
        QCOMPARE(e.rank, 1);
        QCOMPARE(e.worldSize, 2);
        QCOMPARE(QString::fromStdString(e.masterAddr), QString("gpu07"));
        QCOMPARE(e.masterPort, 20000 + 123456 % 20000);
        vars["MASTER_ADDR"] = "127.0.0.1";  // the test cluster keeps traffic on the loopback
        QCOMPARE(QString::fromStdString(parallelEnvFrom(from).masterAddr), QString("127.0.0.1"));
        vars["SLURM_STEP_NUM_TASKS"] = "1";  // an sbatch step of one task: one process
        QCOMPARE(parallelEnvFrom(from).worldSize, 1);
        QCOMPARE(QString::fromStdString(firstHost("vm")), QString("vm"));
        QCOMPARE(QString::fromStdString(firstHost("a1,b[1-2]")), QString("a1"));
        for (const auto& [name, value] :
             std::vector<std::pair<std::string, std::string>>{{"RANK", "x"}, {"RANK", "4"}}) {
            vars = {{"RANK", "0"}, {"WORLD_SIZE", "4"}};
            vars[name] = value;
            try {
                parallelEnvFrom(from);
                QFAIL("accepted");
            } catch (const InputError& err) {
                QVERIFY2(QString(err.what()).contains(QString::fromStdString(name + "='" + value)),
                         err.what());
            }
        }
    }

    // `train --nproc 2`: one run folder, written by rank 0, that records its two ranks; a stop
    // (SIGTERM to the launcher, passed to the ranks) checkpoints, and `--resume --nproc 2`
    // ends with the figures of the run that was never stopped.
    void nprocRunsOneRunOnTwoRanksAndResumes() {
        QTemporaryDir tmp;
        const QString cli = qEnvironmentVariable("FEWDATA_CLI");
        QProcess whole;
        whole.start(cli, tinyRun(tmp.filePath("whole"), 4) << "--nproc" << "2");
        QVERIFY(whole.waitForFinished(600000));
        QVERIFY2(whole.exitCode() == 0, whole.readAllStandardError().constData());
        const auto w = result(tmp.filePath("whole"));
        QCOMPARE(w.value("world_size", 0), 2);
        QCOMPARE(QString::fromStdString(w.value("status", "")), QString("finished"));
        // Chance is 10 %; 500 test images put its 99 % bound near 14 %.
        QVERIFY2(w.value("test_accuracy", 0.0) > 14.0, w.dump().c_str());

        const QString stopped = tmp.filePath("stopped");
        QProcess first;
        first.start(cli, tinyRun(stopped, 4) << "--nproc" << "2");
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(stopped + "/metrics.jsonl").size() > 0, 300000);
        ::kill(pid_t(first.processId()), SIGTERM);
        QVERIFY(first.waitForFinished(120000));
        QCOMPARE(first.exitCode(), 4);
        QVERIFY(!QFileInfo::exists(stopped + "/result.json") ||
                result(stopped).value("status", "") != "finished");
        QProcess again;
        again.start(cli, {"train", "--resume", stopped, "--nproc", "2"});
        QVERIFY(again.waitForFinished(600000));
        QVERIFY2(again.exitCode() == 0, again.readAllStandardError().constData());
        const auto r = result(stopped);
        QVERIFY(r.value("resumed_from_epoch", 0) >= 1);
        for (const char* key : {"val_accuracy", "test_accuracy", "test_accuracy_last"})
            QVERIFY2(r[key] == w[key], (std::string(key) + ": " + r.dump()).c_str());
    }

    // A rank killed mid-run: the run ends within the rank timeout, the message names the rank,
    // and what rank 0 wrote is kept.
    void aRankThatDiesEndsTheRun() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("run");
        QProcess p;
        p.start(qEnvironmentVariable("FEWDATA_CLI"),
                tinyRun(out, 40) << "--nproc" << "2" << "--rank-timeout" << "30");
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(out + "/metrics.jsonl").size() > 0, 300000);
        const pid_t victim = rankPid(p.processId(), 1);
        QVERIFY(victim > 0);
        QElapsedTimer t;
        t.start();
        ::kill(victim, SIGKILL);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 3);
        const QString err = p.readAllStandardError();
        QVERIFY2(err.contains("rank 1 of 2 was ended by signal 9"), qPrintable(err));
        QVERIFY2(t.elapsed() < 90000, qPrintable(QString::number(t.elapsed())));
        QVERIFY(QFileInfo(out + "/config.json").size() > 0);
        QVERIFY(QFileInfo(out + "/metrics.jsonl").size() > 0);
    }

    // Rank 0 waits for a rank 1 that never comes: an error naming the address, in bounded time.
    void aMissingRankEndsTheWait() {
        ParallelEnv env;
        env.worldSize = 2;
        env.masterPort = testPort(50);
        const auto t0 = std::chrono::steady_clock::now();
        try {
            DataParallel dp(env, std::chrono::seconds(3));
            QFAIL("joined without rank 1");
        } catch (const std::runtime_error& e) {
            const double waited =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            QVERIFY2(QString(e.what()).contains("did not meet at 127.0.0.1:"), e.what());
            QVERIFY2(waited < 30, qPrintable(QString::number(waited)));
        }
    }
};

QTEST_GUILESS_MAIN(TestDataParallel)
#include "test_data_parallel.moc"
