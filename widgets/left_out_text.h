// Why the engine left a run folder out of the tables (results.cpp, file_read.cpp), in the
// interface's language. The engine writes English; the known forms are translated with their
// paths, statuses and messages kept as they are, and any other text is shown as written.
#pragma once

#include <QString>
#include <string>

namespace fewdata {

QString leftOutText(const std::string& reason);

}  // namespace fewdata
