#include "core/base/csv.h"

#include "core/base/errors.h"

namespace fewdata {

std::string csvField(const std::string& s) {
    const bool padded = !s.empty() && (s.front() == ' ' || s.back() == ' ');
    if (!padded && s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

namespace {

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

}  // namespace

std::vector<std::vector<std::string>> parseCsv(const std::string& text,
                                               const std::string& source, bool lenient) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    size_t line = 1;
    size_t i = 0;
    const size_t n = text.size();
    bool pending = false;  // a record has begun and is not yet stored
    bool quoted = false;   // its last field was quoted (so "" is a field, not a blank line)
    auto bad = [&](const std::string& why) {
        return InputError("'" + source + "' line " + std::to_string(line) + ": " + why);
    };
    auto endRecord = [&] {
        const bool blank = record.empty() && field.empty() && !quoted;
        record.push_back(std::move(field));
        field.clear();
        if (!blank) records.push_back(std::move(record));
        record.clear();
        pending = false;
    };
    while (i < n) {
        // One field per pass; i is at its first character.
        pending = true;
        if (lenient)
            while (i < n && isBlank(text[i])) ++i;
        if (i >= n) break;
        quoted = text[i] == '"';
        if (quoted) {
            const size_t openedOn = line;
            ++i;
            for (;;) {
                if (i >= n)
                    throw InputError("'" + source + "' line " + std::to_string(openedOn) +
                                     ": a quoted field is not closed");
                if (text[i] == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (text[i] == '\n') ++line;
                field += text[i++];
            }
            if (lenient)
                while (i < n && isBlank(text[i])) ++i;
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                throw bad("text after a closing quote");
        } else {
            while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                if (text[i] == '"' && !lenient) throw bad("a quote inside an unquoted field");
                field += text[i++];
            }
            if (lenient)
                while (!field.empty() && isBlank(field.back())) field.pop_back();
        }
        if (i >= n) break;
        if (text[i] == ',') {
            record.push_back(std::move(field));
            field.clear();
            ++i;
            if (i >= n) break;  // a trailing comma: one more empty field
            continue;
        }
        if (text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') ++i;
        ++line;
        endRecord();
    }
    if (pending) endRecord();
    return records;
}

}  // namespace fewdata
