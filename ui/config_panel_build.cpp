// ConfigPanel::build: the form's controls, with their choices, ranges and tooltips.
#include "config_panel.h"

#include "config_panel_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "compute_threads.h"
#include "io/experiment_file.h"
#include "widgets/log_spin_box.h"
#include "settings/schema.h"

namespace layerscope {

using namespace config_panel;  // config_panel_controls.h

namespace {

struct Choice {
  const char* value;
  const char* label;
  const char* tip;
};

const Choice kSources[] = {
    {"gaussian", "Gaussian N(0, 1)",
     "Every feature drawn from N(0, 1): the article's input for the depth-profile experiment "
     "(10 x 500 tanh). The labels come from a random teacher network (learnable) or at random "
     "(Labels below)."},
    {"spiral", "Spiral (2-D)", "Interleaved spiral arms, one per class: needs a deep, non-linear boundary."},
    {"circles", "Circles (2-D)", "One circle inside another: 2 classes, not linearly separable."},
    {"moons", "Moons (2-D)", "Two interleaving half-moons: 2 classes."},
    {"xor", "XOR (2-D)", "The four quadrants, opposite ones sharing a class: 2 classes, the classic "
                         "problem a single linear layer cannot solve."},
    {"blobs", "Blobs", "Gaussian clusters, one per class, in any number of features: easy, linearly separable."},
    {"csv", "CSV file...", "A table: one sample per row, the label in the last column "
                           "(class indices or names); a header row is detected."},
    {"idx", "IDX folder (MNIST)...", "An MNIST-layout folder: train-images-idx3-ubyte[.gz] and "
                                     "train-labels-idx1-ubyte[.gz] (t10k-* as the test set)."},
};

const Choice kActivations[] = {
    {"tanh", "tanh", "tanh(z) = (e^z - e^-z) / (e^z + e^-z): zero-centred, saturates at ±1 where "
                     "its derivative 1 - tanh² vanishes."},
    {"sigmoid", "sigmoid", "σ(z) = 1 / (1 + e^-z): outputs in (0, 1), not zero-centred; saturates "
                           "at 0 and 1, derivative at most 1/4."},
    {"relu", "ReLU", "max(0, z): no saturation for z > 0; a unit whose input is always negative "
                     "outputs 0 and gets no gradient (dead)."},
    {"leaky_relu", "leaky ReLU", "z for z > 0, 0.01 z otherwise: ReLU with a small slope so no "
                                 "unit dies completely."},
    {"elu", "ELU", "z for z > 0, α(e^z - 1) otherwise (α = 1): smooth, negative outputs pull the "
                   "mean towards 0."},
    {"selu", "SELU", "λ·ELU with λ ≈ 1.0507, α ≈ 1.6733 (Klambauer et al. 2017): with LeCun-normal "
                     "init keeps activations at mean 0, variance 1."},
    {"gelu", "GELU", "z·Φ(z), Φ the normal CDF (Hendrycks & Gimpel 2016): the transformers' smooth ReLU."},
    {"linear", "linear (identity)", "f(z) = z: a deep linear network, only as expressive as one "
                                    "linear layer, but its signal propagation is textbook."},
};

const Choice kInits[] = {
    {"normal", "Normal N(0, std²)", "W ~ N(0, std²) with the std you set. The article: std 0.01 "
                                    "collapses a 10 x 500 tanh network, std 1 saturates it."},
    {"uniform", "Uniform U(-a, a)", "W ~ U(-a, a) with the bound you set; Var(W) = a²/3."},
    {"xavier_normal", "Xavier / Glorot normal", "Var(W) = 2 / (fan_in + fan_out) (Glorot & Bengio "
                                                "2010): keeps tanh activations out of saturation and away from 0."},
    {"xavier_uniform", "Xavier / Glorot uniform", "U(-a, a), a = sqrt(6 / (fan_in + fan_out)): the "
                                                  "same variance as Xavier normal."},
    {"he_normal", "He / Kaiming normal", "Var(W) = 2 / fan_in (He et al. 2015): the factor 2 makes "
                                         "up for ReLU zeroing half its inputs."},
    {"he_uniform", "He / Kaiming uniform", "U(-a, a), a = sqrt(6 / fan_in): the same variance as He normal."},
    {"lecun_normal", "LeCun normal", "Var(W) = 1 / fan_in (LeCun 1998): what SELU needs."},
    {"lecun_uniform", "LeCun uniform", "U(-a, a), a = sqrt(3 / fan_in)."},
    {"orthogonal", "Orthogonal", "W a (semi-)orthogonal matrix (Saxe et al. 2014): preserves the "
                                 "norm of the signal through linear layers exactly."},
    {"zeros", "Zeros", "W = 0: every unit of a layer computes the same thing and gets the same "
                       "update; symmetry is never broken."},
    {"constant", "Constant", "W = c for every weight: like zeros, symmetric, units stay identical."},
};

const Choice kOptimizers[] = {
    {"sgd", "SGD", "w ← w - η g: plain stochastic gradient descent."},
    {"momentum", "SGD + momentum", "v ← μ v + g, w ← w - η v: averages gradients over steps, "
                                   "faster along consistent directions."},
    {"nesterov", "Nesterov momentum", "v ← μ v + g, w ← w - η (g + μ v): momentum evaluated a step ahead."},
    {"adam", "Adam", "Per-weight step η m̂ / (sqrt(v̂) + ε) from running means of g and g² "
                     "(Kingma & Ba 2015)."},
};

const Choice kLabels[] = {
    {"teacher", "from a teacher network", "label = argmax_k (W x)_k with W ~ N(0, 1) drawn from the "
                                          "seed: a function of x the network can learn, so "
                                          "validation accuracy rises above chance."},
    {"random", "at random", "Labels drawn at random: nothing to learn. Training accuracy still "
                            "rises (the network memorizes) while validation stays at chance."},
};

const Choice kPreprocess[] = {
    {"none", "none", "The data as loaded."},
    {"center", "center (subtract mean)", "x ← x - mean, per feature (fitted on training data): "
                                         "zero-centred inputs avoid gradients that all share one sign."},
    {"standardize", "standardize", "x ← (x - mean) / std, per feature: zero mean, unit variance, "
                                   "one scale for every feature."},
};

template <size_t N>
QComboBox* makeCombo(const Choice (&choices)[N], QWidget* parent) {
  auto* box = new QComboBox(parent);
  for (const Choice& c : choices) {
    box->addItem(QObject::tr(c.label), QString::fromUtf8(c.value));
    box->setItemData(box->count() - 1, QObject::tr(c.tip), Qt::ToolTipRole);
  }
  return box;
}

QSpinBox* makeSpin(int lo, int hi, QWidget* parent) {
  auto* s = new QSpinBox(parent);
  s->setRange(lo, hi);
  s->setKeyboardTracking(false);
  return s;
}

QDoubleSpinBox* makeDouble(double lo, double hi, double step, int decimals, QWidget* parent) {
  auto* s = new QDoubleSpinBox(parent);
  s->setRange(lo, hi);
  s->setSingleStep(step);
  s->setDecimals(decimals);
  s->setKeyboardTracking(false);
  return s;
}

}  // namespace

void ConfigPanel::build() {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(4, 4, 4, 4);
  problemLabel_ = new QLabel(this);
  problemLabel_->setWordWrap(true);
  problemLabel_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
  problemLabel_->hide();
  outer->addWidget(problemLabel_);

  auto group = [&](const QString& title) {
    auto* box = new QGroupBox(title, this);
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setContentsMargins(6, 6, 6, 6);
    form->setVerticalSpacing(3);
    outer->addWidget(box);
    return form;
  };
  auto row = [](QFormLayout* form, const QString& label, QWidget* field, const QString& tip,
                const char* name) {
    field->setToolTip(tip);
    field->setObjectName(QString::fromLatin1(name));
    form->addRow(label, field);
    if (auto* l = qobject_cast<QLabel*>(form->labelForField(field))) l->setToolTip(tip);
  };

  // --- Data ---
  QFormLayout* data = group(tr("Data"));
  source_ = makeCombo(kSources, this);
  row(data, tr("Data set"), source_,
      tr("Where the samples come from: a synthetic generator (seeded), a CSV table or an "
         "MNIST-style IDX folder. 2-D sets also show the decision regions."), "dataSource");
  auto* pathRow = new QWidget(this);
  auto* pathLayout = new QHBoxLayout(pathRow);
  pathLayout->setContentsMargins(0, 0, 0, 0);
  path_ = new QLineEdit(pathRow);
  path_->setObjectName(QStringLiteral("dataPath"));
  path_->setPlaceholderText(tr("file or folder"));
  browse_ = new QPushButton(tr("Browse..."), pathRow);
  pathLayout->addWidget(path_, 1);
  pathLayout->addWidget(browse_);
  row(data, tr("File"), pathRow, tr("The CSV file or the IDX folder to load."), "dataPathRow");
  labelColumn_ = new QComboBox(this);
  labelColumn_->addItem(tr("last column"), QString());
  row(data, tr("Label column"), labelColumn_,
      tr("CSV only: the column holding the class labels (class indices or names); every other "
         "column is a feature. Filled with the file's columns once it loads."), "labelColumn");
  dataSummary_ = new QLabel(this);
  dataSummary_->setObjectName(QStringLiteral("dataSummary"));
  dataSummary_->setWordWrap(true);
  dataSummary_->setTextFormat(Qt::PlainText);
  dataSummary_->hide();
  data->addRow(dataSummary_);
  samples_ = makeSpin(10, 1000000, this);
  samples_->setSingleStep(100);
  row(data, tr("Samples"), samples_, tr("How many samples the generator draws (before the "
                                        "train/validation split)."), "samples");
  classes_ = makeSpin(1, 100, this);
  row(data, tr("Classes"), classes_, tr("Number of classes K; the output layer has K units and "
                                        "softmax cross-entropy loss -Σ y log p. Circles, moons "
                                        "and XOR have exactly 2. K = 1 is the degenerate case: "
                                        "every prediction is right, the loss is 0."), "classes");
  noise_ = makeDouble(0, 5, 0.05, 3, this);
  row(data, tr("Noise"), noise_, tr("Generators: the std of the noise added to each point (and "
                                    "label noise where it applies). More noise, more overlap "
                                    "between classes: over-fitting becomes visible."), "noise");
  labels_ = makeCombo(kLabels, this);
  row(data, tr("Labels"), labels_, tr("Gaussian data only: where the class labels come from."),
      "labels");
  features_ = makeSpin(1, 100000, this);
  row(data, tr("Features"), features_, tr("Input dimension D of the Gaussian and blobs "
                                          "generators (the 2-D sets always have 2). The "
                                          "article uses 500."), "features");
  preprocess_ = makeCombo(kPreprocess, this);
  row(data, tr("Preprocessing"), preprocess_,
      tr("Fitted on the training split only. Centering: x - mean (otherwise, all-positive "
         "inputs make every weight gradient of a unit share one sign). Standardizing: "
         "(x - mean) / std puts all features on one scale."), "preprocess");
  validation_ = makeDouble(0, 0.9, 0.05, 2, this);
  row(data, tr("Validation"), validation_, tr("Fraction of the training data held out to "
                                              "measure validation loss and accuracy "
                                              "(over-fitting shows as a gap)."), "validationFraction");
  test_ = makeDouble(0, 0.9, 0.05, 2, this);
  row(data, tr("Test"), test_, tr("Fraction of the data held out as a test set, never trained "
                                  "on nor used to choose settings: its loss and accuracy are "
                                  "shown when the run ends. IDX folders bring their own test "
                                  "set (the t10k files)."), "testFraction");

  // --- Network ---
  QFormLayout* net = group(tr("Network"));
  depth_ = makeSpin(1, 100, this);
  row(net, tr("Depth"), depth_, tr("Number of hidden layers L; each is Dense -> [batch norm] -> "
                                   "activation -> [dropout]. The article uses 10."), "depth");
  width_ = makeSpin(1, 4096, this);
  width_->setSingleStep(50);
  row(net, tr("Width"), width_, tr("Units per hidden layer (fan-in and fan-out of the hidden "
                                   "weight matrices). The article uses 500."), "width");
  activation_ = makeCombo(kActivations, this);
  row(net, tr("Activation"), activation_,
      tr("The non-linearity f in a = f(W x + b). Hover the entries for their formulas."), "activation");
  init_ = makeCombo(kInits, this);
  row(net, tr("Initializer"), init_,
      tr("How the weights start (biases start at 0). Too small: the signal shrinks layer after "
         "layer (std × sqrt(fan_in) < 1 each time); too large: tanh saturates. Xavier: "
         "Var(W) = 2/(fan_in + fan_out); He: Var(W) = 2/fan_in."), "init");
  initStd_ = new LogSpinBox(this);
  initStd_->setRange(1e-6, 10);
  row(net, tr("Init std"), initStd_, tr("The std of N(0, std²) for the Normal initializer. "
                                        "A layer multiplies the signal's std by about "
                                        "std × sqrt(fan_in): 0.01 × sqrt(500) ≈ 0.22 per layer "
                                        "makes it collapse."), "initStd");
  initBound_ = new LogSpinBox(this);
  initBound_->setRange(1e-6, 10);
  row(net, tr("Init bound"), initBound_, tr("The bound a of U(-a, a) for the Uniform "
                                            "initializer; its std is a / sqrt(3)."), "initBound");
  initConstant_ = makeDouble(-10, 10, 0.01, 4, this);
  row(net, tr("Init constant"), initConstant_, tr("The value c of every weight for the "
                                                  "Constant initializer."), "initConstant");
  auto* presets = new QWidget(this);
  auto* presetLayout = new QHBoxLayout(presets);
  presetLayout->setContentsMargins(0, 0, 0, 0);
  presetLayout->setSpacing(2);
  struct Preset {
    const char* label;
    const char* init;
    double std;
    const char* tip;
  };
  const Preset presetList[] = {
      {"N(0,0.01)", "normal", 0.01, "The article's small weights: activations collapse to 0."},
      {"N(0,1)", "normal", 1.0, "The article's large weights: tanh saturates at ±1."},
      {"Xavier", "xavier_normal", 0.0, "Var(W) = 2/(fan_in + fan_out): healthy tanh layers."},
      {"He", "he_normal", 0.0, "Var(W) = 2/fan_in: healthy ReLU layers."},
  };
  for (const Preset& p : presetList) {
    auto* button = new QPushButton(QString::fromUtf8(p.label), presets);
    button->setToolTip(tr(p.tip));
    button->setObjectName(QStringLiteral("preset ") + QString::fromUtf8(p.label));
    button->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
    presetLayout->addWidget(button);
    const QString init = QString::fromUtf8(p.init);
    const double std = p.std;
    connect(button, &QPushButton::clicked, this, [this, init, std] { applyInitPreset(init, std); });
  }
  net->addRow(tr("One click"), presets);
  batchNorm_ = new QCheckBox(tr("after each dense layer"), this);
  row(net, tr("Batch norm"), batchNorm_,
      tr("Normalizes each unit over the batch, z' = γ (z - mean_batch) / sqrt(var_batch + ε) + β "
         "(Ioffe & Szegedy 2015), before the activation: every layer sees a stable distribution."),
      "batchNorm");
  dropout_ = makeDouble(0, 0.99, 0.05, 2, this);  // p < 1: the engine's bound
  row(net, tr("Dropout"), dropout_,
      tr("Drop probability p: during training each hidden unit is zeroed with probability p and "
         "the rest scaled by 1/(1-p) (inverted dropout). Regularizes like L2. Changes between "
         "non-zero values apply live."), "dropout");

  // --- Training ---
  QFormLayout* train = group(tr("Training"));
  optimizer_ = makeCombo(kOptimizers, this);
  row(train, tr("Optimizer"), optimizer_, tr("The update rule applied to the gradient g of the "
                                             "loss. Hover the entries for their formulas."), "optimizer");
  // The range is what the engine accepts, not what is sensible: 0 freezes the weights and 100
  // diverges within a few steps, and both are worth seeing once (the run pauses, naming the step
  // and the layer where the values became NaN/Inf).
  learningRate_ = new LogSpinBox(this);
  learningRate_->setRange(0, 100);
  learningRate_->setAllowZero(true);
  row(train, tr("Learning rate"), learningRate_,
      tr("η in w ← w - η g. Too small: slow (0: nothing learns); too large: the loss oscillates "
         "or diverges, and the run pauses at the first NaN/Inf. Applies live."), "learningRate");
  momentum_ = makeDouble(0, 0.999, 0.05, 3, this);
  row(train, tr("Momentum"), momentum_, tr("μ in v ← μ v + g (momentum and Nesterov): how much "
                                           "of the previous step carries over."), "momentum");
  l2_ = new LogSpinBox(this);
  l2_->setRange(0, 10);
  l2_->setAllowZero(true);
  row(train, tr("L2 (λ)"), l2_,
      tr("loss += λ Σ W² over the weights (not biases): pulls weights to 0, trading training "
         "accuracy for validation accuracy. Huge λ underfits. Applies live."), "l2");
  batchSize_ = makeSpin(1, 65536, this);
  row(train, tr("Batch size"), batchSize_, tr("Samples per gradient step: larger batches give "
                                              "less noisy gradients at more cost per step."), "batchSize");
  epochs_ = makeSpin(1, 100000, this);
  row(train, tr("Epochs"), epochs_, tr("Passes over the training data; the run stops after "
                                       "epochs × ceil(samples / batch) steps. Disabled while Steps is set."), "epochs");
  steps_ = makeSpin(-1, std::numeric_limits<int>::max(), this);
  steps_->setSpecialValueText(tr("by epochs"));
  row(train, tr("Steps"), steps_,
      tr("A fixed number of optimisation steps; when set (>= 0) it overrides Epochs. "
         "0: no training at all, the plots show the statistics of the freshly initialized "
         "network only. \"by epochs\": run epochs × ceil(samples / batch) steps. "
         "Changing it starts a new run."), "steps");
  seed_ = makeSpin(0, 2147483647, this);
  row(train, tr("Seed"), seed_, tr("Every random choice (data, weights, shuffling, dropout, the "
                                   "probe batch) flows from this one seed: same seed, same numbers."), "seed");
  threads_ = makeSpin(0, 256, this);
  threads_->setSpecialValueText(tr("auto (%1)").arg(resolveThreads(0)));
  row(train, tr("Threads"), threads_,
      tr("Threads for the matrix products. auto: this machine's %1 physical cores. The numbers "
         "are the same for any count; change it while training to see the speed change.")
          .arg(physicalCores()),
      "threads");

  // --- Statistics ---
  QFormLayout* stats = group(tr("Statistics"));
  statsEvery_ = makeSpin(-1, 1000000, this);
  statsEvery_->setSpecialValueText(tr("auto"));
  row(stats, tr("Probe every"), statsEvery_,
      tr("Steps between two statistics probes. auto: as often as a ~15% time budget allows "
         "(at most ~10 per second); 0: only at start, Pause, Step and the end."), "statsEvery");
  probeSize_ = makeSpin(1, 100000, this);
  row(stats, tr("Probe size"), probeSize_,
      tr("The fixed probe batch: up to this many training samples, chosen once from the seed, so "
         "the curves compare like with like over time."), "probeSize");
  bins_ = makeSpin(5, 1000, this);
  row(stats, tr("Histogram bins"), bins_, tr("Bins of each layer's histogram."), "histogramBins");
  outer->addStretch(1);
  applySchemaLimits();

  for (QComboBox* box : {source_, labels_, preprocess_, activation_, init_, optimizer_, labelColumn_})
    connect(box, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
  for (QSpinBox* s : {samples_, classes_, features_, depth_, width_, batchSize_, epochs_, steps_, seed_,
                      threads_, statsEvery_, probeSize_, bins_})
    connect(s, &QSpinBox::valueChanged, this, &ConfigPanel::onEdited);
  for (QDoubleSpinBox* s : std::initializer_list<QDoubleSpinBox*>{
           noise_, validation_, test_, initStd_, initBound_, initConstant_, dropout_, learningRate_,
           momentum_, l2_})
    connect(s, &QDoubleSpinBox::valueChanged, this, &ConfigPanel::onEdited);
  connect(batchNorm_, &QCheckBox::toggled, this, &ConfigPanel::onEdited);
  connect(path_, &QLineEdit::editingFinished, this, &ConfigPanel::onEdited);
  connect(browse_, &QPushButton::clicked, this, &ConfigPanel::browseForData);
  // `activated`: only when the user picks a source, never when setConfig selects one.
  connect(source_, &QComboBox::activated, this, &ConfigPanel::onSourceActivated);
}

}  // namespace layerscope
