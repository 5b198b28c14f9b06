// Thumbnails of a run's samples with their true and predicted class and the model's
// confidence: a confusion-matrix cell's test images, or the training images the model gets
// wrong most surely. Images are decoded off the GUI thread; double-click shows one large.
#pragma once

#include <QWidget>
#include <vector>

#include "core/run/predictions_file.h"
#include "latest_result.h"

class QLabel;
class QListWidget;

namespace fewdata {

class SampleGallery : public QWidget {
    Q_OBJECT
public:
    explicit SampleGallery(QWidget* parent = nullptr);
    ~SampleGallery() override;

    // Shows `rows` in their order, the first kMaxShown of them, under `caption`.
    void setSamples(const QString& runDir, std::vector<PredictionRow> rows,
                    const QString& caption);
    const std::vector<PredictionRow>& samples() const { return rows_; }
    int shown() const;
    bool busy() const { return thumbs_.busy(); }
    int imagesShown() const { return withImage_; }
    QListWidget* list() const { return list_; }
    // The large view of sample `i` (decoded in the background); the caller owns the dialog.
    class QDialog* openLarge(int i);

    static constexpr int kMaxShown = 200;

signals:
    void thumbnailsShown();

private:
    QLabel* caption_;
    QListWidget* list_;
    QString runDir_;
    std::vector<PredictionRow> rows_;
    int withImage_ = 0;
    LatestResult<std::vector<QImage>> thumbs_;
};

}  // namespace fewdata
