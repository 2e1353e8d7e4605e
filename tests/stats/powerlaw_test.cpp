// The discrete power-law fitter (Clauset, Shalizi & Newman 2009) on samples of known laws.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/stats/powerlaw.hpp"

using namespace resurgence;
using namespace resurgence::stats;

TEST_CASE("Hurwitz zeta matches known values", "[stats][powerlaw]") {
    // zeta(2) = pi^2 / 6, zeta(3) = Apery's constant, zeta(2.5) = 1.341487257...
    CHECK(hurwitz_zeta(2.0, 1.0) == Approx(std::numbers::pi * std::numbers::pi / 6).epsilon(1e-12));
    CHECK(hurwitz_zeta(3.0, 1.0) == Approx(1.2020569031595942).epsilon(1e-12));
    CHECK(hurwitz_zeta(2.5, 1.0) == Approx(1.3414872572509171).epsilon(1e-12));
    // zeta(a, q) - zeta(a, q + 1) = q^-a, at small and large q.
    for (double q : {1.0, 3.5, 12.0, 1000.0})
        CHECK(hurwitz_zeta(2.5, q) - hurwitz_zeta(2.5, q + 1) == Approx(std::pow(q, -2.5)).epsilon(1e-9));
    CHECK(survival(2.5, 3, 3) == 1.0);
    CHECK(survival(2.5, 1, 2) == Approx(1.0 - 1.0 / hurwitz_zeta(2.5, 1.0)).epsilon(1e-12));
}

TEST_CASE("exact discrete power-law draws have the right frequencies", "[stats][powerlaw]") {
    Rng rng(7);
    const int n = 200000;
    std::vector<int> counts(4, 0);
    for (int i = 0; i < n; ++i) {
        const auto x = sample_discrete(rng, 2.5, 1);
        REQUIRE(x >= 1);
        if (x <= 3) ++counts[static_cast<std::size_t>(x)];
    }
    // P(x) = x^-2.5 / zeta(2.5); binomial standard deviation sqrt(n p (1-p)), 4 sigma band.
    const double z = hurwitz_zeta(2.5, 1.0);
    for (int x = 1; x <= 3; ++x) {
        const double p = std::pow(x, -2.5) / z;
        CHECK(std::fabs(counts[static_cast<std::size_t>(x)] - n * p) < 4 * std::sqrt(n * p * (1 - p)));
    }
}

TEST_CASE("the discrete MLE recovers a known exponent within its standard error", "[stats][powerlaw]") {
    for (const double alpha : {2.0, 2.5, 3.2}) {
        Rng rng(static_cast<std::uint64_t>(alpha * 100));
        std::vector<std::int64_t> xs;
        for (int i = 0; i < 20000; ++i) xs.push_back(sample_discrete(rng, alpha, 1));
        const double a = discrete_mle(xs, 1);
        // Standard error (alpha - 1) / sqrt(n): a 3-sigma band (fixed seed; ~0.3% would fail).
        CHECK(std::fabs(a - alpha) < 3 * (alpha - 1) / std::sqrt(20000.0));
    }
}

TEST_CASE("fit_discrete finds xmin above a non-power-law body", "[stats][powerlaw]") {
    // Body: uniform on 1..19 (40%); tail: power law alpha = 2.5 from xmin = 20 (60%).
    Rng rng(11);
    std::vector<std::int64_t> xs;
    for (int i = 0; i < 30000; ++i)
        xs.push_back(rng.bernoulli(0.4) ? 1 + static_cast<std::int64_t>(rng.below(19)) : sample_discrete(rng, 2.5, 20));
    const auto fit = fit_discrete(xs);
    CHECK(fit.xmin >= 15);
    CHECK(fit.xmin <= 30);
    // ~18,000 tail samples: sigma ~ 0.011; the 95% interval must hold 2.5 (the fit's own
    // statistics; a 5% false-alarm rate is frozen by the fixed seed).
    INFO("alpha " << fit.alpha << " +- " << fit.sigma << " xmin " << fit.xmin << " n_tail " << fit.n_tail);
    CHECK(fit.consistent_with(2.5));
    CHECK(fit.n == xs.size());
}

TEST_CASE("the KS distance is small for the true law and large for a wrong one", "[stats][powerlaw]") {
    Rng rng(3);
    std::vector<std::int64_t> xs;
    for (int i = 0; i < 5000; ++i) xs.push_back(sample_discrete(rng, 2.5, 1));
    // KS critical value at 1%: 1.63 / sqrt(n) = 0.023.
    CHECK(ks_distance(xs, 1, 2.5) < 0.023);
    CHECK(ks_distance(xs, 1, 3.0) > 0.05);
    CHECK_THROWS_AS(fit_discrete(std::vector<std::int64_t>{1, 2, 3}), std::invalid_argument);
}
