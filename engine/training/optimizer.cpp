#include "training/optimizer.h"

#include <cmath>

#include "errors.h"
#include "model/kernels/elementwise_kernel.h"
#include "parallel_chunks.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

// p <- p - lr g, on the per-level kernel (elementwise_kernel.h: the same bits at any vector
// width, as Eigen's p -= lr g gave).
class Sgd final : public Optimizer {
 public:
  explicit Sgd(double lr) : Optimizer(lr) {}
  void update(Vector& p, const Vector& g, Eigen::Index offset, Eigen::Index size) override {
    parallelChunks(size, [&](std::ptrdiff_t b, std::ptrdiff_t e) {
      sgdUpdate(p.data() + offset + b, g.data() + offset + b, lr_, e - b);
    });
  }
  std::string name() const override { return "sgd"; }
  OptimizerState state() const override { return {name(), 0, {}}; }
  bool setState(const OptimizerState& s) override { return s.kind == name() && s.buffers.empty(); }
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<Sgd>(*this); }
  void copyInto(std::unique_ptr<Optimizer>& into) const override {
    if (auto* same = dynamic_cast<Sgd*>(into.get()))
      *same = *this;
    else
      into = clone();
  }
};

// Polyak momentum, PyTorch form: v <- mu v + g; p <- p - lr v
// Nesterov (Sutskever et al. 2013, PyTorch form): v <- mu v + g; p <- p - lr (g + mu v)
// On the per-level kernel (elementwise_kernel.h).
class Momentum final : public Optimizer {
 public:
  Momentum(double lr, double mu, bool nesterov, Eigen::Index n)
      : Optimizer(lr), mu_(static_cast<Scalar>(mu)), nesterov_(nesterov), v_(Vector::Zero(n)) {}
  void update(Vector& p, const Vector& g, Eigen::Index offset, Eigen::Index size) override {
    parallelChunks(size, [&](std::ptrdiff_t b, std::ptrdiff_t e) {
      const Eigen::Index at = offset + b;
      momentumUpdate(p.data() + at, v_.data() + at, g.data() + at, lr_, mu_, nesterov_, e - b);
    });
  }
  std::string name() const override { return nesterov_ ? "nesterov" : "momentum"; }
  OptimizerState state() const override { return {name(), 0, {v_}}; }
  bool setState(const OptimizerState& s) override {
    if (s.kind != name() || s.buffers.size() != 1 || s.buffers[0].size() != v_.size()) return false;
    v_ = s.buffers[0];
    return true;
  }
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<Momentum>(*this); }
  void copyInto(std::unique_ptr<Optimizer>& into) const override {
    if (auto* same = dynamic_cast<Momentum*>(into.get()))
      *same = *this;
    else
      into = clone();
  }

 private:
  Scalar mu_;
  bool nesterov_;
  Vector v_;
};

// Kingma & Ba 2015: m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2;
// p <- p - lr mhat / (sqrt(vhat) + eps), mhat = m / (1 - b1^t), vhat = v / (1 - b2^t).
class Adam final : public Optimizer {
 public:
  Adam(const TrainConfig& c, Eigen::Index n)
      : Optimizer(c.learningRate), b1_(c.beta1), b2_(c.beta2), eps_(c.epsilon),
        m_(Vector::Zero(n)), v_(Vector::Zero(n)) {}
  void beginStep() override {
    ++t_;
    c1_ = Scalar(1.0 / (1.0 - std::pow(b1_, double(t_))));
    c2_ = Scalar(1.0 / std::sqrt(1.0 - std::pow(b2_, double(t_))));
  }
  void update(Vector& p, const Vector& g, Eigen::Index offset, Eigen::Index size) override {
    const Scalar b1 = Scalar(b1_), b2 = Scalar(b2_), c1 = c1_, c2 = c2_;
    parallelChunks(size, [&](std::ptrdiff_t b, std::ptrdiff_t e) {
      const Eigen::Index at = offset + b, n = e - b;
      auto m = m_.segment(at, n), v = v_.segment(at, n);
      const auto gs = g.segment(at, n);
      m = b1 * m + (1 - b1) * gs;
      v = b2 * v + (1 - b2) * gs.cwiseAbs2();
      // Same arithmetic order as torch.optim.Adam: denom = sqrt(v) / sqrt(1 - b2^t) + eps.
      p.segment(at, n).array() -= (lr_ * c1) * m.array() / ((v.array().sqrt() * c2) + Scalar(eps_));
    });
  }
  std::string name() const override { return "adam"; }
  OptimizerState state() const override { return {name(), t_, {m_, v_}}; }
  bool setState(const OptimizerState& s) override {
    if (s.kind != name() || s.steps < 0 || s.buffers.size() != 2 ||
        s.buffers[0].size() != m_.size() || s.buffers[1].size() != v_.size())
      return false;
    t_ = s.steps;
    m_ = s.buffers[0];
    v_ = s.buffers[1];
    return true;
  }
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<Adam>(*this); }
  void copyInto(std::unique_ptr<Optimizer>& into) const override {
    if (auto* same = dynamic_cast<Adam*>(into.get()))
      *same = *this;
    else
      into = clone();
  }

 private:
  double b1_, b2_, eps_;
  long t_ = 0;
  Scalar c1_ = 1, c2_ = 1;  // this step's bias corrections, set by beginStep()
  Vector m_, v_;
};

}  // namespace

const char* optimizerNames() {
  static const std::string names = choiceNames("train.optimizer");
  return names.c_str();
}

std::unique_ptr<Optimizer> makeOptimizer(const TrainConfig& c, Eigen::Index n) {
  if (c.optimizer == "sgd") return std::make_unique<Sgd>(c.learningRate);
  if (c.optimizer == "momentum") return std::make_unique<Momentum>(c.learningRate, c.momentum, false, n);
  if (c.optimizer == "nesterov") return std::make_unique<Momentum>(c.learningRate, c.momentum, true, n);
  if (c.optimizer == "adam") return std::make_unique<Adam>(c, n);
  throw InputError("optimizer: unknown optimizer '" + c.optimizer + "' (expected " +
                   optimizerNames() + ")");
}

}  // namespace layerscope
