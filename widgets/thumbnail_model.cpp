#include "thumbnail_model.h"

#include <QFileInfo>
#include <QPainter>
#include <QTimer>
#include <algorithm>
#include <unordered_map>

#include "tensor_image.h"

namespace fewdata {

QImage brokenImageMark(QSize size) {
    QImage mark(size, QImage::Format_RGB32);
    mark.fill(Qt::white);
    QPainter p(&mark);
    const int w = mark.width(), h = mark.height();
    p.setPen(QPen(QColor(200, 40, 40), std::max(1, w / 24)));
    p.drawRect(1, 1, w - 3, h - 3);
    p.drawLine(w / 4, h / 4, 3 * w / 4, 3 * h / 4);
    p.drawLine(3 * w / 4, h / 4, w / 4, 3 * h / 4);
    return mark;
}
namespace {

constexpr int kChunk = 64;
constexpr int kShownSide = 64;
// Rows asked for while scrolling fast that were never decoded are forgotten beyond this many;
// a view asks again for what it still shows.
constexpr size_t kMaxQueued = 512;

}  // namespace

ThumbnailModel::ThumbnailModel(QObject* parent) : QAbstractListModel(parent), cache_(64 * 1024) {}

void ThumbnailModel::addChunk(const Chunk& chunk) {
    inFlight_.clear();
    int lo = int(rows_.size()), hi = -1;
    for (size_t k = 0; k < chunk.decoded.kept.size(); ++k) {
        const int row = chunk.rows[chunk.decoded.kept[k]];
        QImage img = toQImage(chunk.decoded.images[int64_t(k)]);
        // Small images (28 px) are enlarged with visible pixels, not blurred.
        if (img.width() < kShownSide)
            img = img.scaled(kShownSide, kShownSide, Qt::KeepAspectRatio,
                             Qt::FastTransformation);
        const int cost = std::max(1, int(img.sizeInBytes() / 1024));  // KiB of 64 MiB
        cache_.insert(row, new QImage(std::move(img)), cost);
        ++decoded_;
        lo = std::min(lo, row);
        hi = std::max(hi, row);
    }
    std::unordered_map<std::string, int> rowOf;
    for (int row : chunk.rows) rowOf[rows_[size_t(row)]->id] = row;
    for (const SkippedFile& s : chunk.decoded.skipped) {
        const auto it = rowOf.find(s.id);
        if (it == rowOf.end() || failed_.contains(it->second)) continue;
        failed_.insert(it->second);
        lo = std::min(lo, it->second);
        hi = std::max(hi, it->second);
        emit unreadable(QString::fromStdString(s.id), QString::fromStdString(s.reason));
    }
    if (hi >= lo) emit dataChanged(index(lo), index(hi), {Qt::DecorationRole});
    emit thumbnailsDecoded(decoded_);
    startNextChunk();
}

void ThumbnailModel::setSource(std::shared_ptr<const DatasetSource> source, int thumbSide) {
    chunks_.invalidate();  // a running chunk finishes early; its result is dropped
    beginResetModel();
    source_ = std::move(source);
    rows_.clear();
    fromTestSet_.clear();
    if (source_) {
        const DatasetIndex& ix = source_->index();
        rows_.reserve(ix.pool.size() + ix.test.size());
        for (const SampleRef& s : ix.pool) rows_.push_back(&s);
        fromTestSet_.assign(ix.pool.size(), false);
        for (const SampleRef& s : ix.test) rows_.push_back(&s);
        fromTestSet_.resize(rows_.size(), true);
        const int side = std::min({thumbSide, ix.native.height, ix.native.width});
        thumbGeometry_ = {ix.native.channels, side, side};
    }
    tags_.resize(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i)
        tags_[i] = fromTestSet_[i] ? SplitTag::Test : SplitTag::Pool;
    cache_.clear();
    queue_.clear();
    queued_.clear();
    inFlight_.clear();  // the running chunk belongs to the old source: its rows mean nothing
    failed_.clear();
    decoded_ = 0;
    placeholder_ = QImage(std::max(kShownSide, thumbGeometry_.width),
                          std::max(kShownSide, thumbGeometry_.height), QImage::Format_RGB32);
    placeholder_.fill(QColor(235, 235, 235));
    broken_ = brokenImageMark(placeholder_.size());
    endResetModel();
}

void ThumbnailModel::setSplits(const std::vector<SampleRef>& train,
                               const std::vector<SampleRef>& val,
                               const std::vector<SampleRef>& test) {
    std::unordered_map<std::string, SplitTag> tagOf;
    for (const auto& s : train) tagOf[s.id] = SplitTag::Train;
    for (const auto& s : val) tagOf[s.id] = SplitTag::Val;
    for (const auto& s : test) tagOf[s.id] = SplitTag::Test;
    for (size_t i = 0; i < rows_.size(); ++i) {
        const auto it = tagOf.find(rows_[i]->id);
        tags_[i] = it != tagOf.end() ? it->second
                   : fromTestSet_[i] ? SplitTag::Test
                                     : SplitTag::Pool;
    }
    if (!rows_.empty()) emit dataChanged(index(0), index(int(rows_.size()) - 1), {SplitRole});
}

int ThumbnailModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

const SampleRef& ThumbnailModel::sample(int row) const {
    return *rows_.at(size_t(row));
}

QVariant ThumbnailModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const int row = index.row();
    const SampleRef& s = *rows_[size_t(row)];
    switch (role) {
        case Qt::DecorationRole: {
            if (const QImage* img = cache_.object(row)) return *img;
            if (failed_.contains(row)) return broken_;
            request(row);
            return placeholder_;
        }
        case Qt::ToolTipRole: {
            const auto& classes = source_->index().classes;
            const QString cls = s.label >= 0 && size_t(s.label) < classes.size()
                                    ? QString::fromStdString(classes[size_t(s.label)])
                                    : QString();
            return QStringLiteral("%1\n%2").arg(cls, QString::fromStdString(s.id));
        }
        case ClassRole:
            return qlonglong(s.label);
        case SplitRole:
            return int(tags_[size_t(row)]);
        case IdRole:
            return QString::fromStdString(s.id);
        case FromTestSetRole:
            return bool(fromTestSet_[size_t(row)]);
        default:
            return {};
    }
}

void ThumbnailModel::request(int row) const {
    if (queued_.contains(row) ||
        std::find(inFlight_.begin(), inFlight_.end(), row) != inFlight_.end())
        return;
    queue_.push_back(row);
    queued_.insert(row);
    if (queue_.size() > kMaxQueued) {
        for (size_t i = 0; i < queue_.size() - kMaxQueued; ++i) queued_.remove(queue_[i]);
        queue_.erase(queue_.begin(), queue_.end() - kMaxQueued);
    }
    // data() is const and may be called while painting: start work from the event loop.
    if (!chunks_.busy() && inFlight_.empty())
        QTimer::singleShot(0, const_cast<ThumbnailModel*>(this), &ThumbnailModel::startNextChunk);
}

void ThumbnailModel::startNextChunk() {
    if (chunks_.busy() || !inFlight_.empty() || queue_.empty() || !source_) return;
    // Newest requests first: they are what the view shows now.
    std::vector<SampleRef> samples;
    while (!queue_.empty() && inFlight_.size() < size_t(kChunk)) {
        const int row = queue_.back();
        queue_.pop_back();
        queued_.remove(row);
        if (cache_.contains(row) || failed_.contains(row)) continue;
        inFlight_.push_back(row);
        samples.push_back(*rows_[size_t(row)]);
    }
    if (inFlight_.empty()) return;
    auto source = source_;
    const ImageGeometry g = thumbGeometry_;
    Chunk chunk;
    chunk.rows = inFlight_;
    // After a new source, this waits for the old source's chunk to stop.
    const auto decode = [source, g, samples, chunk](const std::atomic<bool>* cancel) mutable {
        // An exception (a cancel among them) must not reach result() or the destructor's
        // wait: the chunk comes back empty, and a cancelled one is stale anyway.
        try {
            chunk.decoded = source->decode(samples, g, cancel);
        } catch (const std::exception& e) {
            chunk.decoded = DecodedImages{};
            if (!cancel->load())
                for (const SampleRef& s : samples)
                    chunk.decoded.skipped.push_back({s.id, e.what()});
        }
        return chunk;
    };
    chunks_.request(decode, [this](const Chunk& c) { addChunk(c); });
}

std::vector<ThumbnailModel::Counts> ThumbnailModel::countsPerClass() const {
    std::vector<Counts> counts(source_ ? source_->index().classes.size() : 0);
    for (size_t i = 0; i < rows_.size(); ++i) {
        const int64_t label = rows_[i]->label;
        if (label < 0 || size_t(label) >= counts.size()) continue;
        Counts& c = counts[size_t(label)];
        if (!fromTestSet_[i]) ++c.pool;
        switch (tags_[i]) {
            case SplitTag::Train:
                ++c.train;
                break;
            case SplitTag::Val:
                ++c.val;
                break;
            case SplitTag::Test:
                ++c.test;
                break;
            case SplitTag::Pool:
                break;
        }
    }
    return counts;
}

}  // namespace fewdata
