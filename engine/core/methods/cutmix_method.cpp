// cutmix: Cross-entropy on images with a pasted box of another, labels weighted by area (Yun et al.).
#include "core/methods/image_objectives.h"
#include "core/methods/registry.h"

namespace fewdata {

void registerMethod_cutmix(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "cutmix";
    m.description = "Cross-entropy on images with a pasted box of another, labels weighted by area (Yun et al.)";
    m.kind = StageKind::Images;
    m.keys = {"mix_alpha", "mix_probability"};
    m.classifiesImages = true;
    m.objective = FEWDATA_FACTORY(makeCutmixObjective);
    registry.add(std::move(m));
}

}  // namespace fewdata
