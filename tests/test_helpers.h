// Small helpers shared by the tests: writing gzip files and asserting on error messages.
#pragma once

#include <zlib.h>

#include <QtTest>
#include <string>
#include <vector>

namespace testhelp {

inline void writeGz(const std::string& path, const std::vector<uint8_t>& bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    QVERIFY(f != nullptr);
    if (!bytes.empty())
        QCOMPARE(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    gzclose(f);
}

// An IDX header for unsigned bytes with the given dimensions.
inline std::vector<uint8_t> idxHeader(const std::vector<uint32_t>& dims) {
    std::vector<uint8_t> h = {0, 0, 0x08, uint8_t(dims.size())};
    for (uint32_t d : dims) {
        h.push_back(uint8_t(d >> 24));
        h.push_back(uint8_t(d >> 16));
        h.push_back(uint8_t(d >> 8));
        h.push_back(uint8_t(d));
    }
    return h;
}

// What fewdata-cli (the binary CTest names in FEWDATA_CLI) printed and returned; a run that
// does not end within `timeoutMs` is killed and reported as code -1.
struct CliOutcome {
    int code;
    QString out, err;
};
inline CliOutcome runCli(const QStringList& args, int timeoutMs) {
    QProcess p;
    p.start(qEnvironmentVariable("FEWDATA_CLI"), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(10000);
        return {-1, {}, "timed out"};
    }
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace testhelp

// Runs `expr`, which must throw ExType whose message contains every listed fragment.
#define EXPECT_ERROR_MENTIONING(ExType, expr, ...)                                              \
    do {                                                                                        \
        try {                                                                                   \
            expr;                                                                               \
            QFAIL("expected " #ExType " from " #expr);                                          \
        } catch (const ExType& e_) {                                                            \
            for (const char* frag_ : {__VA_ARGS__})                                             \
                QVERIFY2(std::string(e_.what()).find(frag_) != std::string::npos,               \
                         (std::string("message lacks '") + frag_ + "': " + e_.what()).c_str()); \
        }                                                                                       \
    } while (0)
