// Decimation to pixels (as Tracy and LabPlot do): a series with more points than the plot has
// pixel columns is reduced to the minimum and the maximum of each column, so spikes survive
// and the drawing cost depends on the plot's width, not the run's length.
#pragma once

#include <QList>
#include <QPointF>
#include <vector>

#include "run/run_history.h"

namespace layerscope {

// Points in increasing x. `columns` pixel columns over [points.front().x, points.back().x].
// Returns the points unchanged when there are at most 2 per column. With `positiveOnly`,
// points with y <= 0 are skipped (a log axis cannot show them).
QList<QPointF> decimateToPixels(const std::vector<SeriesPoint>& points, int columns,
                                bool positiveOnly = false);

}  // namespace layerscope
