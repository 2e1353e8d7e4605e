// Descriptive statistics, t intervals and the paired / Welch comparison.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/stats/summary.hpp"

using namespace resurgence;

TEST_CASE("mean, variance and type-7 quantiles match R", "[stats]") {
    const std::vector<double> x{1, 2, 3, 4, 10};
    CHECK(stats::mean(x) == Approx(4.0));
    CHECK(stats::variance(x) == Approx(12.5));
    // R: quantile(c(1,2,3,4,10), c(.05,.5,.95)) -> 1.2 3.0 8.8
    CHECK(stats::quantile_sorted(x, 0.05) == Approx(1.2));
    CHECK(stats::quantile_sorted(x, 0.50) == Approx(3.0));
    CHECK(stats::quantile_sorted(x, 0.95) == Approx(8.8));
    CHECK(std::isnan(stats::mean(std::vector<double>{})));
    CHECK(std::isnan(stats::variance(std::vector<double>{5.0})));
}

TEST_CASE("Student t quantiles and intervals", "[stats]") {
    CHECK(stats::t_quantile(0.975, 4) == Approx(2.776445).epsilon(1e-6));
    CHECK(stats::t_quantile(0.975, 1e6) == Approx(1.959966).epsilon(1e-5));
    const auto ci = stats::t_interval(10, 2, 5);
    CHECK(ci.lo == Approx(10 - 2.776445 * 2 / std::sqrt(5.0)).epsilon(1e-6));
    CHECK(ci.hi == Approx(10 + 2.776445 * 2 / std::sqrt(5.0)).epsilon(1e-6));
    CHECK(std::isnan(stats::t_interval(1, 0, 1).lo));
    CHECK(stats::t_two_sided_p(2.776445, 4) == Approx(0.05).epsilon(1e-4));
}

TEST_CASE("describe leaves empty values out", "[stats]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> x{3, nan, 1, 2, nan};
    std::vector<double> scratch;
    const auto d = stats::describe(x, scratch);
    CHECK(d.n == 3);
    CHECK(d.mean == Approx(2));
    CHECK(d.sd == Approx(1));
    CHECK(d.q50 == Approx(2));
    CHECK(d.ci_lo == Approx(2 - stats::t_quantile(0.975, 2) / std::sqrt(3.0)));

    const auto one = stats::describe(std::vector<double>{nan, 7.0}, scratch);
    CHECK(one.n == 1);
    CHECK(one.mean == 7);
    CHECK(one.q05 == 7);
    CHECK(std::isnan(one.sd));
    CHECK(std::isnan(one.ci_hi));
    const auto none = stats::describe(std::vector<double>{nan}, scratch);
    CHECK(none.n == 0);
    CHECK(std::isnan(none.mean));
}

TEST_CASE("paired comparison is narrower than Welch when runs share random numbers", "[stats]") {
    // B = A + 1 + small noise: the shared part (sd 10) cancels in the differences.
    Rng rng(7);
    std::vector<double> a, b;
    for (int i = 0; i < 40; ++i) {
        const double common = 100 + 10 * rng.normal();
        a.push_back(common);
        b.push_back(common + 1 + 0.1 * rng.normal());
    }
    const auto d = stats::compare_paired(a, b);
    CHECK(d.pairs == 40);
    CHECK(d.diff == Approx(1).margin(0.1));
    CHECK(d.paired.lo < 1);
    CHECK(d.paired.hi > 1);
    CHECK(d.paired.width() < 0.2);
    CHECK(d.welch.width() > 5);
    CHECK(d.narrowing() > 0.95);
    CHECK(d.correlation > 0.99);
    // The Welch interval is centred on the difference of the means.
    CHECK((d.welch.lo + d.welch.hi) / 2 == Approx(d.mean_b - d.mean_a));
}

TEST_CASE("paired comparison skips replications with an empty value", "[stats]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> a{1, 2, nan, 4};
    const std::vector<double> b{2, 3, 5, nan};
    const auto d = stats::compare_paired(a, b);
    CHECK(d.pairs == 2);
    CHECK(d.n_a == 3);
    CHECK(d.n_b == 3);
    CHECK(d.diff == Approx(1));
    CHECK(d.paired.width() == 0);  // both differences are exactly 1
}
