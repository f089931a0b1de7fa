// The findings list under the plots: what the newest statistics say, in plain words with the
// numbers (findings.h). Clicking a finding selects its layer.
#pragma once

#include <QListWidget>
#include <vector>

#include "findings.h"

namespace layerscope {

class FindingsBox : public QListWidget {
  Q_OBJECT
 public:
  explicit FindingsBox(QWidget* parent = nullptr);
  void showFindings(const std::vector<Finding>& findings);
  void showMessage(const QString& text, Finding::Severity severity);
  QStringList texts() const;

 signals:
  void layerActivated(int layer);
};

}  // namespace layerscope
