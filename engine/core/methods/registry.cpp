#include "core/methods/registry.h"

#include <algorithm>
#include <stdexcept>

#include "core/base/errors.h"

namespace fewdata {

bool MethodInfo::reads(const std::string& key) const {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

void MethodRegistry::add(MethodInfo info) {
    if (find(info.name)) throw std::logic_error("method '" + info.name + "' registered twice");
    // A tune of the method shortens this key at its early rungs: it must be one it reads.
    if (!info.featureBudgetKey.empty() && !info.reads(info.featureBudgetKey))
        throw std::logic_error("method '" + info.name + "' names '" + info.featureBudgetKey +
                               "' as its budget, a key it does not read");
    methods_.push_back(std::move(info));
}

const MethodInfo* MethodRegistry::find(const std::string& name) const {
    for (const MethodInfo& m : methods_)
        if (m.name == name) return &m;
    return nullptr;
}

MethodRegistry& methodRegistry() {
    static MethodRegistry* registry = [] {
        auto* r = new MethodRegistry;  // never destroyed: runs may outlive static destruction
        registerBuiltinMethods(*r);
        return r;
    }();
    return *registry;
}

const MethodInfo& imageStageOf(const TrainConfig& c) {
    const MethodInfo& m = methodInfo(c.method);
    return m.stage(c) == StageKind::Images ? m : methodInfo(m.imageStage);
}

bool isTransductive(const std::string& method) {
    const MethodInfo* m = methodRegistry().find(method);
    return m && m->transductive;
}

std::string methodNamesText() {
    std::string text;
    const auto& all = methodRegistry().all();
    for (size_t i = 0; i < all.size(); ++i)
        text += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i].name;
    return text;
}

const MethodInfo& methodInfo(const std::string& name) {
    if (const MethodInfo* m = methodRegistry().find(name)) return *m;
    std::string list;
    for (const MethodInfo& m : methodRegistry().all()) list += (list.empty() ? "" : ", ") + m.name;
    throw InputError("config key 'method' has value '" + name + "'; allowed: " + list);
}

}  // namespace fewdata
