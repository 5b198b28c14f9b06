#include "left_out_text.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace fewdata {
namespace {

// `reason` matched against ^pattern$; the captures, or none when it does not match.
QStringList match(const QString& reason, const char* pattern) {
    const QRegularExpression re(QStringLiteral("^%1$").arg(QLatin1String(pattern)),
                                QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = re.match(reason);
    return m.hasMatch() ? m.capturedTexts() : QStringList();
}

// The file errors of core/base/file_read.cpp.
QString fileError(const QString& r) {
    QStringList c;
    if (!(c = match(r, "'(.*)' does not exist")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "'%1' does not exist").arg(c[1]);
    if (!(c = match(r, "cannot open '(.*)': (.*)")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "cannot open '%1': %2")
            .arg(c[1], c[2]);
    if (!(c = match(r, "cannot read '(.*)': (.*)")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "cannot read '%1': %2")
            .arg(c[1], c[2]);
    if (!(c = match(r, "'(.*)' is a folder, not a file")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "'%1' is a folder, not a file")
            .arg(c[1]);
    if (!(c = match(r, "'(.*)' is a FIFO, not a file")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "'%1' is a FIFO, not a file")
            .arg(c[1]);
    if (!(c = match(r, "'(.*)' is a socket, not a file")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "'%1' is a socket, not a file")
            .arg(c[1]);
    if (!(c = match(r, "'(.*)' is a device, not a file")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "'%1' is a device, not a file")
            .arg(c[1]);
    if (!(c = match(r, "'(.*)' is not a regular file")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "'%1' is not a regular file")
            .arg(c[1]);
    if (!(c = match(r, "'(.*)' is (\\d+) bytes, more than the (\\d+) allowed")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText",
                                           "'%1' is %2 bytes, more than the %3 allowed")
            .arg(c[1], c[2], c[3]);
    if (!(c = match(r, "'(.*)' is more than the (\\d+) bytes allowed")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText",
                                           "'%1' is more than the %2 bytes allowed")
            .arg(c[1], c[2]);
    if (!(c = match(r, "'(.*)' is nested more than (\\d+) levels deep")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText",
                                           "'%1' is nested more than %2 levels deep")
            .arg(c[1], c[2]);
    if (!(c = match(r, "'(.*)' is not valid JSON: (.*)")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "'%1' is not valid JSON: %2")
            .arg(c[1], c[2]);
    return {};
}

}  // namespace

QString leftOutText(const std::string& reason) {
    const QString r = QString::fromStdString(reason);
    QStringList c;
    if (r == "unfinished: no result.json")
        return QCoreApplication::translate("fewdata::LeftOutText", "unfinished: no result.json");
    if (!(c = match(r, "cannot read this folder \\((.*)\\); runs inside it, if any, are not in "
                       "the table"))
             .isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText",
                                           "cannot read this folder (%1); runs inside it, if "
                                           "any, are not in the table")
            .arg(c[1]);
    if (!(c = match(r, "result\\.json: (\\w+) = (.*) is not an accuracy in \\[0, 100\\]")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText",
                                           "result.json: %1 = %2 is not an accuracy in [0, 100]")
            .arg(c[1], c[2]);
    if (r == "not a folder")
        return QCoreApplication::translate("fewdata::LeftOutText", "not a folder");
    if (!(c = match(r, "result\\.json has format (.*); this version reads format (\\d+)")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText",
                                           "result.json has format %1; this version reads "
                                           "format %2")
            .arg(c[1], c[2]);
    if (!(c = match(r, "status '([^']*)': (.*)")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "status '%1': %2")
            .arg(c[1], c[2]);
    if (!(c = match(r, "status '([^']*)'")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "status '%1'").arg(c[1]);
    if (!(c = match(r, "same recipe and seed as (.*)")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText", "same recipe and seed as %1")
            .arg(c[1]);
    if (!(c = match(r, "missing or ill-typed field: (.*)")).isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText",
                                           "missing or ill-typed field: %1")
            .arg(c[1]);
    if (!(c = match(r, "'(.*)' holds a run with other settings \\((.*)\\); use another output "
                       "folder"))
             .isEmpty())
        return QCoreApplication::translate("fewdata::LeftOutText",
                                           "'%1' holds a run with other settings (%2); use "
                                           "another output folder")
            .arg(c[1], c[2]);
    // The recipe's reader names the file, then says what is wrong with it.
    if (!(c = match(r, "config\\.json: (.*)")).isEmpty())
        return "config.json: " + leftOutText(c[1].toStdString());
    const QString file = fileError(r);
    return file.isEmpty() ? r : file;
}

}  // namespace fewdata
