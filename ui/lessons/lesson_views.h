// What a lesson looks at (Lesson::lookAt, engine/lab/plot_names.h), in the window: the words the
// lesson panel shows, and the dashboard switched to those views when the lesson runs.
#pragma once

#include <QString>
#include <string>
#include <vector>

namespace layerscope {

class Dashboard;
struct Lesson;

// "depth profile, layer x step heatmap of saturated fraction (Over time tab)": the entries in
// the words of the window.
QString lookAtWords(const std::vector<std::string>& lookAt);

// The histograms show the lesson's histogram_mode; the Over time pickers what its
// layer_heatmap:STATISTIC, histogram_over_time:QUANTITY and percentiles:QUANTITY entries name;
// the dashboard shows the tab of its first look_at entry.
void showLessonViews(Dashboard& dashboard, const Lesson& lesson);

}  // namespace layerscope
