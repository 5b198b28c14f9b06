<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>StudyPlots</name>
    <message>
        <source>Test accuracy (%)</source>
        <translation>Testgenauigkeit (%)</translation>
    </message>
    <message>
        <source>No finished runs in this folder</source>
        <translation>Keine abgeschlossenen Läufe in diesem Ordner</translation>
    </message>
    <message>
        <source>Test accuracy by method</source>
        <translation>Testgenauigkeit nach Methode</translation>
    </message>
    <message>
        <source>Test accuracy, mean over seeds, 95 % interval</source>
        <translation>Testgenauigkeit, Mittel über Seeds, 95-%-Intervall</translation>
    </message>
    <message>
        <source>Baseline&apos;s mean</source>
        <translation>Mittelwert der Baseline</translation>
    </message>
    <message>
        <source>Differs from the baseline (p Holm &lt; 0.05)</source>
        <translation>Unterscheidet sich von der Baseline (p Holm &lt; 0,05)</translation>
    </message>
    <message>
        <source>No learning curve: the folder holds one K (compare --per-class 5,10,20)</source>
        <translation>Keine Lernkurve: Der Ordner enthält nur ein K (compare --per-class 5,10,20)</translation>
    </message>
    <message>
        <source>Test accuracy by images per class</source>
        <translation>Testgenauigkeit nach Bildern pro Klasse</translation>
    </message>
    <message>
        <source>Images per class (K, log scale)</source>
        <translation>Bilder pro Klasse (K, logarithmisch)</translation>
    </message>
    <message>
        <source>bands: 95 % interval over seeds</source>
        <translation>Bänder: 95-%-Intervall über Seeds</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: the file name must end in .png or .pdf</source>
        <translation>&apos;%1&apos;: Der Dateiname muss auf .png oder .pdf enden</translation>
    </message>
    <message>
        <source>a temporary file cannot be made: %1</source>
        <translation>Eine temporäre Datei kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>&apos;%1&apos; could not be drawn</source>
        <translation>&apos;%1&apos; konnte nicht gezeichnet werden</translation>
    </message>
</context>
<context>
    <name>fewdata::AugmentationPreview</name>
    <message>
        <source>Random pair</source>
        <translation>Zufälliges Paar</translation>
    </message>
    <message>
        <source>Sample λ ~ Beta(α, α)</source>
        <translation>λ ~ Beta(α, α) ziehen</translation>
    </message>
    <message>
        <source>New views and box</source>
        <translation>Neue Ansichten und Box</translation>
    </message>
    <message>
        <source>Image A</source>
        <translation>Bild A</translation>
    </message>
    <message>
        <source>Image B</source>
        <translation>Bild B</translation>
    </message>
    <message>
        <source>λ</source>
        <translation>λ</translation>
    </message>
    <message>
        <source>α</source>
        <translation>α</translation>
    </message>
    <message>
        <source>A: training view</source>
        <translation>A: Trainingsansicht</translation>
    </message>
    <message>
        <source>B: training view</source>
        <translation>B: Trainingsansicht</translation>
    </message>
    <message>
        <source>MixUp</source>
        <translation>MixUp</translation>
    </message>
    <message>
        <source>CutMix (box in red)</source>
        <translation>CutMix (Box in Rot)</translation>
    </message>
    <message>
        <source>batch </source>
        <translation>Batch </translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>The training batch the trainer will see (first epoch)</source>
        <translation>Der Trainings-Batch, den der Trainer sieht (erste Epoche)</translation>
    </message>
    <message>
        <source>weight of A: %1</source>
        <translation>Gewicht von A: %1</translation>
    </message>
    <message>
        <source>weight of A by area: %1</source>
        <translation>Gewicht von A nach Fläche: %1</translation>
    </message>
    <message>
        <source>CutMix</source>
        <translation>CutMix</translation>
    </message>
    <message>
        <source>soft label</source>
        <translation>weiches Label</translation>
    </message>
    <message>
        <source>Forming batch %1 of %2 for %3…</source>
        <translation>Batch %1 von %2 für %3 wird gebildet…</translation>
    </message>
    <message>
        <source>%1 images, method %2, seed %3</source>
        <translation>%1 Bilder, Methode %2, Seed %3</translation>
    </message>
    <message>
        <source>, λ = %1</source>
        <translation>, λ = %1</translation>
    </message>
    <message>
        <source>Batch %1 of %2: %3. Under each image: its class, and its partner&apos;s when mixed.</source>
        <translation>Batch %1 von %2: %3. Unter jedem Bild: seine Klasse und, falls gemischt, die seines Partners.</translation>
    </message>
    <message>
        <source>One policy op on image A (its evaluation view)</source>
        <translation>Eine Policy-Operation auf Bild A (seine Auswertungsansicht)</translation>
    </message>
    <message>
        <source>Magnitude bin (0 to 30)</source>
        <translation>Stärkestufe (0 bis 30)</translation>
    </message>
    <message>
        <source>%1 at bin %2: magnitude %3 (%4&apos;s ranges; signed ops are negated half of the time in training).</source>
        <translation>%1 auf Stufe %2: Stärke %3 (Bereiche von %4; Operationen mit Vorzeichen werden im Training in der Hälfte der Fälle negiert).</translation>
    </message>
    <message>
        <source>Color (saturation) leaves grey images as they are.</source>
        <translation>Color (Sättigung) lässt Graustufenbilder unverändert.</translation>
    </message>
</context>
<context>
    <name>fewdata::DatasetBrowser</name>
    <message>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>not drawn</source>
        <translation>nicht gezogen</translation>
    </message>
    <message>
        <source>Fashion-MNIST (embedded)</source>
        <translation>Fashion-MNIST (eingebettet)</translation>
    </message>
    <message>
        <source>Open folder…</source>
        <translation>Ordner öffnen…</translation>
    </message>
    <message>
        <source>K per class</source>
        <translation>K pro Klasse</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>Validierungsanteil</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Val</source>
        <translation>Val.</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>All splits</source>
        <translation>Alle Teilmengen</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>Not drawn</source>
        <translation>Nicht gezogen</translation>
    </message>
    <message>
        <source>Unreadable images: 0</source>
        <translation>Unlesbare Bilder: 0</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Teilmenge</translation>
    </message>
    <message>
        <source>Select an image to see its details.</source>
        <translation>Wählen Sie ein Bild aus, um seine Details zu sehen.</translation>
    </message>
    <message>
        <source>Open an ImageFolder or VIPriors folder</source>
        <translation>ImageFolder- oder VIPriors-Ordner öffnen</translation>
    </message>
    <message>
        <source>Unreadable images: %1</source>
        <translation>Unlesbare Bilder: %1</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>Alle Klassen</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>Drawing K = %1 per class with seed %2…</source>
        <translation>K = %1 pro Klasse werden mit Seed %2 gezogen…</translation>
    </message>
    <message>
        <source>%1 images in %2 classes; drawn: %3 train (green), %4 validation (orange), %5 test (blue); %6 shown</source>
        <translation>%1 Bilder in %2 Klassen; gezogen: %3 Training (grün), %4 Validierung (orange), %5 Test (blau); %6 angezeigt</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;class: %2&lt;br&gt;split: %3&lt;br&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Klasse: %2&lt;br&gt;Teilmenge: %3&lt;br&gt;</translation>
    </message>
    <message>
        <source>size: %1 x %2&lt;br&gt;channels: %3</source>
        <translation>Größe: %1 x %2&lt;br&gt;Kanäle: %3</translation>
    </message>
    <message>
        <source>unreadable: %1</source>
        <translation>unlesbar: %1</translation>
    </message>
    <message>
        <source>Show all images</source>
        <translation>Alle Bilder zeigen</translation>
    </message>
    <message>
        <source>None of the %1 images (%2) is in the open dataset: open the run&apos;s dataset first.</source>
        <translation>Keines der %1 Bilder (%2) ist im geöffneten Datensatz: Öffnen Sie zuerst den Datensatz des Laufs.</translation>
    </message>
    <message>
        <source>Only %1 of %2 images: %3</source>
        <translation>Nur %1 von %2 Bildern: %3</translation>
    </message>
    <message>
        <source>size: %1 x %2&lt;br&gt;channels: %3&lt;br&gt;file: %4</source>
        <translation>Größe: %1 x %2&lt;br&gt;Kanäle: %3&lt;br&gt;Datei: %4</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Byte</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 KiB</translation>
    </message>
</context>
<context>
    <name>fewdata::ExperimentForm</name>
    <message>
        <source>(none: the values below)</source>
        <translation>(keine: die Werte unten)</translation>
    </message>
    <message>
        <source>Recipe preset</source>
        <translation>Rezept-Vorlage</translation>
    </message>
    <message>
        <source>Its methods: %1. Every key and its source: fewdata-cli compare --list-presets.</source>
        <translation>Ihre Methoden: %1. Jeder Schlüssel und seine Quelle: fewdata-cli compare --list-presets.</translation>
    </message>
    <message>
        <source>More settings</source>
        <translation>Weitere Einstellungen</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Method and model</source>
        <translation>Methode und Modell</translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation>Optimierung</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>Augmentierung</translation>
    </message>
    <message>
        <source>Similarity learning</source>
        <translation>Ähnlichkeitslernen</translation>
    </message>
    <message>
        <source>Methods on cached features</source>
        <translation>Methoden auf zwischengespeicherten Merkmalen</translation>
    </message>
    <message>
        <source>Execution</source>
        <translation>Ausführung</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Ordner…</translation>
    </message>
    <message>
        <source>Fashion-MNIST</source>
        <translation>Fashion-MNIST</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Images per class (K)</source>
        <translation>Bilder pro Klasse (K)</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>Weight Decay</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Lernratenplan</translation>
    </message>
    <message>
        <source>auto (56 Fashion-MNIST, 224 folders)</source>
        <translation>automatisch (56 Fashion-MNIST, 224 Ordner)</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>Bildgröße</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Test images</source>
        <translation>Testbilder</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>alle Kerne</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU-Threads</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Laden…</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Image folder</source>
        <translation>Bildordner</translation>
    </message>
    <message>
        <source>Load experiment</source>
        <translation>Experiment laden</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Save experiment</source>
        <translation>Experiment speichern</translation>
    </message>
    <message>
        <source>One run per seed: seed, seed + 1, …; they wait in the queue</source>
        <translation>Ein Lauf pro Seed: Seed, Seed + 1, …; sie warten in der Warteschlange</translation>
    </message>
    <message>
        <source>Seeds (runs)</source>
        <translation>Seeds (Läufe)</translation>
    </message>
    <message>
        <source>Start or queue runs</source>
        <translation>Läufe starten oder einreihen</translation>
    </message>
    <message>
        <source>auto: bf16 on GPUs with bf16 tensor cores (A100, H100 and later), else fp32</source>
        <translation>auto: bf16 auf GPUs mit bf16-Tensorkernen (A100, H100 und neuer), sonst fp32</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Zahlenformat</translation>
    </message>
    <message>
        <source>Quick look</source>
        <translation>Schnellblick</translation>
    </message>
    <message>
        <source>K = 5, 2 epochs, 200 test images: a first look at a method in about a minute; the figures are not the method&apos;s</source>
        <translation>K = 5, 2 Epochen, 200 Testbilder: ein erster Blick auf eine Methode in etwa einer Minute; die Zahlen sind nicht die der Methode</translation>
    </message>
    <message>
        <source>Quick look: K = 5, 2 epochs, 200 test images. For figures to report, use a preset or the defaults.</source>
        <translation>Schnellblick: K = 5, 2 Epochen, 200 Testbilder. Für Zahlen zum Berichten eine Vorlage oder die Voreinstellungen verwenden.</translation>
    </message>
</context>
<context>
    <name>fewdata::GraphView</name>
    <message>
        <source>Open run…</source>
        <translation>Lauf öffnen…</translation>
    </message>
    <message>
        <source>No run: a finished run&apos;s features.pt is drawn here.</source>
        <translation>Kein Lauf: Hier wird die features.pt eines abgeschlossenen Laufs dargestellt.</translation>
    </message>
    <message>
        <source>Edge when the distance is at most this share of the mean</source>
        <translation>Kante, wenn der Abstand höchstens diesen Anteil des Mittelwerts beträgt</translation>
    </message>
    <message>
        <source>threshold 100 % of mean distance</source>
        <translation>Schwelle 100 % des mittleren Abstands</translation>
    </message>
    <message>
        <source>test nodes </source>
        <translation>Testknoten </translation>
    </message>
    <message>
        <source>all feature dims</source>
        <translation>alle Merkmalsdimensionen</translation>
    </message>
    <message>
        <source>dims </source>
        <translation>Dimensionen </translation>
    </message>
    <message>
        <source>A run folder with features.pt</source>
        <translation>Ein Laufordner mit features.pt</translation>
    </message>
    <message>
        <source>threshold %1 % of mean distance</source>
        <translation>Schwelle %1 % des mittleren Abstands</translation>
    </message>
    <message>
        <source>Building the graph and its layout…</source>
        <translation>Graph und Layout werden erstellt…</translation>
    </message>
    <message>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>node %1 (%2)&lt;br&gt;class: %3&lt;br&gt;CNN predicts: %4&lt;br&gt;degree: %5</source>
        <translation>Knoten %1 (%2)&lt;br&gt;Klasse: %3&lt;br&gt;CNN-Vorhersage: %4&lt;br&gt;Grad: %5</translation>
    </message>
    <message>
        <source>Threshold (the paper&apos;s GCN graph)</source>
        <translation>Schwelle (GCN-Graph des Papers)</translation>
    </message>
    <message>
        <source>k nearest neighbours</source>
        <translation>k nächste Nachbarn</translation>
    </message>
    <message>
        <source>The threshold graph is the paper&apos;s, the one the GCN trains on by default. The k-nearest-neighbour graph links each image to its k closest ones, as the GCN&apos;s graph with gnn_graph = knn (gnn_neighbours = k); it shows class structure that the dense threshold graph hides.</source>
        <translation>Der Schwellengraph ist der des Papers, auf dem das GCN standardmäßig trainiert. Der Graph der k nächsten Nachbarn verbindet jedes Bild mit seinen k nächsten, wie der Graph des GCN mit gnn_graph = knn (gnn_neighbours = k); er zeigt Klassenstruktur, die der dichte Schwellengraph verbirgt.</translation>
    </message>
    <message>
        <source>Graph:</source>
        <translation>Graph:</translation>
    </message>
    <message>
        <source>k = </source>
        <translation>k = </translation>
    </message>
    <message>
        <source>Each image is linked to its k nearest neighbours by feature distance, and to every image that has it among its k nearest</source>
        <translation>Jedes Bild wird mit seinen k nächsten Nachbarn nach Merkmalsabstand verbunden und mit jedem Bild, unter dessen k nächsten es ist</translation>
    </message>
    <message>
        <source>k-nearest-neighbour graph, k = %1 (the GCN&apos;s graph with gnn_graph = knn and gnn_neighbours = %1): </source>
        <translation>Graph der k nächsten Nachbarn, k = %1 (der Graph des GCN mit gnn_graph = knn und gnn_neighbours = %1): </translation>
    </message>
    <message>
        <source>Threshold graph at %1 % of the mean distance (the GCN&apos;s default graph at 100 %): </source>
        <translation>Schwellengraph bei %1 % des mittleren Abstands (der Standardgraph des GCN bei 100 %): </translation>
    </message>
    <message>
        <source>%1 nodes, %2 edges (%3 % of pairs; %4 drawn: each node&apos;s strongest), %5 isolated; same-class edges: %6 %; mean distance %7. Click a node for its neighbours, click the background to clear.</source>
        <translation>%1 Knoten, %2 Kanten (%3 % der Paare; %4 gezeichnet: die stärksten jedes Knotens), %5 isoliert; Kanten innerhalb einer Klasse: %6 %; mittlerer Abstand %7. Klicken Sie auf einen Knoten, um seine Nachbarn zu sehen, und auf den Hintergrund, um die Auswahl aufzuheben.</translation>
    </message>
    <message>
        <source>class %1</source>
        <translation>Klasse %1</translation>
    </message>
    <message>
        <source>Classes (fill)</source>
        <translation>Klassen (Füllung)</translation>
    </message>
    <message>
        <source>%1 classes: too many to list; hover a node for its class</source>
        <translation>%1 Klassen: zu viele für eine Liste; zeigen Sie auf einen Knoten, um seine Klasse zu sehen</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>Markierungen</translation>
    </message>
    <message>
        <source>dark ring: the CNN&apos;s prediction is wrong</source>
        <translation>dunkler Ring: Die Vorhersage des CNN ist falsch</translation>
    </message>
    <message>
        <source>edge: one image is among the other&apos;s k nearest; darker is closer</source>
        <translation>Kante: Ein Bild ist unter den k nächsten des anderen; dunkler ist näher</translation>
    </message>
    <message>
        <source>edge: distance at most the threshold; darker is closer</source>
        <translation>Kante: Abstand höchstens die Schwelle; dunkler ist näher</translation>
    </message>
    <message>
        <source>The GCN trains on this graph with gnn_graph = knn; by default it trains on the threshold graph.</source>
        <translation>Mit gnn_graph = knn trainiert das GCN auf diesem Graphen; standardmäßig auf dem Schwellengraphen.</translation>
    </message>
</context>
<context>
    <name>fewdata::LeftOutText</name>
    <message>
        <source>&apos;%1&apos; does not exist</source>
        <translation>&apos;%1&apos; existiert nicht</translation>
    </message>
    <message>
        <source>cannot open &apos;%1&apos;: %2</source>
        <translation>&apos;%1&apos; kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>cannot read &apos;%1&apos;: %2</source>
        <translation>&apos;%1&apos; kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a folder, not a file</source>
        <translation>&apos;%1&apos; ist ein Ordner, keine Datei</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a FIFO, not a file</source>
        <translation>&apos;%1&apos; ist ein FIFO, keine Datei</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a socket, not a file</source>
        <translation>&apos;%1&apos; ist ein Socket, keine Datei</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a device, not a file</source>
        <translation>&apos;%1&apos; ist ein Gerät, keine Datei</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a regular file</source>
        <translation>&apos;%1&apos; ist keine reguläre Datei</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is %2 bytes, more than the %3 allowed</source>
        <translation>&apos;%1&apos; hat %2 Byte, mehr als die erlaubten %3</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is more than the %2 bytes allowed</source>
        <translation>&apos;%1&apos; ist größer als die erlaubten %2 Byte</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is nested more than %2 levels deep</source>
        <translation>&apos;%1&apos; ist tiefer als %2 Ebenen verschachtelt</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not valid JSON: %2</source>
        <translation>&apos;%1&apos; ist kein gültiges JSON: %2</translation>
    </message>
    <message>
        <source>unfinished: no result.json</source>
        <translation>unvollständig: keine result.json</translation>
    </message>
    <message>
        <source>not a folder</source>
        <translation>kein Ordner</translation>
    </message>
    <message>
        <source>result.json has format %1; this version reads format %2</source>
        <translation>result.json hat Format %1; diese Version liest Format %2</translation>
    </message>
    <message>
        <source>status &apos;%1&apos;: %2</source>
        <translation>Status &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>status &apos;%1&apos;</source>
        <translation>Status &apos;%1&apos;</translation>
    </message>
    <message>
        <source>same recipe and seed as %1</source>
        <translation>dasselbe Rezept und derselbe Seed wie %1</translation>
    </message>
    <message>
        <source>missing or ill-typed field: %1</source>
        <translation>fehlendes oder falsch typisiertes Feld: %1</translation>
    </message>
    <message>
        <source>&apos;%1&apos; holds a run with other settings (%2); use another output folder</source>
        <translation>&apos;%1&apos; enthält einen Lauf mit anderen Einstellungen (%2); wählen Sie einen anderen Ausgabeordner</translation>
    </message>
    <message>
        <source>cannot read this folder (%1); runs inside it, if any, are not in the table</source>
        <translation>Ordner nicht lesbar (%1); Läufe darin, falls es welche gibt, fehlen in der Tabelle</translation>
    </message>
    <message>
        <source>result.json: %1 = %2 is not an accuracy in [0, 100]</source>
        <translation>result.json: %1 = %2 ist keine Genauigkeit in [0, 100]</translation>
    </message>
</context>
<context>
    <name>fewdata::MainWindow</name>
    <message>
        <source>FewData Workbench</source>
        <translation>FewData Workbench</translation>
    </message>
    <message>
        <source>Device: CUDA (%1 GPU)</source>
        <translation>Gerät: CUDA (%1 GPU)</translation>
    </message>
    <message>
        <source>Device: CPU, %1 threads</source>
        <translation>Gerät: CPU, %1 Threads</translation>
    </message>
    <message>
        <source>The experiment has a bad value: %1</source>
        <translation>Das Experiment enthält einen ungültigen Wert: %1</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>Augmentierung</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>Experiment</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>Graph</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;results folder…</source>
        <translation>E&amp;rgebnisordner öffnen…</translation>
    </message>
    <message>
        <source>Results folder</source>
        <translation>Ergebnisordner</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Ab&amp;brechen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>A run is in progress</source>
        <translation>Ein Lauf ist im Gange</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Englisch</translation>
    </message>
    <message>
        <source>German</source>
        <translation>Deutsch</translation>
    </message>
    <message>
        <source>The language changes when the workbench starts again.</source>
        <translation>Die Sprache wechselt beim nächsten Start der Workbench.</translation>
    </message>
    <message>
        <source>&amp;Pause or resume</source>
        <translation>&amp;Pausieren oder fortsetzen</translation>
    </message>
    <message>
        <source>Queued: %1 runs wait for the current one.</source>
        <translation>Eingereiht: %1 Läufe warten auf den aktuellen.</translation>
    </message>
    <message>
        <source>%1: after epoch %2 of %3</source>
        <translation>%1: nach Epoche %2 von %3</translation>
    </message>
    <message>
        <source>%1: before its first checkpoint (starts over in its folder)</source>
        <translation>%1: vor dem ersten Sicherungspunkt (beginnt in seinem Ordner neu)</translation>
    </message>
    <message>
        <source>Unfinished runs</source>
        <translation>Unvollendete Läufe</translation>
    </message>
    <message>
        <source>Cannot resume %1: %2</source>
        <translation>%1 kann nicht fortgesetzt werden: %2</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>Studie</translation>
    </message>
    <message>
        <source>Study cancelled; the finished runs are kept.</source>
        <translation>Studie abgebrochen; die fertigen Läufe bleiben erhalten.</translation>
    </message>
    <message numerus="yes">
        <source>Study finished, %n run(s) failed.</source>
        <translation>
            <numerusform>Studie beendet, %n Lauf fehlgeschlagen.</numerusform>
            <numerusform>Studie beendet, %n Läufe fehlgeschlagen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The engine is busy: start the study when the runs are done.</source>
        <translation>Die Engine ist beschäftigt: Starten Sie die Studie, wenn die Läufe fertig sind.</translation>
    </message>
    <message>
        <source>A study is running: cancel it on the Study page first.</source>
        <translation>Eine Studie läuft: Brechen Sie sie zuerst auf der Seite Studie ab.</translation>
    </message>
    <message>
        <source>Stopping the run…</source>
        <translation>Der Lauf wird angehalten…</translation>
    </message>
    <message>
        <source>Next: the Experiment page&apos;s Start (Ctrl+R) trains on this dataset; Quick look there tries a method in about a minute.</source>
        <translation>Als Nächstes: Start auf der Seite Experiment (Strg+R) trainiert auf diesem Datensatz; Schnellblick dort probiert eine Methode in etwa einer Minute.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Read me</source>
        <translation>&amp;Liesmich</translation>
    </message>
    <message>
        <source>Read me</source>
        <translation>Liesmich</translation>
    </message>
    <message>
        <source>The README was not found beside the program.</source>
        <translation>Die README wurde neben dem Programm nicht gefunden.</translation>
    </message>
    <message>
        <source>&amp;About FewData Workbench</source>
        <translation>Ü&amp;ber FewData Workbench</translation>
    </message>
    <message>
        <source>About FewData Workbench</source>
        <translation>Über FewData Workbench</translation>
    </message>
    <message>
        <source>&lt;b&gt;FewData Workbench&lt;/b&gt; %1&lt;br&gt;LibTorch %2&lt;br&gt;%3&lt;br&gt;Runs go to %4&lt;br&gt;&lt;br&gt;Image classification from a few images per class: studies with honest statistics.</source>
        <translation>&lt;b&gt;FewData Workbench&lt;/b&gt; %1&lt;br&gt;LibTorch %2&lt;br&gt;%3&lt;br&gt;Läufe gehen nach %4&lt;br&gt;&lt;br&gt;Bildklassifikation mit wenigen Bildern pro Klasse: Studien mit ehrlicher Statistik.</translation>
    </message>
    <message>
        <source>Still stopping the run; the window closes when it has.</source>
        <translation>Der Lauf wird noch angehalten; das Fenster schließt sich danach.</translation>
    </message>
    <message>
        <source>Stop the run and close? It is saved where it stops, and offered for resuming at the next start.</source>
        <translation>Lauf anhalten und schließen? Er wird dort gespeichert, wo er anhält, und beim nächsten Start zum Fortsetzen angeboten.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) stopped before they finished: the window was closed during them, or the program crashed. Resume them from their last checkpoint?</source>
        <translation>
            <numerusform>%n Lauf wurde vor seinem Ende angehalten: Das Fenster wurde währenddessen geschlossen, oder das Programm ist abgestürzt. Vom letzten Sicherungspunkt aus fortsetzen?</numerusform>
            <numerusform>%n Läufe wurden vor ihrem Ende angehalten: Das Fenster wurde währenddessen geschlossen, oder das Programm ist abgestürzt. Vom letzten Sicherungspunkt aus fortsetzen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The workbench shows the new language when it starts again. Restart it now?</source>
        <translation>Die Workbench zeigt die neue Sprache nach einem Neustart. Jetzt neu starten?</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>Jetzt neu starten</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <source>Submitting the study to Slurm…</source>
        <translation>Die Studie wird an Slurm übergeben…</translation>
    </message>
    <message>
        <source>Submitted %1 of %2 runs to Slurm: jobs %3; scripts and logs in %4</source>
        <translation>%1 von %2 Läufen an Slurm übergeben: Jobs %3; Skripte und Protokolle in %4</translation>
    </message>
    <message>
        <source>Nothing to submit: every run is done, failed, running or in Slurm&apos;s queue.</source>
        <translation>Nichts zu übergeben: jeder Lauf ist fertig, fehlgeschlagen, läuft oder steht in der Warteschlange von Slurm.</translation>
    </message>
</context>
<context>
    <name>fewdata::ResultsView</name>
    <message>
        <source>p (Holm)</source>
        <translation>p (Holm)</translation>
    </message>
    <message>
        <source>Recipe</source>
        <translation>Rezept</translation>
    </message>
    <message>
        <source>Exact sign-flip permutation test of the paired differences to the baseline, Holm-corrected across the methods; * below 0.05</source>
        <translation>Exakter Vorzeichen-Permutationstest der gepaarten Differenzen zur Baseline, nach Holm über die Methoden korrigiert; * unter 0,05</translation>
    </message>
    <message>
        <source>(one recipe)</source>
        <translation>(ein Rezept)</translation>
    </message>
    <message>
        <source>A comparison folder, or any folder of run folders</source>
        <translation>Ein Vergleichsordner oder ein beliebiger Ordner mit Laufordnern</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>Strategie</translation>
    </message>
    <message>
        <source>Val mean</source>
        <translation>Val. Mittelwert</translation>
    </message>
    <message>
        <source>Val sd</source>
        <translation>Val. SD</translation>
    </message>
    <message>
        <source>Test mean</source>
        <translation>Test Mittelwert</translation>
    </message>
    <message>
        <source>Test sd</source>
        <translation>Test SD</translation>
    </message>
    <message>
        <source>Test 95 % CI</source>
        <translation>Test 95 % KI</translation>
    </message>
    <message>
        <source>Test vs baseline</source>
        <translation>Test vs. Baseline</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>Exportieren:</translation>
    </message>
    <message>
        <source>Results folder</source>
        <translation>Ergebnisordner</translation>
    </message>
    <message>
        <source>Left out of the tables:</source>
        <translation>Nicht in den Tabellen:</translation>
    </message>
    <message>
        <source>Export table</source>
        <translation>Tabelle exportieren</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Val</source>
        <translation>Val.</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Best epoch</source>
        <translation>Beste Epoche</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Double-click a run for its confusion matrix, per-class accuracy and config</source>
        <translation>Doppelklick auf einen Lauf zeigt Konfusionsmatrix, Genauigkeit pro Klasse und Konfiguration</translation>
    </message>
    <message>
        <source>Per method</source>
        <translation>Pro Methode</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Test vs CNN</source>
        <translation>Test vs. CNN</translation>
    </message>
    <message>
        <source>The GNN beside the CNN&apos;s own predictions and the same network without the graph, on the same nodes; the difference is paired per run</source>
        <translation>Das GNN neben den eigenen Vorhersagen des CNN und demselben Netz ohne Graph, auf denselben Knoten; die Differenz ist pro Lauf gepaart</translation>
    </message>
    <message>
        <source>Table 2 (GNN, same nodes)</source>
        <translation>Tabelle 2 (GNN, dieselben Knoten)</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <source>%1 table (*.%2)</source>
        <translation>%1-Tabelle (*.%2)</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Gespeichert unter %1</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
    <message numerus="yes">
        <source>in the tables; %n rerun(s) of it left out</source>
        <translation>
            <numerusform>in den Tabellen; %n Wiederholung davon ausgelassen</numerusform>
            <numerusform>in den Tabellen; %n Wiederholungen davon ausgelassen</numerusform>
        </translation>
    </message>
    <message>
        <source>not in the tables: %1</source>
        <translation>nicht in den Tabellen: %1</translation>
    </message>
    <message>
        <source>not in the tables: the same method, seed and recipe as %1</source>
        <translation>nicht in den Tabellen: dieselbe Methode, derselbe Seed und dasselbe Rezept wie %1</translation>
    </message>
    <message>
        <source>Seed ensemble</source>
        <translation>Ensemble der Seeds</translation>
    </message>
    <message>
        <source>Test accuracy of the seeds&apos; averaged test probabilities; Test mean is the seeds&apos; own</source>
        <translation>Testgenauigkeit der gemittelten Testwahrscheinlichkeiten der Seeds; Test-Mittel ist die der einzelnen Seeds</translation>
    </message>
    <message numerus="yes">
        <source>%n seed(s) averaged; their own mean from the same files: %1 %</source>
        <translation>
            <numerusform>%n Seed gemittelt; sein eigener Wert aus denselben Dateien: %1 %</numerusform>
            <numerusform>%n Seeds gemittelt; ihr eigenes Mittel aus denselben Dateien: %1 %</numerusform>
        </translation>
    </message>
    <message>
        <source>No ensemble: %1</source>
        <translation>Kein Ensemble: %1</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>Seeds</translation>
    </message>
    <message>
        <source>Test vs reference</source>
        <translation>Test vs. Referenz</translation>
    </message>
    <message>
        <source>95 % CI of the difference</source>
        <translation>95-%-KI der Differenz</translation>
    </message>
    <message>
        <source>Ablation</source>
        <translation>Ablation</translation>
    </message>
    <message>
        <source>A folder made by fewdata-cli compare --ablate: each change against the reference recipe, paired by seed</source>
        <translation>Ein mit fewdata-cli compare --ablate erstellter Ordner: jede Änderung gegen das Referenzrezept, nach Seed gepaart</translation>
    </message>
    <message>
        <source>No ablation table: %1</source>
        <translation>Keine Ablationstabelle: %1</translation>
    </message>
    <message>
        <source>(%1 paired)</source>
        <translation>(%1 gepaart)</translation>
    </message>
    <message>
        <source>reference: </source>
        <translation>Referenz: </translation>
    </message>
    <message>
        <source>Last epoch vs reference</source>
        <translation>Letzte Epoche gegen Referenz</translation>
    </message>
    <message>
        <source>95 % CI %1; the last epoch&apos;s test figure, which no validation split chose</source>
        <translation>95-%-KI %1; der Testwert der letzten Epoche, den kein Validierungssplit ausgewählt hat</translation>
    </message>
</context>
<context>
    <name>fewdata::RunDetails</name>
    <message>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;, seed %2, %3, K = %4&lt;br&gt;validation %5 %, test %6 % (last epoch %7 %), best epoch %8, %9 s&lt;br&gt;%10</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;, Seed %2, %3, K = %4&lt;br&gt;Validierung %5 %, Test %6 % (letzte Epoche %7 %), beste Epoche %8, %9 s&lt;br&gt;%10</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Test images</source>
        <translation>Testbilder</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>Richtig</translation>
    </message>
    <message>
        <source>Accuracy %</source>
        <translation>Genauigkeit %</translation>
    </message>
    <message>
        <source>share of the true class</source>
        <translation>Anteil der wahren Klasse</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>vorhergesagt</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>wahre Klasse</translation>
    </message>
    <message>
        <source>Confusion and per class</source>
        <translation>Konfusion und pro Klasse</translation>
    </message>
    <message>
        <source>This run wrote no confusion matrix (runs of this method, or from an older version, do not).</source>
        <translation>Dieser Lauf hat keine Konfusionsmatrix geschrieben (Läufe dieser Methode oder einer älteren Version tun das nicht).</translation>
    </message>
    <message>
        <source>config.json cannot be read</source>
        <translation>config.json kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Reading predictions.csv…</source>
        <translation>predictions.csv wird gelesen…</translation>
    </message>
    <message>
        <source>Hardest training images</source>
        <translation>Schwierigste Trainingsbilder</translation>
    </message>
    <message>
        <source>No per-sample predictions: %1</source>
        <translation>Keine Vorhersagen pro Bild: %1</translation>
    </message>
    <message>
        <source>Training and validation images the model gets wrong, the surest mistakes first: likely label errors or outliers.</source>
        <translation>Trainings- und Validierungsbilder, die das Modell falsch einordnet, die sichersten Fehler zuerst: wahrscheinlich falsche Labels oder Ausreißer.</translation>
    </message>
    <message numerus="yes">
        <source>%n wrong with the highest confidence</source>
        <translation>
            <numerusform>%n falsch mit der höchsten Konfidenz</numerusform>
            <numerusform>%n falsch mit der höchsten Konfidenz</numerusform>
        </translation>
    </message>
    <message>
        <source>Click a cell of the matrix for its test images.</source>
        <translation>Klicken Sie auf eine Zelle der Matrix, um ihre Testbilder zu sehen.</translation>
    </message>
    <message>
        <source>%1 right: %2 test images, the least sure first</source>
        <translation>%1 richtig: %2 Testbilder, die unsichersten zuerst</translation>
    </message>
    <message>
        <source>%1 taken for %2: %3 test images, the surest first</source>
        <translation>%1 für %2 gehalten: %3 Testbilder, die sichersten zuerst</translation>
    </message>
    <message>
        <source>Show these on the Dataset page</source>
        <translation>Diese auf der Seite Datensatz zeigen</translation>
    </message>
    <message>
        <source>Filters the Dataset page to these images, to look at them among their classes</source>
        <translation>Filtert die Seite Datensatz auf diese Bilder, um sie zwischen ihren Klassen anzusehen</translation>
    </message>
    <message>
        <source>the hardest images of %1</source>
        <translation>die schwierigsten Bilder von %1</translation>
    </message>
</context>
<context>
    <name>fewdata::RunQueue</name>
    <message>
        <source>resume %1 after epoch %2 of %3</source>
        <translation>%1 nach Epoche %2 von %3 fortsetzen</translation>
    </message>
    <message>
        <source>%1, seed %2, %3 epochs, K = %4</source>
        <translation>%1, Seed %2, %3 Epochen, K = %4</translation>
    </message>
</context>
<context>
    <name>fewdata::SampleGallery</name>
    <message>
        <source>Decoding…</source>
        <translation>Wird dekodiert…</translation>
    </message>
    <message>
        <source>%1&lt;br&gt;true class &lt;b&gt;%2&lt;/b&gt;, predicted &lt;b&gt;%3&lt;/b&gt; (%4 %), true class %5 %</source>
        <translation>%1&lt;br&gt;wahre Klasse &lt;b&gt;%2&lt;/b&gt;, vorhergesagt &lt;b&gt;%3&lt;/b&gt; (%4 %), wahre Klasse %5 %</translation>
    </message>
    <message>
        <source>The image cannot be read any more.</source>
        <translation>Das Bild kann nicht mehr gelesen werden.</translation>
    </message>
    <message>
        <source>%1 (the first %2 of %3)</source>
        <translation>%1 (die ersten %2 von %3)</translation>
    </message>
</context>
<context>
    <name>fewdata::StudyPage</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>(none: choose the methods)</source>
        <translation>(keine: Methoden wählen)</translation>
    </message>
    <message>
        <source>The recipe every run of the study shares (the seed aside)</source>
        <translation>Das Rezept, das alle Läufe der Studie teilen (bis auf den Seed)</translation>
    </message>
    <message>
        <source>Images per class, or a list for learning curves: 5,10,20,50</source>
        <translation>Bilder pro Klasse, oder eine Liste für Lernkurven: 5,10,20,50</translation>
    </message>
    <message>
        <source>A new or an earlier study&apos;s folder</source>
        <translation>Ein neuer Ordner oder der einer früheren Studie</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <source>Methods</source>
        <translation>Methoden</translation>
    </message>
    <message>
        <source>Images per class (K)</source>
        <translation>Bilder pro Klasse (K)</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>Seeds</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <source>Recipe</source>
        <translation>Rezept</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Start study</source>
        <translation>Studie starten</translation>
    </message>
    <message>
        <source>Cancel study</source>
        <translation>Studie abbrechen</translation>
    </message>
    <message>
        <source>Plan: methods x K x seeds, one run folder each</source>
        <translation>Plan: Methoden x K x Seeds, je ein Laufordner</translation>
    </message>
    <message>
        <source>Study folder</source>
        <translation>Studienordner</translation>
    </message>
    <message>
        <source>Choose an output folder</source>
        <translation>Wählen Sie einen Ausgabeordner</translation>
    </message>
    <message>
        <source>Choose at least one method</source>
        <translation>Wählen Sie mindestens eine Methode</translation>
    </message>
    <message>
        <source>Choose an output folder: a new one, or an earlier study&apos;s to go on where it stopped.</source>
        <translation>Wählen Sie einen Ausgabeordner: einen neuen, oder den einer früheren Studie, um dort weiterzumachen, wo sie stehen blieb.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <source>; all finished</source>
        <translation>; alle fertig</translation>
    </message>
    <message>
        <source>; the %1 to run take about %2 at %3 images/s (image training only; feature stages and evaluation add to it)</source>
        <translation>; die %1 ausstehenden dauern etwa %2 bei %3 Bildern/s (nur Bildtraining; Merkmalsstufen und Auswertung kommen hinzu)</translation>
    </message>
    <message>
        <source>; a time estimate follows the first finished run</source>
        <translation>; eine Zeitschätzung folgt nach dem ersten fertigen Lauf</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>resumed</source>
        <translation>fortgesetzt</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>behalten</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <source>This machine</source>
        <translation>Dieser Rechner</translation>
    </message>
    <message>
        <source>Slurm cluster</source>
        <translation>Slurm-Cluster</translation>
    </message>
    <message>
        <source>This machine: the runs one after another in this window. Slurm cluster: the study as job arrays, submitted with sbatch; each task runs fewdata-cli compare --task, and this page follows their folders.</source>
        <translation>Dieser Rechner: die Läufe nacheinander in diesem Fenster. Slurm-Cluster: die Studie als Job-Arrays, mit sbatch übergeben; jede Aufgabe führt fewdata-cli compare --task aus, und diese Seite verfolgt ihre Ordner.</translation>
    </message>
    <message>
        <source>the cluster&apos;s default</source>
        <translation>Vorgabe des Clusters</translation>
    </message>
    <message>
        <source>the partition&apos;s limit, or e.g. 4:00:00</source>
        <translation>Grenze der Partition, oder z. B. 4:00:00</translation>
    </message>
    <message>
        <source>CPUs per run, also its threads</source>
        <translation>CPUs je Lauf, zugleich seine Threads</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>sbatch options passed through to every job, separated by spaces</source>
        <translation>sbatch-Optionen, an jeden Job weitergegeben, durch Leerzeichen getrennt</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>Partition</translation>
    </message>
    <message>
        <source>Time limit per run</source>
        <translation>Zeitlimit je Lauf</translation>
    </message>
    <message>
        <source>CPUs per run</source>
        <translation>CPUs je Lauf</translation>
    </message>
    <message>
        <source>GPUs per run</source>
        <translation>GPUs je Lauf</translation>
    </message>
    <message>
        <source>Runs at once</source>
        <translation>Läufe gleichzeitig</translation>
    </message>
    <message>
        <source>More sbatch options</source>
        <translation>Weitere sbatch-Optionen</translation>
    </message>
    <message>
        <source>Slurm</source>
        <translation>Slurm</translation>
    </message>
    <message>
        <source>Run on</source>
        <translation>Ausführen auf</translation>
    </message>
    <message>
        <source>Submit to Slurm</source>
        <translation>An Slurm übergeben</translation>
    </message>
    <message numerus="yes">
        <source>Slurm&apos;s queue holds none of this study&apos;s jobs any more, and %n run(s) never finished: their job logs are in %1. Submit again to run them.</source>
        <translation>
            <numerusform>Slurms Warteschlange enthält keinen Job dieser Studie mehr, und %n Lauf wurde nie beendet: Die Job-Protokolle liegen in %1. Erneut übergeben, um ihn auszuführen.</numerusform>
            <numerusform>Slurms Warteschlange enthält keinen Job dieser Studie mehr, und %n Läufe wurden nie beendet: Die Job-Protokolle liegen in %1. Erneut übergeben, um sie auszuführen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Slurm: %1</source>
        <translation>Slurm: %1</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>in der Warteschlange</translation>
    </message>
</context>
<context>
    <name>fewdata::StudyPlotView</name>
    <message>
        <source>Accuracy per method</source>
        <translation>Genauigkeit pro Methode</translation>
    </message>
    <message>
        <source>Learning curves (accuracy over K)</source>
        <translation>Lernkurven (Genauigkeit über K)</translation>
    </message>
    <message>
        <source>Save PNG…</source>
        <translation>PNG speichern…</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>PDF speichern…</translation>
    </message>
    <message>
        <source>Figure:</source>
        <translation>Abbildung:</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Save figure</source>
        <translation>Abbildung speichern</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Gespeichert unter %1</translation>
    </message>
</context>
<context>
    <name>fewdata::StudyRunner</name>
    <message>
        <source>failed before, kept</source>
        <translation>früher fehlgeschlagen, behalten</translation>
    </message>
    <message>
        <source>another process runs it</source>
        <translation>ein anderer Prozess führt ihn aus</translation>
    </message>
    <message>
        <source>its baseline did not finish</source>
        <translation>seine Baseline wurde nicht fertig</translation>
    </message>
    <message>
        <source>interrupted before, set aside as %1</source>
        <translation>früher unterbrochen, beiseitegelegt als %1</translation>
    </message>
    <message>
        <source>the engine was busy</source>
        <translation>die Engine war beschäftigt</translation>
    </message>
</context>
<context>
    <name>fewdata::TrainingCharts</name>
    <message>
        <source>loss (log scale)</source>
        <translation>Loss (log. Skala)</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>Genauigkeit (%)</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>each batch</source>
        <translation>jeder Batch</translation>
    </message>
    <message>
        <source>best epoch</source>
        <translation>beste Epoche</translation>
    </message>
    <message>
        <source>The runs drawn: untick to hide one</source>
        <translation>Die gezeichneten Läufe: Haken entfernen, um einen auszublenden</translation>
    </message>
    <message>
        <source>Clear finished runs</source>
        <translation>Fertige Läufe entfernen</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>geplant</translation>
    </message>
    <message>
        <source>validation, weight EMA</source>
        <translation>Validierung, Gewichts-EMA</translation>
    </message>
</context>
<context>
    <name>fewdata::TrainingPage</name>
    <message>
        <source>No run yet: set up an experiment and start it.</source>
        <translation>Noch kein Lauf: Richten Sie ein Experiment ein und starten Sie es.</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Clear queue</source>
        <translation>Warteschlange leeren</translation>
    </message>
    <message>
        <source>Save charts…</source>
        <translation>Diagramme speichern…</translation>
    </message>
    <message>
        <source>Queued runs</source>
        <translation>Wartende Läufe</translation>
    </message>
    <message>
        <source>Resuming %1 (decoding the dataset)…</source>
        <translation>Setze %1 fort (dekodiere den Datensatz)…</translation>
    </message>
    <message>
        <source>Preparing %1 (decoding the dataset)…</source>
        <translation>%1 wird vorbereitet (Datensatz wird dekodiert)…</translation>
    </message>
    <message>
        <source>%1: %2 train / %3 val / %4 test images on %5</source>
        <translation>%1: %2 Trainings- / %3 Validierungs- / %4 Testbilder auf %5</translation>
    </message>
    <message>
        <source>epoch %1/%2  val %3 %  %4 img/s  ETA %5:%6</source>
        <translation>Epoche %1/%2  Val. %3 %  %4 Bilder/s  Restzeit %5:%6</translation>
    </message>
    <message>
        <source>Finished: test %1 % (best epoch %2, val %3 %), %4</source>
        <translation>Fertig: Test %1 % (beste Epoche %2, Val. %3 %), %4</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Pausing: the run stops at its next batch.</source>
        <translation>Pause: Der Lauf hält beim nächsten Batch an.</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>Pausiert.</translation>
    </message>
    <message>
        <source>Save charts</source>
        <translation>Diagramme speichern</translation>
    </message>
    <message>
        <source>PNG (*.png);;PDF (*.pdf)</source>
        <translation>PNG (*.png);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Image classification when data is scarce</source>
        <translation>Bildklassifikation bei knappen Daten</translation>
    </message>
    <message>
        <source>Train a short run, save a PNG of every page, quit.</source>
        <translation>Einen kurzen Lauf trainieren, von jeder Seite ein PNG speichern, beenden.</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Interface language: de, en or system (default: the language chosen in the View menu, else the system&apos;s).</source>
        <translation>Sprache der Oberfläche: de, en oder system (Vorgabe: die im Menü Ansicht gewählte, sonst die des Systems).</translation>
    </message>
    <message>
        <source>code</source>
        <translation>Code</translation>
    </message>
</context>
</TS>
