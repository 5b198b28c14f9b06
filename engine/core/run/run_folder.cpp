#include "core/run/run_folder.h"
#include "core/base/file_read.h"

#include <chrono>
#include <thread>
#include "core/base/json_text.h"

#include <torch/torch.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/config/config.h"
#include "core/run/run_folder_claim.h"
#include "core/train/training_state.h"

namespace fs = std::filesystem;

namespace fewdata {

RunFolder::RunFolder(const std::string& dir) : dir_(dir) {
    checkFree(dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw InputError("cannot create run folder '" + dir + "': " + ec.message());
    claim("claim", /*create=*/true);
}

void RunFolder::claim(const std::string& what, bool create) {
    const int dirFd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0)
        throw InputError("cannot " + what + " run folder '" + dir_ + "': " + std::strerror(errno));
    struct stat st;
    if (::fstat(dirFd, &st) == 0) {
        dev_ = st.st_dev;
        ino_ = st.st_ino;
    }
    // Checking and creating are two steps; whoever locks the marker first holds the folder, so
    // two runs started with the same --out cannot share it. A marker left by a run that was
    // killed while it decoded (checkFree lets such a folder be taken over) is opened as it is;
    // between its creation and its lock another process can only lock it first, not move it
    // (a comparison treats a folder holding only a marker as free, not as interrupted).
    int fd = claim_marker::openMarker(dirFd, kClaimMarker, create ? O_CREAT : 0);
    const int err = errno;
    ::close(dirFd);
    if (fd < 0) {
        throw InputError("cannot " + what + " run folder '" + dir_ + "': " + kClaimMarker + ": " +
                         (err == EINVAL ? std::string("not a plain file") : std::strerror(err)));
    }
    if (!claim_marker::lockWithRetries(fd)) {
        ::close(fd);
        throw FolderBusy(create ? "run folder '" + dir_ + "' was just claimed by another run"
                                : claim_marker::busyText(dir_));
    }
    lock_ = std::shared_ptr<int>(new int(fd), [](int* p) {
        ::close(*p);  // releases the lock
        delete p;
    });
    // A marker taken over from a killed run: another run may have taken it first and be done
    // with it by now (its lock released), which leaves more than the marker.
    if (create && !claim_marker::onlyMarker(dir_)) {
        lock_.reset();
        throw FolderBusy("run folder '" + dir_ + "' was just claimed by another run");
    }
    // Another process may have set the folder aside between our open and our lock.
    struct stat now;
    if (::stat(dir_.c_str(), &now) != 0 || now.st_dev != dev_ || now.st_ino != ino_) {
        lock_.reset();
        throw FolderBusy("run folder '" + dir_ + "' was moved by another process meanwhile");
    }
}

void RunFolder::checkIdentity() const {
    struct stat st;
    if (::stat(dir_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_) return;
    throw std::runtime_error("run folder '" + dir_ +
                             "' was moved or replaced while the run was writing it; the run "
                             "stopped, what it wrote is kept in the moved folder");
}

const std::string& RunFolder::dir() const {
    checkIdentity();
    return dir_;
}

std::string RunFolder::path(const std::string& name) const {
    checkIdentity();
    return dir_ + "/" + name;
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
    f.claim("resume", /*create=*/false);
    // A write the crash interrupted left its temporary file (isTemporaryFileName);
    // the target itself is whole, old or new.
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (isTemporaryFileName(e.path().filename().string()))
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
            m.emaValLoss = j.value("ema_val_loss", -1.0);
            m.emaValAccuracy = j.value("ema_val_accuracy", -1.0);
            m.bestIsEma = j.value("best_weights", "") == "ema";
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

void RunFolder::writeConfig(const TrainConfig& config) const {
    nlohmann::json j = config.toJson();
    if (!config.features_from.empty())
        j["features_from"] = storedFeaturesFrom(dir(), config.features_from);
    writeJson("config.json", j);
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
    if (m.emaValAccuracy >= 0) {
        line["ema_val_accuracy"] = m.emaValAccuracy;
        line["ema_val_loss"] = m.emaValLoss;
        if (m.best) line["best_weights"] = m.bestIsEma ? "ema" : "raw";
    }
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
