#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "resurgence/core/rng.hpp"

using namespace resurgence;

namespace {
constexpr Purpose kA{"test.a"};
constexpr Purpose kB{"test.b"};

// Sample mean and the half-width of its ~99.9% normal interval (z = 3.29) given the
// distribution's known variance: a correct sampler fails this about once in a thousand seeds,
// and these seeds are fixed.
struct MeanCheck {
    double mean;
    double half_width;
};
template <class F>
MeanCheck sample_mean(F draw, int n, double variance) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += draw();
    return {s / n, 3.29 * std::sqrt(variance / n)};
}
}  // namespace

TEST_CASE("streams are keyed by identity, not position", "[rng]") {
    Rng a1 = make_stream(42, 0, kA, 7);
    Rng a2 = make_stream(42, 0, kA, 7);
    for (int i = 0; i < 100; ++i) REQUIRE(a1() == a2());
    // Any component of the key changes the stream.
    const auto first = make_stream(42, 0, kA, 7)();
    CHECK(make_stream(43, 0, kA, 7)() != first);
    CHECK(make_stream(42, 1, kA, 7)() != first);
    CHECK(make_stream(42, 0, kB, 7)() != first);
    CHECK(make_stream(42, 0, kA, 8)() != first);
    // Daily streams differ by day and do not depend on what other days drew.
    RunSeed rs{42, 3};
    CHECK(rs.daily(kA, 1)() != rs.daily(kA, 2)());
    CHECK(rs.daily(kA, 5, 1)() == RunSeed{42, 3}.daily(kA, 5, 1)());
}

TEST_CASE("uniform and below are unbiased", "[rng]") {
    Rng r(1);
    const auto m = sample_mean([&] { return r.uniform(); }, 200000, 1.0 / 12.0);
    CHECK(std::fabs(m.mean - 0.5) < m.half_width);
    // below(n): each of 6 faces has probability 1/6; chi-square with 5 dof, 99.9% point 20.5.
    std::vector<int> counts(6, 0);
    const int n = 60000;
    for (int i = 0; i < n; ++i) ++counts[r.below(6)];
    double chi2 = 0;
    for (int c : counts) chi2 += (c - n / 6.0) * (c - n / 6.0) / (n / 6.0);
    CHECK(chi2 < 20.5);
}

TEST_CASE("Poisson sampler has the right mean in both regimes", "[rng]") {
    for (double mean : {0.3, 4.0, 11.9, 12.0, 50.0, 2500.0}) {
        Rng r(static_cast<std::uint64_t>(mean * 1000));
        const auto m = sample_mean([&] { return static_cast<double>(r.poisson(mean)); }, 100000, mean);
        INFO("mean " << mean);
        CHECK(std::fabs(m.mean - mean) < m.half_width);
    }
    Rng r(9);
    CHECK(r.poisson(0.0) == 0);
    CHECK(r.poisson(-1.0) == 0);
}

TEST_CASE("binomial sampler has the right mean and never exceeds n", "[rng]") {
    struct Case {
        std::uint64_t n;
        double p;
    };
    for (Case c : {Case{10, 0.3}, Case{100, 0.05}, Case{1000, 0.5}, Case{100000, 0.9}, Case{7, 1.0}}) {
        Rng r(c.n);
        std::uint64_t max_seen = 0;
        const double var = static_cast<double>(c.n) * c.p * (1 - c.p);
        const auto m = sample_mean(
            [&] {
                const auto x = r.binomial(c.n, c.p);
                max_seen = std::max(max_seen, x);
                return static_cast<double>(x);
            },
            20000, var);
        INFO("n " << c.n << " p " << c.p);
        CHECK(max_seen <= c.n);
        CHECK(std::fabs(m.mean - static_cast<double>(c.n) * c.p) <= m.half_width + 1e-12);
    }
}

TEST_CASE("normal sampler has mean 0 and variance 1", "[rng]") {
    Rng r(5);
    const int n = 100000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
        const double x = r.normal();
        s += x;
        s2 += x * x;
    }
    CHECK(std::fabs(s / n) < 3.29 * std::sqrt(1.0 / n));
    // Var of the sample second moment of N(0,1) is 2/n.
    CHECK(std::fabs(s2 / n - 1.0) < 3.29 * std::sqrt(2.0 / n));
}
