#include "core/run/run_folder.h"
#include "core/base/file_read.h"

#include <chrono>
#include <thread>
#include "core/base/json_text.h"

#include <torch/torch.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/config/config.h"
#include "core/train/training_state.h"

namespace fs = std::filesystem;

namespace fewdata {

void RunFolder::checkFree(const std::string& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return;
    if (!fs::is_directory(dir, ec))
        throw InputError("run folder '" + dir + "' exists and is not a folder");
    if (!fs::is_empty(dir, ec))
        throw InputError("run folder '" + dir +
                         "' already exists and is not empty; runs are never overwritten, choose "
                         "another --out");
}

RunFolder::RunFolder(const std::string& dir) : dir_(dir) {
    checkFree(dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw InputError("cannot create run folder '" + dir + "': " + ec.message());
    // Checking and creating are two steps; an exclusively created marker makes the claim
    // atomic, so two runs started with the same --out cannot share the folder.
    const std::string marker = path(kClaimMarker);
    const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            throw InputError("run folder '" + dir + "' was just claimed by another run");
        throw InputError("cannot write in run folder '" + dir + "': " + std::strerror(errno));
    }
    ::close(fd);
    lock("claim");
}

void RunFolder::lock(const std::string& what) {
    const std::string marker = path(kClaimMarker);
    const int fd = ::open(marker.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw InputError("cannot " + what + " run folder '" + dir_ + "': " + kClaimMarker + ": " +
                         std::strerror(errno));
    // isLocked() probes with a lock of its own for an instant (the window's study states):
    // a few tries tell such a probe from a run that holds the folder.
    int tries = 0;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK || ++tries >= 20) {
            ::close(fd);
            throw InputError("run folder '" + dir_ + "' is in use by a run that is still going");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    lock_ = std::shared_ptr<int>(new int(fd), [](int* p) {
        ::close(*p);  // releases the lock
        delete p;
    });
}

bool RunFolder::isLocked(const std::string& dir) {
    const int fd = ::open((fs::path(dir) / kClaimMarker).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
    ::close(fd);
    return locked;
}

RunFolder RunFolder::reopen(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError("run folder '" + dir + "' does not exist");
    if (!fs::exists(fs::path(dir) / kClaimMarker, ec) ||
        !fs::exists(fs::path(dir) / "config.json", ec))
        throw InputError("'" + dir + "' is not a run folder (no " + kClaimMarker +
                         " or config.json)");
    RunFolder f;
    f.dir_ = dir;
    f.lock("resume");
    // A write the crash interrupted left its temporary file (atomic_file.cpp's name.tmp-PID);
    // the target itself is whole, old or new.
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename().string().find(".tmp-") != std::string::npos)
            fs::remove(e.path(), ec);
    if (fs::exists(f.path("result.json"), ec)) {
        std::string status;
        try {
            status = readJsonFile(f.path("result.json")).value("status", "");
        } catch (const std::exception&) {
        }
        if (statusFromName(status) == RunStatus::Finished)
            throw InputError("run '" + dir + "' has finished; there is nothing to resume");
    }
    if (fs::exists(f.path("metrics.jsonl"), ec)) f.metrics_ = readRegularFile(f.path("metrics.jsonl"));
    return f;
}

std::vector<EpochMetrics> RunFolder::keepEpochsUpTo(int epoch) {
    std::istringstream in(metrics_);
    std::string line, kept;
    std::vector<EpochMetrics> epochs;
    while (std::getline(in, line)) {
        EpochMetrics m;
        try {
            const auto j = nlohmann::json::parse(line);
            m.epoch = j.at("epoch").get<int>();
            if (m.epoch > epoch) continue;
            m.trainLoss = j.value("train_loss", 0.0);
            m.trainAccuracy = j.value("train_accuracy", -1.0);
            m.valLoss = j.value("val_loss", -1.0);
            m.valAccuracy = j.value("val_accuracy", -1.0);
            m.lr = j.value("lr", 0.0);
            m.seconds = j.value("seconds", 0.0);
            m.imagesPerSecond = j.value("images_per_second", 0.0);
            m.best = j.value("best", false);
            m.stage = j.value("stage", "");
        } catch (const nlohmann::json::exception&) {
            continue;  // an unreadable line cannot be trusted
        }
        kept += line + "\n";
        epochs.push_back(m);
    }
    metrics_ = kept;
    writeFileAtomically(path("metrics.jsonl"), metrics_);
    return epochs;
}

void RunFolder::writeJson(const std::string& name, const nlohmann::json& j) const {
    writeFileAtomically(path(name), jsonText(j, 2) + "\n");
}

void RunFolder::appendMetrics(const nlohmann::json& line) {
    metrics_ += jsonText(line) + "\n";
    writeFileAtomically(path("metrics.jsonl"), metrics_);
}

void RunFolder::appendEpoch(const EpochMetrics& m) {
    nlohmann::json line = {{"epoch", m.epoch},
                           {"train_loss", m.trainLoss},
                           {"val_loss", m.valLoss},
                           {"val_accuracy", m.valAccuracy},
                           {"lr", m.lr},
                           {"seconds", m.seconds},
                           {"images_per_second", m.imagesPerSecond},
                           {"best", m.best}};
    // Stages that do not classify (an encoder, meta-learning) have no accuracy to record.
    if (m.trainAccuracy >= 0) line["train_accuracy"] = m.trainAccuracy;
    if (m.valAccuracy < 0) line.erase("val_accuracy");
    if (m.valLoss < 0) line.erase("val_loss");
    if (!m.stage.empty()) line["stage"] = m.stage;
    appendMetrics(line);
}

void RunFolder::writeCheckpoint(const std::string& name, torch::nn::Module& module) const {
    writeBytesAtomically(path(name), [&](const ByteSink& out) {
        torch::serialize::OutputArchive archive;
        module.save(archive);
        archive.save_to(out);
    });
}

std::vector<UnfinishedRun> unfinishedRuns(const std::string& root) {
    std::vector<std::string> candidates = {root};
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root, ec))
        if (e.is_directory(ec)) candidates.push_back(e.path().string());
    std::vector<UnfinishedRun> found;
    for (const std::string& dir : candidates) {
        const fs::path p(dir);
        if (!fs::exists(p / RunFolder::kClaimMarker, ec) || !fs::exists(p / "config.json", ec) ||
            fs::exists(p / "result.json", ec) || RunFolder::isLocked(dir))
            continue;
        UnfinishedRun r;
        r.dir = dir;
        r.checkpointEpoch = hasCheckpoint(dir) ? std::max(0, checkpointEpoch(dir)) : -1;
        try {
            r.epochs = TrainConfig::fromFile((p / "config.json").string()).epochs;
        } catch (const std::exception&) {
            continue;  // not a config this version can run again
        }
        found.push_back(r);
    }
    std::sort(found.begin(), found.end(),
              [](const UnfinishedRun& a, const UnfinishedRun& b) { return a.dir < b.dir; });
    return found;
}

}  // namespace fewdata
