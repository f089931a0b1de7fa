#include "findings_box.h"

namespace layerscope {

FindingsBox::FindingsBox(QWidget* parent) : QListWidget(parent) {
  setObjectName(QStringLiteral("findings"));
  setToolTip(tr("What the newest statistics say: saturated or collapsed layers, dead ReLU "
                "units, vanishing or exploding gradients. Click one to select its layer."));
  setAlternatingRowColors(true);
  setWordWrap(true);
  connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
    const int layer = item->data(Qt::UserRole).toInt();
    if (layer >= 0) emit layerActivated(layer);
  });
  showMessage(tr("Statistics appear here once the network is built."), Finding::Info);
}

void FindingsBox::showFindings(const std::vector<Finding>& findings) {
  clear();
  if (findings.empty()) {
    showMessage(tr("No problems found: every layer's activations and gradients look healthy."),
                Finding::Info);
    return;
  }
  for (const Finding& f : findings) {
    auto* item = new QListWidgetItem(f.text, this);
    item->setData(Qt::UserRole, f.layer);
    item->setForeground(f.severity == Finding::Problem ? QColor(176, 0, 32)
                        : f.severity == Finding::Warning ? QColor(160, 90, 0)
                                                         : palette().text().color());
  }
}

void FindingsBox::showMessage(const QString& text, Finding::Severity severity) {
  clear();
  auto* item = new QListWidgetItem(text, this);
  item->setData(Qt::UserRole, -1);
  if (severity == Finding::Problem) item->setForeground(QColor(176, 0, 32));
}

QStringList FindingsBox::texts() const {
  QStringList out;
  for (int i = 0; i < count(); ++i) out << item(i)->text();
  return out;
}

}  // namespace layerscope
