#include "resurgence/stats/summary.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace resurgence::stats {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double mean(std::span<const double> x) noexcept {
    if (x.empty()) return kNaN;
    double s = 0;
    for (double v : x) s += v;
    return s / static_cast<double>(x.size());
}

double variance(std::span<const double> x) noexcept {
    if (x.size() < 2) return kNaN;
    // Two-pass: exact enough for replication counts, and order-independent given the order.
    const double m = mean(x);
    double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return ss / static_cast<double>(x.size() - 1);
}

double quantile_sorted(std::span<const double> sorted, double p) noexcept {
    if (sorted.empty()) return kNaN;
    const double h = (static_cast<double>(sorted.size()) - 1) * std::clamp(p, 0.0, 1.0);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = h - static_cast<double>(lo);
    // a + f (b - a) keeps equal neighbours exactly equal (no 0.1 + 0.2 drift).
    return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

double t_quantile(double p, double dof) {
    boost::math::students_t_distribution<double> dist(dof);
    return boost::math::quantile(dist, p);
}

double t_two_sided_p(double t, double dof) {
    if (!std::isfinite(t)) return std::isnan(t) ? kNaN : 0.0;
    boost::math::students_t_distribution<double> dist(dof);
    return 2 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

Interval t_interval(double m, double sd, std::size_t n, double level) {
    if (n < 2 || !std::isfinite(sd)) return {kNaN, kNaN};
    const double half =
        t_quantile(0.5 + level / 2, static_cast<double>(n - 1)) * sd / std::sqrt(static_cast<double>(n));
    return {m - half, m + half};
}

Description describe(std::span<const double> values, std::vector<double>& scratch, double level) {
    scratch.clear();
    for (double v : values)
        if (!std::isnan(v)) scratch.push_back(v);
    Description d{};
    d.n = scratch.size();
    d.mean = mean(scratch);
    d.sd = std::sqrt(variance(scratch));
    std::sort(scratch.begin(), scratch.end());
    d.q05 = quantile_sorted(scratch, 0.05);
    d.q50 = quantile_sorted(scratch, 0.50);
    d.q95 = quantile_sorted(scratch, 0.95);
    const Interval ci = t_interval(d.mean, d.sd, d.n, level);
    d.ci_lo = ci.lo;
    d.ci_hi = ci.hi;
    return d;
}

Difference compare_paired(std::span<const double> a, std::span<const double> b, double level) {
    Difference r{};
    std::vector<double> da, db, diff, pa, pb;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (!std::isnan(a[i])) da.push_back(a[i]);
        if (!std::isnan(b[i])) db.push_back(b[i]);
        if (!std::isnan(a[i]) && !std::isnan(b[i])) {
            diff.push_back(b[i] - a[i]);
            pa.push_back(a[i]);
            pb.push_back(b[i]);
        }
    }
    r.pairs = diff.size();
    r.n_a = da.size();
    r.n_b = db.size();
    r.mean_a = mean(da);
    r.mean_b = mean(db);
    r.diff = mean(diff);
    r.paired = t_interval(r.diff, std::sqrt(variance(diff)), diff.size(), level);

    // Welch: difference of the two sample means, each with its own variance.
    const double va = variance(da), vb = variance(db);
    const double na = static_cast<double>(da.size()), nb = static_cast<double>(db.size());
    const double se2 = va / na + vb / nb;
    r.welch_dof = se2 * se2 / ((va / na) * (va / na) / (na - 1) + (vb / nb) * (vb / nb) / (nb - 1));
    const double welch_diff = r.mean_b - r.mean_a;
    if (da.size() >= 2 && db.size() >= 2 && se2 > 0) {
        const double half = t_quantile(0.5 + level / 2, r.welch_dof) * std::sqrt(se2);
        r.welch = {welch_diff - half, welch_diff + half};
    } else if (da.size() >= 2 && db.size() >= 2) {
        r.welch = {welch_diff, welch_diff};  // both samples constant
    } else {
        r.welch = {kNaN, kNaN};
    }

    r.correlation = kNaN;
    if (pa.size() >= 2) {
        const double ma = mean(pa), mb = mean(pb);
        double sab = 0, saa = 0, sbb = 0;
        for (std::size_t i = 0; i < pa.size(); ++i) {
            sab += (pa[i] - ma) * (pb[i] - mb);
            saa += (pa[i] - ma) * (pa[i] - ma);
            sbb += (pb[i] - mb) * (pb[i] - mb);
        }
        if (saa > 0 && sbb > 0) r.correlation = sab / std::sqrt(saa * sbb);
    }
    return r;
}

}  // namespace resurgence::stats
