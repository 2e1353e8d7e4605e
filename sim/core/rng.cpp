#include "resurgence/core/rng.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace resurgence {

double Rng::normal() noexcept {
    for (;;) {
        const double u = 2.0 * uniform() - 1.0;
        const double v = 2.0 * uniform() - 1.0;
        const double s = u * u + v * v;
        if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
    }
}

std::uint64_t Rng::poisson(double mean) noexcept {
    if (!(mean > 0.0)) return 0;
    if (mean < 12.0) {
        // Inversion by sequential search (Devroye 1986, §X.3.3).
        const double limit = std::exp(-mean);
        double prod = uniform();
        std::uint64_t k = 0;
        while (prod > limit) {
            prod *= uniform();
            ++k;
        }
        return k;
    }
    // PTRS: transformed rejection with squeeze (Hörmann 1993), exact for mean >= 10.
    const double slam = std::sqrt(mean);
    const double loglam = std::log(mean);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform();
        const double us = 0.5 - std::fabs(u);
        const double kd = std::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(kd);
        if (kd < 0.0 || (us < 0.013 && v > us)) continue;
        const double lhs = std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b);
        const double rhs = -mean + kd * loglam - std::lgamma(kd + 1.0);
        if (lhs <= rhs) return static_cast<std::uint64_t>(kd);
    }
}

std::uint64_t Rng::binomial(std::uint64_t n, double p) noexcept {
    if (n == 0 || !(p > 0.0)) return 0;
    if (p >= 1.0) return n;
    if (p > 0.5) return n - binomial(n, 1.0 - p);
    const double np = static_cast<double>(n) * p;
    if (np < 16.0) {
        // Inversion: walk the pmf from 0 (Kachitvichyanukul & Schmeiser's BINV).
        const double q = 1.0 - p;
        const double s = p / q;
        const double a = static_cast<double>(n + 1) * s;
        for (;;) {
            double r = std::pow(q, static_cast<double>(n));
            double u = uniform();
            std::uint64_t x = 0;
            bool ok = true;
            while (u > r) {
                u -= r;
                ++x;
                if (x > n) {
                    ok = false;  // rounding ran off the end; redraw
                    break;
                }
                r *= (a / static_cast<double>(x) - s);
            }
            if (ok) return x;
        }
    }
    // Exact splitting: draw the count via the order statistic of the median uniform
    // (Devroye 1986 §X.4): X ~ Bin(n,p); split n in half recursively using a Beta draw
    // would need gamma variates, so use the simpler conditional method: the number of
    // successes among the first m = n/2 trials is Bin(m,p), recursing until np is small.
    const std::uint64_t m = n / 2;
    return binomial(m, p) + binomial(n - m, p);
}

}  // namespace resurgence
