// Image datasets on disk: an ImageFolder tree (root/<class>/<image>, optional root/test/<class>/)
// and the VIPriors layout (train/<wnid>/, val/<wnid>/ as labelled test, test/imgs/ unlabelled).
#pragma once

#include "core/data/dataset_source.h"

namespace fewdata {

enum class FolderLayout { Auto, ImageFolder, VIPriors };

FolderLayout parseFolderLayout(const std::string& name);  // auto | imagefolder | vipriors

class ImageFolderSource : public DatasetSource {
public:
    // Scans the tree (no decoding). Throws InputError naming the path for a missing or
    // unreadable root, a tree without class folders, an empty class folder, or a test class
    // the training classes do not have.
    ImageFolderSource(const std::string& root, FolderLayout layout);

    const DatasetIndex& index() const override { return index_; }
    DecodedImages decode(const std::vector<SampleRef>& samples, const ImageGeometry& g,
                         const std::atomic<bool>* cancel) const override;

    // VIPriors only: the unlabelled test images (test/imgs), for a submission file.
    const std::vector<std::string>& unlabelledTest() const { return unlabelled_; }

private:
    DatasetIndex index_;
    std::vector<std::string> unlabelled_;
};

}  // namespace fewdata
