// decode: images/s of the decode-and-resize step that fills the uint8 cache from an ImageFolder
// tree (OpenCV, on LibTorch's threads), over a given tree or a generated one of JPEGs the
// size of typical ImageNet photos.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <unistd.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_commands.h"
#include "core/base/runtime.h"
#include "imaging/image_folder_source.h"

namespace fewdata::bench {
namespace {

void writeTree(const std::filesystem::path& root, int images) {
    cv::RNG rng(7);
    for (int i = 0; i < images; ++i) {
        const auto dir = root / ("class" + std::to_string(i % 10));
        std::filesystem::create_directories(dir);
        // Smooth content with noise: JPEG sizes like a photo's, not like flat colour.
        cv::Mat m(375, 500, CV_8UC3);
        rng.fill(m, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(255));
        cv::Mat small;
        cv::resize(m, small, cv::Size(25, 19));
        cv::resize(small, m, cv::Size(500, 375), 0, 0, cv::INTER_CUBIC);
        cv::Mat noise(375, 500, CV_8UC3);
        rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(12));
        m += noise;
        cv::imwrite((dir / ("img" + std::to_string(i) + ".jpg")).string(), m);
    }
}

}  // namespace

int runDecode(const DecodeArgs& a) {
    const int threads = applyThreadCount(a.threads);
    const bool generated = a.dir.empty();
    const std::filesystem::path root =
        generated ? std::filesystem::temp_directory_path() /
                        ("fewdata-bench-decode-" + std::to_string(::getpid()))
                  : std::filesystem::path(a.dir);
    if (generated) writeTree(root, a.images);
    const ImageFolderSource source(root.string(), FolderLayout::ImageFolder);
    const auto& pool = source.index().pool;
    const ImageGeometry g{3, a.size, a.size};
    std::vector<double> rates;
    size_t skipped = 0;
    for (int r = 0; r < std::max(1, a.rounds); ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const DecodedImages d = source.decode(pool, g, nullptr);
        const double dt =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        rates.push_back(static_cast<double>(d.kept.size()) / dt);
        skipped = d.skipped.size();
    }
    if (generated) std::filesystem::remove_all(root);
    std::sort(rates.begin(), rates.end());
    std::printf("decode images=%zu size=%d threads=%d skipped=%zu rounds=%zu imgs_per_s=%.1f\n",
                pool.size(), a.size, threads, skipped, rates.size(), rates[rates.size() / 2]);
    return 0;
}

}  // namespace fewdata::bench
