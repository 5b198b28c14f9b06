#include "core/train/training_state.h"
#include "core/base/file_read.h"
#include "core/base/json_text.h"

#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/errors.h"

namespace fewdata {
namespace {

torch::Tensor scalar(double v) {
    return torch::tensor({v}, torch::kFloat64);
}
torch::Tensor scalar(int64_t v) {
    return torch::tensor({v}, torch::kInt64);
}

void setGeneratorState(at::Generator g, const torch::Tensor& state) {
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_state(state);
}

}  // namespace

torch::Tensor generatorSnapshot(at::Generator g) {
    std::lock_guard<std::mutex> lock(g.mutex());
    return g.get_state();
}

void saveTrainingState(const std::string& dir, const TrainingProgress& p,
                       const TrainingStateParts& parts) {
    torch::serialize::OutputArchive archive;
    archive.write("format", scalar(int64_t(1)));
    archive.write("epoch", scalar(int64_t(p.epoch)));
    archive.write("steps", scalar(p.steps));
    archive.write("best_epoch", scalar(int64_t(p.bestEpoch)));
    archive.write("best_val_accuracy", scalar(p.bestValAccuracy));
    archive.write("best_val_loss", scalar(p.bestValLoss));
    archive.write("val_accuracy_last", scalar(p.valAccuracyLast));
    archive.write("seconds", scalar(p.seconds));
    archive.write("best_is_ema", scalar(int64_t(p.bestIsEma ? 1 : 0)));
    for (size_t i = 0; i < parts.modules.size(); ++i) {
        torch::serialize::OutputArchive module;
        parts.modules[i]->save(module);
        archive.write("module" + std::to_string(i), module);
    }
    torch::serialize::OutputArchive optimizer;
    parts.optimizer->save(optimizer);
    archive.write("optimizer", optimizer);
    archive.write("best_count", scalar(int64_t(parts.best->tensors.size())));
    for (size_t i = 0; i < parts.best->tensors.size(); ++i)
        archive.write("best" + std::to_string(i), parts.best->tensors[i], /*is_buffer=*/true);
    if (parts.ema) {
        archive.write("ema_count", scalar(int64_t(parts.ema->tensors.size())));
        for (size_t i = 0; i < parts.ema->tensors.size(); ++i)
            archive.write("ema" + std::to_string(i), parts.ema->tensors[i], /*is_buffer=*/true);
    }
    const bool inEpoch = p.epochOrder.defined();
    if (inEpoch) {
        archive.write("epoch_order", p.epochOrder.cpu(), true);
        archive.write("batch_in_epoch", scalar(p.batchInEpoch));
        archive.write("partial_loss", scalar(p.partialLoss));
        archive.write("partial_correct", scalar(p.partialCorrect));
        archive.write("partial_seen", scalar(p.partialSeen));
    }
    archive.write("batch_generator",
                  inEpoch ? p.streamState : generatorSnapshot(parts.batchGenerator), true);
    archive.write("cpu_generator", generatorSnapshot(at::detail::getDefaultCPUGenerator()), true);
    writeBytesAtomically(dir + "/" + kTrainingStateFile,
                         [&](const ByteSink& out) { archive.save_to(out); });

    const nlohmann::json j = {{"epoch", p.epoch},
                              {"steps", p.steps},
                              {"best_epoch", p.bestEpoch},
                              {"best_val_accuracy", p.bestValAccuracy},
                              {"seconds", p.seconds},
                              {"batch_in_epoch", inEpoch ? p.batchInEpoch : 0}};
    writeFileAtomically(dir + "/" + kTrainingProgressFile, jsonText(j, 2) + "\n");
}

TrainingProgress loadTrainingState(const std::string& dir, const TrainingStateParts& parts) {
    const std::string path = dir + "/" + kTrainingStateFile;
    TrainingProgress p;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path, parts.device);
        auto read = [&](const char* key) {
            torch::Tensor t;
            archive.read(key, t);
            return t;
        };
        if (read("format").item<int64_t>() != 1)
            throw InputError("checkpoint '" + path + "' is of another format");
        p.epoch = int(read("epoch").item<int64_t>());
        p.steps = read("steps").item<int64_t>();
        p.bestEpoch = int(read("best_epoch").item<int64_t>());
        p.bestValAccuracy = read("best_val_accuracy").item<double>();
        p.bestValLoss = read("best_val_loss").item<double>();
        p.valAccuracyLast = read("val_accuracy_last").item<double>();
        p.seconds = read("seconds").item<double>();
        torch::Tensor bestIsEma;
        p.bestIsEma = archive.try_read("best_is_ema", bestIsEma) && bestIsEma.item<int64_t>() != 0;
        for (size_t i = 0; i < parts.modules.size(); ++i) {
            torch::serialize::InputArchive module;
            archive.read("module" + std::to_string(i), module);
            parts.modules[i]->load(module);
        }
        torch::serialize::InputArchive optimizer;
        archive.read("optimizer", optimizer);
        parts.optimizer->load(optimizer);
        const int64_t count = read("best_count").item<int64_t>();
        parts.best->tensors.clear();
        for (int64_t i = 0; i < count; ++i) {
            torch::Tensor t;
            archive.read("best" + std::to_string(i), t, /*is_buffer=*/true);
            parts.best->tensors.push_back(t);
        }
        if (parts.ema) {
            const int64_t emaCount = read("ema_count").item<int64_t>();
            if (emaCount != int64_t(parts.ema->tensors.size()))
                throw InputError("checkpoint '" + path + "' holds a weight average of " +
                                 std::to_string(emaCount) + " tensors, the run has " +
                                 std::to_string(parts.ema->tensors.size()));
            for (int64_t i = 0; i < emaCount; ++i)
                archive.read("ema" + std::to_string(i), parts.ema->tensors[size_t(i)],
                             /*is_buffer=*/true);
        }
        // Older checkpoints, and those at an epoch's end, have no epoch in progress.
        torch::Tensor order;
        if (archive.try_read("epoch_order", order, /*is_buffer=*/true)) {
            p.epochOrder = order.cpu();
            p.batchInEpoch = read("batch_in_epoch").item<int64_t>();
            p.partialLoss = read("partial_loss").item<double>();
            p.partialCorrect = read("partial_correct").item<double>();
            p.partialSeen = read("partial_seen").item<int64_t>();
        }
        setGeneratorState(parts.batchGenerator, read("batch_generator").cpu());
        setGeneratorState(at::detail::getDefaultCPUGenerator(), read("cpu_generator").cpu());
    } catch (const c10::Error& e) {
        throw InputError("cannot resume from checkpoint '" + path +
                         "': it is unreadable or was written by another model (" +
                         e.what_without_backtrace() + ")");
    }
    return p;
}

bool hasCheckpoint(const std::string& dir) {
    std::error_code ec;
    return std::filesystem::exists(dir + "/" + kTrainingStateFile, ec);
}

int checkpointEpoch(const std::string& dir) {
    try {
        return readJsonFile(dir + "/" + kTrainingProgressFile).at("epoch").get<int>();
    } catch (const std::exception&) {
        return -1;
    }
}

}  // namespace fewdata
