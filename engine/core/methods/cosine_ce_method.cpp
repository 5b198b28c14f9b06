// cosine+ce: The cosine loss plus a weighted cross-entropy head on the unit output.
#include "core/methods/image_objectives.h"
#include "core/methods/registry.h"

namespace fewdata {

void registerMethod_cosine_ce(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "cosine+ce";
    m.description = "The cosine loss plus a weighted cross-entropy head on the unit output";
    m.kind = StageKind::Images;
    m.keys = {"cosine_ce_weight"};
    m.classifiesImages = true;
    m.objective = FEWDATA_FACTORY(makeCosineCeObjective);
    registry.add(std::move(m));
}

}  // namespace fewdata
