// The first training batches of a run, formed before the run exists: the GUI's "training
// batch" view. It resolves the augmentation, normalisation and mixing exactly as a TrainJob
// does and draws from a BatchStream seeded alike, so the tensors equal what the trainer feeds
// the network (tests/test_batch_preview.cpp checks it against a real Trainer).
#pragma once

#include "core/train/augment.h"
#include "core/config/config.h"
#include "core/train/mixing.h"
#include "core/data/protocol.h"
#include "core/train/run_setup.h"

namespace fewdata {

struct BatchPreview {
    torch::Tensor samples;  // positions in the training split, int64 [B]; balanced batches
                            // (supcon, siamese-* on images) may repeat one of a small class
    MixedBatch batch;       // .images: float [B, C, S, S], normalised, as the network sees them
    Normalizer normalizer;  // to turn .images back into pixels
};

// Batch `batchIndex` of the first epoch. Methods that train on two views (supcon) preview
// their first view; methods on cached features the view their baseline trains on. Identical
// to the trainer's tensors on the CPU; on CUDA the draws are the same, the arithmetic may
// differ in the last bit.
BatchPreview previewTrainingBatch(const TrainConfig& config, const ResolvedSetup& setup,
                                  const Split& train, int64_t batchIndex = 0);

// Normalised float images back to uint8 pixels for display.
torch::Tensor toPixels(const torch::Tensor& normalised, const Normalizer& normalizer);

}  // namespace fewdata
