// The configuration panel's small helpers, shared by its files (config_panel.cpp: the form's
// values; config_panel_build.cpp: its controls; config_panel_data.cpp: the data file section).
#pragma once

#include <QComboBox>
#include <QString>

namespace layerscope::config_panel {

// Combo boxes carry each choice's value (a schema name: "tanh", "xavier_normal") as item data.
inline void selectValue(QComboBox* box, const QString& value) {
  const int i = box->findData(value);
  if (i >= 0) box->setCurrentIndex(i);
}

inline QString value(const QComboBox* box) { return box->currentData().toString(); }

inline bool isTwoClassGenerator(const QString& s) {
  return s == "circles" || s == "moons" || s == "xor";
}
inline bool isPlanarGenerator(const QString& s) {
  return s == "spiral" || isTwoClassGenerator(s);
}

}  // namespace layerscope::config_panel
