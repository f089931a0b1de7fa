#include "findings_box.h"

#include <QRegularExpression>

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
  showMessage(tr("Statistics appear here once the network is built."), FindingSeverity::Info);
}

int FindingsBox::layerOf(const QString& finding) {
  static const QRegularExpression layer(QStringLiteral("\\blayers? (\\d+)"));
  const QRegularExpressionMatch m = layer.match(finding);
  return m.hasMatch() ? m.captured(1).toInt() : -1;
}

FindingSeverity FindingsBox::severityOf(const QString& finding) {
  return finding.startsWith(QStringLiteral("gradients ")) ? FindingSeverity::Warning
                                                          : FindingSeverity::Problem;
}

void FindingsBox::showFindings(const std::vector<std::string>& findings) {
  clear();
  if (findings.empty()) {
    showMessage(tr("No problems found: every layer's activations and gradients look healthy."),
                FindingSeverity::Info);
    return;
  }
  for (const std::string& f : findings) {
    const QString text = QString::fromStdString(f);
    auto* item = new QListWidgetItem(text, this);
    item->setData(Qt::UserRole, layerOf(text));
    item->setForeground(severityOf(text) == FindingSeverity::Problem ? QColor(176, 0, 32)
                                                                     : QColor(160, 90, 0));
  }
}

void FindingsBox::showMessage(const QString& text, FindingSeverity severity) {
  clear();
  auto* item = new QListWidgetItem(text, this);
  item->setData(Qt::UserRole, -1);
  if (severity == FindingSeverity::Problem) item->setForeground(QColor(176, 0, 32));
  if (severity == FindingSeverity::Warning) item->setForeground(QColor(160, 90, 0));
}

QStringList FindingsBox::texts() const {
  QStringList out;
  for (int i = 0; i < count(); ++i) out << item(i)->text();
  return out;
}

}  // namespace layerscope
