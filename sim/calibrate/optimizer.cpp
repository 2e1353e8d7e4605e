// Latin hypercube screen + Nelder-Mead with restarts on the unit cube (optimizer.hpp).
#include "resurgence/calibrate/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "resurgence/core/error.hpp"
#include "resurgence/sweep/design.hpp"

namespace resurgence::calibrate {

const char* name_of(Phase p) noexcept {
    switch (p) {
        case Phase::start: return "start";
        case Phase::screen: return "screen";
        case Phase::simplex: return "simplex";
        case Phase::reflect: return "reflect";
        case Phase::expand: return "expand";
        case Phase::contract: return "contract";
        case Phase::shrink: return "shrink";
    }
    return "?";
}

namespace {

using Point = std::vector<double>;
constexpr double kInf = std::numeric_limits<double>::infinity();

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

// c + t (d - c), projected onto the cube.
Point along(const Point& c, const Point& d, double t) {
    Point x(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) x[i] = clamp01(c[i] + t * (d[i] - c[i]));
    return x;
}

class Search {
public:
    Search(std::size_t k, const BatchObjective& objective, const OptimizerOptions& options)
        : k_(k), objective_(objective), o_(options) {}

    [[nodiscard]] int remaining() const noexcept { return o_.budget - evaluations_; }

    std::vector<double> eval(const std::vector<Point>& points, const std::vector<Phase>& phases) {
        std::vector<double> f = objective_(points, phases);
        if (f.size() != points.size())
            throw RuntimeFailure("calibrate: the objective returned the wrong number of values");
        for (std::size_t i = 0; i < f.size(); ++i) {
            if (std::isnan(f[i])) f[i] = kInf;
            // Strictly better only: the first of equal values stays the best (deterministic).
            if (f[i] < best_f_ || best_x_.empty()) {
                best_f_ = f[i];
                best_x_ = points[i];
            }
        }
        evaluations_ += static_cast<int>(points.size());
        return f;
    }
    double eval1(const Point& x, Phase phase) { return eval({x}, {phase}).front(); }

    OptimizerResult run(std::optional<Point> start) {
        OptimizerResult res;
        Point x0 = start.value_or(Point(k_, 0.5));
        for (auto& v : x0) v = clamp01(v);
        // The start point and the screen, in one batch.
        std::vector<Point> batch{x0};
        std::vector<Phase> phases{Phase::start};
        const int screen = std::clamp(o_.screen, 0, std::max(0, o_.budget - 1));
        if (screen > 0) {
            const Eigen::MatrixXd lhs =
                sweep::latin_hypercube(static_cast<Eigen::Index>(screen), static_cast<Eigen::Index>(k_), o_.seed);
            for (Eigen::Index r = 0; r < lhs.rows(); ++r) {
                Point p(k_);
                for (std::size_t i = 0; i < k_; ++i) p[i] = lhs(r, static_cast<Eigen::Index>(i));
                batch.push_back(std::move(p));
                phases.push_back(Phase::screen);
            }
        }
        eval(batch, phases);

        double step = o_.initial_step;
        std::string stop;
        for (int restart = 0;; ++restart) {
            const double f_before = best_f_;
            stop = nelder_mead(step, res.iterations);
            if (stop != "converged") break;
            if (restart > 0 && !(best_f_ < f_before - o_.f_tolerance)) {
                stop = "converged (the last restart found nothing better)";
                break;
            }
            if (restart >= o_.restarts) {
                stop = fmt_restarts(restart);
                break;
            }
            res.restarts = restart + 1;
            step *= 0.5;
        }
        res.x = best_x_;
        res.f = best_f_;
        res.evaluations = evaluations_;
        res.stop = stop;
        return res;
    }

private:
    static std::string fmt_restarts(int restarts) {
        return restarts == 0 ? std::string("converged")
                             : "converged after " + std::to_string(restarts) + " restart" +
                                   (restarts == 1 ? "" : "s");
    }

    // One Nelder-Mead run from a fresh simplex around the best point. Returns "converged" or the
    // reason it stopped early.
    std::string nelder_mead(double step, int& iterations) {
        const std::size_t n = k_ + 1;
        if (remaining() < static_cast<int>(k_)) return "budget spent";
        std::vector<Point> v{best_x_};
        std::vector<double> f{best_f_};
        {
            std::vector<Point> batch;
            for (std::size_t i = 0; i < k_; ++i) {
                Point x = best_x_;
                x[i] = x[i] + step <= 1.0 ? x[i] + step : std::max(0.0, x[i] - step);
                batch.push_back(std::move(x));
            }
            const auto fb = eval(batch, std::vector<Phase>(k_, Phase::simplex));
            v.insert(v.end(), batch.begin(), batch.end());
            f.insert(f.end(), fb.begin(), fb.end());
        }
        std::vector<std::size_t> order(n);
        for (;;) {
            // Sort vertices by value; stable, so ties keep their (deterministic) order.
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return f[a] < f[b]; });
            {
                std::vector<Point> sv(n);
                std::vector<double> sf(n);
                for (std::size_t i = 0; i < n; ++i) {
                    sv[i] = std::move(v[order[i]]);
                    sf[i] = f[order[i]];
                }
                v = std::move(sv);
                f = std::move(sf);
            }
            double diameter = 0;
            for (std::size_t j = 1; j < n; ++j)
                for (std::size_t i = 0; i < k_; ++i) diameter = std::max(diameter, std::fabs(v[j][i] - v[0][i]));
            const double spread = f[n - 1] - f[0];
            if (diameter <= o_.x_tolerance || (std::isfinite(spread) && spread <= o_.f_tolerance))
                return "converged";
            if (remaining() < 1) return "budget spent";
            ++iterations;

            Point c(k_, 0.0);
            for (std::size_t j = 0; j + 1 < n; ++j)
                for (std::size_t i = 0; i < k_; ++i) c[i] += v[j][i] / static_cast<double>(n - 1);
            const Point& worst = v[n - 1];
            const Point xr = along(c, worst, -1.0);
            const double fr = eval1(xr, Phase::reflect);
            if (fr < f[0]) {
                if (remaining() >= 1) {
                    const Point xe = along(c, worst, -2.0);
                    const double fe = eval1(xe, Phase::expand);
                    if (fe < fr) {
                        v[n - 1] = xe;
                        f[n - 1] = fe;
                        continue;
                    }
                }
                v[n - 1] = xr;
                f[n - 1] = fr;
                continue;
            }
            if (fr < f[n - 2]) {
                v[n - 1] = xr;
                f[n - 1] = fr;
                continue;
            }
            if (remaining() < 1) return "budget spent";
            const bool outside = fr < f[n - 1];
            const Point xc = outside ? along(c, xr, 0.5) : along(c, worst, 0.5);
            const double fc = eval1(xc, Phase::contract);
            if (outside ? fc <= fr : fc < f[n - 1]) {
                v[n - 1] = xc;
                f[n - 1] = fc;
                continue;
            }
            // Shrink toward the best vertex.
            if (remaining() < static_cast<int>(k_)) return "budget spent";
            std::vector<Point> batch;
            for (std::size_t j = 1; j < n; ++j) batch.push_back(along(v[0], v[j], 0.5));
            const auto fs = eval(batch, std::vector<Phase>(k_, Phase::shrink));
            for (std::size_t j = 1; j < n; ++j) {
                v[j] = batch[j - 1];
                f[j] = fs[j - 1];
            }
        }
    }

    std::size_t k_;
    const BatchObjective& objective_;
    OptimizerOptions o_;
    int evaluations_ = 0;
    Point best_x_;
    double best_f_ = kInf;
};

}  // namespace

OptimizerResult minimize(std::size_t k, const BatchObjective& objective, const OptimizerOptions& options,
                         std::optional<std::vector<double>> start) {
    if (k == 0) throw RuntimeFailure("calibrate: nothing to fit (no parameters)");
    if (start && start->size() != k) throw RuntimeFailure("calibrate: the start point has the wrong size");
    if (options.budget < 1) throw RuntimeFailure("calibrate: the budget must be at least 1 evaluation");
    Search s(k, objective, options);
    return s.run(std::move(start));
}

}  // namespace resurgence::calibrate
