// The augmentation page: two training images, their training views, MixUp and CutMix of them
// at a chosen or sampled weight (the box drawn), the soft labels as bars per class, and a grid
// of the exact batch the trainer will see for the current config and seed, and one policy op
// (RandAugment's set and AutoAugment's Invert) on image A at a chosen magnitude bin. Every
// picture comes from the engine's own functions (augmentTrainBatch, mixWith,
// previewTrainingBatch, applyAugmentOp), computed on a worker thread.
#pragma once

#include <QImage>
#include <QWidget>
#include <memory>

#include "core/run/batch_preview.h"
#include "latest_result.h"
#include "prepared_data.h"

class QComboBox;
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
    // The op view: `op` (an augmentOpNames() entry) at magnitude `bin` of 0..30 of the form's
    // policy's ranges (trivialaugment's wide ones, else RandAugment's) on image A's
    // evaluation view.
    void setOp(const QString& op, int bin);
    // The last computed op view: uint8 [1, C, S, S], and the magnitude it was applied at.
    const torch::Tensor& opView() const { return opView_; }
    double opMagnitude() const { return opMagnitude_; }
    bool busy() const;

signals:
    void pairShown();
    void batchShown();
    void opShown();

private:
    void refreshPair();
    void refreshBatch();
    void showPair();
    void showBatch();
    void refreshOp();
    QImage batchGrid() const;

    std::shared_ptr<const PreparedData> data_;
    TrainConfig config_;
    int drawCount_ = 0;  // seeds the pair's views and CutMix centre; "resample" advances it
    MixedBatch mixup_, cutmix_;
    torch::Tensor views_;  // uint8 [2, C, S, S]: the training views of a and b
    BatchPreview batch_;
    torch::Tensor opView_;
    double opMagnitude_ = 0;
    struct PairResult {
        torch::Tensor views;
        MixedBatch mixup, cutmix;
        QString error;
    };
    struct BatchResult {
        BatchPreview preview;
        QString error;
    };
    // The newest pair and batch win; new data, a new pair or a new batch supersede the older.
    LatestResult<PairResult> pairJob_;
    LatestResult<BatchResult> batchJob_;
    struct OpResult {
        torch::Tensor original, view;
        double magnitude = 0;
        QString error;
    };
    LatestResult<OpResult> opJob_;

    QSpinBox *imageA_, *imageB_, *batchIndex_;
    QSlider* lambdaSlider_;
    QLabel* lambdaLabel_;
    QDoubleSpinBox* alpha_;
    QLabel *tileA_, *tileB_, *tileMix_, *tileCut_, *captionMix_, *captionCut_;
    QCustomPlot* bars_;
    QLabel *grid_, *gridCaption_;
    QComboBox* op_;
    QSlider* opBin_;
    QLabel *opOriginal_, *opTile_, *opCaption_;
};

}  // namespace fewdata
