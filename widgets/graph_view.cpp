#include "graph_view.h"

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
#include <QSlider>
#include <QSpinBox>
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
    auto* thresholdLabel = new QLabel(tr("threshold 100 % of mean distance"));
    testNodes_ = new QSpinBox;
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
    top->addWidget(thresholdLabel);
    top->addWidget(threshold_);
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
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(canvas_, 1);
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
    connect(testNodes_, &QSpinBox::editingFinished, this, &GraphView::rebuild);
    connect(dims_, &QSpinBox::editingFinished, this, &GraphView::rebuild);
}

GraphView::~GraphView() = default;  // build_ waits for a running build

int GraphView::edgeItems() const {
    return graph_ ? int(graph_->drawn.size()) : 0;
}

void GraphView::setRunFolder(const QString& dir) {
    dir_ = dir;
    folderLabel_->setText(dir);
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
        node->setPen(wrong ? QPen(Qt::red, r * 0.45) : QPen(Qt::NoPen));
        const auto name = [this](int64_t c) {
            return c >= 0 && size_t(c) < classNames_.size() ? classNames_[size_t(c)]
                                                            : QString::number(c);
        };
        static const char* splits[] = {QT_TR_NOOP("train"), QT_TR_NOOP("validation"),
                                       QT_TR_NOOP("test")};
        node->setData(
            0, tr("node %1 (%2)<br>class: %3<br>CNN predicts: %4<br>degree: %5")
                   .arg(i)
                   .arg(tr(splits[g.split[i]]))
                   .arg(name(g.labels[i]).toHtmlEscaped(), name(g.predictions[i]).toHtmlEscaped())
                   .arg(g.degree[i]));
        scene_->addItem(node);
        nodes_.push_back(node);
    }
    scene_->setSceneRect(scene_->itemsBoundingRect().adjusted(-20, -20, 20, 20));
    canvas_->fitInView(scene_->sceneRect(), Qt::KeepAspectRatio);
    const auto& s = g.stats;
    stats_->setText(
        tr("%1 nodes, %2 edges (%3 % of pairs; %4 drawn: each node's strongest), %5 isolated; "
           "same-class edges: %6 %; mean distance %7. Fill: class; red ring: the CNN's "
           "prediction is wrong. Click a node for its neighbours, click the background to clear.")
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
