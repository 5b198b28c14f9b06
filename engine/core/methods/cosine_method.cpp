// cosine: The cosine loss between the output and the one-hot class vector (Barz and Denzler).
#include "core/methods/image_objectives.h"
#include "core/methods/registry.h"

namespace fewdata {

void registerMethod_cosine(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "cosine";
    m.description = "The cosine loss between the output and the one-hot class vector (Barz and Denzler)";
    m.kind = StageKind::Images;
    m.keys = {};
    m.classifiesImages = true;
    m.objective = FEWDATA_FACTORY(makeCosineObjective);
    registry.add(std::move(m));
}

}  // namespace fewdata
