// "The newest request's result wins", written once for every page that works in the
// background. In the manner of Qt's Mandelbrot example (its RenderThread restarts the work and
// shows only the picture of the latest parameters), with a generation counter for the tickets:
//
//   LatestResult<Scan> scan_;
//   scan_.request([path] { return scanFolder(path); },       // on Qt's thread pool
//                 [this](const Scan& s) { show(s); });        // on this (the GUI) thread
//
// One job runs at a time. A request made while one runs waits for it (only the newest waiting
// request is kept), and the running job's cancel flag is raised: work that takes a
// `const std::atomic<bool>*` is handed the flag and may stop early. A result is delivered only
// when no newer request (and no invalidate()) came since its own; an older one is dropped.
// Work must not throw: it returns its error in T. The destructor raises the cancel flag and
// waits for the running job; nothing is delivered after it.
#pragma once

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace fewdata {

// A generation counter: next() returns a new ticket and makes every older one stale.
class Generation {
public:
    using Ticket = quint64;
    Ticket next() { return ++current_; }
    Ticket current() const { return current_; }
    bool isCurrent(Ticket ticket) const { return ticket == current_; }

private:
    Ticket current_ = 0;
};

template <typename T>
class LatestResult {
public:
    LatestResult() {
        QObject::connect(&watcher_, &QFutureWatcherBase::finished, &watcher_,
                         [this] { finished(); });
    }
    ~LatestResult() {
        invalidate();
        watcher_.waitForFinished();
    }
    LatestResult(const LatestResult&) = delete;
    LatestResult& operator=(const LatestResult&) = delete;

    // Runs `work()` or `work(const std::atomic<bool>* cancel)` (returning T) on the thread
    // pool, now or when the running job ends, and calls `deliver(T)` on this object's thread
    // with its result unless a newer request or invalidate() comes first.
    template <typename Work, typename Deliver>
    Generation::Ticket request(Work work, Deliver deliver) {
        static_assert(std::is_invocable_r_v<T, Work&> ||
                          std::is_invocable_r_v<T, Work&, const std::atomic<bool>*>,
                      "work() or work(const std::atomic<bool>*) must return T");
        const Generation::Ticket ticket = generation_.next();
        waiting_ = [this, ticket, work = std::move(work), deliver = std::move(deliver)] {
            start(ticket, work, deliver);
        };
        if (running_) {
            cancel_->store(true);  // superseded: its result will be dropped anyway
            return ticket;
        }
        startWaiting();
        return ticket;
    }

    // Drops the waiting request and the running job's result, and raises its cancel flag.
    void invalidate() {
        generation_.next();
        waiting_ = nullptr;
        if (cancel_) cancel_->store(true);
    }

    // A result of the newest request is still to come (waiting, running, or not yet handled).
    bool busy() const {
        return bool(waiting_) || (running_ && generation_.isCurrent(runningTicket_));
    }
    // Whether `ticket` (from request()) is still the newest request.
    bool isCurrent(Generation::Ticket ticket) const { return generation_.isCurrent(ticket); }

private:
    template <typename Work, typename Deliver>
    void start(Generation::Ticket ticket, Work work, Deliver deliver) {
        running_ = true;
        runningTicket_ = ticket;
        deliver_ = std::move(deliver);
        cancel_ = std::make_shared<std::atomic<bool>>(false);
        auto cancel = cancel_;
        watcher_.setFuture(QtConcurrent::run([work = std::move(work), cancel]() mutable -> T {
            if constexpr (std::is_invocable_r_v<T, Work&, const std::atomic<bool>*>)
                return work(static_cast<const std::atomic<bool>*>(cancel.get()));
            else
                return work();
        }));
    }

    void startWaiting() {
        if (!waiting_) return;
        const std::function<void()> next = std::move(waiting_);
        waiting_ = nullptr;
        next();
    }

    // On this object's thread, when the running job's future has finished.
    void finished() {
        running_ = false;
        const std::function<void(T)> deliver = std::move(deliver_);
        deliver_ = nullptr;
        // A current result means nothing waits: deliver() may request again right away.
        if (generation_.isCurrent(runningTicket_) && deliver) deliver(watcher_.result());
        startWaiting();
    }

    QFutureWatcher<T> watcher_;
    Generation generation_;
    Generation::Ticket runningTicket_ = 0;
    bool running_ = false;  // from start() until finished() handled it
    std::shared_ptr<std::atomic<bool>> cancel_;  // the running (or last) job's flag
    std::function<void()> waiting_;              // starts the newest request not yet running
    std::function<void(T)> deliver_;             // the running job's callback
};

}  // namespace fewdata
