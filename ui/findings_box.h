// The findings list under the plots: what the newest statistics say, in plain words with the
// numbers. The words come from the engine (analysis/findings.h), where they are tested without
// Qt; this box only lays them out: a colour by severity, and the layer a finding names
// ("layer 7: ...", "layers 4-10: ...") so that clicking it selects that layer.
#pragma once

#include <QListWidget>
#include <string>
#include <vector>

namespace layerscope {

enum class FindingSeverity { Info, Warning, Problem };

class FindingsBox : public QListWidget {
  Q_OBJECT
 public:
  explicit FindingsBox(QWidget* parent = nullptr);
  // Engine findings, newest snapshot; none: a "healthy" line.
  void showFindings(const std::vector<std::string>& findings);
  void showMessage(const QString& text, FindingSeverity severity);
  QStringList texts() const;

  // The first layer a finding names, -1 for the whole network.
  static int layerOf(const QString& finding);
  // Problems stop a network from training (NaN, saturation, collapse, symmetry, dead units);
  // gradient warnings slow it down.
  static FindingSeverity severityOf(const QString& finding);

 signals:
  void layerActivated(int layer);
};

}  // namespace layerscope
