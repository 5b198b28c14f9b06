#include "core/train/batch_loader.h"

#include "core/base/runtime.h"

#include <atomic>

namespace fewdata {
namespace {
std::atomic<int64_t> backgroundCount{0};
}  // namespace

int64_t BatchLoader::formedInBackground() {
    return backgroundCount.load();
}

BatchLoader::BatchLoader(Former form, int64_t batches, bool background, size_t depth)
    : form_(std::move(form)), batches_(batches), depth_(std::max<size_t>(1, depth)) {
    if (background && batches_ > 0) thread_ = std::thread([this] { work(); });
}

BatchLoader::~BatchLoader() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void BatchLoader::work() {
    // The compute threads keep the cores; forming a batch is small work that fills their gaps.
    runAsHelperThread();
    for (int64_t b = 0; b < batches_; ++b) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [&] { return stop_ || ready_.size() < depth_; });
            if (stop_) return;
        }
        TrainBatch batch;
        try {
            batch = form_(b);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            error_ = std::current_exception();
            changed_.notify_all();
            return;
        }
        ++backgroundCount;
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.push_back(std::move(batch));
        changed_.notify_all();
    }
}

TrainBatch BatchLoader::next() {
    TORCH_CHECK(taken_ < batches_, "the epoch has only ", batches_, " batches");
    if (!thread_.joinable()) return form_(taken_++);
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !ready_.empty() || error_; });
    if (ready_.empty()) std::rethrow_exception(error_);
    TrainBatch batch = std::move(ready_.front());
    ready_.pop_front();
    ++taken_;
    changed_.notify_all();
    return batch;
}

}  // namespace fewdata
