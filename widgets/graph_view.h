// The graph page: a run's feature cache as the GNN's graph. Nodes are images coloured by
// class (ringed in a dark colour no class gets where the CNN's prediction is wrong), edges
// drawn with opacity by weight, laid out by igraph off the GUI thread; wheel zooms, drag
// pans, hovering a node tells its class, split and degree, clicking it highlights its
// neighbours. The graph is the paper's threshold graph (the slider sets the threshold) or the
// k-nearest-neighbour graph (the GCN's with gnn_graph = knn); either rebuilds the graph and reports
// its edge count and same-class share. A legend beside the canvas names the classes and the marks.
#pragma once

#include <QGraphicsView>
#include <QWidget>
#include <memory>

#include "graph_data.h"
#include "latest_result.h"

class QComboBox;
class QLabel;
class QSlider;
class QScrollArea;
class QStackedWidget;
class QVBoxLayout;
class QSpinBox;
class QGraphicsScene;
class QGraphicsEllipseItem;

namespace fewdata {

class GraphCanvas : public QGraphicsView {
    Q_OBJECT
public:
    using QGraphicsView::QGraphicsView;

signals:
    void backgroundClicked();

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
};

class GraphView : public QWidget {
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);
    ~GraphView() override;

    // A run folder holding features.pt (any image-trained run writes one).
    void setRunFolder(const QString& dir);
    const GraphData* graph() const { return graph_.get(); }
    int nodeItems() const { return int(nodes_.size()); }
    int edgeItems() const;
    bool busy() const { return build_.busy(); }
    void setThresholdScale(double scale);
    // The class names the legend lists, in class order (empty when it only gives a count).
    QStringList legendClasses() const;
    void highlight(int node);  // -1: none
    // The hover card: the node's thumbnail, class, split, prediction and degree (-1: hide).
    void showNode(int node, const QPoint& screenPos);

signals:
    void graphShown();
    void failed(const QString& message);

private:
    void rebuild();
    void draw();
    void fillLegend();
    QString className(int64_t c) const;

    QString dir_;
    std::shared_ptr<const GraphData> graph_;
    std::vector<QString> classNames_;
    struct Built {
        std::shared_ptr<const GraphData> graph;
        std::vector<QString> classNames;
        QString error;
    };
    // The last features.pt read and its folder, for the next build of the same run (the
    // threshold slider's rebuilds read it once). Filled and read by the builds, one at a time.
    struct FeatureMemo;
    std::shared_ptr<FeatureMemo> memo_;
    // The newest folder and settings win: a rebuild supersedes a running build.
    LatestResult<Built> build_;

    GraphCanvas* canvas_;
    QGraphicsScene* scene_;
    std::vector<QGraphicsEllipseItem*> nodes_;
    class EdgeLayer* edges_ = nullptr;
    QSlider* threshold_;
    QComboBox* kind_;
    QStackedWidget* kindControls_;  // the threshold slider or k, one width for both
    QSpinBox *testNodes_, *dims_, *k_;
    int wantedTests_ = 500;  // the user's choice; the box shows fewer for a run with fewer
    QLabel *folderLabel_, *stats_;
    QScrollArea* legendScroll_;  // hidden until a graph is drawn: no empty box
    QVBoxLayout* legend_;
    std::vector<QLabel*> legendNames_;
    QLabel* card_;  // the hover card, a tool-tip window
};

}  // namespace fewdata
