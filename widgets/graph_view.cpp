#include "graph_view.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QGraphicsSceneMouseEvent>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <cmath>
#include <mutex>

namespace fewdata {

struct GraphView::FeatureMemo {
    std::mutex mutex;
    QString dir;
    std::shared_ptr<const FeatureCache> cache;
};

// All drawn edges as one item: thousands of QGraphicsLineItems would make every repaint slow.
class EdgeLayer : public QGraphicsItem {
public:
    EdgeLayer(std::shared_ptr<const GraphData> g, double scale) : g_(std::move(g)), scale_(scale) {
        setZValue(-1);
        setAcceptedMouseButtons(Qt::NoButton);
        for (const QPointF& p : g_->positions) bounds_ |= QRectF(p * scale_, QSizeF(1, 1));
    }
    QRectF boundingRect() const override { return bounds_.adjusted(-10, -10, 10, 10); }
    void setFocusNode(int node) {
        focus_ = node;
        update();
    }
    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
        // Opacity in eight steps, so lines of one step go to the painter together.
        std::vector<std::vector<QLineF>> bins(8);
        for (const GraphEdge& e : g_->drawn) {
            if (focus_ >= 0 && e.a != focus_ && e.b != focus_) continue;
            const int bin = std::min(7, int(e.weight * 8));
            bins[size_t(bin)].emplace_back(g_->positions[size_t(e.a)] * scale_,
                                           g_->positions[size_t(e.b)] * scale_);
        }
        for (int b = 0; b < 8; ++b) {
            const int alpha = focus_ >= 0 ? 200 : 12 + b * 14;
            p->setPen(QPen(QColor(60, 60, 60, alpha), 0));
            p->drawLines(bins[size_t(b)].data(), int(bins[size_t(b)].size()));
        }
    }

private:
    std::shared_ptr<const GraphData> g_;
    double scale_;
    QRectF bounds_;
    int focus_ = -1;
};

namespace {

// Ten well-separated colours (matplotlib's tab10), then hues around the wheel.
QColor classColour(int64_t c) {
    static const QColor tab10[] = {
        {31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
        {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
    if (c >= 0 && c < 10) return tab10[c];
    return QColor::fromHsv(int((c * 37) % 360), 180, 200);
}

// The ring of a wrong prediction: near-black, a colour no class fill takes (tab10 has a red,
// and the hues beyond ten go round the whole wheel), so a ring never reads as a class.
const QColor kWrongRing(25, 25, 25);

// The legend's mark for a node: a filled circle, ringed as drawn on the canvas.
QPixmap nodeSwatch(const QColor& fill, bool ringed, int side) {
    QPixmap pm(side, side);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const double ring = ringed ? side * 0.18 : 0.0;
    p.setPen(ringed ? QPen(kWrongRing, ring) : QPen(Qt::NoPen));
    p.setBrush(fill);
    p.drawEllipse(QRectF(ring / 2 + 1, ring / 2 + 1, side - ring - 2, side - ring - 2));
    return pm;
}

QPixmap edgeSwatch(int side) {
    QPixmap pm(side, side);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(60, 60, 60, 200), 1.5));
    p.drawLine(QPointF(1, side - 2), QPointF(side - 1, 2));
    return pm;
}

// Past this many classes a list of swatches is no longer readable: the legend gives the count.
constexpr int kMaxLegendClasses = 50;

class NodeItem : public QGraphicsEllipseItem {
public:
    NodeItem(int index, GraphView* view, const QRectF& r)
        : QGraphicsEllipseItem(r), index_(index), view_(view) {
        setAcceptHoverEvents(true);
    }

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override {
        view_->highlight(index_);
        e->accept();
    }
    void hoverEnterEvent(QGraphicsSceneHoverEvent* e) override {
        view_->showNode(index_, e->screenPos());
    }
    void hoverLeaveEvent(QGraphicsSceneHoverEvent*) override { view_->showNode(-1, {}); }

private:
    int index_;
    GraphView* view_;
};

constexpr double kScale = 40.0;

}  // namespace

void GraphCanvas::wheelEvent(QWheelEvent* event) {
    const double f = std::pow(1.0015, event->angleDelta().y());
    scale(f, f);
}

void GraphCanvas::mousePressEvent(QMouseEvent* event) {
    if (!dynamic_cast<QGraphicsEllipseItem*>(itemAt(event->pos()))) emit backgroundClicked();
    QGraphicsView::mousePressEvent(event);
}

GraphView::GraphView(QWidget* parent) : QWidget(parent), memo_(std::make_shared<FeatureMemo>()) {
    auto* open = new QPushButton(tr("Open run…"));
    folderLabel_ = new QLabel(tr("No run: a finished run's features.pt is drawn here."));
    threshold_ = new QSlider(Qt::Horizontal);
    threshold_->setRange(50, 150);
    threshold_->setValue(100);
    threshold_->setToolTip(tr("Edge when the distance is at most this share of the mean"));
    threshold_->setMinimumWidth(200);
    auto* thresholdLabel = new QLabel(tr("threshold 100 % of mean distance"));
    // As wide as its widest text, so the controls beside it stay put while the slider moves.
    int labelWidth = 0;
    for (int v : {50, 100, 150})
        labelWidth = std::max(labelWidth, thresholdLabel->fontMetrics().horizontalAdvance(
                                              tr("threshold %1 % of mean distance").arg(v)));
    thresholdLabel->setMinimumWidth(labelWidth + 4);
    kind_ = new QComboBox;
    kind_->setObjectName("graphKind");
    kind_->addItem(tr("Threshold (the paper's GCN graph)"));
    kind_->addItem(tr("k nearest neighbours"));
    kind_->setToolTip(
        tr("The threshold graph is the paper's, the one the GCN trains on by default. The "
           "k-nearest-neighbour graph links each image to its k closest ones, as the GCN's "
           "graph with gnn_graph = knn (gnn_neighbours = k); it shows class structure that "
           "the dense threshold graph hides."));
    auto* kindLabel = new QLabel(tr("Graph:"));
    kindLabel->setBuddy(kind_);
    k_ = new QSpinBox;
    k_->setObjectName("knnK");
    k_->setRange(1, 100);
    k_->setValue(10);
    k_->setPrefix(tr("k = "));
    k_->setToolTip(
        tr("Each image is linked to its k nearest neighbours by feature distance, "
           "and to every image that has it among its k nearest"));
    auto* thresholdControls = new QWidget;
    auto* thresholdRow = new QHBoxLayout(thresholdControls);
    thresholdRow->setContentsMargins(0, 0, 0, 0);
    thresholdRow->addWidget(thresholdLabel);
    thresholdRow->addWidget(threshold_, 1);
    auto* kControls = new QWidget;
    auto* kRow = new QHBoxLayout(kControls);
    kRow->setContentsMargins(0, 0, 0, 0);
    kRow->addWidget(k_);
    kRow->addStretch(1);
    kindControls_ = new QStackedWidget;
    kindControls_->addWidget(thresholdControls);
    kindControls_->addWidget(kControls);
    testNodes_ = new QSpinBox;
    testNodes_->setObjectName("testNodes");
    testNodes_->setRange(0, 5000);  // the graph is dense: n x n distances
    testNodes_->setValue(500);
    testNodes_->setPrefix(tr("test nodes "));
    dims_ = new QSpinBox;
    dims_->setRange(0, 4096);
    dims_->setSpecialValueText(tr("all feature dims"));
    dims_->setPrefix(tr("dims "));
    auto* top = new QHBoxLayout;
    top->addWidget(open);
    top->addWidget(folderLabel_, 1);
    top->addWidget(testNodes_);
    top->addWidget(dims_);
    // The graph's own controls on a row of their own: in one row with the above the page
    // would be wider than a small window.
    auto* kindRow = new QHBoxLayout;
    kindRow->addWidget(kindLabel);
    kindRow->addWidget(kind_);
    kindRow->addWidget(kindControls_);
    kindRow->addStretch(1);
    // A long run path must not widen the window: it is cut by the layout, whole in the tip.
    folderLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    folderLabel_->setMinimumWidth(80);
    stats_ = new QLabel;
    stats_->setWordWrap(true);
    card_ = new QLabel(this, Qt::ToolTip);
    card_->setFrameShape(QFrame::Box);
    card_->setMargin(4);
    card_->setAutoFillBackground(true);
    scene_ = new QGraphicsScene(this);
    canvas_ = new GraphCanvas(scene_);
    canvas_->setRenderHint(QPainter::Antialiasing);
    canvas_->setDragMode(QGraphicsView::ScrollHandDrag);
    canvas_->setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    canvas_->setBackgroundBrush(Qt::white);
    // The legend beside the canvas, never over the nodes; it scrolls when the classes are many.
    auto* legendBox = new QWidget;
    legend_ = new QVBoxLayout(legendBox);
    legend_->setContentsMargins(6, 4, 6, 4);
    legend_->setSpacing(3);
    legendScroll_ = new QScrollArea;
    legendScroll_->setObjectName("graphLegend");
    legendScroll_->setWidget(legendBox);
    legendScroll_->setWidgetResizable(true);
    legendScroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    legendScroll_->setFixedWidth(fontMetrics().horizontalAdvance(QLatin1Char('M')) * 15);
    legendScroll_->hide();
    auto* middle = new QHBoxLayout;
    middle->addWidget(canvas_, 1);
    middle->addWidget(legendScroll_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(kindRow);
    layout->addLayout(middle, 1);
    layout->addWidget(stats_);

    connect(open, &QPushButton::clicked, this, [this] {
        const QString d =
            QFileDialog::getExistingDirectory(this, tr("A run folder with features.pt"));
        if (!d.isEmpty()) setRunFolder(d);
    });
    connect(threshold_, &QSlider::valueChanged, this, [this, thresholdLabel](int v) {
        thresholdLabel->setText(tr("threshold %1 % of mean distance").arg(v));
    });
    connect(canvas_, &GraphCanvas::backgroundClicked, this, [this] { highlight(-1); });
    // One rebuild after the slider rests, whether dragged or moved by the keyboard.
    auto* settle = new QTimer(this);
    settle->setSingleShot(true);
    settle->setInterval(250);
    connect(settle, &QTimer::timeout, this, &GraphView::rebuild);
    connect(threshold_, &QSlider::valueChanged, settle, qOverload<>(&QTimer::start));
    connect(k_, &QSpinBox::valueChanged, settle, qOverload<>(&QTimer::start));
    connect(kind_, &QComboBox::currentIndexChanged, this, [this](int index) {
        kindControls_->setCurrentIndex(index);
        rebuild();
    });
    connect(testNodes_, &QSpinBox::editingFinished, this, [this] {
        wantedTests_ = testNodes_->value();
        rebuild();
    });
    connect(dims_, &QSpinBox::editingFinished, this, &GraphView::rebuild);
}

GraphView::~GraphView() = default;  // build_ waits for a running build

int GraphView::edgeItems() const {
    return graph_ ? int(graph_->drawn.size()) : 0;
}

void GraphView::setRunFolder(const QString& dir) {
    dir_ = dir;
    folderLabel_->setText(dir);
    folderLabel_->setToolTip(dir);
    // The last run may have had fewer test images than asked for; this one is asked afresh.
    testNodes_->setMaximum(5000);
    testNodes_->setValue(wantedTests_);
    rebuild();
}

void GraphView::setThresholdScale(double scale) {
    threshold_->blockSignals(true);
    threshold_->setValue(int(std::lround(scale * 100)));
    threshold_->blockSignals(false);
    rebuild();
}

void GraphView::rebuild() {
    if (dir_.isEmpty()) return;
    stats_->setText(tr("Building the graph and its layout…"));
    GraphRequest r;
    r.testNodes = testNodes_->value();
    r.featureDims = dims_->value();
    r.thresholdScale = threshold_->value() / 100.0;
    r.kind = kind_->currentIndex() == 1 ? GraphKind::Knn : GraphKind::Threshold;
    r.k = k_->value();
    const QString dir = dir_;
    auto memo = memo_;
    const auto build = [memo, dir, r]() -> Built {
        Built b;
        const std::string path = (dir + "/features.pt").toStdString();
        try {
            std::shared_ptr<const FeatureCache> cache;
            {
                std::lock_guard<std::mutex> lock(memo->mutex);
                if (memo->dir == dir) cache = memo->cache;
            }
            if (!cache) {
                cache = std::make_shared<const FeatureCache>(loadFeatureCache(path));
                std::lock_guard<std::mutex> lock(memo->mutex);
                memo->dir = dir;
                memo->cache = cache;
            }
            // The class names from the run's manifest (it lists every sample: read it here).
            QFile manifest(dir + "/manifest.json");
            if (manifest.open(QIODevice::ReadOnly)) {
                const auto classes =
                    QJsonDocument::fromJson(manifest.readAll())["classes"].toArray();
                for (const auto& c : classes) b.classNames.push_back(c.toString());
            }
            GraphData g = buildGraph(*cache, r);
            g.thumbnails = nodeThumbnails(dir.toStdString(), g.labels.size(), 96);
            b.graph = std::make_shared<const GraphData>(std::move(g));
        } catch (const std::exception& e) {
            b.error = QString::fromUtf8(e.what());
        }
        return b;
    };
    build_.request(build, [this](const Built& b) {
        if (!b.graph) {
            stats_->setText(b.error);
            emit failed(b.error);
            return;
        }
        graph_ = b.graph;
        classNames_ = b.classNames;
        // The box says how many test images are drawn, not how many were asked for.
        testNodes_->setMaximum(int(std::clamp<int64_t>(graph_->testAvailable, 0, 5000)));
        draw();
        emit graphShown();
    });
}

void GraphView::draw() {
    card_->hide();  // its node is about to go, and no hover-leave will come
    scene_->clear();
    nodes_.clear();
    const GraphData& g = *graph_;
    edges_ = new EdgeLayer(graph_, kScale);
    scene_->addItem(edges_);
    // Node size follows the layout's extent, so a graph of any size reads at fit-to-view.
    const QRectF extent = edges_->boundingRect();
    const double r = std::max(2.0, std::max(extent.width(), extent.height()) / 180.0);
    for (size_t i = 0; i < g.positions.size(); ++i) {
        const QPointF p = g.positions[i] * kScale;
        auto* node = new NodeItem(int(i), this, QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r));
        node->setBrush(classColour(g.labels[i]));
        const bool wrong = g.predictions[i] != g.labels[i];
        node->setPen(wrong ? QPen(kWrongRing, r * 0.45) : QPen(Qt::NoPen));
        static const char* splits[] = {QT_TR_NOOP("train"), QT_TR_NOOP("validation"),
                                       QT_TR_NOOP("test")};
        node->setData(0, tr("node %1 (%2)<br>class: %3<br>CNN predicts: %4<br>degree: %5")
                             .arg(i)
                             .arg(tr(splits[g.split[i]]))
                             .arg(className(g.labels[i]).toHtmlEscaped(),
                                  className(g.predictions[i]).toHtmlEscaped())
                             .arg(g.degree[i]));
        scene_->addItem(node);
        nodes_.push_back(node);
    }
    scene_->setSceneRect(scene_->itemsBoundingRect().adjusted(-20, -20, 20, 20));
    canvas_->fitInView(scene_->sceneRect(), Qt::KeepAspectRatio);
    fillLegend();
    const auto& s = g.stats;
    const QString kind =
        g.kind == GraphKind::Knn
            ? tr("k-nearest-neighbour graph, k = %1 (the GCN's graph with gnn_graph = knn and "
                 "gnn_neighbours = %1): ")
                  .arg(g.k)
            : tr("Threshold graph at %1 % of the mean distance (the GCN's default graph at "
                 "100 %): ")
                  .arg(std::lround(100 * g.thresholdScale));
    stats_->setText(
        kind +
        tr("%1 nodes, %2 edges (%3 % of pairs; %4 drawn: each node's strongest), %5 isolated; "
           "same-class edges: %6 %; mean distance %7. Click a node for its neighbours, click "
           "the background to clear.")
            .arg(s.nodes)
            .arg(s.edges)
            .arg(s.nodes > 1 ? 200.0 * double(s.edges) / (double(s.nodes) * double(s.nodes - 1))
                             : 0.0,
                 0, 'f', 1)
            .arg(g.drawn.size())
            .arg(s.isolatedNodes)
            .arg(100.0 * g.sameClassShare, 0, 'f', 1)
            .arg(s.meanDistance, 0, 'f', 2));
}

QString GraphView::className(int64_t c) const {
    return c >= 0 && size_t(c) < classNames_.size() ? classNames_[size_t(c)]
                                                    : tr("class %1").arg(c);
}

QStringList GraphView::legendClasses() const {
    QStringList names;
    for (const QLabel* l : legendNames_) names << l->text();
    return names;
}

void GraphView::fillLegend() {
    while (QLayoutItem* item = legend_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    legendNames_.clear();
    const int side = fontMetrics().height();
    const auto heading = [this](const QString& text) {
        auto* l = new QLabel(QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()));
        legend_->addWidget(l);
    };
    // One legend row: a swatch and its words, wrapped rather than cut.
    const auto row = [this](const QPixmap& mark, const QString& text) {
        auto* line = new QWidget;
        auto* h = new QHBoxLayout(line);
        h->setContentsMargins(0, 0, 0, 0);
        auto* swatch = new QLabel;
        swatch->setPixmap(mark);
        swatch->setAlignment(Qt::AlignTop);
        auto* words = new QLabel(text);
        words->setWordWrap(true);
        words->setTextFormat(Qt::PlainText);
        h->addWidget(swatch, 0, Qt::AlignTop);
        h->addWidget(words, 1);
        legend_->addWidget(line);
        return words;
    };
    const GraphData& g = *graph_;
    heading(tr("Classes (fill)"));
    if (g.classes <= kMaxLegendClasses) {
        for (int64_t c = 0; c < g.classes; ++c)
            legendNames_.push_back(row(nodeSwatch(classColour(c), false, side), className(c)));
    } else {
        auto* count = new QLabel(
            tr("%1 classes: too many to list; hover a node for its class").arg(g.classes));
        count->setWordWrap(true);
        legend_->addWidget(count);
    }
    heading(tr("Marks"));
    row(nodeSwatch(Qt::white, true, side), tr("dark ring: the CNN's prediction is wrong"));
    row(edgeSwatch(side), g.kind == GraphKind::Knn
                              ? tr("edge: one image is among the other's k nearest; darker is "
                                   "closer")
                              : tr("edge: distance at most the threshold; darker is closer"));
    if (g.kind == GraphKind::Knn) {
        auto* note =
            new QLabel(tr("The GCN trains on this graph with gnn_graph = knn; by default it "
                          "trains on the threshold graph."));
        note->setWordWrap(true);
        legend_->addWidget(note);
    }
    legend_->addStretch(1);
    legendScroll_->show();
}

void GraphView::highlight(int node) {
    if (!graph_ || !edges_) return;
    edges_->setFocusNode(node);
    std::vector<bool> near(nodes_.size(), node < 0);
    if (node >= 0) {
        near[size_t(node)] = true;
        for (const GraphEdge& e : graph_->drawn) {
            if (e.a == node) near[size_t(e.b)] = true;
            if (e.b == node) near[size_t(e.a)] = true;
        }
    }
    for (size_t i = 0; i < nodes_.size(); ++i) nodes_[i]->setOpacity(near[i] ? 1.0 : 0.15);
}

void GraphView::showNode(int node, const QPoint& screenPos) {
    if (node < 0 || !graph_ || size_t(node) >= nodes_.size()) {
        card_->hide();
        return;
    }
    QString html = nodes_[size_t(node)]->data(0).toString();
    const auto& thumbs = graph_->thumbnails;
    if (size_t(node) < thumbs.size() && !thumbs[size_t(node)].isNull()) {
        const QImage big =
            thumbs[size_t(node)].scaled(96, 96, Qt::KeepAspectRatio, Qt::FastTransformation);
        card_->setPixmap({});
        QTextDocument doc;
        doc.setHtml(html);
        doc.setTextWidth(doc.idealWidth());
        const QSizeF text = doc.size();
        QPixmap card(big.width() + 8 + int(std::ceil(text.width())),
                     std::max(big.height(), int(std::ceil(text.height()))));
        card.fill(palette().color(QPalette::ToolTipBase));
        QPainter p(&card);
        p.drawImage(0, 0, big);
        p.translate(big.width() + 8, 0);
        doc.drawContents(&p);
        p.end();
        card_->setPixmap(card);
    } else {
        card_->setText(html);
    }
    card_->adjustSize();
    card_->move(screenPos + QPoint(16, 16));
    card_->show();
}

}  // namespace fewdata
