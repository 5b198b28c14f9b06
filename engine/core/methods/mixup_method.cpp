// mixup: Cross-entropy on convex combinations of image pairs and their labels (Zhang et al.).
#include "core/methods/image_objectives.h"
#include "core/methods/registry.h"

namespace fewdata {

void registerMethod_mixup(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "mixup";
    m.description = "Cross-entropy on convex combinations of image pairs and their labels (Zhang et al.)";
    m.kind = StageKind::Images;
    m.keys = {"mix_alpha", "mix_probability"};
    m.classifiesImages = true;
    m.objective = FEWDATA_FACTORY(makeMixupObjective);
    registry.add(std::move(m));
}

}  // namespace fewdata
