// Unit tests of the civilians (model-spec §5.1, docs/epstein.md): the rules on hand-set agents,
// the ratio and jail-term options, conservation, incremental grid counts against a brute-force
// rescan, and determinism. Specs are built by hand so that each test controls every input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "resurgence/core/error.hpp"
#include "resurgence/model/civilians.hpp"
#include "resurgence/model/grid.hpp"
#include "resurgence/model/state.hpp"
#include "resurgence/output/indicators.hpp"
#include "resurgence/output/recorder.hpp"

using namespace resurgence;

namespace {

ScenarioSpec one_region(double population, double legitimacy, double hardship) {
    ScenarioSpec s;
    s.name = "civilians_test";
    s.horizon_days = 1000;
    s.countries = {"xland"};
    RegionSpec reg;
    reg.id = "r0";
    reg.country = "xland";
    reg.population = population;
    reg.legitimacy = legitimacy;
    reg.hardship = hardship;
    s.regions.push_back(reg);
    s.civilians.enabled = true;
    s.civilians.mode = CivilianMode::mixed;
    s.civilians.scale = 1;
    s.params.set(P::civ_informant_rate, 0.0);
    s.params.set(P::civ_informant_quit, 0.0);
    return s;
}

ScenarioSpec grid_region(int width, int height, double population, Neighbourhood shape,
                         int vision) {
    ScenarioSpec s = one_region(population, 0.82, 0.5);
    s.civilians.mode = CivilianMode::grid;
    s.civilians.neighbourhood = shape;
    s.regions[0].grid = GridSpec{width, height};
    s.params.set(P::civ_vision, vision);
    return s;
}

// A run state driven by hand: the day's phases of the civilians, with patrols set directly
// (phase 2 is the Simulation's; here the test plays it).
struct World {
    ScenarioSpec spec;
    ColumnLayout layout;
    Recorder rec;
    SimState state;

    World(ScenarioSpec s, double patrol, std::uint64_t seed = 7)
        : spec(std::move(s)), layout(spec.countries), rec(spec, layout, 0, seed),
          state(spec, RunSeed{seed, 0}, rec) {
        set_patrol(0, patrol);
        state.civilians.init(spec, state.seed, state);
    }
    void set_patrol(int r, double patrol, double presence = -1) {
        state.regions.patrol[static_cast<std::size_t>(r)] = patrol;
        state.regions.intelligence[static_cast<std::size_t>(r)] = 1.0;
        state.regions.presence[static_cast<std::size_t>(r)] = presence < 0 ? patrol : presence;
    }
    Civilians& civ() { return state.civilians; }
    std::int64_t n(CivState s, int r = 0) const { return state.civilians.count(r, s); }
    void day() {
        rec.begin_day(state.day);
        state.civilians.update(state);
        state.civilians.arrest(state);
        state.civilians.serve_terms(state);
        state.civilians.record(state);
        rec.end_day();
        ++state.day;
    }
};

std::int64_t sum_states(const Civilians& c, int r) {
    return c.count(r, CivState::quiet) + c.count(r, CivState::supporter) +
           c.count(r, CivState::informant) + c.count(r, CivState::detained);
}

// Runs two worlds of one grid region (population `pop`) in lock step for `days` days, the
// patrol cut to 2% of `pop` on day `cut` (cops leave their cells) and raised to 10% on day
// `reinforce` (placed on empty cells), and requires the same counts every day and the same
// cells at the end: for tests of two forms of the daily loop that must give the same days.
// Returns the most informants and detainees `b` had on any day.
std::pair<std::int64_t, std::int64_t> same_days(World& a, World& b, double pop, int days, int cut,
                                                int reinforce) {
    std::int64_t informants = 0, detained = 0;
    for (int d = 0; d < days; ++d) {
        const double patrol = d == cut ? pop * 0.02 : d == reinforce ? pop * 0.1 : -1;
        if (patrol >= 0) {
            a.set_patrol(0, patrol);
            b.set_patrol(0, patrol);
        }
        a.day();
        b.day();
        for (const CivState st : {CivState::quiet, CivState::supporter, CivState::informant,
                                  CivState::detained})
            REQUIRE(a.n(st) == b.n(st));
        informants = std::max(informants, b.n(CivState::informant));
        detained = std::max(detained, b.n(CivState::detained));
    }
    REQUIRE_NOTHROW(b.civ().check_invariants(true));
    CHECK(a.civ().grid(0)->position == b.civ().grid(0)->position);
    CHECK(a.civ().grid(0)->cop_position == b.civ().grid(0)->cop_position);
    CHECK(a.civ().grid(0)->supporter_at == b.civ().grid(0)->supporter_at);
    return {informants, detained};
}

}  // namespace

TEST_CASE("arrest probability: floor, round (ties to even) and exact ratios",
          "[civilians][rules]") {
    const double k = 2.3;
    const auto P = [&](double C, double A, ArrestRatio r) {
        return Civilians::arrest_probability(C, A, k, r);
    };
    // C/A = 1.5: NetLogo floors to 1, Mesa rounds to 2, the paper's formula keeps 1.5.
    CHECK(P(3, 2, ArrestRatio::floor) == Approx(1 - std::exp(-2.3)));
    CHECK(P(3, 2, ArrestRatio::round) == Approx(1 - std::exp(-4.6)));
    CHECK(P(3, 2, ArrestRatio::exact) == Approx(1 - std::exp(-3.45)));
    // Python's round(2.5) == 2 and round(0.5) == 0: ties go to the even integer.
    CHECK(P(5, 2, ArrestRatio::round) == Approx(1 - std::exp(-4.6)));
    CHECK(P(1, 2, ArrestRatio::round) == 0.0);
    // More actives than cops in view: the floored ratio is 0 and so is P (NetLogo's Info tab).
    CHECK(P(3, 4, ArrestRatio::floor) == 0.0);
    CHECK(P(0, 1, ArrestRatio::exact) == 0.0);
    // k = 2.3 makes P = 0.9 at one cop per active (Epstein's calibration).
    CHECK(P(1, 1, ArrestRatio::exact) == Approx(0.9).margin(0.0003));
}

TEST_CASE("grievance and threshold rule on hand-set agents (mixed mode)", "[civilians][rules]") {
    // L = 0.5, so G = H / 2. Threshold 0.25, exactly representable.
    ScenarioSpec s = one_region(4, 0.5, 0.5);
    s.params.set(P::civ_threshold, 0.25);
    World w(s, 0.0);  // no patrols: P = 0, N = 0
    auto& c = w.civ();
    c.set_attributes(0, 1.0f, 0.9f);   // G = 0.5 - 0 > 0.25: supporter
    c.set_attributes(1, 0.5f, 0.0f);   // G - N = 0.25, not above T: quiet (strict inequality)
    c.set_attributes(2, 0.75f, 1.0f);  // G = 0.375 > 0.25: supporter (no risk without patrols)
    c.set_attributes(3, 0.25f, 0.0f);  // G = 0.125: quiet
    w.day();
    CHECK(c.state(0) == CivState::supporter);
    CHECK(c.state(1) == CivState::quiet);
    CHECK(c.state(2) == CivState::supporter);
    CHECK(c.state(3) == CivState::quiet);
    CHECK(w.n(CivState::supporter) == 2);
    // Mean margin G - N - T over the supporters: (0.25 + 0.125) / 2.
    CHECK(c.supporter_margin(0) == Approx(0.1875));
}

TEST_CASE("net risk deters: N = R * P, and J^alpha scales it", "[civilians][rules]") {
    // One agent, 10 patrol agents in the region: C/A = 10, P = 1 - e^-23 ~ 1.
    ScenarioSpec s = one_region(1, 0.5, 0.5);
    s.params.set(P::civ_arrest_rate, 0.0);  // watch the decision, not the arrests
    SECTION("low risk aversion rebels, high stays quiet") {
        World w(s, 10.0);
        w.civ().set_attributes(0, 1.0f, 0.3f);  // G = 0.5, N = 0.3: 0.2 > 0.1
        w.day();
        CHECK(w.civ().state(0) == CivState::supporter);
        w.civ().set_attributes(0, 1.0f, 0.45f);  // G - N = 0.05 < 0.1
        w.day();
        CHECK(w.civ().state(0) == CivState::quiet);
    }
    SECTION("alpha = 1 with J = 2 doubles the risk") {
        s.params.set(P::civ_jail_alpha, 1.0);
        s.params.set(P::civ_max_jail_term, 2);
        World w(s, 10.0);
        w.civ().set_attributes(0, 1.0f, 0.15f);  // N = 0.3 (0.15 alone would support)
        w.day();
        CHECK(w.civ().state(0) == CivState::supporter);  // 0.5 - 0.3 = 0.2 > 0.1
        w.civ().set_attributes(0, 1.0f, 0.2f);           // N = 0.4: 0.1 is not above T
        w.day();
        CHECK(w.civ().state(0) == CivState::quiet);
    }
}

TEST_CASE("A counts the agent itself only with count_self (mixed mode)", "[civilians][rules]") {
    // Two agents and 2 patrol agents, floor ratio. A lone supporter sees A = 1 + 0 others
    // (C/A = 2, P ~ 0.99) unless it counts itself (A = 2, C/A = 1, P = 0.9).
    ScenarioSpec s = one_region(2, 0.0, 0.5);
    s.params.set(P::civ_arrest_rate, 0.0);
    for (const bool self : {false, true}) {
        s.params.set(P::civ_count_self, self ? 1.0 : 0.0);
        World w(s, 2.0);
        // G = 0.2; on day 1 nobody is active yet: A = 1, P = 1 - e^-4.6 = 0.990, N = 0.198 * ...
        w.civ().set_attributes(0, 0.2f, 0.0f);  // always active (R = 0): G - 0 = 0.2 > 0.1
        w.civ().set_attributes(1, 1.0f, 0.95f);
        w.day();
        REQUIRE(w.civ().state(0) == CivState::supporter);
        // Agent 1 (G = 1) sees agent 0 active: A = 2, C/A = 1, P = 0.9, N = 0.855 -> 0.145 > T.
        CHECK(w.civ().state(1) == CivState::supporter);
        w.day();
        // Now both supporters. Agent 1 re-decides: others = 1 (+ itself with count_self).
        //  without: A = 2, P = 0.9, G - N = 1 - 0.855 = 0.145 > 0.1: stays.
        //  with:    A = 3, floor(2/3) = 0, P = 0: stays too.
        CHECK(w.civ().state(1) == CivState::supporter);
        // Lone-supporter case: make agent 0 quiet for good and re-check agent 1.
        w.civ().set_attributes(0, 0.0f, 1.0f);
        w.civ().set_attributes(1, 1.0f, 0.9f);  // without: A = 1, P = 0.990, 1 - 0.891 = 0.109
        w.day();                                 // with: A = 2, P = 0.9, 1 - 0.81 = 0.19
        CHECK(w.civ().state(0) == CivState::quiet);
        CHECK(w.civ().state(1) == CivState::supporter);
        w.civ().set_attributes(1, 1.0f, 0.92f);  // without: 1 - 0.911 = 0.089 -> quiet
        w.day();                                  // with: 1 - 0.828 = 0.172 -> supporter
        CHECK(w.civ().state(1) == (self ? CivState::supporter : CivState::quiet));
    }
}

TEST_CASE("A counts the agent itself only with count_self (grid mode)", "[civilians][rules]") {
    // A 5 x 5 torus with vision 7: everyone sees everyone. Agent 1 (H = 1, L = 0: G = 1) is the
    // only one who can rebel; agent 0 never does (H = 0). One cop counted as two effective
    // cops (presence 2, patrol 1): a lone active sees C/A = 2/1 (P = 0.990) unless it counts
    // itself (2/2, P = 0.900). With R = 0.92: 1 - 0.911 < 0.1 -> quiet; 1 - 0.828 > 0.1 -> stays.
    for (const bool self : {false, true}) {
        ScenarioSpec s = grid_region(5, 5, 2, Neighbourhood::disk, 7);
        s.regions[0].legitimacy = 0.0;
        s.civilians.movement = false;
        s.params.set(P::civ_count_self, self ? 1.0 : 0.0);
        bool tested = false;
        // The cop arrests an active in view whenever its turn comes while the agent is active:
        // take the first seed whose two days let the agent's own decisions be read.
        for (std::uint64_t seed = 1; seed <= 50 && !tested; ++seed) {
            World w(s, 1.0, seed);
            w.set_patrol(0, 1.0, 2.0);
            w.civ().set_attributes(0, 0.0f, 1.0f);
            w.civ().set_attributes(1, 1.0f, 0.5f);  // goes active on day 1: 1 - 0.495 > 0.1
            w.rec.begin_day(0);
            w.civ().update(w.state);
            if (w.civ().state(1) != CivState::supporter) continue;
            w.civ().serve_terms(w.state);
            w.rec.end_day();
            ++w.state.day;
            w.civ().set_attributes(1, 1.0f, 0.92f);
            w.rec.begin_day(1);
            w.civ().update(w.state);
            // Its choice: supporting shows in the day's supporter margin (agent 0 never
            // supports); turning quiet leaves it quiet. Detained with no margin means the cop
            // took it before its turn: no decision to read, try another seed.
            const bool chose_active = w.civ().supporter_margin(0) > 0.0;
            const bool chose_quiet = w.civ().state(1) == CivState::quiet;
            if (!chose_active && !chose_quiet) continue;
            INFO("count_self " << self << ", seed " << seed);
            CHECK(chose_active == self);
            CHECK(chose_quiet == !self);
            tested = true;
        }
        CHECK(tested);
    }
}

TEST_CASE("jail term draws cover exactly their documented ranges", "[civilians][jail]") {
    struct Case {
        JailTermDraw draw;
        int lo, hi;
    };
    const int J = 30;
    for (const Case c : {Case{JailTermDraw::netlogo, 0, J - 1}, Case{JailTermDraw::mesa, 0, J},
                         Case{JailTermDraw::epstein, 1, J}}) {
        Rng rng(99);
        std::vector<int> hits(J + 2, 0);
        const int draws = 100000;
        for (int i = 0; i < draws; ++i) {
            const int t = Civilians::draw_jail_term(rng, c.draw, J);
            REQUIRE(t >= c.lo);
            REQUIRE(t <= c.hi);
            ++hits[static_cast<std::size_t>(t)];
        }
        // Uniform over hi - lo + 1 values: each is hit ~3,200 times; a value missed or seen
        // less than half as often would mean a wrong range (binomial sd ~ 56).
        const double expected = draws / static_cast<double>(c.hi - c.lo + 1);
        for (int t = c.lo; t <= c.hi; ++t) CHECK(hits[static_cast<std::size_t>(t)] > expected / 2);
    }
    Rng rng(1);
    CHECK(Civilians::draw_jail_term(rng, JailTermDraw::epstein, 0) == 0);
    CHECK(Civilians::draw_jail_term(rng, JailTermDraw::netlogo, 1) == 0);
}

TEST_CASE("a jail term of t days keeps the agent out of t daily updates", "[civilians][jail]") {
    ScenarioSpec s = one_region(1, 0.0, 0.5);
    s.civilians.jail_term = JailTermDraw::epstein;  // 1..max: with max 3, terms are 1, 2 or 3
    s.params.set(P::civ_max_jail_term, 3);
    s.params.set(P::civ_arrest_rate, 1.0);
    World w(s, 1.0);
    w.civ().set_attributes(0, 1.0f, 0.0f);  // R = 0: always supports when free
    w.day();                                 // supports, then arrested (1 patrol, rate 1)
    REQUIRE(w.civ().state(0) == CivState::detained);
    const int term = w.civ().jail_term(0) + 1;  // serve_terms already ran once that day
    REQUIRE(term >= 1);
    REQUIRE(term <= 3);
    int days_out = 0;
    w.set_patrol(0, 0.0);  // no more arrests
    while (w.civ().state(0) == CivState::detained) {
        w.day();
        ++days_out;
        REQUIRE(days_out <= 3);
    }
    // Released in phase 8 of the day its counter reached 0; the updates of the `term` days
    // after the arrest were missed (the release day's update included).
    CHECK(days_out == term);
    CHECK(w.rec.get(Ind::jail_releases) == 1.0);
    w.day();
    CHECK(w.civ().state(0) == CivState::supporter);
}

TEST_CASE("mixed-mode arrests thin the supporters to min(S, patrols x rate)",
          "[civilians][arrest]") {
    // 10,000 agents with H = 1 and L = 0 all support (G = 1) when no patrol is about.
    ScenarioSpec s = one_region(10000, 0.0, 1.0);
    s.params.set(P::civ_hardship_spread, 0.0);
    s.params.set(P::civ_arrest_rate, 0.5);
    World w(s, 0.0);
    w.rec.begin_day(0);
    w.civ().update(w.state);
    REQUIRE(w.n(CivState::supporter) == 10000);
    w.set_patrol(0, 4000.0);  // 4,000 patrol agents x 0.5 = 2,000 expected arrests
    w.civ().arrest(w.state);
    // Each supporter is taken with p = 0.2: Binomial(10000, 0.2), sd 40. 5 sd = 200 (a false
    // failure about once in 3.5 million seeds).
    const auto detained = w.n(CivState::detained);
    CHECK(std::abs(static_cast<double>(detained) - 2000.0) < 200.0);
    CHECK(w.n(CivState::supporter) + detained == 10000);
    // One aggregated event row for the region and day, carrying the count.
    w.civ().record(w.state);
    CHECK(w.rec.get(Ind::arrests) == static_cast<double>(detained));
    w.rec.end_day();
    const ReplicationResult res = w.rec.finish();
    std::size_t rows = 0;
    for (char ch : res.events) rows += ch == '\n' ? 1 : 0;
    CHECK(rows == 1);
    CHECK(res.events.find(",arrest,") != std::string::npos);
    std::string count_field = ",";  // built by appends: GCC 12 -O3 false -Wrestrict on "," + s
    count_field += std::to_string(detained);
    count_field += ',';
    CHECK(res.events.find(count_field) != std::string::npos);
}

TEST_CASE("more patrols than supporters arrest them all", "[civilians][arrest]") {
    ScenarioSpec s = one_region(500, 0.0, 1.0);
    s.params.set(P::civ_hardship_spread, 0.0);
    World w(s, 0.0);
    w.rec.begin_day(0);
    w.civ().update(w.state);
    w.set_patrol(0, 600.0);
    w.civ().arrest(w.state);
    CHECK(w.n(CivState::detained) == 500);
}

TEST_CASE("informants: every quiet agent informs at rate 1, none under heavy intimidation",
          "[civilians][informants]") {
    ScenarioSpec s = one_region(1000, 1.0, 0.0);  // L = 1: no grievance, nobody supports
    s.params.set(P::civ_hardship_spread, 0.0);
    s.params.set(P::civ_informant_rate, 1.0);
    // 20 personnel per 1000 residents saturates the presence factor.
    World w(s, 20.0);
    w.day();
    CHECK(w.n(CivState::informant) == 1000);

    // Rate 0.1, presence at half the reference (factor 0.5), intimidation 0.5 with effect 2:
    // p = 0.1 * 1 * 0.5 * e^-1 = 0.0184. Over 5,000 agents: Binomial mean 92, sd 9.5; +-5 sd.
    ScenarioSpec s2 = one_region(5000, 1.0, 0.0);
    s2.params.set(P::civ_hardship_spread, 0.0);
    s2.params.set(P::civ_informant_rate, 0.1);
    s2.params.set(P::civ_intimidation_effect, 2.0);
    World w2(s2, 50.0);  // 10 per 1000 residents
    w2.state.regions.intimidation[0] = 0.5;
    w2.day();
    const double p = 0.1 * 0.5 * std::exp(-1.0);
    const double mean = 5000 * p, sd = std::sqrt(5000 * p * (1 - p));
    CHECK(std::abs(static_cast<double>(w2.n(CivState::informant)) - mean) < 5 * sd);
}

TEST_CASE("informants quit at their rate and turn supporter when aggrieved",
          "[civilians][informants]") {
    ScenarioSpec s = one_region(200, 1.0, 1.0);
    s.params.set(P::civ_hardship_spread, 0.0);
    s.params.set(P::civ_informant_rate, 1.0);
    World w(s, 4.0);  // 20 per 1000
    w.day();
    REQUIRE(w.n(CivState::informant) == 200);
    // Legitimacy collapses: G = 1 and with 4 patrols among 200 the ratio floors to 0 once a few
    // support, so informants revert to supporters.
    w.state.regions.legitimacy[0] = 0.0;
    w.day();
    CHECK(w.n(CivState::informant) + w.n(CivState::supporter) + w.n(CivState::detained) +
              w.n(CivState::quiet) ==
          200);
    CHECK(w.n(CivState::supporter) + w.n(CivState::detained) > 150);
}

TEST_CASE("torus windows: sizes and membership agree with the metric", "[civilians][grid]") {
    // On a large torus the window has the textbook sizes: diamond 2v^2 + 2v + 1, square
    // (2v + 1)^2, disk = lattice points with dx^2 + dy^2 <= 49 (149 for v = 7).
    CHECK(TorusWindow(40, 40, 7, Neighbourhood::von_neumann).size() == 113);
    CHECK(TorusWindow(40, 40, 7, Neighbourhood::moore).size() == 225);
    CHECK(TorusWindow(40, 40, 7, Neighbourhood::disk).size() == 149);
    CHECK(TorusWindow(40, 40, 1, Neighbourhood::von_neumann).size() == 5);
    CHECK(TorusWindow(40, 40, 0, Neighbourhood::disk).size() == 1);
    // On small tori the window wraps onto itself: each cell must appear once.
    for (const auto shape : {Neighbourhood::von_neumann, Neighbourhood::moore, Neighbourhood::disk})
        for (const auto& [wd, ht, v] : {std::tuple{40, 40, 7}, std::tuple{10, 7, 7},
                                       std::tuple{3, 5, 2}, std::tuple{1, 1, 3},
                                       std::tuple{15, 15, 7}, std::tuple{16, 9, 4}}) {
            const TorusWindow w(wd, ht, v, shape);
            for (std::uint32_t centre : {0u, w.cells() / 2, w.cells() - 1}) {
                std::multiset<std::uint32_t> seen;
                w.for_each(centre, [&](std::uint32_t c) { seen.insert(c); });
                std::set<std::uint32_t> expected;
                for (std::uint32_t c = 0; c < w.cells(); ++c)
                    if (w.sees(centre, c)) expected.insert(c);
                INFO("shape " << name_of(shape) << " " << wd << "x" << ht << " v=" << v);
                CHECK(seen.size() == expected.size());
                CHECK(std::set<std::uint32_t>(seen.begin(), seen.end()) == expected);
                CHECK(w.size() == expected.size());
                std::set<std::uint32_t> others;
                for (std::uint32_t k = 0; k + 1 < w.size(); ++k) others.insert(w.neighbour(centre, k));
                expected.erase(centre);
                CHECK(others == expected);
            }
        }
}

TEST_CASE("torus windows: the table path gives the same k-th neighbour at every centre",
          "[civilians][grid]") {
    // neighbour_wrapped (look-up tables, used by the move's sampler) must pick exactly the cell
    // neighbour picks for each k, or the random streams would map to other cells.
    for (const auto shape : {Neighbourhood::von_neumann, Neighbourhood::moore, Neighbourhood::disk})
        for (const auto& [wd, ht, v] : {std::tuple{40, 40, 7}, std::tuple{15, 15, 7},
                                       std::tuple{16, 9, 4}, std::tuple{23, 31, 3}}) {
            const TorusWindow w(wd, ht, v, shape);
            INFO("shape " << name_of(shape) << " " << wd << "x" << ht << " v=" << v);
            REQUIRE(w.has_wrap_tables());
            std::int64_t mismatches = 0;
            for (std::uint32_t c = 0; c < w.cells(); ++c) {
                const std::uint32_t y = w.row_of(c), x = c - y * static_cast<std::uint32_t>(wd);
                for (std::uint32_t k = 0; k + 1 < w.size(); ++k)
                    mismatches += w.neighbour_wrapped(x, y, k) != w.neighbour(x, y, k);
            }
            CHECK(mismatches == 0);
        }
    // A window wider than the torus wraps onto itself: no tables, the modular path is used.
    CHECK_FALSE(TorusWindow(10, 7, 7, Neighbourhood::von_neumann).has_wrap_tables());
    CHECK_FALSE(TorusWindow(1, 1, 3, Neighbourhood::moore).has_wrap_tables());
}

namespace {
// A grid with the given share of its cells taken at random (the centre always), for rule M.
// `bits`: the vacancy map as a bitmap instead of a byte map.
CivilianGrid crowd(int width, int height, int vision, Neighbourhood shape, std::uint32_t centre,
                   double taken, std::uint64_t seed, bool bits) {
    CivilianGrid g;
    g.window = TorusWindow(width, height, vision, shape);
    const std::uint32_t cells = g.window.cells();
    g.reset_vacancy(cells, bits);
    g.scratch.reserve(cells);
    Rng rng(seed);
    for (std::uint32_t c = 0; c < cells; ++c)
        if (c == centre || rng.bernoulli(taken)) g.put(c);
    return g;
}

// Upper 1 - alpha quantile of chi-square with df degrees of freedom (Wilson & Hilferty 1931;
// z is the standard normal quantile of 1 - alpha): relative error below 1% for df >= 10.
double chi2_upper(double df, double z) {
    const double a = 2.0 / (9.0 * df);
    return df * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

// Draws per_cell x (empty cells in view) targets from `centre` and checks them against the
// uniform law over the empty cells in view: every target is one of them (never the centre or a
// taken cell), and the chi-square statistic is below its 1e-4 quantile (one-sided z = 3.719),
// with a fixed seed. Returns the number of empty cells in view.
std::int64_t check_uniform_targets(CivilianGrid& g, std::uint32_t centre, double per_cell,
                                   std::uint64_t seed) {
    std::vector<std::int64_t> slot(g.window.cells(), -1);
    std::int64_t empties = 0;
    g.window.for_each(centre, [&](std::uint32_t x) {
        if (g.is_empty(x)) slot[x] = empties++;
    });
    REQUIRE(empties >= 3);
    const auto n = static_cast<std::int64_t>(per_cell) * empties;
    std::vector<std::int64_t> seen(static_cast<std::size_t>(empties), 0);
    Rng rng(seed);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::uint32_t to = random_empty_in_view(g, centre, rng);
        REQUIRE(slot[to] >= 0);
        ++seen[static_cast<std::size_t>(slot[to])];
    }
    double chi2 = 0;
    for (const std::int64_t o : seen) {
        const double d = static_cast<double>(o) - per_cell;
        chi2 += d * d / per_cell;
    }
    const double df = static_cast<double>(empties - 1);
    INFO(empties << " empty cells in view, chi-square " << chi2 << " on " << df << " df");
    CHECK(chi2 < chi2_upper(df, 3.719));
    return empties;
}
}  // namespace

TEST_CASE("rule M: the move's target is uniform over the empty cells in view",
          "[civilians][grid][move]") {
    SECTION("interior, edge, self-wrapping and crowded windows") {
        struct Case {
            int width, height, vision;
            Neighbourhood shape;
            std::uint32_t centre;
            double taken;
            const char* what;
        };
        // Interior centre (offsets), an edge centre (the wrap tables), a torus smaller than its
        // window (the modular path), and a crowded window (rounds that miss, and the listing);
        // 400 expected draws a cell; the vacancy map as bytes and as bits.
        for (const bool bits : {false, true})
        for (const Case& c :
             {Case{200, 200, 7, Neighbourhood::von_neumann, 100 * 200 + 100, 0.774, "interior"},
              Case{40, 40, 7, Neighbourhood::von_neumann, 3 * 40 + 2, 0.774, "edge"},
              Case{10, 7, 7, Neighbourhood::moore, 12, 0.5, "self-wrapping"},
              Case{40, 40, 7, Neighbourhood::disk, 0, 0.97, "crowded"}}) {
            INFO(c.what << (bits ? ", bitmap" : ", byte map"));
            CivilianGrid g = crowd(c.width, c.height, c.vision, c.shape, c.centre, c.taken, 7, bits);
            check_uniform_targets(g, c.centre, 400.0, 20261202);
        }
    }
    SECTION("windows where a third of the 16-bit draws are biased and must be rejected") {
        // A 149 x 149 square has 22,200 other cells: 2^16 mod 22,200 = 21,136 of the 65,536
        // values of a try are rejected (32%), and without the rejection 21,136 of the cells
        // would be drawn 1.5 times as often as the others. Interior path (1200 x 1200) and
        // wrapping path (160 x 160); half the cells taken, 100 expected draws a cell.
        for (const auto& [side, centre] : {std::pair{1200, 600u * 1200u + 600u}, std::pair{160, 5u}}) {
            INFO(side << " x " << side);
            CivilianGrid g = crowd(side, side, 74, Neighbourhood::moore, centre, 0.5, 11, false);
            REQUIRE(g.window.size() - 1 == 22200);
            check_uniform_targets(g, centre, 100.0, 5);
        }
    }
    SECTION("one empty cell in view is always the target; none leaves the agent in place") {
        for (const bool bits : {false, true}) {
            CivilianGrid g = crowd(40, 40, 7, Neighbourhood::von_neumann, 20 * 40 + 20, 1.0, 1, bits);
            Rng rng(3);
            CHECK(random_empty_in_view(g, 20 * 40 + 20, rng) == 20 * 40 + 20);
            g.vacate(22 * 40 + 23);  // |dx| + |dy| = 5
            for (int i = 0; i < 100; ++i)
                CHECK(random_empty_in_view(g, 20 * 40 + 20, rng) == 22 * 40 + 23);
        }
    }
}

TEST_CASE("grid: incremental in-view counts equal a brute-force rescan", "[civilians][grid]") {
    struct Case {
        int w, h, v;
        Neighbourhood shape;
        double pop, cops, legitimacy;
    };
    for (const Case c : {Case{40, 40, 7, Neighbourhood::von_neumann, 1120, 64, 0.82},
                         Case{40, 40, 7, Neighbourhood::disk, 1120, 64, 0.7},
                         Case{40, 40, 3, Neighbourhood::moore, 1000, 30, 0.6},
                         Case{12, 9, 7, Neighbourhood::disk, 60, 6, 0.5},
                         Case{7, 5, 1, Neighbourhood::von_neumann, 20, 3, 0.3},
                         // Windows of more than 255 cells keep their counts in 16 bits: a disk
                         // of radius 10 (317 cells), and a 21 x 21 square with ~400 cops in view
                         // of each cell after day 40, counts that a byte could not hold.
                         Case{60, 60, 10, Neighbourhood::disk, 2500, 150, 0.6},
                         Case{40, 40, 10, Neighbourhood::moore, 300, 800, 0.5}}) {
        ScenarioSpec s = grid_region(c.w, c.h, c.pop, c.shape, c.v);
        s.regions[0].legitimacy = c.legitimacy;
        s.params.set(P::civ_informant_rate, 0.01);
        s.params.set(P::civ_informant_quit, 0.05);
        World w(s, c.cops);
        INFO(c.w << "x" << c.h << " v=" << c.v << " " << name_of(c.shape));
        w.civ().check_invariants(true);
        for (int d = 0; d < 60; ++d) {
            // Cut and restore the cops now and then: removal and placement keep counts exact.
            if (d == 20) w.set_patrol(0, c.cops / 4);
            if (d == 40) w.set_patrol(0, c.cops * 1.5);
            if (d == 50) w.state.regions.legitimacy[0] = 0.1;
            w.day();
            REQUIRE_NOTHROW(w.civ().check_invariants(true));
        }
        CHECK(w.civ().cops(0) == std::llround(c.cops * 1.5));
    }
}

TEST_CASE("grid: the occupancy check catches agents off their cells", "[civilians][grid]") {
    // The grid keeps no per-cell agent code (CivilianGrid): the daily check ties positions,
    // the vacancy map and the supporters' markers together. Each corruption below, made after
    // 10 days of moves, must be caught by the check it names, with either vacancy map.
    const bool bits = GENERATE(false, true);
    INFO((bits ? "bitmap" : "byte map"));
    ScenarioSpec s = grid_region(40, 40, 1120, Neighbourhood::von_neumann, 7);
    // The message of the InvariantViolation check_invariants throws once `corrupt` has altered
    // the grid, or "" when it does not throw.
    const auto caught = [&s, bits](auto&& corrupt) -> std::string {
        World w(s, 64);
        w.civ().rebuild_vacancy(bits);
        for (int d = 0; d < 10; ++d) w.day();
        REQUIRE_NOTHROW(w.civ().check_invariants(false));
        auto& g = const_cast<CivilianGrid&>(*w.civ().grid(0));
        REQUIRE(g.bit_vacancy == bits);
        corrupt(g, w.civ());
        try {
            w.civ().check_invariants(false);
        } catch (const InvariantViolation& e) {
            return e.what();
        }
        return "";
    };
    // The first citizen in state `st`, and the first empty cell.
    const auto first = [](const CivilianGrid& g, const Civilians& c, CivState st) {
        const std::int64_t b = c.first_agent(0);
        for (std::uint32_t i = 0; i < g.position.size(); ++i)
            if (c.state(b + i) == st) return i;
        FAIL("no citizen in that state");
        return 0u;
    };
    const auto empty_cell = [](const CivilianGrid& g) {
        for (std::uint32_t cell = 0; cell < g.window.cells(); ++cell)
            if (g.is_empty(cell)) return cell;
        FAIL("no empty cell");
        return 0u;
    };
    using Catch::Contains;
    SECTION("a citizen's cell marked empty (one taken cell fewer than agents)") {
        CHECK_THAT(caught([](CivilianGrid& g, Civilians&) { g.vacate(g.position[0]); }),
                   Contains("occupied cells for"));
    }
    SECTION("a citizen on an empty cell, another cell marked taken instead") {
        CHECK_THAT(caught([&](CivilianGrid& g, Civilians&) {
                       const std::uint32_t other = empty_cell(g);
                       g.vacate(g.position[0]);
                       g.put(other);
                   }),
                   Contains("citizen 0 is on cell") && Contains("which is empty"));
    }
    SECTION("a cop off the grid") {
        CHECK_THAT(caught([](CivilianGrid& g, Civilians&) { g.cop_position[0] = g.window.cells(); }),
                   Contains("cop 0 is on cell") && Contains("off the grid"));
    }
    SECTION("two citizens on one cell (the cell one left still marked taken)") {
        CHECK_THAT(caught([](CivilianGrid& g, Civilians& c) {
                       // A free supporter's marker would name the move first (the cell pass).
                       REQUIRE(c.state(c.first_agent(0) + 1) != CivState::supporter);
                       g.position[1] = g.position[0];
                   }),
                   Contains("citizen 1 is on cell") && Contains("holds another agent"));
    }
    SECTION("a cop on a citizen's cell (the cell it left still marked taken)") {
        CHECK_THAT(caught([](CivilianGrid& g, Civilians&) { g.cop_position[0] = g.position[0]; }),
                   Contains("cop 0 is on cell") && Contains("holds another agent"));
    }
    SECTION("a free supporter's marker cleared") {
        CHECK_THAT(caught([&](CivilianGrid& g, Civilians& c) {
                       g.supporter_at[g.position[first(g, c, CivState::supporter)]] =
                           CivilianGrid::kNoSupporter;
                   }),
                   Contains("(a free supporter) is marked -1"));
    }
    SECTION("a quiet citizen's cell marked as a supporter's") {
        CHECK_THAT(caught([&](CivilianGrid& g, Civilians& c) {
                       const std::uint32_t i = first(g, c, CivState::quiet);
                       g.supporter_at[g.position[i]] = static_cast<std::int32_t>(i);
                   }),
                   Contains("(not a free supporter) is marked"));
    }
    SECTION("a supporter's marker on an empty cell as well") {
        CHECK_THAT(caught([&](CivilianGrid& g, Civilians& c) {
                       g.supporter_at[empty_cell(g)] =
                           static_cast<std::int32_t>(first(g, c, CivState::supporter));
                   }),
                   Contains("is marked as holding free supporter") && Contains("who is not there"));
    }
}

TEST_CASE("grid: an arrest with no suspect behind the count stops the day", "[civilians][grid]") {
    // Rule C trusts the in-view counts: it draws the j-th of `actives_seen` free supporters in
    // a cop's window and finds it by the markers. Counts raised above the markers (a broken
    // invariant) must stop the day with an InvariantViolation naming the disagreement, not
    // index the agents with the empty marker.
    ScenarioSpec s = grid_region(40, 40, 1120, Neighbourhood::von_neumann, 7);
    World w(s, 64);
    for (int d = 0; d < 5; ++d) w.day();
    REQUIRE_NOTHROW(w.civ().check_invariants(true));
    auto& g = const_cast<CivilianGrid&>(*w.civ().grid(0));
    REQUIRE(g.narrow_counts);  // 113 cells in view
    // Each cell's count 100 above the supporters really in view (at most 113): every cop's
    // draw of j < count then misses the window's markers with probability >= 100 / 213.
    for (std::uint32_t c = 0; c < g.window.cells(); ++c) g.seen8.actives[c] += 100;
    try {
        w.day();
        FAIL("the day ran with counts above the markers");
    } catch (const InvariantViolation& e) {
        CHECK_THAT(std::string(e.what()),
                   Catch::Contains("free supporters in view, but") &&
                       Catch::Contains("the in-view counts and the markers disagree"));
    }
}

TEST_CASE("grid: the bitmap and the byte vacancy maps give the same days", "[civilians][grid]") {
    // The form of the map is chosen by the grid's size (CivilianGrid::kByteVacancyCells); the
    // draws and the outcomes must not depend on it. 40 x 40 (the wrapping path) and 120 x 90
    // (mostly interior centres; 10,800 cells, not a multiple of 64: a partial last word).
    for (const auto& [w, h, pop] : {std::tuple{40, 40, 1120.0}, std::tuple{120, 90, 7560.0}}) {
        INFO(w << "x" << h);
        ScenarioSpec s = grid_region(w, h, pop, Neighbourhood::von_neumann, 7);
        s.regions[0].legitimacy = 0.7;
        s.params.set(P::civ_informant_rate, 0.01);
        World bytes(s, pop * 0.074 / 0.7), bits(s, pop * 0.074 / 0.7);
        REQUIRE_FALSE(bytes.civ().grid(0)->bit_vacancy);
        bits.civ().rebuild_vacancy(true);
        REQUIRE(bits.civ().grid(0)->bit_vacancy);
        same_days(bytes, bits, pop, 40, 15, 25);
    }
}

TEST_CASE("grid: drawing the next move before rule A gives the same days", "[civilians][grid]") {
    // On grids whose in-view counts are beyond the caches (more than kCachedCountCells cells)
    // the daily loop draws the next agent's move target before a citizen's rule A when that
    // rule cannot draw (CivilianGrid::pipeline_moves). The draws and the outcomes must be
    // those of the plain order: informants (whose gaps draw), arrests (whose suspects and
    // terms draw), a cut and reinforcements, with either vacancy map.
    const bool bits = GENERATE(false, true);
    INFO((bits ? "bitmap" : "byte map"));
    const int side = 400;  // 160,000 cells
    const double pop = 0.7 * side * side;
    ScenarioSpec s = grid_region(side, side, pop, Neighbourhood::von_neumann, 7);
    s.regions[0].legitimacy = 0.7;
    s.params.set(P::civ_informant_rate, 0.01);
    World plain(s, pop * 0.074 / 0.7), ahead(s, pop * 0.074 / 0.7);
    REQUIRE(plain.civ().grid(0)->window.cells() > CivilianGrid::kCachedCountCells);
    plain.civ().rebuild_vacancy(bits);
    ahead.civ().rebuild_vacancy(bits);
    plain.civ().set_pipeline_moves(false);
    REQUIRE(ahead.civ().grid(0)->pipeline_moves);
    const auto [informants, detained] = same_days(plain, ahead, pop, 20, 8, 14);
    CHECK(informants > 0);  // the gaps were drawn
    CHECK(detained > 0);    // and arrests made
}

TEST_CASE("grid: the shuffle with its slots drawn ahead gives the plain permutation",
          "[civilians][grid]") {
    // The daily loop shuffles orders of more than 2^21 agents with each swap's random slot
    // drawn 32 swaps ahead and prefetched. The draws and the permutation must be the plain
    // Fisher-Yates loop's, and the stream must be left where the plain loop leaves it; at sizes
    // around the ring's (up to 33 the function keeps the plain loop) and well beyond.
    for (const std::uint32_t size : {0u, 1u, 2u, 33u, 34u, 35u, 64u, 100u, 4097u, 100000u}) {
        INFO("size " << size);
        std::vector<std::uint32_t> plain(size), ahead(size);
        std::iota(plain.begin(), plain.end(), 0u);
        std::iota(ahead.begin(), ahead.end(), 0u);
        Rng a = RunSeed{11, 0}.stream(Purpose{"test.shuffle"}, size);
        Rng b = a;
        shuffle_order(plain, a, false);
        shuffle_order(ahead, b, true);
        CHECK(plain == ahead);
        CHECK(a() == b());
        std::vector<std::uint32_t> sorted = ahead;
        std::sort(sorted.begin(), sorted.end());
        for (std::uint32_t i = 0; i < size; ++i) REQUIRE(sorted[i] == i);
    }
}

namespace {
// The day's activation order by blocks (the grid's `order` after the day) against the cells the
// agents held at its start: a permutation of citizens and cops in which each block's agents
// form one run. Returns the blocks in the order they acted.
std::vector<std::uint32_t> check_block_runs(const CivilianGrid& g,
                                            const std::vector<std::uint32_t>& cell_at_start) {
    REQUIRE(g.order.size() == cell_at_start.size());
    std::vector<int> seen(g.order.size(), 0);
    std::vector<std::uint32_t> sequence;
    std::set<std::uint32_t> done;
    for (std::size_t k = 0; k < g.order.size(); ++k) {
        const std::uint32_t id = g.order[k];
        REQUIRE(id < seen.size());
        ++seen[id];
        const std::uint32_t b = g.block_of(cell_at_start[id]);
        if (sequence.empty() || sequence.back() != b) {
            REQUIRE(done.insert(b).second);  // a block acts in one run
            sequence.push_back(b);
        }
    }
    for (const int c : seen) REQUIRE(c == 1);  // each agent acts once
    return sequence;
}

std::vector<std::uint32_t> cells_now(const CivilianGrid& g) {
    std::vector<std::uint32_t> cells = g.position;
    cells.insert(cells.end(), g.cop_position.begin(), g.cop_position.end());
    return cells;
}
}  // namespace

TEST_CASE("grid: activation by blocks is a uniform order of blocks, uniform within each",
          "[civilians][grid][activation]") {
    SECTION("agents that stay put: the laws of the block order and of the order within blocks") {
        // 6 x 6 in blocks of 3: four blocks of 9 cells, 20 citizens and 4 cops that do not move,
        // so each block holds the same agents every day. Over D days, (a) the order of the four
        // blocks is uniform over the 24 orders, and (b) within each block of m agents each agent
        // takes each of the m places of its run D / m times in expectation: chi-square on the
        // agent x place tables, (m - 1)^2 df a block. Both below their 1e-4 quantiles.
        ScenarioSpec s = grid_region(6, 6, 20, Neighbourhood::von_neumann, 2);
        s.civilians.movement = false;
        s.civilians.activation = Activation::blocks;
        s.civilians.activation_block = 3;
        constexpr int kDays = 4800;
        s.horizon_days = kDays;  // the recorder's series
        World w(s, 4);
        const CivilianGrid& g = *w.civ().grid(0);
        REQUIRE(g.blocks == 4);
        std::vector<double> block_orders(24, 0.0);
        std::vector<std::vector<double>> place;  // agent -> place in its run -> days
        std::vector<std::uint32_t> cells;
        for (int d = 0; d < kDays; ++d) {
            cells = cells_now(g);
            w.day();
            const auto sequence = check_block_runs(g, cells);
            REQUIRE(sequence.size() <= 4);
            if (sequence.size() == 4) {  // the rank of the permutation of the four blocks
                int code = 0;
                std::vector<std::uint32_t> left{0, 1, 2, 3};
                for (const std::uint32_t b : sequence) {
                    const auto it = std::find(left.begin(), left.end(), b);
                    code = code * static_cast<int>(left.size()) + static_cast<int>(it - left.begin());
                    left.erase(it);
                }
                block_orders[static_cast<std::size_t>(code)] += 1;
            }
            if (place.empty()) place.assign(g.order.size(), std::vector<double>(g.order.size(), 0.0));
            std::size_t run_begin = 0;
            for (std::size_t k = 0; k < g.order.size(); ++k) {
                if (k > 0 && g.block_of(cells[g.order[k]]) != g.block_of(cells[g.order[k - 1]]))
                    run_begin = k;
                place[g.order[k]][k - run_begin] += 1;
            }
        }
        // Every block holds agents (20 citizens and 4 cops on 36 cells, seed 7).
        const double orders = std::accumulate(block_orders.begin(), block_orders.end(), 0.0);
        REQUIRE(orders == kDays);
        double chi2 = 0;
        for (const double c : block_orders) chi2 += (c - kDays / 24.0) * (c - kDays / 24.0) / (kDays / 24.0);
        INFO("block orders: chi-square " << chi2 << " on 23 df");
        CHECK(chi2 < chi2_upper(23, 3.719));
        std::vector<std::uint32_t> members(4, 0);
        for (const std::uint32_t c : cells) ++members[g.block_of(c)];
        double within = 0, df = 0;
        for (std::size_t id = 0; id < cells.size(); ++id) {
            const std::uint32_t m = members[g.block_of(cells[id])];
            for (std::uint32_t k = 0; k < m; ++k) {
                const double e = static_cast<double>(kDays) / m;
                within += (place[id][k] - e) * (place[id][k] - e) / e;
            }
        }
        for (const std::uint32_t m : members) df += (m - 1.0) * (m - 1.0);
        INFO("places within blocks: chi-square " << within << " on " << df << " df");
        CHECK(within < chi2_upper(df, 3.719));
    }
    SECTION("moving agents act by the block of the cell they start the day on") {
        // Mesa's densities on 40 x 40 in blocks of 8, cops cut and reinforced on the way; the
        // grid's invariants hold every day, as they do under random-sequential activation.
        ScenarioSpec s = grid_region(40, 40, 1120, Neighbourhood::von_neumann, 7);
        s.regions[0].legitimacy = 0.7;
        s.civilians.activation = Activation::blocks;
        s.civilians.activation_block = 8;
        World w(s, 118);
        const CivilianGrid& g = *w.civ().grid(0);
        REQUIRE(g.blocks == 25);
        std::vector<std::uint32_t> cells;
        for (int d = 0; d < 60; ++d) {
            if (d == 20) w.set_patrol(0, 30);
            if (d == 40) w.set_patrol(0, 150);
            const bool same_cops = d != 0 && d != 20 && d != 40;  // sync_cops changes them
            cells = cells_now(g);
            w.day();
            if (same_cops) check_block_runs(g, cells);
            REQUIRE(sum_states(w.civ(), 0) == 1120);
            REQUIRE_NOTHROW(w.civ().check_invariants(true));
        }
        CHECK(w.n(CivState::detained) > 0);
    }
    SECTION("a side as large as the grid, or larger, makes one block") {
        ScenarioSpec s = grid_region(40, 40, 1120, Neighbourhood::von_neumann, 7);
        s.civilians.activation = Activation::blocks;
        s.civilians.activation_block = 40;
        World w(s, 118);
        CHECK(w.civ().grid(0)->blocks == 1);
        s.civilians.activation_block = 41;
        World v(s, 118);
        CHECK(v.civ().grid(0)->blocks == 1);
    }
}

TEST_CASE("conservation: every agent is in exactly one state every day", "[civilians]") {
    for (const bool grid : {false, true}) {
        ScenarioSpec s = grid ? grid_region(30, 30, 600, Neighbourhood::disk, 5)
                              : one_region(5000, 0.7, 0.5);
        s.regions[0].legitimacy = 0.6;
        s.params.set(P::civ_informant_rate, 0.02);
        s.params.set(P::civ_informant_quit, 0.05);
        World w(s, grid ? 25.0 : 40.0);
        const auto agents = w.civ().agents(0);
        REQUIRE(agents == (grid ? 600 : 5000));
        for (int d = 0; d < 150; ++d) {
            w.state.regions.legitimacy[0] = 0.6 + 0.3 * std::sin(d / 10.0);
            w.day();
            REQUIRE(sum_states(w.civ(), 0) == agents);
            REQUIRE_NOTHROW(w.civ().check_invariants(false));
            // Stocks are recorded in persons, flows too.
            REQUIRE(w.rec.get(Ind::civilians_quiet) + w.rec.get(Ind::supporters) +
                        w.rec.get(Ind::informants) + w.rec.get(Ind::civilians_detained) ==
                    static_cast<double>(agents));
        }
        // The run went through every state.
        CHECK(w.n(CivState::informant) > 0);
    }
}

TEST_CASE("stocks are recorded in persons: agents x scale", "[civilians]") {
    ScenarioSpec s = one_region(1e6, 0.0, 1.0);
    s.params.set(P::civ_hardship_spread, 0.0);
    s.civilians.scale = 250;
    World w(s, 0.0);
    REQUIRE(w.civ().agents(0) == 4000);
    w.day();
    CHECK(w.rec.get(Ind::supporters) == 1e6);
    CHECK(w.rec.get(Ind::supporters_country, 0) == 1e6);
    CHECK(w.rec.get(Ind::legitimacy_mean) == 0.0);
}

TEST_CASE("grid: cops follow patrol / scale; too many agents for the grid is an input error",
          "[civilians][grid]") {
    ScenarioSpec s = grid_region(10, 10, 50, Neighbourhood::von_neumann, 2);
    World w(s, 7.4);
    CHECK(w.civ().cops(0) == 7);
    w.set_patrol(0, 70);  // 50 cells are free: at most 50 cops
    w.day();
    CHECK(w.civ().cops(0) == 50);
    w.set_patrol(0, 2);
    w.day();
    CHECK(w.civ().cops(0) == 2);
    w.civ().check_invariants(true);

    ScenarioSpec bad = grid_region(10, 10, 101, Neighbourhood::von_neumann, 2);
    CHECK_THROWS_AS(World(bad, 0.0), InputError);
}

TEST_CASE("determinism: same seed, same agents and days; another seed differs", "[civilians]") {
    const auto run = [](bool grid, std::uint64_t seed) {
        ScenarioSpec s = grid ? grid_region(40, 40, 1120, Neighbourhood::von_neumann, 7)
                              : one_region(20000, 0.6, 0.5);
        s.params.set(P::civ_informant_rate, 0.01);
        World w(s, grid ? 64.0 : 100.0, seed);
        std::vector<std::int64_t> trace;
        for (int d = 0; d < 80; ++d) {
            w.day();
            for (int st = 0; st < 4; ++st) trace.push_back(w.n(static_cast<CivState>(st)));
        }
        for (std::int64_t i = 0; i < w.civ().total_agents(); ++i)
            trace.push_back(static_cast<std::int64_t>(w.civ().state(i)) * 100000 +
                            w.civ().jail_term(i));
        if (const auto* g = w.civ().grid(0))
            for (auto p : g->position) trace.push_back(p);
        return trace;
    };
    for (const bool grid : {false, true}) {
        INFO((grid ? "grid" : "mixed"));
        CHECK(run(grid, 11) == run(grid, 11));
        CHECK(run(grid, 11) != run(grid, 12));
    }
}

TEST_CASE("agent attributes: H ~ U(H0 - s, H0 + s) clipped, R ~ U(0,1)", "[civilians]") {
    ScenarioSpec s = one_region(20000, 0.5, 0.8);
    s.params.set(P::civ_hardship_spread, 0.3);
    World w(s, 0.0);
    double h_sum = 0, r_sum = 0;
    std::int64_t at_one = 0;
    for (std::int64_t i = 0; i < 20000; ++i) {
        const float h = w.civ().hardship(i), r = w.civ().risk_aversion(i);
        REQUIRE(h >= 0.5f);
        REQUIRE(h <= 1.0f);
        REQUIRE(r >= 0.0f);
        REQUIRE(r <= 1.0f);
        at_one += h == 1.0f ? 1 : 0;
        h_sum += h;
        r_sum += r;
    }
    // U(0.5, 1.1) clipped at 1: P(H = 1) = 1/6, E[H] = (5/6)(0.75) + 1/6 = 0.7917.
    // sd of H ~ 0.16, of the mean over 20,000 ~ 0.0012: 5 sd = 0.006. Count: sd ~ 53, 5 sd 265.
    CHECK(h_sum / 20000 == Approx(0.79167).margin(0.006));
    CHECK(std::abs(static_cast<double>(at_one) - 20000.0 / 6) < 265);
    CHECK(r_sum / 20000 == Approx(0.5).margin(0.0102));  // sd 0.289/sqrt(20000) = 0.002
}

TEST_CASE("storage stays within 16 bytes per civilian", "[civilians][perf]") {
    // hardship + risk aversion (float each), state (1 byte), jail term (2 bytes), and a 4-byte
    // cell index in grid regions.
    STATIC_REQUIRE(sizeof(float) * 2 + sizeof(CivState) + sizeof(std::uint16_t) +
                       sizeof(std::uint32_t) <=
                   16);
}
