// The calibration optimiser (Latin hypercube screen + Nelder-Mead with restarts on the unit cube)
// finds the known minima of analytic functions, respects its budget and is deterministic.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "resurgence/calibrate/optimizer.hpp"

using namespace resurgence::calibrate;

namespace {

// Wraps a pointwise function as a batch objective and counts the points asked for.
template <class F>
BatchObjective batch(F f, int& calls) {
    return [f, &calls](const std::vector<std::vector<double>>& points, const std::vector<Phase>& phases) {
        REQUIRE(points.size() == phases.size());
        std::vector<double> out;
        for (const auto& p : points) {
            for (double v : p) {
                REQUIRE(v >= 0.0);
                REQUIRE(v <= 1.0);
            }
            out.push_back(f(p));
            ++calls;
        }
        return out;
    };
}

}  // namespace

TEST_CASE("Nelder-Mead finds the minimum of a shifted quadratic", "[calibrate][unit]") {
    int calls = 0;
    const std::vector<double> centre{0.3, 0.7, 0.2};
    auto f = [&](const std::vector<double>& x) {
        double s = 0;
        for (std::size_t i = 0; i < x.size(); ++i)
            s += static_cast<double>(i + 1) * (x[i] - centre[i]) * (x[i] - centre[i]);
        return s;
    };
    OptimizerOptions o;
    o.budget = 400;
    o.screen = 6;
    o.x_tolerance = 1e-6;
    const auto r = minimize(3, batch(f, calls), o);
    CHECK(calls == r.evaluations);
    CHECK(r.evaluations <= o.budget);
    for (std::size_t i = 0; i < 3; ++i) CHECK(r.x[i] == Approx(centre[i]).margin(1e-3));
    CHECK(r.f < 1e-6);
}

TEST_CASE("Nelder-Mead follows the Rosenbrock valley", "[calibrate][unit]") {
    int calls = 0;
    // x, y in [-2, 2] mapped onto the unit square; the minimum (1, 1) is at (0.75, 0.75).
    auto f = [](const std::vector<double>& u) {
        const double x = -2 + 4 * u[0], y = -2 + 4 * u[1];
        return 100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x);
    };
    OptimizerOptions o;
    o.budget = 1000;
    o.screen = 8;
    o.x_tolerance = 1e-7;
    o.f_tolerance = 1e-14;
    const auto r = minimize(2, batch(f, calls), o);
    CHECK(r.x[0] == Approx(0.75).margin(2e-3));
    CHECK(r.x[1] == Approx(0.75).margin(4e-3));
    CHECK(r.f < 1e-4);
}

TEST_CASE("A minimum on the boundary of the cube is reached by projection", "[calibrate][unit]") {
    int calls = 0;
    // Unconstrained minimum at (1.4, -0.3): the constrained one is the corner (1, 0).
    auto f = [](const std::vector<double>& x) {
        return (x[0] - 1.4) * (x[0] - 1.4) + (x[1] + 0.3) * (x[1] + 0.3);
    };
    OptimizerOptions o;
    o.budget = 200;
    const auto r = minimize(2, batch(f, calls), o);
    CHECK(r.x[0] == Approx(1.0).margin(1e-3));
    CHECK(r.x[1] == Approx(0.0).margin(1e-3));
}

TEST_CASE("A flat band bottom: the search stops once the values no longer differ", "[calibrate][unit]") {
    int calls = 0;
    // Zero inside [0.4, 0.6] (like a calibration objective with every target in its band).
    auto f = [](const std::vector<double>& x) {
        const double out = std::max({0.4 - x[0], x[0] - 0.6, 0.0});
        return out * out;
    };
    OptimizerOptions o;
    o.budget = 100;
    o.screen = 0;
    const auto r = minimize(1, batch(f, calls), o, std::vector<double>{0.05});
    CHECK(r.f == 0.0);
    CHECK(r.x[0] >= 0.4);
    CHECK(r.x[0] <= 0.6);
    CHECK(r.evaluations < 100);
}

TEST_CASE("The budget caps the evaluations and the search is deterministic", "[calibrate][unit]") {
    auto f = [](const std::vector<double>& x) {
        return std::sin(13 * x[0]) * std::cos(7 * x[1]) + x[0] * x[1];
    };
    OptimizerOptions o;
    o.budget = 17;
    o.screen = 5;
    o.seed = 99;
    int calls_a = 0, calls_b = 0;
    std::vector<std::vector<double>> seen_a, seen_b;
    auto record = [&f](int& calls, std::vector<std::vector<double>>& seen) -> BatchObjective {
        return [&f, &calls, &seen](const std::vector<std::vector<double>>& points, const std::vector<Phase>&) {
            std::vector<double> out;
            for (const auto& p : points) {
                seen.push_back(p);
                out.push_back(f(p));
                ++calls;
            }
            return out;
        };
    };
    const auto a = minimize(2, record(calls_a, seen_a), o);
    const auto b = minimize(2, record(calls_b, seen_b), o);
    CHECK(a.evaluations <= 17);
    CHECK(calls_a == a.evaluations);
    CHECK(a.stop == "budget spent");
    CHECK(seen_a == seen_b);
    CHECK(a.x == b.x);
    CHECK(a.f == b.f);
}

TEST_CASE("Infinite and NaN values count as worst", "[calibrate][unit]") {
    int calls = 0;
    auto f = [](const std::vector<double>& x) {
        if (x[0] > 0.8) return std::numeric_limits<double>::quiet_NaN();  // a rejected candidate
        if (x[0] < 0.1) return std::numeric_limits<double>::infinity();
        return (x[0] - 0.5) * (x[0] - 0.5);
    };
    OptimizerOptions o;
    o.budget = 80;
    o.screen = 4;
    const auto r = minimize(1, batch(f, calls), o);
    CHECK(r.x[0] == Approx(0.5).margin(2e-3));
}
