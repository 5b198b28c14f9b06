#include "core/base/errors.h"

#include <algorithm>

namespace fewdata {

std::string withoutBacktrace(const std::string& what) {
    size_t cut = std::string::npos;
    for (const char* mark : {"\nException raised from ", "Exception raised from ", "\nframe #0"})
        cut = std::min(cut, what.find(mark));
    std::string text = what.substr(0, cut);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text.empty() ? what : text;
}

}  // namespace fewdata
