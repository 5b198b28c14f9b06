#include "imaging/dataset_factory.h"

#include "core/run/train_job.h"
#include "imaging/image_folder_source.h"

namespace fewdata {

std::unique_ptr<DatasetSource> openDataset(const TrainConfig& config) {
    if (config.dataset == "fashion-mnist") return openCoreDataset(config);
    return std::make_unique<ImageFolderSource>(config.dataset, parseFolderLayout(config.layout));
}

}  // namespace fewdata
