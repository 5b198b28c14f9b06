#include "sample_gallery.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

#include "sample_images.h"
#include "thumbnail_model.h"

namespace fewdata {
namespace {

constexpr int kThumb = 96;

std::vector<SampleRef> refsOf(const std::vector<PredictionRow>& rows, size_t n) {
    std::vector<SampleRef> refs;
    for (size_t i = 0; i < std::min(n, rows.size()); ++i)
        refs.push_back({rows[i].id, rows[i].trueIndex});
    return refs;
}

// Small images (Fashion-MNIST's 28 px) are enlarged with hard edges, as a reader inspects them.
QPixmap enlarged(const QImage& image, int side) {
    if (image.isNull()) return {};
    return QPixmap::fromImage(image.scaled(side, side, Qt::KeepAspectRatio,
                                           image.width() < side / 2 ? Qt::FastTransformation
                                                                    : Qt::SmoothTransformation));
}

QString label(const PredictionRow& r) {
    const QString t = QString::fromStdString(r.trueClass);
    const QString p = QString::fromStdString(r.predictedClass);
    return (r.correct() ? t : t + QStringLiteral(" → ") + p) +
           QStringLiteral("\n%1 %").arg(100.0 * r.pPredicted, 0, 'f', 1);
}

// One sample large, decoded in the background; the decode ends with the dialog (a member,
// so it is stopped before the labels it fills are gone).
class LargeSample : public QDialog {
public:
    LargeSample(const QString& runDir, const PredictionRow& r, QWidget* parent) : QDialog(parent) {
        setWindowTitle(QString::fromStdString(r.id));
        auto* image = new QLabel(SampleGallery::tr("Decoding…"));
        image->setAlignment(Qt::AlignCenter);
        image->setMinimumSize(320, 320);
        auto* text = new QLabel(
            SampleGallery::tr("%1<br>true class <b>%2</b>, predicted <b>%3</b> (%4 %), true "
                              "class %5 %")
                .arg(QString::fromStdString(r.id).toHtmlEscaped(),
                     QString::fromStdString(r.trueClass).toHtmlEscaped(),
                     QString::fromStdString(r.predictedClass).toHtmlEscaped())
                .arg(100.0 * r.pPredicted, 0, 'f', 1)
                .arg(100.0 * r.pTrue, 0, 'f', 1));
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        text->setWordWrap(true);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        auto* layout = new QVBoxLayout(this);
        layout->addWidget(image, 1);
        layout->addWidget(text);
        layout->addWidget(buttons);
        const std::string dir = runDir.toStdString();
        const std::vector<SampleRef> refs = {{r.id, r.trueIndex}};
        decode_.request(
            [dir, refs](const std::atomic<bool>* cancel) {
                return sampleImages(dir, refs, 512, cancel);
            },
            [image](const std::vector<QImage>& images) {
                if (images.empty() || images[0].isNull())
                    image->setText(SampleGallery::tr("The image cannot be read any more."));
                else
                    image->setPixmap(enlarged(images[0], 320));
            });
        resize(420, 480);
    }

private:
    LatestResult<std::vector<QImage>> decode_;
};

}  // namespace

SampleGallery::SampleGallery(QWidget* parent) : QWidget(parent) {
    caption_ = new QLabel;
    caption_->setWordWrap(true);
    list_ = new QListWidget;
    list_->setViewMode(QListView::IconMode);
    list_->setIconSize(QSize(kThumb, kThumb));
    list_->setGridSize(QSize(kThumb + 40, kThumb + 44));
    list_->setResizeMode(QListView::Adjust);
    list_->setMovement(QListView::Static);
    list_->setWordWrap(true);
    list_->setUniformItemSizes(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(caption_);
    layout->addWidget(list_, 1);
    connect(list_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (QDialog* d = openLarge(list_->row(item))) {
            d->setAttribute(Qt::WA_DeleteOnClose);
            d->show();
        }
    });
}

SampleGallery::~SampleGallery() = default;

int SampleGallery::shown() const {
    return list_->count();
}

void SampleGallery::setSamples(const QString& runDir, std::vector<PredictionRow> rows,
                               const QString& caption) {
    runDir_ = runDir;
    rows_ = std::move(rows);
    withImage_ = 0;
    const size_t n = std::min<size_t>(rows_.size(), kMaxShown);
    caption_->setText(rows_.size() > n ? tr("%1 (the first %2 of %3)")
                                             .arg(caption)
                                             .arg(n)
                                             .arg(rows_.size())
                                       : caption);
    list_->clear();
    const QPixmap unreadable = QPixmap::fromImage(brokenImageMark(QSize(kThumb, kThumb)));
    // A blank of the thumbnail's size until the image comes: the items' size (uniform) is
    // taken from the first one, icon and text.
    QPixmap blank(kThumb, kThumb);
    blank.fill(QColor(235, 235, 235));
    for (size_t i = 0; i < n; ++i) {
        auto* item = new QListWidgetItem(QIcon(blank), label(rows_[i]));
        item->setToolTip(QString::fromStdString(rows_[i].id));
        item->setTextAlignment(Qt::AlignHCenter | Qt::AlignTop);
        list_->addItem(item);
    }
    const std::string dir = runDir.toStdString();
    const auto refs = refsOf(rows_, n);
    thumbs_.request(
        [dir, refs](const std::atomic<bool>* cancel) {
            return sampleImages(dir, refs, kThumb, cancel);
        },
        [this, unreadable](const std::vector<QImage>& images) {
            for (int i = 0; i < list_->count() && size_t(i) < images.size(); ++i) {
                const bool ok = !images[size_t(i)].isNull();
                withImage_ += ok;
                list_->item(i)->setIcon(ok ? QIcon(enlarged(images[size_t(i)], kThumb))
                                           : QIcon(unreadable));
            }
            emit thumbnailsShown();
        });
}

QDialog* SampleGallery::openLarge(int i) {
    if (i < 0 || size_t(i) >= rows_.size()) return nullptr;
    return new LargeSample(runDir_, rows_[size_t(i)], this);
}

}  // namespace fewdata
