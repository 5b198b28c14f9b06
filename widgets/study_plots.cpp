#include "study_plots.h"

#include <qcustomplot.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>
#include <map>
#include <set>

#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/base/json_text.h"
#include "core/config/recipe.h"

namespace fewdata {
namespace {

constexpr double kAlpha = 0.05;

// The figures are drawn outside any widget (also by the command line): their strings' context.
class StudyPlots {
    Q_DECLARE_TR_FUNCTIONS(StudyPlots)
};

// Tableau's ten: distinct on screen and in print.
QColor seriesColour(int i) {
    static const QColor colours[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                     "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return colours[i % 10];
}

void reset(QCustomPlot& plot, const QString& title) {
    plot.clearPlottables();
    plot.clearItems();
    plot.clearGraphs();
    plot.xAxis->setScaleType(QCPAxis::stLinear);
    plot.xAxis->setTickLabelRotation(0);
    plot.axisRect()->setMinimumMargins(QMargins());
    plot.xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot.yAxis->setLabel(StudyPlots::tr("Test accuracy (%)"));
    // The title row and the legend column are ours: made once, refilled on every draw.
    QCPTextElement* heading = nullptr;
    if (plot.plotLayout()->rowCount() > 1)
        heading = qobject_cast<QCPTextElement*>(plot.plotLayout()->element(0, 0));
    if (!heading) {
        plot.plotLayout()->insertRow(0);
        heading = new QCPTextElement(&plot, QString(), QFont(plot.font().family(), 11, QFont::Bold));
        plot.plotLayout()->addElement(0, 0, heading);
    }
    heading->setText(title);
    // The legend below the axes, never over the points, in as many columns as fit.
    plot.legend->setVisible(true);
    if (plot.legend->layout() != plot.plotLayout()) {
        auto* grid = plot.plotLayout();
        grid->addElement(2, 0, plot.legend);
        grid->setRowStretchFactor(2, 0.001);
        plot.legend->setFillOrder(QCPLegend::foColumnsFirst);
        plot.legend->setWrap(3);
    }
    plot.legend->setBorderPen(Qt::NoPen);
}

QString rowLabel(const MethodRow& r, bool withK, bool withRecipe, bool withDataset,
                 const QString& separator) {
    QString s = QString::fromStdString(r.method);
    if (withK) s += separator + "K=" + QString::number(r.perClass);
    if (withRecipe && !r.recipeLabel.empty()) s += separator + QString::fromStdString(r.recipeLabel);
    if (withDataset) s += separator + QString::fromStdString(r.dataset + " " + r.model);
    return s;
}

std::string groupKey(const MethodRow& r) {
    return r.dataset + "|" + r.model + "|" + std::to_string(r.perClass) + "|" +
           jsonText(sharedRecipeOf(r.recipe));
}

template <class T, class F>
bool varies(const std::vector<T>& v, F key) {
    std::set<decltype(key(v.front()))> seen;
    for (const auto& x : v) seen.insert(key(x));
    return seen.size() > 1;
}

}  // namespace

StudyPlotKind studyPlotKind(const std::string& name) {
    if (name == "methods") return StudyPlotKind::Methods;
    if (name == "learning-curve") return StudyPlotKind::LearningCurve;
    throw InputError("unknown plot kind '" + name + "'; allowed: methods, learning-curve");
}

PlotContent drawMethodsPlot(QCustomPlot& plot, const std::vector<MethodRow>& rows) {
    PlotContent content;
    if (rows.empty()) {
        reset(plot, StudyPlots::tr("No finished runs in this folder"));
        plot.legend->setVisible(false);
        plot.replot();
        return content;
    }
    const bool withK = varies(rows, [](const MethodRow& r) { return r.perClass; });
    const bool withRecipe = varies(rows, [](const MethodRow& r) { return r.recipeLabel; });
    const bool withDataset =
        varies(rows, [](const MethodRow& r) { return r.dataset + " " + r.model; });
    reset(plot, withDataset ? StudyPlots::tr("Test accuracy by method")
                            : QString::fromStdString(rows.front().dataset + ", " +
                                                     rows.front().model) +
                                  (withK ? QString() : ", K = " + QString::number(rows.front().perClass)));

    QVector<double> x, y, minus, plus;
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    // Past a handful of methods, upright labels run into each other.
    const bool slanted = rows.size() > 6;
    for (size_t i = 0; i < rows.size(); ++i) {
        const MethodRow& r = rows[i];
        x << double(i + 1);
        y << r.test.mean;
        // One seed has no interval: the dot stands alone.
        minus << (r.test.n >= 2 ? r.test.mean - r.test.low : 0.0);
        plus << (r.test.n >= 2 ? r.test.high - r.test.mean : 0.0);
        ticks->addTick(double(i + 1), rowLabel(r, withK, withRecipe, withDataset,
                                               slanted ? ", " : "\n"));
    }
    QCPGraph* dots = plot.addGraph();
    dots->setName(StudyPlots::tr("Test accuracy, mean over seeds, 95 % interval"));
    dots->setLineStyle(QCPGraph::lsNone);
    dots->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColour(0), 9));
    dots->setPen(QPen(seriesColour(0), 2));
    dots->setData(x, y, true);
    auto* bars = new QCPErrorBars(plot.xAxis, plot.yAxis);
    bars->removeFromLegend();
    bars->setDataPlottable(dots);
    bars->setData(minus, plus);
    bars->setPen(QPen(seriesColour(0), 1.5));
    bars->setWhiskerWidth(10);
    content.series = 1;
    content.points = int(rows.size());

    // The baseline of each group (same data, model, K and shared recipe) as a dashed line across
    // that group's methods.
    std::map<std::string, std::pair<double, double>> span;  // key -> first, last x
    std::map<std::string, const MethodRow*> baseline;
    for (size_t i = 0; i < rows.size(); ++i) {
        const std::string k = groupKey(rows[i]);
        auto it = span.find(k);
        if (it == span.end())
            span[k] = {double(i + 1), double(i + 1)};
        else
            it->second.second = double(i + 1);
        if (rows[i].method == "baseline") baseline[k] = &rows[i];
    }
    bool baselineInLegend = false;
    for (const auto& [k, b] : baseline) {
        QCPGraph* line = plot.addGraph();
        line->setPen(QPen(QColor("#555555"), 1.5, Qt::DashLine));
        line->setData(QVector<double>{span[k].first - 0.4, span[k].second + 0.4},
                      QVector<double>{b->test.mean, b->test.mean});
        line->setName(StudyPlots::tr("Baseline's mean"));
        if (baselineInLegend) line->removeFromLegend();
        baselineInLegend = true;
    }
    // Differences that survive Holm's correction across the methods of their table.
    bool markInLegend = false;
    QVector<double> mx, my;
    for (size_t i = 0; i < rows.size(); ++i) {
        const MethodRow& r = rows[i];
        if (!r.significance || r.significance->pHolm >= kAlpha) continue;
        mx << double(i + 1);
        my << r.test.mean + plus[int(i)];
    }
    double top = 0, bottom = 100;
    for (int i = 0; i < y.size(); ++i) {
        top = std::max(top, y[i] + plus[i]);
        bottom = std::min(bottom, y[i] - minus[i]);
    }
    const double pad = std::max(1.0, 0.08 * (top - bottom));
    if (!mx.isEmpty()) {
        QCPGraph* marks = plot.addGraph();
        marks->setLineStyle(QCPGraph::lsNone);
        marks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QColor("#c0392b"), 12));
        for (double& v : my) v += pad * 0.5;
        marks->setData(mx, my, true);
        marks->setName(StudyPlots::tr("Differs from the baseline (p Holm < 0.05)"));
        markInLegend = true;
    }
    Q_UNUSED(markInLegend);
    plot.xAxis->setTicker(ticks);
    plot.xAxis->setTickLabelRotation(slanted ? 45 : 0);
    // Room on the right for the last slanted label, which QCustomPlot would leave out.
    plot.axisRect()->setMinimumMargins(QMargins(0, 0, slanted ? 70 : 0, 0));
    plot.xAxis->setRange(0.4, rows.size() + 0.6);
    plot.xAxis->setLabel(QString());
    plot.yAxis->setRange(std::max(0.0, bottom - pad), std::min(100.0, top + 2 * pad));
    plot.replot();
    return content;
}

PlotContent drawLearningCurves(QCustomPlot& plot, const std::vector<LearningCurve>& curves) {
    PlotContent content;
    if (curves.empty()) {
        reset(plot, StudyPlots::tr("No learning curve: the folder holds one K (compare --per-class 5,10,20)"));
        plot.legend->setVisible(false);
        plot.replot();
        return content;
    }
    const bool withDataset =
        varies(curves, [](const LearningCurve& c) { return c.dataset + " " + c.model; });
    reset(plot, withDataset ? StudyPlots::tr("Test accuracy by images per class")
                            : QString::fromStdString(curves.front().dataset + ", " +
                                                     curves.front().model));
    plot.xAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    std::set<int> ks;
    double top = 0, bottom = 100;
    for (size_t i = 0; i < curves.size(); ++i) {
        const LearningCurve& c = curves[i];
        const QColor colour = seriesColour(int(i));
        QVector<double> x, y, low, high;
        bool band = true;
        for (const CurvePoint& p : c.points) {
            x << p.perClass;
            y << p.test.mean;
            band = band && p.test.n >= 2;
            low << (p.test.n >= 2 ? p.test.low : p.test.mean);
            high << (p.test.n >= 2 ? p.test.high : p.test.mean);
            ks.insert(p.perClass);
            top = std::max(top, high.back());
            bottom = std::min(bottom, low.back());
        }
        QString name = QString::fromStdString(c.method);
        if (!c.recipeLabel.empty()) name += " (" + QString::fromStdString(c.recipeLabel) + ")";
        if (withDataset) name += ", " + QString::fromStdString(c.dataset + " " + c.model);
        QCPGraph* line = plot.addGraph();
        line->setName(name);
        line->setPen(QPen(colour, 2));
        line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, 7));
        line->setData(x, y, true);
        if (band) {
            QCPGraph* lo = plot.addGraph();
            QCPGraph* hi = plot.addGraph();
            for (QCPGraph* g : {lo, hi}) {
                g->setPen(Qt::NoPen);
                g->removeFromLegend();
            }
            lo->setData(x, low, true);
            hi->setData(x, high, true);
            QColor fill = colour;
            fill.setAlpha(35);
            hi->setBrush(fill);
            hi->setChannelFillGraph(lo);
        }
        ++content.series;
        content.points += int(c.points.size());
    }
    for (int k : ks) ticks->addTick(k, QString::number(k));
    plot.xAxis->setTicker(ticks);
    plot.xAxis->setLabel(StudyPlots::tr("Images per class (K, log scale)"));
    plot.xAxis->setRange(*ks.begin() / 1.3, *ks.rbegin() * 1.3);
    const double pad = std::max(1.0, 0.08 * (top - bottom));
    plot.yAxis->setRange(std::max(0.0, bottom - pad), std::min(100.0, top + pad));
    if (curves.size() > 1) {
        auto* note = new QCPItemText(&plot);
        note->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        note->position->setType(QCPItemPosition::ptAxisRectRatio);
        note->position->setCoords(0.01, 0.99);
        note->setText(StudyPlots::tr("bands: 95 % interval over seeds"));
        note->setColor(QColor("#555555"));
    }
    plot.replot();
    return content;
}

PlotContent drawStudyPlot(QCustomPlot& plot, StudyPlotKind kind,
                          const std::vector<MethodRow>& rows) {
    return kind == StudyPlotKind::Methods ? drawMethodsPlot(plot, rows)
                                          : drawLearningCurves(plot, learningCurves(rows));
}

QString saveStudyPlot(QCustomPlot& plot, const QString& path, int width, int height) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "png" && suffix != "pdf")
        return StudyPlots::tr("'%1': the file name must end in .png or .pdf").arg(path);
    // QCustomPlot draws to a file name only: a private temporary one, whose bytes then go
    // through the engine's writer (complete or absent, never replacing a file).
    QTemporaryFile tmp(QDir::temp().filePath("fewdata-plot-XXXXXX." + suffix));
    if (!tmp.open()) return StudyPlots::tr("a temporary file cannot be made: %1").arg(tmp.errorString());
    tmp.close();
    const bool ok = suffix == "png" ? plot.savePng(tmp.fileName(), width, height)
                                    : plot.savePdf(tmp.fileName(), width, height);
    if (!ok || !tmp.open()) return StudyPlots::tr("'%1' could not be drawn").arg(path);
    const QByteArray bytes = tmp.readAll();
    try {
        writeNewFileAtomically(path.toStdString(), bytes.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

}  // namespace fewdata
