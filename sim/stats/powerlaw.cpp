// Discrete power-law fitting after Clauset, Shalizi & Newman (2009); see stats/powerlaw.hpp.
#include "resurgence/stats/powerlaw.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace resurgence::stats {

double hurwitz_zeta(double alpha, double q) noexcept {
    double sum = 0;
    while (q < 20.0) {
        sum += std::pow(q, -alpha);
        q += 1.0;
    }
    // Euler-Maclaurin: integral + half the first term + Bernoulli corrections (B2 to B8).
    const double a = alpha;
    const double qa = std::pow(q, -a);
    sum += q * qa / (a - 1.0) + 0.5 * qa;
    sum += a * qa / q / 12.0;
    sum -= a * (a + 1) * (a + 2) * qa / (q * q * q) / 720.0;
    sum += a * (a + 1) * (a + 2) * (a + 3) * (a + 4) * qa / std::pow(q, 5) / 30240.0;
    sum -= a * (a + 1) * (a + 2) * (a + 3) * (a + 4) * (a + 5) * (a + 6) * qa / std::pow(q, 7) / 1209600.0;
    return sum;
}

double survival(double alpha, std::int64_t xmin, std::int64_t x) noexcept {
    if (x <= xmin) return 1.0;
    return hurwitz_zeta(alpha, static_cast<double>(x)) / hurwitz_zeta(alpha, static_cast<double>(xmin));
}

namespace {

// Sorted (ascending) samples >= xmin: MLE by golden-section search on the concave
// log-likelihood per sample, l(alpha) = -ln zeta(alpha, xmin) - alpha mean(ln x).
double mle_sorted(std::span<const std::int64_t> tail, std::int64_t xmin) {
    if (tail.empty()) return std::numeric_limits<double>::quiet_NaN();
    double mean_log = 0;
    for (const auto x : tail) mean_log += std::log(static_cast<double>(x));
    mean_log /= static_cast<double>(tail.size());
    const auto q = static_cast<double>(xmin);
    const auto l = [&](double a) { return -std::log(hurwitz_zeta(a, q)) - a * mean_log; };
    double lo = 1.0 + 1e-6, hi = 10.0;
    const double g = (std::sqrt(5.0) - 1.0) / 2.0;
    double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
    double f1 = l(x1), f2 = l(x2);
    for (int i = 0; i < 80 && hi - lo > 1e-10; ++i) {
        if (f1 < f2) {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = l(x2);
        } else {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = l(x1);
        }
    }
    return 0.5 * (lo + hi);
}

// KS distance over sorted samples >= xmin. Between observed values the empirical CDF is flat
// and the fitted one rises, so the largest gaps sit just below and at each observed value.
double ks_sorted(std::span<const std::int64_t> tail, std::int64_t xmin, double alpha) {
    if (tail.empty()) return 1.0;
    const double n = static_cast<double>(tail.size());
    const double z0 = hurwitz_zeta(alpha, static_cast<double>(xmin));
    double d = 0;
    std::size_t i = 0;
    while (i < tail.size()) {
        const std::int64_t x = tail[i];
        std::size_t j = i;
        while (j < tail.size() && tail[j] == x) ++j;
        const double below_emp = static_cast<double>(i) / n;  // P(X < x)
        const double at_emp = static_cast<double>(j) / n;     // P(X <= x)
        const double below_fit = 1.0 - hurwitz_zeta(alpha, static_cast<double>(x)) / z0;
        const double at_fit = 1.0 - hurwitz_zeta(alpha, static_cast<double>(x + 1)) / z0;
        d = std::max({d, std::fabs(below_emp - below_fit), std::fabs(at_emp - at_fit)});
        i = j;
    }
    return d;
}

std::vector<std::int64_t> sorted_tail(std::span<const std::int64_t> samples, std::int64_t xmin) {
    std::vector<std::int64_t> tail;
    for (const auto x : samples)
        if (x >= xmin) tail.push_back(x);
    std::sort(tail.begin(), tail.end());
    return tail;
}

}  // namespace

double discrete_mle(std::span<const std::int64_t> samples, std::int64_t xmin) {
    const auto tail = sorted_tail(samples, xmin);
    return mle_sorted(tail, xmin);
}

double ks_distance(std::span<const std::int64_t> samples, std::int64_t xmin, double alpha) {
    const auto tail = sorted_tail(samples, xmin);
    return ks_sorted(tail, xmin, alpha);
}

PowerLawFit fit_discrete(std::vector<std::int64_t> samples, const FitOptions& options) {
    std::erase_if(samples, [](std::int64_t x) { return x < 1; });
    std::sort(samples.begin(), samples.end());
    PowerLawFit best;
    best.n = samples.size();
    best.ks = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < samples.size();) {
        const std::int64_t xmin = samples[i];
        const std::size_t n_tail = samples.size() - i;
        if (n_tail < options.min_tail || xmin > options.max_xmin) break;
        if (xmin < options.min_xmin) {
            while (i < samples.size() && samples[i] == xmin) ++i;
            continue;
        }
        const std::span<const std::int64_t> tail(samples.data() + i, n_tail);
        const double alpha = mle_sorted(tail, xmin);
        const double ks = ks_sorted(tail, xmin, alpha);
        if (ks < best.ks) {
            best.alpha = alpha;
            best.xmin = xmin;
            best.n_tail = n_tail;
            best.ks = ks;
        }
        while (i < samples.size() && samples[i] == xmin) ++i;
    }
    if (best.n_tail == 0)
        throw std::invalid_argument("fit_discrete: fewer samples than FitOptions::min_tail");
    best.sigma = (best.alpha - 1.0) / std::sqrt(static_cast<double>(best.n_tail));
    return best;
}

std::int64_t sample_discrete(Rng& rng, double alpha, std::int64_t xmin) {
    // X = x iff S(x + 1) <= u < S(x), S the survival function; S decreases in x.
    const double u = 1.0 - rng.uniform();  // (0, 1]
    const double z0 = hurwitz_zeta(alpha, static_cast<double>(xmin));
    const auto S = [&](std::int64_t x) { return x <= xmin ? 1.0 : hurwitz_zeta(alpha, static_cast<double>(x)) / z0; };
    // Continuous approximation (Clauset et al. eq. D.6) to bracket the answer.
    const double guess = (static_cast<double>(xmin) - 0.5) * std::pow(u, -1.0 / (alpha - 1.0)) + 0.5;
    auto lo = std::max<std::int64_t>(xmin, static_cast<std::int64_t>(std::min(guess, 1e17)) / 2);
    while (lo > xmin && S(lo) <= u) lo = std::max<std::int64_t>(xmin, lo / 2);
    // Invariant: S(lo) > u (true at xmin unless u == 1, where X = xmin).
    if (S(lo) <= u) return xmin;
    std::int64_t hi = std::max<std::int64_t>(lo + 1, static_cast<std::int64_t>(std::min(guess, 1e17)) * 2);
    while (S(hi) > u && hi < (std::int64_t{1} << 60)) hi *= 2;
    // S(lo) > u >= S(hi): find the largest x with S(x) > u.
    while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (S(mid) > u) lo = mid;
        else hi = mid;
    }
    return lo;
}

}  // namespace resurgence::stats
