#include "imaging/folder_prediction.h"

#include <algorithm>
#include <filesystem>

#include "core/base/errors.h"
#include "imaging/image_decode.h"

namespace fewdata {

FolderPredictions predictFolder(RunPredictor& predictor, const std::string& dir,
                                const std::atomic<bool>* cancel) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError("'" + dir + "' is not a folder of images");
    std::vector<SampleRef> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file() && hasImageExtension(e.path().string()))
            files.push_back({e.path().string(), -1});
    if (ec) throw InputError("cannot list '" + dir + "': " + ec.message());
    if (files.empty()) throw InputError("'" + dir + "' holds no image file");
    std::sort(files.begin(), files.end(),
              [](const SampleRef& a, const SampleRef& b) { return a.id < b.id; });

    FolderPredictions out;
    constexpr size_t kChunk = 512;
    for (size_t start = 0; start < files.size(); start += kChunk) {
        if (cancel && cancel->load()) throw Cancelled();
        const std::vector<SampleRef> chunk(files.begin() + start,
                                           files.begin() + std::min(files.size(), start + kChunk));
        DecodedImages decoded = decodeImageFiles(chunk, predictor.geometry(), cancel);
        out.skipped.insert(out.skipped.end(), decoded.skipped.begin(), decoded.skipped.end());
        if (decoded.kept.empty()) continue;
        const auto labels = predictor.predict(decoded.images);
        for (size_t i = 0; i < decoded.kept.size(); ++i)
            out.predictions.push_back(
                {fs::path(chunk[decoded.kept[i]].id).filename().string(), labels[i]});
    }
    return out;
}

}  // namespace fewdata
