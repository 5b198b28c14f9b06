#include "imaging/image_folder_source.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/base/errors.h"
#include "imaging/image_decode.h"

namespace fs = std::filesystem;

namespace fewdata {
namespace {

std::vector<fs::path> sortedEntries(const fs::path& dir, bool wantDirs) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) throw InputError("cannot read folder '" + dir.string() + "': " + ec.message());
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        std::error_code typeEc;
        const bool isDir = entry.is_directory(typeEc);
        if (wantDirs ? isDir : (!isDir && hasImageExtension(name))) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool hasSubfolders(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && !sortedEntries(dir, true).empty();
}

// Lists root/<class>/<images>; returns the class names in sorted order.
std::vector<std::string> scanClassTree(const fs::path& root, std::vector<SampleRef>& out,
                                       const std::map<std::string, int64_t>* knownClasses,
                                       const std::string& skipName = {}) {
    std::vector<std::string> classes;
    for (const auto& dir : sortedEntries(root, true)) {
        const std::string name = dir.filename().string();
        if (name == skipName) continue;
        const auto files = sortedEntries(dir, false);
        if (files.empty())
            throw InputError("class folder '" + dir.string() +
                             "' holds no images (.jpg, .jpeg, .png, .bmp, .webp)");
        int64_t label = static_cast<int64_t>(classes.size());
        if (knownClasses) {
            const auto it = knownClasses->find(name);
            if (it == knownClasses->end())
                throw InputError("test folder '" + dir.string() + "' is a class ('" + name +
                                 "') that the training folders do not have");
            label = it->second;
        }
        classes.push_back(name);
        for (const auto& f : files) out.push_back({f.string(), label});
    }
    return classes;
}

}  // namespace

FolderLayout parseFolderLayout(const std::string& name) {
    if (name == "auto") return FolderLayout::Auto;
    if (name == "imagefolder") return FolderLayout::ImageFolder;
    if (name == "vipriors") return FolderLayout::VIPriors;
    throw InputError("unknown dataset layout '" + name + "'; allowed: auto, imagefolder, vipriors");
}

ImageFolderSource::ImageFolderSource(const std::string& rootText, FolderLayout layout) {
    const fs::path root(rootText);
    std::error_code ec;
    if (!fs::exists(root, ec)) throw InputError("dataset folder '" + rootText + "' does not exist");
    if (!fs::is_directory(root, ec))
        throw InputError("dataset path '" + rootText + "' is not a folder");
    if (layout == FolderLayout::Auto)
        layout = hasSubfolders(root / "train") && hasSubfolders(root / "val")
                     ? FolderLayout::VIPriors
                     : FolderLayout::ImageFolder;
    index_.root = rootText;
    index_.native = {3, 64, 64};
    std::map<std::string, int64_t> classIds;
    const auto remember = [&] {
        for (size_t i = 0; i < index_.classes.size(); ++i) classIds[index_.classes[i]] = int64_t(i);
    };

    if (layout == FolderLayout::VIPriors) {
        index_.name = "vipriors";
        if (!hasSubfolders(root / "train"))
            throw InputError("VIPriors folder '" + rootText + "' has no train/<wnid>/ folders");
        index_.classes = scanClassTree(root / "train", index_.pool, nullptr);
        remember();
        if (!hasSubfolders(root / "val"))
            throw InputError("VIPriors folder '" + rootText +
                             "' has no val/<wnid>/ folders (the labelled test split)");
        scanClassTree(root / "val", index_.test, &classIds);
        index_.testSplit = TestSplit::Separate;
        if (fs::is_directory(root / "test" / "imgs", ec))
            for (const auto& f : sortedEntries(root / "test" / "imgs", false))
                unlabelled_.push_back(f.string());
        return;
    }

    index_.name = "imagefolder";
    // root/test/<class>/ is the test split when it has class folders; otherwise "test" is a class.
    const bool separateTest = hasSubfolders(root / "test");
    index_.classes = scanClassTree(root, index_.pool, nullptr, separateTest ? "test" : "");
    if (index_.classes.empty())
        throw InputError("dataset folder '" + rootText +
                         "' has no class folders (expected root/<class>/<image>)");
    remember();
    if (separateTest) {
        scanClassTree(root / "test", index_.test, &classIds);
        index_.testSplit = TestSplit::Separate;
    } else {
        index_.testSplit = TestSplit::Remainder;
    }
}

DecodedImages ImageFolderSource::decode(const std::vector<SampleRef>& samples,
                                        const ImageGeometry& g,
                                        const std::atomic<bool>* cancel) const {
    return decodeImageFiles(samples, g, cancel);
}

}  // namespace fewdata
