#include "resurgence/sweep/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <iterator>
#include <mutex>
#include <thread>

#include "resurgence/output/recorder.hpp"
#include "resurgence/run/runner.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/sweep/sweep.hpp"

namespace resurgence::sweep {

CompareReport compare_scenarios(const std::string& a_file, const std::string& b_file,
                                const CompareOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    LoadOptions la;
    la.overrides = o.overrides;
    if (o.seed) la.overrides.push_back(fmt::format("seed={}", *o.seed));
    const ScenarioSpec a = load_scenario(a_file, la);
    // B runs with A's seed whatever its file says: that is what makes the numbers common.
    LoadOptions lb;
    lb.overrides = o.overrides;
    lb.overrides.push_back(fmt::format("seed={}", a.seed));
    const ScenarioSpec b = load_scenario(b_file, lb);

    CompareReport rep;
    rep.a_file = a_file;
    rep.b_file = b_file;
    rep.a_name = a.name;
    rep.b_name = b.name;
    rep.seed = a.seed;
    rep.level = o.level;
    rep.a_horizon = a.horizon_days;
    rep.b_horizon = b.horizon_days;
    rep.a_from_day = a.resurgence.from_day;
    rep.b_from_day = b.resurgence.from_day;
    rep.replications = o.replications.value_or(a.replications);
    const auto n = static_cast<std::size_t>(rep.replications);
    const std::size_t m = summary_outcomes().size();
    // Summaries only (N x outcomes per scenario): the runs' series are dropped as they finish.
    std::vector<double> va(n * m), vb(n * m);

    std::atomic<std::size_t> next{0};
    std::atomic<long> done{0};
    std::atomic<bool> stop{false};
    std::exception_ptr error;
    std::mutex error_mutex, progress_mutex;
    const auto jobs = static_cast<long>(2 * n);
    auto worker = [&] {
        for (;;) {
            const std::size_t j = next.fetch_add(1);
            if (j >= 2 * n || stop) return;
            const std::size_t rep_i = j / 2;
            const bool is_b = (j % 2) == 1;
            try {
                const ReplicationResult r =
                    run_replication(is_b ? b : a, static_cast<int>(rep_i));
                std::copy(r.summary.begin(), r.summary.end(),
                          (is_b ? vb : va).begin() + static_cast<std::ptrdiff_t>(rep_i * m));
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
                stop = true;
                return;
            }
            const long d = done.fetch_add(1) + 1;
            if (o.progress) {
                std::lock_guard lock(progress_mutex);
                o.progress(d, jobs);
            }
        }
    };
    const int threads = std::min(resolve_threads(o.threads), static_cast<int>(2 * n));
    if (threads <= 1) {
        worker();
    } else {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    }
    if (error) std::rethrow_exception(error);

    std::vector<double> ca(n), cb(n);
    const auto outs = summary_outcomes();
    for (std::size_t k = 0; k < m; ++k) {
        for (std::size_t r = 0; r < n; ++r) {
            ca[r] = va[r * m + k];
            cb[r] = vb[r * m + k];
        }
        rep.outcomes.push_back({outs[k].name, outs[k].unit, stats::compare_paired(ca, cb, o.level)});
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
}

namespace {

std::string num(double v) {
    if (std::isnan(v)) return "-";
    return fmt::format("{:.6g}", v);
}

std::string interval(const stats::Interval& i) {
    if (std::isnan(i.lo)) return "-";
    return fmt::format("[{}, {}]", num(i.lo), num(i.hi));
}

std::string narrowing(const stats::Difference& d) {
    const double pw = d.paired.width(), ww = d.welch.width();
    if (std::isnan(pw) || std::isnan(ww)) return "-";
    if (ww == 0) return pw == 0 ? "identical" : "-";
    if (pw == 0) return "100% (the same difference in every pair)";
    return fmt::format("{:.0f}% ({:.1f}x)", 100 * (1 - pw / ww), ww / pw);
}

}  // namespace

std::string format_comparison(const CompareReport& r) {
    std::string out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "A = {} ({})\nB = {} ({})\n", r.a_name, r.a_file, r.b_name, r.b_file);
    fmt::format_to(it,
                   "{} replications each, seed {}, common random numbers; differences are B - A with "
                   "{:.0f}% intervals\n\n",
                   r.replications, r.seed, 100 * r.level);
    const bool horizons_differ = r.a_horizon != r.b_horizon;
    const bool origins_differ = r.a_from_day != r.b_from_day;
    if (horizons_differ)
        fmt::format_to(it,
                       "note: the horizons differ (A {} days, B {} days): totals and peaks cover "
                       "different periods\n",
                       r.a_horizon, r.b_horizon);
    if (origins_differ)
        fmt::format_to(it,
                       "note: days to resurgence are counted from different days (A from day {}, "
                       "B from day {} of the run: resurgence.from_day)\n",
                       r.a_from_day, r.b_from_day);
    if (horizons_differ || origins_differ) out += '\n';
    fmt::format_to(it, "{:<24} {:>12} {:>12} {:>12}  {:<28} {:<28} {}\n", "outcome", "mean A",
                   "mean B", "B - A", "paired t interval", "unpaired (Welch) interval",
                   "paired narrower by");
    for (const auto& o : r.outcomes) {
        const auto& d = o.d;
        if (d.n_a == 0 && d.n_b == 0) {
            fmt::format_to(it, "{:<24} {:>12} {:>12} {:>12}  (no values in either scenario)\n",
                           o.name, "-", "-", "-");
            continue;
        }
        fmt::format_to(it, "{:<24} {:>12} {:>12} {:>12}  {:<28} {:<28} {}\n", o.name, num(d.mean_a),
                       num(d.mean_b), num(d.diff), interval(d.paired), interval(d.welch),
                       narrowing(d));
        if (d.pairs != d.n_a || d.pairs != d.n_b)
            fmt::format_to(it, "{:<24} ({} pairs; A has {} values, B has {}: empty values are "
                               "left out)\n",
                           "", d.pairs, d.n_a, d.n_b);
    }
    return out;
}

std::string comparison_csv(const CompareReport& r) {
    std::string out =
        "outcome,unit,pairs,mean_a,mean_b,diff,paired_lo,paired_hi,welch_lo,welch_hi,correlation,"
        "narrowing\n";
    for (const auto& o : r.outcomes) {
        const auto& d = o.d;
        out += fmt::format("{},{},{}", o.name, o.unit, d.pairs);
        const double narrow = 1 - d.paired.width() / d.welch.width();
        for (double v : {d.mean_a, d.mean_b, d.diff, d.paired.lo, d.paired.hi, d.welch.lo, d.welch.hi,
                         d.correlation, std::isfinite(narrow) ? narrow : std::nan("")}) {
            out += ',';
            append_number(out, v);
        }
        out += '\n';
    }
    return out;
}

}  // namespace resurgence::sweep
