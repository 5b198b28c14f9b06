// CSV as RFC 4180 has it: a field holding a comma, a quote, a line break or a leading or
// trailing space is quoted, quotes doubled. The workbench's own files (predictions.csv, the
// exported tables) must read back whatever a user named their images.
#pragma once

#include <string>
#include <vector>

namespace fewdata {

std::string csvField(const std::string& s);

// Records of `text`; a quoted field may hold commas, doubled quotes and line breaks. Empty
// lines are skipped; "\r\n" ends a record as "\n" does. Throws
// InputError naming `source` and the line for an unterminated quote or text after a quote.
// `lenient` reads what hand-made and older files hold as their writers meant it: spaces and
// tabs around a field (outside its quotes) are dropped, so a line of them is empty, and a quote
// inside an unquoted field is a character of it.
std::vector<std::vector<std::string>> parseCsv(const std::string& text,
                                               const std::string& source, bool lenient = false);

}  // namespace fewdata
