// baseline: Cross-entropy on the images, the reference every other method is compared with.
#include "core/methods/image_objectives.h"
#include "core/methods/registry.h"

namespace fewdata {

void registerMethod_baseline(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "baseline";
    m.description = "Cross-entropy on the images, the reference every other method is compared with";
    m.kind = StageKind::Images;
    m.keys = {};
    m.classifiesImages = true;
    m.objective = FEWDATA_FACTORY(makeBaselineObjective);
    registry.add(std::move(m));
}

}  // namespace fewdata
