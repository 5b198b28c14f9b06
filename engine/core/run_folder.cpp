#include "core/run_folder.h"

#include <torch/torch.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/config.h"

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
}

void RunFolder::writeJson(const std::string& name, const nlohmann::json& j) const {
    writeFileAtomically(path(name), j.dump(2) + "\n");
}

void RunFolder::appendMetrics(const nlohmann::json& line) {
    metrics_ += line.dump() + "\n";
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
    writeViaTempFile(path(name), [&](const std::string& tmp) {
        torch::serialize::OutputArchive archive;
        module.save(archive);
        archive.save_to(tmp);
    });
}

}  // namespace fewdata
