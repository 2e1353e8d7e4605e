// The bench library (issue 8): workload selection, what a result holds, the JSON line. No
// timing assertions: docs/performance.md holds the numbers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "resurgence/bench/bench.hpp"
#include "resurgence/core/error.hpp"

using namespace resurgence;

TEST_CASE("bench: workloads run in the canonical order, scaling names the series", "[bench]") {
    CHECK(bench::default_workloads().size() == 6);
    // grid, blocks, mixed at 10^3 … 10^7, then the memory pair
    CHECK(bench::scaling_workloads().size() == 17);
    CHECK(bench::scaling_workloads().back() == "memory_parallel");
    CHECK(bench::workload_names(false) == bench::default_workloads());

    bench::Options o;
    o.tiny = true;
    o.repeats = 1;
    o.min_seconds = 0;  // exactly one run each
    o.only = {"epstein_200", "epstein_40"};
    const auto results = bench::run(o);
    REQUIRE(results.size() == 2);
    CHECK(results[0].workload == "epstein_40");
    CHECK(results[1].workload == "epstein_200");
    // --tiny: 20 x 20 at Mesa's densities (280 citizens and 30 cops), 20 steps.
    CHECK(results[0].agents == 310);
    CHECK(results[0].steps == 20);
    CHECK(results[0].repeats == 1);
    CHECK(results[0].seconds > 0);
    CHECK(results[0].agent_steps_per_second > 0);
    CHECK_FALSE(results[0].memory.empty());
}

TEST_CASE("bench: the growth series takes the grid apart at the scaling series' sides", "[bench]") {
    const auto growth = bench::growth_workloads();
    REQUIRE(growth.size() == 15);  // still, walk, patrol at 10^3 … 10^7
    CHECK(growth.front() == "grid_still_1e3");
    CHECK(growth.back() == "grid_patrol_1e7");
    bench::Options o;
    o.tiny = true;
    o.repeats = 1;
    o.min_seconds = 0;
    // `growth` names the series; grid_1e7 joins it by name, and runs first (the scaling series
    // comes before the growth series in the canonical order).
    o.only = {"growth", "grid_1e7"};
    const auto results = bench::run(o);
    REQUIRE(results.size() == 16);
    CHECK(results[0].workload == "grid_1e7");
    for (std::size_t i = 0; i < growth.size(); ++i) CHECK(results[i + 1].workload == growth[i]);
    // --tiny: 10^7 -> 10^4 agents, a 114 x 114 torus: 9,097 citizens and 962 cops. The still and
    // walking grids have the citizens only; the patrolled grid has the cops too.
    const auto& grid = results[0];
    const auto& still = results[1 + 4];
    const auto& walk = results[1 + 9];
    const auto& patrol = results[1 + 14];
    CHECK(still.workload == "grid_still_1e7");
    CHECK(grid.agents == 9097 + 962);
    CHECK(still.agents == 9097);
    CHECK(walk.agents == 9097);
    CHECK(patrol.agents == 9097 + 962);
    for (const auto& r : results) {
        CHECK(r.steps == 5);
        CHECK(r.seconds > 0);
    }
}

TEST_CASE("bench: the memory pair walks a random cycle of every line, one load a line", "[bench]") {
    bench::Options o;
    o.tiny = true;  // 1 MiB: 16,384 lines
    o.repeats = 2;
    o.min_seconds = 0;
    o.only = {"memory_parallel", "memory_latency"};
    const auto results = bench::run(o);  // throws if a walk did not come back to its start
    REQUIRE(results.size() == 2);
    CHECK(results[0].workload == "memory_latency");
    CHECK(results[1].workload == "memory_parallel");
    for (const auto& r : results) {
        CHECK(r.agents == 16384);
        CHECK(r.steps == 1);
        CHECK(r.repeats == 2);
        CHECK(r.seconds > 0);
        CHECK(r.agent_steps_per_second == Approx(16384 / r.seconds));
    }
}

TEST_CASE("bench: a time floor adds runs beyond --repeats and stops once reached", "[bench]") {
    bench::Options o;
    o.tiny = true;
    o.repeats = 1;
    o.min_seconds = 0.05;  // a tiny epstein_40 run is well under a millisecond
    o.only = {"epstein_40"};
    const auto results = bench::run(o);
    REQUIRE(results.size() == 1);
    const bench::Result& r = results[0];
    // More than one run, unless the first alone took the floor (a stalled machine).
    CHECK((r.repeats > 1 || r.seconds >= 0.05));
    // The runs stopped once the floor was reached: the last one was needed, so the runs before
    // it took less than the floor (their count times the fastest is at most their total).
    CHECK(static_cast<double>(r.repeats - 1) * r.seconds_min < 0.05);
    CHECK(r.seconds_min <= r.seconds);
    CHECK(r.seconds <= r.seconds_max);
}

TEST_CASE("bench: a time floor out of reach stops at kMaxRepeats runs", "[bench]") {
    bench::Options o;
    o.tiny = true;
    o.repeats = 1;
    o.min_seconds = 3600;  // 1,000 tiny epstein_40 runs take well under a minute
    o.only = {"epstein_40"};
    const auto results = bench::run(o);
    REQUIRE(results.size() == 1);
    CHECK(results[0].repeats == bench::kMaxRepeats);
}

TEST_CASE("bench: every run carries its probe of the core; the unshared runs are those probes", "[bench]") {
    bench::Options o;
    o.tiny = true;
    o.repeats = 5;
    o.min_seconds = 0;
    o.only = {"epstein_40"};
    const auto results = bench::run(o);
    REQUIRE(results.size() == 1);
    const bench::Result& r = results[0];
    REQUIRE(r.per_run.size() == 5);
    double best_clock = 0;
    for (const auto& x : r.per_run) {
        CHECK(x.seconds > 0);
        CHECK(x.cpu_seconds > 0);
        CHECK(x.clock_ghz > 0);
        // No core runs a chain of dependent register adds faster than its clock, and no clock
        // reaches 7 GHz: a reading beyond it means the chain was folded (adds of an immediate
        // on Intel's cores from Golden Cove on read 11.96 "GHz", docs/performance.md).
        CHECK(x.clock_ghz < 7.0);
        CHECK(x.alu_per_ns > 0);
        best_clock = std::max(best_clock, x.clock_ghz);
    }
    CHECK(r.clock_ghz >= best_clock);  // the best of this workload's probes or of earlier ones
    CHECK(r.alu_per_ns_min <= r.alu_per_ns);
    CHECK(r.alu_per_ns <= r.alu_per_ns_max);
    const double agent_steps = static_cast<double>(r.agents * r.steps);
    CHECK(r.cycles_per_agent_step == Approx(r.cpu_seconds * r.clock_ghz * 1e9 / agent_steps));
    int unshared = 0;
    for (const auto& x : r.per_run) unshared += x.alu_per_ns >= bench::kUnsharedAddsPerCycle * r.clock_ghz;
    CHECK(r.unshared_runs == unshared);
    if (unshared > 0) {
        CHECK(r.seconds_min <= r.seconds_unshared);
        CHECK(r.seconds_unshared <= r.seconds_max);
        CHECK(r.agent_steps_per_second_unshared == Approx(agent_steps / r.seconds_unshared));
    } else {
        CHECK(r.seconds_unshared == 0);
        CHECK(r.agent_steps_per_second_unshared == 0);
    }
    // The runs are in the JSON line only when asked for.
    CHECK(bench::to_json(r).find("per_run") == std::string::npos);
    const std::string j = bench::to_json(r, true);
    CHECK(j.find("\"per_run\":[{\"seconds\":") != std::string::npos);
    std::size_t runs = 0;
    for (std::size_t at = j.find("\"alu_per_ns\":", j.find("per_run")); at != std::string::npos;
         at = j.find("\"alu_per_ns\":", at + 1))
        ++runs;
    CHECK(runs == 5);
}

TEST_CASE("bench: bad selections are input errors", "[bench]") {
    bench::Options o;
    o.tiny = true;
    o.only = {"no_such_workload"};
    CHECK_THROWS_AS(bench::run(o), InputError);
    o.only = {"epstein_40"};
    o.repeats = 0;
    CHECK_THROWS_AS(bench::run(o), InputError);
    o.repeats = bench::kMaxRepeats + 1;
    CHECK_THROWS_AS(bench::run(o), InputError);
    o.repeats = 1;
    o.min_seconds = -1;
    CHECK_THROWS_AS(bench::run(o), InputError);
}

TEST_CASE("bench: a result is one JSON line with escaped text", "[bench]") {
    bench::Result r;
    r.workload = "w";
    r.note = "a \"quoted\"\nnote";
    r.seconds = 0.5;
    r.agents = 10;
    const std::string j = bench::to_json(r);
    CHECK(j.front() == '{');
    CHECK(j.back() == '}');
    CHECK(j.find('\n') == std::string::npos);
    CHECK(j.find("\"workload\":\"w\"") != std::string::npos);
    CHECK(j.find("\"note\":\"a \\\"quoted\\\"\\nnote\"") != std::string::npos);
    CHECK(j.find("\"agents\":10") != std::string::npos);
    CHECK(j.find("\"seconds\":0.5") != std::string::npos);
    CHECK(bench::table_row(r).find("w ") == 0);
}
