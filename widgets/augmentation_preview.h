// The augmentation page: two training images, their training views, MixUp and CutMix of them
// at a chosen or sampled weight (the box drawn), the soft labels as bars per class, and a grid
// of the exact batch the trainer will see for the current config and seed. Every picture
// comes from the engine's own functions (augmentTrainBatch, mixWith, previewTrainingBatch),
// computed on a worker thread.
#pragma once

#include <QFutureWatcher>
#include <QImage>
#include <QWidget>
#include <memory>

#include "core/batch_preview.h"
#include "prepared_data.h"

class QLabel;
class QSlider;
class QSpinBox;
class QDoubleSpinBox;
class QCustomPlot;

namespace fewdata {

class AugmentationPreview : public QWidget {
    Q_OBJECT
public:
    explicit AugmentationPreview(QWidget* parent = nullptr);
    ~AugmentationPreview() override;

    void setData(std::shared_ptr<const PreparedData> data);
    // The method, batch and augmentation keys of the batch grid (dataset keys come with data).
    void setConfig(const TrainConfig& config);

    void setPair(int a, int b);
    void setLambda(double lambda);
    double lambda() const;
    // The last computed pair (for tests): MixUp and CutMix of image a with b.
    const MixedBatch& mixup() const { return mixup_; }
    const MixedBatch& cutmix() const { return cutmix_; }
    // The last computed training batch.
    const BatchPreview& batch() const { return batch_; }
    bool busy() const;

signals:
    void pairShown();
    void batchShown();

private:
    void refreshPair();
    void refreshBatch();
    void showPair();
    void showBatch();
    QImage batchGrid() const;

    std::shared_ptr<const PreparedData> data_;
    TrainConfig config_;
    int drawCount_ = 0;  // seeds the pair's views and CutMix centre; "resample" advances it
    MixedBatch mixup_, cutmix_;
    torch::Tensor views_;  // uint8 [2, C, S, S]: the training views of a and b
    BatchPreview batch_;
    // Each result names the data it was made from; one for older data is dropped.
    struct PairResult {
        const PreparedData* data = nullptr;
        torch::Tensor views;
        MixedBatch mixup, cutmix;
        QString error;
    };
    struct BatchResult {
        const PreparedData* data = nullptr;
        BatchPreview preview;
        QString error;
    };
    QFutureWatcher<PairResult> pairWatcher_;
    QFutureWatcher<BatchResult> batchWatcher_;
    bool pairAgain_ = false, batchAgain_ = false;
    // The watcher stops running before its finished() arrives; these last until it is handled.
    bool pairPending_ = false, batchPending_ = false;

    QSpinBox *imageA_, *imageB_, *batchIndex_;
    QSlider* lambdaSlider_;
    QLabel* lambdaLabel_;
    QDoubleSpinBox* alpha_;
    QLabel *tileA_, *tileB_, *tileMix_, *tileCut_, *captionMix_, *captionCut_;
    QCustomPlot* bars_;
    QLabel *grid_, *gridCaption_;
};

}  // namespace fewdata
