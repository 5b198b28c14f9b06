// Every image of a dataset as a list model whose thumbnails are decoded lazily: only rows a
// view asks for are decoded, in chunks, on a worker thread, so a folder of 70,000 images
// opens at once and scrolls while pictures arrive. Decoded thumbnails are kept in a cache of
// 64 MiB; unreadable files are reported once with the reason.
#pragma once

#include <QAbstractListModel>
#include <QCache>
#include <QImage>
#include <QSet>
#include <memory>
#include <vector>

#include "core/data/dataset_source.h"
#include "latest_result.h"

namespace fewdata {

// Where an image cannot be read: a red crossed frame on white, not a blank square (which reads
// as "still decoding"). Shared by the dataset grid and the run details' gallery.
QImage brokenImageMark(QSize size);

// Where a protocol draw put an image.
enum class SplitTag { Pool, Train, Val, Test };

class ThumbnailModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { ClassRole = Qt::UserRole + 1, SplitRole, IdRole, FromTestSetRole };

    explicit ThumbnailModel(QObject* parent = nullptr);

    // The source's pool and, when it has one, its separate test set. Thumbnails are decoded
    // at `thumbSide` pixels (native size when the images are smaller).
    void setSource(std::shared_ptr<const DatasetSource> source, int thumbSide = 96);
    // Marks the images of a protocol draw; all others become Pool again (or Test where the
    // source's test set is separate).
    void setSplits(const std::vector<SampleRef>& train, const std::vector<SampleRef>& val,
                   const std::vector<SampleRef>& test);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

    const SampleRef& sample(int row) const;
    SplitTag split(int row) const { return tags_[size_t(row)]; }
    // Per class: images in the pool, train, val, test.
    struct Counts {
        int pool = 0, train = 0, val = 0, test = 0;
    };
    std::vector<Counts> countsPerClass() const;
    int decodedCount() const { return decoded_; }
    int pendingCount() const { return int(queue_.size() + inFlight_.size()); }

signals:
    void unreadable(const QString& id, const QString& reason);
    // A chunk of thumbnails arrived (for benchmarks and progress).
    void thumbnailsDecoded(int total);

private:
    void request(int row) const;
    void startNextChunk();
    struct Chunk {
        std::vector<int> rows;
        DecodedImages decoded;
    };
    void addChunk(const Chunk& chunk);

    std::shared_ptr<const DatasetSource> source_;
    std::vector<const SampleRef*> rows_;
    std::vector<SplitTag> tags_;
    std::vector<bool> fromTestSet_;
    ImageGeometry thumbGeometry_;
    mutable QCache<int, QImage> cache_;
    mutable std::vector<int> queue_;  // rows asked for and not yet decoding, newest last
    mutable QSet<int> queued_;
    std::vector<int> inFlight_;
    QSet<int> failed_;
    int decoded_ = 0;
    QImage placeholder_;
    QImage broken_;
    // One chunk decodes at a time; a new source cancels the running one and drops its result.
    // Last: its destructor waits for the running chunk, which reads nothing of the above.
    LatestResult<Chunk> chunks_;
};

}  // namespace fewdata
