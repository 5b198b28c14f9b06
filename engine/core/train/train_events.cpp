#include "core/train/train_events.h"

namespace fewdata {

std::string statusName(RunStatus s) {
    switch (s) {
        case RunStatus::Finished: return "finished";
        case RunStatus::Cancelled: return "cancelled";
        case RunStatus::Failed: return "failed";
        case RunStatus::Unknown: break;
    }
    return "unknown";
}

RunStatus statusFromName(const std::string& name) {
    for (RunStatus s : {RunStatus::Finished, RunStatus::Cancelled, RunStatus::Failed})
        if (statusName(s) == name) return s;
    return RunStatus::Unknown;
}

}  // namespace fewdata
