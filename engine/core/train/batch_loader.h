// The batches of one epoch, formed in order on a thread of their own while the network trains
// on the previous one, at most `depth` ahead. The loader is the only user of the run's batch
// generator during the epoch, so the batches are the same, draw for draw, as when they are
// formed inline (prefetch off), and the generator's state at the epoch's end, which a
// checkpoint keeps, does not depend on it.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "core/train/objective.h"

namespace fewdata {

class BatchLoader {
public:
    using Former = std::function<TrainBatch(int64_t batch)>;
    // background false: next() forms each batch when asked, on the caller's thread.
    BatchLoader(Former form, int64_t batches, bool background, size_t depth = 2);
    ~BatchLoader();  // stops forming and joins
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    // The next batch, in order; rethrows what forming it threw.
    TrainBatch next();

    // Batches formed on loader threads so far in this process (the tests' proof that the
    // background path ran).
    static int64_t formedInBackground();

private:
    void work();

    Former form_;
    int64_t batches_;
    size_t depth_;
    int64_t taken_ = 0;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<TrainBatch> ready_;
    std::exception_ptr error_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace fewdata
