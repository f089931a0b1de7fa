// Axis ranges that change smoothly: they grow at once to take in new data (to a "nice" bound
// with a margin) and shrink only when the data has come to fill less than a quarter of the
// axis, so a live plot does not jitter with every frame.
#pragma once

namespace layerscope {

class SmoothRange {
 public:
  explicit SmoothRange(bool logarithmic = false) : log_(logarithmic) {}
  // Fits [dataLo, dataHi]; returns true when the range changed. Log ranges need dataLo > 0.
  bool fit(double dataLo, double dataHi);
  void reset() { valid_ = false; }
  bool valid() const { return valid_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  void setFloor(double floor) { floor_ = floor; hasFloor_ = true; }  // e.g. 0 for a std axis

 private:
  bool log_;
  bool valid_ = false;
  bool hasFloor_ = false;
  double floor_ = 0.0;
  double lo_ = 0.0, hi_ = 1.0;
};

// The smallest "nice" number (1, 2, 2.5, 5 x 10^k) >= x (x > 0).
double niceCeil(double x);

}  // namespace layerscope
