// Targets files: schema errors with file:line:column, statistics resolved against the scenario
// (summary outcomes, timeseries columns with windows), values mapped to and from the unit cube,
// per-replication statistics and the objective.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "resurgence/calibrate/calibrate.hpp"
#include "resurgence/core/error.hpp"
#include "resurgence/output/indicators.hpp"
#include "resurgence/run/runner.hpp"

using namespace resurgence;
using namespace resurgence::calibrate;
namespace fs = std::filesystem;

namespace {

// A folder holding a tiny scenario, so that targets files in it can name scenario: base.yaml.
fs::path fixture() {
    const fs::path d = fs::temp_directory_path() / ("resurgence_calibrate_targets_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::ofstream(d / "base.yaml") << R"(name: tiny
start_date: 2019-02-01
horizon_days: 30
seed: 3
replications: 2
regions:
  - id: a
    country: iraq
    population: 1000
    legitimacy: 0.7
forces:
  - faction: police
    strength: {a: 20}
civilians:
  mode: mixed
  scale: 10
)";
    return d;
}

TargetsSpec read(const std::string& text) { return read_targets_text(text, (fixture() / "t.yaml").string()); }

std::vector<std::string> messages(const std::function<void()>& f) {
    const std::string prefix = fixture().string() + "/";
    try {
        f();
    } catch (const InputError& e) {
        std::vector<std::string> out;
        for (const auto& p : e.problems()) {
            std::string s = p.str();
            for (std::size_t at; (at = s.find(prefix)) != std::string::npos;) s.erase(at, prefix.size());
            out.push_back(s);
        }
        return out;
    }
    return {};
}

std::vector<std::string> read_messages(const std::string& text) {
    return messages([&] { (void)read(text); });
}
std::vector<std::string> prepare_messages(const std::string& text) {
    return messages([&] { (void)Calibration::prepare(read(text), {}); });
}

bool has(const std::vector<std::string>& ms, const std::string& needle) {
    for (const auto& m : ms)
        if (m.find(needle) != std::string::npos) return true;
    return false;
}

const char* kGood = R"(scenario: base.yaml
replications: 3
budget: 10
parameters:
  - {name: civilians.k, min: 0.5, max: 8, scale: log, start: 2.3}
  - name: regions[0].legitimacy
    min: 0.4
    max: 0.9
targets:
  - {name: supporters_peak, statistic: peak_supporters, band: [10, 200], source: assumption}
  - name: support_june
    statistic: supporters + informants
    aggregate: mean
    window: [2019-02-10, 20]
    band: [5, null]
    source: "test, p. 3"
    weight: 2
  - {name: legit, statistic: legitimacy_mean, at: 29, band: [0.3, 0.9], source: S10}
)";

}  // namespace

TEST_CASE("A good targets file reads into parameters and targets", "[calibrate][unit]") {
    const auto s = read(kGood);
    CHECK(s.name == "t");
    CHECK(s.replications == 3);
    CHECK(s.budget == 10);
    REQUIRE(s.parameters.size() == 2);
    CHECK(s.parameters[0].log);
    CHECK(*s.parameters[0].start == 2.3);
    CHECK(s.parameters[1].name == "regions[0].legitimacy");
    REQUIRE(s.targets.size() == 3);
    CHECK(s.targets[1].terms == std::vector<std::string>{"supporters", "informants"});
    CHECK(s.targets[1].lo == 5);
    CHECK(std::isinf(s.targets[1].hi));
    CHECK(!s.targets[1].two_sided());
    CHECK(s.targets[1].scale() == 5);
    CHECK(s.targets[1].weight == 2);
    CHECK(s.targets[2].aggregate == Aggregate::last);
    CHECK(s.targets[2].at);
    CHECK(s.targets[0].scale() == 190);
}

TEST_CASE("Bad targets files: every problem with file:line:column", "[calibrate][unit]") {
    const auto ms = read_messages(R"(scenario: base.yaml
budgett: 10
parameters:
  - {name: civilians.k, min: 8, max: 0.5}
  - {name: cells.recruit_rate, min: 0, max: 1, scale: log}
  - {name: seed, min: 1, max: 2}
  - {name: civilians.k, min: 1, max: 2, start: 5}
targets:
  - {name: a, statistic: peak_fighters, band: [10, 5], source: F01}
  - {name: a, statistic: peak_fighters, band: [1, 2]}
  - {name: b, statistic: "x +", band: [1], source: F01, colour: red}
  - {name: c, statistic: attacks_iraq, aggregate: median, window: [0, 2019-13-01], band: [null, null], source: V01}
)");
    CHECK(has(ms, "t.yaml:2:1: budgett: unknown key"));
    CHECK(has(ms, "allowed:"));
    CHECK(has(ms, "t.yaml:4:38: parameters[0].max: max (0.5) must be above min (8)"));
    CHECK(has(ms, "t.yaml:5:37: parameters[1].min: scale: log needs min above 0"));
    CHECK(has(ms, "t.yaml:6:12: parameters[2].name: 'seed' cannot be fitted"));
    CHECK(has(ms, "parameters[3].name: 'civilians.k' is listed twice (also at line 4)"));
    CHECK(has(ms, "t.yaml:7:48: parameters[3].start: 5 is outside the range 1 to 2"));
    CHECK(has(ms, "t.yaml:9:47: targets[0].band: the band's lower end (10) must be below its upper end (5)"));
    CHECK(has(ms, "t.yaml:10:5: targets[1]: missing required key 'source'"));
    CHECK(has(ms, "targets[1].name: 'a' is used twice"));
    CHECK(has(ms, "t.yaml:11:26: targets[2].statistic: 'x +' is not a column name"));
    CHECK(has(ms, "targets[2].band: expected [lo, hi]"));
    CHECK(has(ms, "t.yaml:11:57: targets[2].colour: unknown key 'colour'"));
    CHECK(has(ms, "targets[3].aggregate"));
    CHECK(has(ms, "t.yaml:12:71: targets[3].window[1]: expected a day"));
    CHECK(has(ms, "targets[3].band: both ends are open"));
    CHECK(ms.size() == 15);
}

TEST_CASE("Targets are resolved against the scenario, with positions", "[calibrate][unit]") {
    const auto ms = prepare_messages(R"(scenario: base.yaml
replications: 2
overrides:
  - horizon_days=-5
parameters:
  - {name: civilians.k, min: 0.5, max: 800}
  - {name: nonsense.key, min: 0, max: 1}
targets:
  - {name: a, statistic: peak_fighterz, band: [1, 2], source: F01}
  - {name: b, statistic: supporters, band: [1, 2], source: F01}
  - {name: c, statistic: supporters, aggregate: mean, window: [0, 400], band: [1, 2], source: F01}
)");
    // The fixed override is rejected first: nothing else can be checked without the scenario.
    REQUIRE(ms.size() == 1);
    CHECK(has(ms, "t.yaml:4:5: overrides[0]: horizon_days=-5 is rejected by the scenario"));

    const auto ms2 = prepare_messages(R"(scenario: base.yaml
replications: 2
parameters:
  - {name: civilians.k, min: 0.5, max: 800}
  - {name: nonsense.key, min: 0, max: 1}
targets:
  - {name: a, statistic: peak_fighterz, band: [1, 2], source: F01}
  - {name: b, statistic: supporters, band: [1, 2], source: F01}
  - {name: c, statistic: supporters, aggregate: mean, window: [0, 400], band: [1, 2], source: F01}
  - {name: d, statistic: peak_supporters, aggregate: max, band: [1, 2], source: F01}
)");
    CHECK(has(ms2, "t.yaml:4:40: parameters[0].max: civilians.k=800 is rejected by the scenario"));
    CHECK(has(ms2, "parameters[1].min: nonsense.key=0 is rejected by the scenario"));
    CHECK(has(ms2, "t.yaml:7:26: targets[0].statistic: 'peak_fighterz' is neither a summary outcome"));
    CHECK(has(ms2, "targets[1].statistic: 'supporters' is a timeseries column: say how"));
    CHECK(has(ms2, "t.yaml:9:67: targets[2].window[1]: day 400 is outside the scenario's days 0 to 29"));
    CHECK(has(ms2, "targets[3].statistic: 'peak_supporters' is not a timeseries column"));

    const auto ms3 = prepare_messages(R"(parameters:
  - {name: civilians.k, min: 0.5, max: 8}
targets:
  - {name: a, statistic: peak_fighters, band: [1, 2], source: F01}
)");
    CHECK(has(ms3, "no scenario to calibrate"));
}

TEST_CASE("Values map to and from the unit cube", "[calibrate][unit]") {
    const auto c = Calibration::prepare(read(kGood), {});
    CHECK(c.replications() == 3);
    CHECK(c.seed() == 3);
    CHECK(c.budget() == 10);
    CHECK(c.value_text(0, 0.0) == "0.5");
    CHECK(c.value_text(0, 1.0) == "8");
    CHECK(c.value_text(0, 0.5) == "2");  // log scale: the geometric middle
    CHECK(c.value_text(1, 0.5) == "0.65");
    CHECK(c.value_text(1, 1.0 / 3.0) == "0.566667");  // 6 significant digits
    CHECK(c.unit_of(0, 2.0) == Approx(0.5));
    CHECK(c.unit_of(1, 0.9) == 1.0);
    CalibrateOptions o;
    o.replications = 5;
    o.seed = 11;
    o.budget = 3;
    const auto c2 = Calibration::prepare(read(kGood), o);
    CHECK(c2.replications() == 5);
    CHECK(c2.seed() == 11);
    CHECK(c2.budget() == 3);
    CHECK(c2.scenario().seed == 11);
}

TEST_CASE("Per-replication statistics: summary outcomes and aggregated windows", "[calibrate][unit]") {
    const auto c = Calibration::prepare(read(kGood), {});
    const auto& rt = c.resolved();
    REQUIRE(rt.size() == 3);
    CHECK(rt[0].summary);
    CHECK(!rt[1].summary);
    CHECK(rt[1].from == 9);  // 2019-02-10
    CHECK(rt[1].to == 20);
    CHECK(rt[2].from == 29);
    CHECK(rt[2].to == 29);

    // Against a real replication: recompute the window mean from the CSV by hand.
    const auto r = run_replication(c.scenario(), 0);
    const auto st = c.statistics(r);
    REQUIRE(st.size() == 3);
    CHECK(st[0] == r.summary[6]);  // peak_supporters
    const ColumnLayout layout(c.scenario().countries);
    std::size_t sup = 0, inf = 0, leg = 0;
    for (std::size_t i = 0; i < layout.columns().size(); ++i) {
        if (layout.columns()[i].name == "supporters") sup = i;
        if (layout.columns()[i].name == "informants") inf = i;
        if (layout.columns()[i].name == "legitimacy_mean") leg = i;
    }
    double sum = 0, last_leg = 0;
    int n = 0;
    std::istringstream in(r.timeseries);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> f;
        std::istringstream ls(line);
        for (std::string cell; std::getline(ls, cell, ',');) f.push_back(cell);
        const int day = std::stoi(f[1]);
        if (day >= 9 && day <= 20) {
            sum += std::stod(f[3 + sup]) + std::stod(f[3 + inf]);
            ++n;
        }
        if (day == 29) last_leg = std::stod(f[3 + leg]);
    }
    CHECK(n == 12);
    CHECK(st[1] == Approx(sum / n));
    CHECK(st[2] == Approx(last_leg));
}

TEST_CASE("The objective: zero distance inside the bands, squared and normalised outside", "[calibrate][unit]") {
    const auto c = Calibration::prepare(read(kGood), {});
    std::vector<TargetStat> stats;
    bool inside = false;
    // Targets: [10, 200] w1, [5, inf) w2, [0.3, 0.9] w1; tie_break 1e-3.
    double f = c.objective({{105, 105}, {6, 8}, {0.6, 0.6}}, stats, inside);
    CHECK(inside);
    CHECK(f == Approx(0.0));
    CHECK(stats[1].mean == 7);
    CHECK(stats[1].n == 2);
    f = c.objective({{390, 390}, {1, 1}, {0.9, 0.9}}, stats, inside);
    CHECK(!inside);
    CHECK(!stats[0].inside);
    CHECK(stats[2].inside);
    // (190/190)^2 + 1e-3 (285/190)^2  +  2 (4/5)^2  +  1e-3 (0.3/0.6)^2
    CHECK(f == Approx(1 + 1e-3 * 2.25 + 2 * 0.64 + 1e-3 * 0.25));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    f = c.objective({{105, 105}, {nan, nan}, {0.6, 0.6}}, stats, inside);
    CHECK(!inside);
    CHECK(f == Approx(2.0));  // no value: one band width outside, times the weight
}
