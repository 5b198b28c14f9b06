// uint8 image tensors to QImage, for every view that shows what the engine decoded.
#pragma once

#include <torch/torch.h>

#include <QImage>

namespace fewdata {

// A uint8 [C, H, W] tensor (C = 1 or 3) as a grey or RGB QImage that owns its pixels.
QImage toQImage(const torch::Tensor& chw);

}  // namespace fewdata
