// A form over the engine's TrainConfig: the settings a researcher changes most, and under
// "More settings" every other key of the config table, its editor chosen by the key's type,
// range and allowed values. Load and save use the same JSON the CLI reads; a bad value is
// reported by the engine's own validation, which names the key.
#pragma once

#include <QWidget>

#include <vector>

#include "core/config/config.h"

class QComboBox;
class QSpinBox;
class QDoubleSpinBox;
class QLineEdit;
class QLabel;
class QVBoxLayout;

namespace fewdata {

struct ConfigKey;

class ExperimentForm : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentForm(QWidget* parent = nullptr);

    void setConfig(const TrainConfig& config);
    // The form's values over the last loaded config; throws InputError naming the key.
    TrainConfig config() const;
    // Shows the engine's message for the current values; true when they are valid.
    bool validate();

    bool load(const QString& path);  // false with the reason shown in the form
    bool save(const QString& path);
    // Sets the keys of a named preset (run/presets.h) over the form's values; a preset for the
    // user's own data keeps the dataset. False for an unknown name.
    bool applyPreset(const QString& name);
    // K 5, 2 epochs, 200 test images over the form's other values.
    void applyQuickLook();
    // Runs per start: seeds seed, seed + 1, ... (each its own run, queued).
    int seedCount() const;
    void setSeedCount(int n);

signals:
    void startRequested();

private:
    // An editor of the "More settings" part and what it showed after setConfig: a key the user
    // did not touch keeps its loaded value (a spin box would round it).
    struct KeyEditor {
        const ConfigKey* key;
        QWidget* widget;
        QString shown;
    };
    QWidget* buildMoreSettings();
    QString editorText(const KeyEditor& e) const;

    TrainConfig base_;  // keys the form does not show travel through unchanged
    std::vector<KeyEditor> more_;
    QLineEdit* dataset_;
    QComboBox *preset_, *method_, *model_, *schedule_, *device_, *precision_;
    QSpinBox *perClass_, *seed_, *seeds_, *epochs_, *batch_, *imageSize_, *maxTest_, *threads_;
    QDoubleSpinBox *lr_, *weightDecay_;
    QLabel *presetInfo_, *message_;
};

}  // namespace fewdata
