// The dataset page: the embedded Fashion-MNIST or a folder, every image as a lazily decoded
// thumbnail, the classes with their counts per split, filters by class and split, an image's
// details, and the low-resource protocol's draw (K, seed) marking train, val and test.
// Opening and drawing run on worker threads; the page never decodes on the GUI thread.
#pragma once

#include <QSet>
#include <QWidget>
#include <memory>

#include "core/config/config.h"
#include "latest_result.h"
#include "prepared_data.h"

class QLabel;
class QListView;
class QListWidget;
class QTableWidget;
class QComboBox;
class QSpinBox;
class QDoubleSpinBox;
class QSortFilterProxyModel;
class QTimer;

namespace fewdata {

class ThumbnailModel;
class SplitFilter;
class ImagePane;

class DatasetBrowser : public QWidget {
    Q_OBJECT
public:
    explicit DatasetBrowser(QWidget* parent = nullptr);
    ~DatasetBrowser() override;

    // Opens the config's dataset (when it changed) and draws its protocol.
    void setConfig(const TrainConfig& config);
    const TrainConfig& config() const { return config_; }
    std::shared_ptr<const PreparedData> prepared() const { return prepared_; }
    ThumbnailModel* model() const { return model_; }
    QListView* view() const { return view_; }
    int visibleCount() const;
    void filterClass(int label);  // -1: all
    void filterSplit(int split);  // -1: all, else a SplitTag
    // Only the images of these manifest ids (a run's hardest images), `why` said above the
    // grid; an empty list shows all again.
    void filterIds(const QStringList& ids, const QString& why);
    bool filteredByIds() const;
    int unreadableCount() const;
    QString detailsText() const;  // the details pane's text

signals:
    // The user changed the dataset, K or the seed here: the experiment should follow.
    void protocolEdited(const TrainConfig& config);
    void datasetOpened(int images);
    void splitsDrawn(std::shared_ptr<const PreparedData> data);
    void failed(const QString& message);

private:
    void openDataset();
    void drawProtocol();
    void showCounts();
    void showDetails(const QModelIndex& proxyIndex);
    void editedHere();
    void noteUnreadable(const QString& id, const QString& why);
    void fitClassTable();

    TrainConfig config_;
    std::string openedKey_;  // dataset + layout of the open source
    std::shared_ptr<const DatasetSource> source_;
    std::shared_ptr<const PreparedData> prepared_;
    ThumbnailModel* model_;
    SplitFilter* filter_;
    QListView* view_;
    QTableWidget* classes_;
    QComboBox *splitBox_, *classBox_;
    QSpinBox *perClass_, *seed_;
    QDoubleSpinBox* valFraction_;
    QLabel *datasetLabel_, *status_, *details_, *unreadableLabel_;
    ImagePane* large_;
    QListWidget* unreadable_;
    QSet<QString> unreadableIds_;
    QWidget* idsRow_;
    QLabel* idsLabel_;
    QTimer* redraw_;
    struct Opened {
        std::shared_ptr<const DatasetSource> source;
        QString error;
    };
    struct Drawn {
        std::shared_ptr<const PreparedData> data;
        QString error;
    };
    struct Large {
        QImage image;
        QString info;
    };
    void showOpened(const Opened& o);
    void showDrawn(const Drawn& d);
    // The newest open, draw and large view win. A newer draw cancels the running one; a new
    // dataset drops any draw of the old one.
    LatestResult<Opened> openJob_;
    LatestResult<Drawn> drawJob_;
    LatestResult<Large> largeJob_;
};

}  // namespace fewdata
