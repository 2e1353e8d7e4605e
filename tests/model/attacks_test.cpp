// Attacks by active cells (model/attacks.hpp): rates, types, severities and their effects.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;

namespace {

const char* kBase = R"(
name: attacks_unit
start_date: 2019-02-01
horizon_days: 200
seed: 9
regions:
  - {id: a, country: iraq, population: 100000, terrain: urban}
forces:
  - {faction: police, strength: {a: 1000}, allocation: {patrol: 1}, replenish_per_day: 0.1}
fighters:
  - {region: a, count: 2000, mean_cell_size: 5, active_share: 1, experience: 0.5, funds: 20000}
)";

struct World {
    ScenarioSpec spec;
    ColumnLayout layout;
    Simulation sim;
    explicit World(std::vector<std::string> overrides = {}, const std::string& text = kBase)
        : spec(load_scenario_text(text, "attacks_unit.yaml", LoadOptions{std::move(overrides)})),
          layout(spec.countries),
          sim(spec, layout, 0) {}
    SimState& s() { return sim.state(); }
};

// Only one attack type: the others' weights at 0.
std::vector<std::string> only(const std::string& type) {
    std::vector<std::string> o = {"attacks.weight_kidnap_extortion=0", "attacks.weight_assassination=0",
                                  "attacks.weight_ambush=0", "attacks.weight_bombing=0", "attacks.experience_gain=0",
                                  "attacks.ambush_loss=0"};
    for (auto& x : o)
        if (x.find("weight_" + type + "=") != std::string::npos) x = "attacks.weight_" + type + "=1";
    return o;
}

}  // namespace

TEST_CASE("season and complacency factors", "[attacks]") {
    ParamSet p;
    const double A = p[P::attacks_season_amplitude];
    const Date peak = Date{2019, 1, 1}.plus_days(static_cast<long>(p[P::attacks_season_peak]) - 1);
    CHECK(Attacks::season(p, peak) == Approx(1 + A).epsilon(1e-6));
    CHECK(Attacks::season(p, peak.plus_days(183)) == Approx(1 - A).epsilon(1e-3));

    World w;
    auto& s = w.s();
    s.regions.pressure_memory[0] = 2.0;
    s.regions.pressure_felt[0] = 0.5;
    CHECK(Attacks::complacency(s, 0) == Approx(1 + p[P::attacks_complacency] * 0.75));
    s.regions.pressure_felt[0] = 3.0;
    CHECK(Attacks::complacency(s, 0) == 1.0);
}

TEST_CASE("the attack rate ignores size unless beta says otherwise", "[attacks]") {
    World flat, steep({"cells.attack_size_exponent=0.5"});
    const auto& cf = flat.s().cells;
    for (const CellId c : cf.in_region(0)) {
        const double a = flat.s().attacks.rate(flat.s(), c), b = steep.s().attacks.rate(steep.s(), c);
        CHECK(b == Approx(a * std::sqrt(cf.size(c))));
    }
    // Pressure lowers the rate: exp(-pressure_effect * pi).
    auto& s = flat.s();
    const CellId c = s.cells.in_region(0)[0];
    const double before = s.attacks.rate(s, c);
    s.regions.pressure_felt[0] += 1.0;
    s.regions.pressure_memory[0] += 1.0;
    CHECK(s.attacks.rate(s, c) < before);
}

TEST_CASE("cells feel a rise of pressure at once and learn a fall over learning_days",
          "[attacks]") {
    // The police leave on day 5 and come back on day 20 (force_change without a ramp).
    const std::string text = std::string(kBase) +
                             "events:\n"
                             "  - {kind: force_change, day: 5, faction: police, regions: [a], fraction: 0}\n"
                             "  - {kind: force_change, day: 20, faction: police, regions: [a], strength: 1000}\n";
    for (const double tau : {1.0, 10.0}) {
        INFO("learning_days " << tau);
        World w({"attacks.learning_days=" + std::to_string(tau)}, text);
        auto& s = w.s();
        for (int d = 0; d < 5; ++d) w.sim.step();
        const double before = s.regions.pressure[0];
        REQUIRE(before > 0);
        CHECK(s.regions.pressure_felt[0] == Approx(before));
        for (int k = 1; k <= 15; ++k) {  // days 5..19: pi = 0, felt = before (1 - 1/tau)^k
            w.sim.step();
            CHECK(s.regions.pressure[0] == 0.0);
            CHECK(s.regions.pressure_felt[0] == Approx(before * std::pow(1.0 - 1.0 / tau, k)).margin(1e-12));
        }
        w.sim.step();  // day 20: the police are back, felt at once
        CHECK(s.regions.pressure[0] > 0);
        CHECK(s.regions.pressure_felt[0] == s.regions.pressure[0]);
    }
}

TEST_CASE("severity scales with size and experience", "[attacks]") {
    World w(only("ambush"));
    auto& s = w.s();
    // The largest cell attacks 2000 times: mean severity = 0.8 x size x (0.5 + e).
    CellId c = s.cells.in_region(0)[0];
    for (const CellId x : s.cells.in_region(0))
        if (s.cells.size(x) > s.cells.size(c)) c = x;
    const double mu = s.spec.params[P::attacks_severity_ambush] * s.cells.size(c) * (0.5 + s.cells.experience_mean(c));
    Rng rng(1);
    double sum = 0;
    const int n = 2000;
    for (int i = 0; i < n; ++i) {
        // Keep the police at full strength: the drawn severity, not the force's depletion
        // (ambush losses are capped at the personnel present), is what is tested here.
        s.forces.strength[0][0] = 1e9;
        const auto out = s.attacks.attack(s, c, rng);
        CHECK(out.type == AttackType::ambush);
        sum += out.severity;
    }
    // Poisson: sd of the mean sqrt(mu / n); 4 sigma.
    CHECK(std::fabs(sum / n - mu) < 4 * std::sqrt(mu / n));
}

TEST_CASE("assassinations raise intimidation; ambushes cost the forces; kidnappings pay", "[attacks]") {
    {
        World w(only("assassination"));
        auto& s = w.s();
        Rng rng(2);
        double killed = 0;
        while (killed == 0) killed += s.attacks.attack(s, s.cells.in_region(0)[0], rng).severity;
        CHECK(s.regions.intimidation[0] == Approx(1 - std::pow(1 - s.spec.params[P::attacks_intimidation_per_killing], killed)));
    }
    {
        World w(only("ambush"));
        auto& s = w.s();
        Rng rng(3);
        double killed = 0;
        while (killed == 0) killed += s.attacks.attack(s, s.cells.in_region(0)[0], rng).severity;
        CHECK(s.forces.strength[0][0] == Approx(1000 - killed));
        CHECK(s.security.deficit(0, 0) == Approx(killed));
        w.sim.step();  // replenish 10% of the deficit (and whatever the day's ambushes cost)
        CHECK(s.security.deficit(0, 0) <= Approx(0.9 * killed + s.rec.get(Ind::killed_security)));
    }
    {
        World w(only("kidnap_extortion"));
        auto& s = w.s();
        Rng rng(4);
        const CellId c = s.cells.in_region(0)[0];
        const double funds = s.cells.funds(c);
        double hostages = 0;
        for (int i = 0; i < 50; ++i) hostages += s.attacks.attack(s, c, rng).severity;
        REQUIRE(hostages > 0);
        // Ransom 3000 x economy 0.5 for half the hostages, cost 100 an attack.
        CHECK(s.cells.funds(c) - funds + 50 * 100 > 0);
    }
}

TEST_CASE("ambushes can kill attackers and a whole cell", "[attacks]") {
    auto o = only("ambush");
    o.back() = "attacks.ambush_loss=1";
    World w(o);
    auto& s = w.s();
    Rng rng(5);
    const CellId c = s.cells.in_region(0)[0];
    const int size = s.cells.size(c);
    const auto out = s.attacks.attack(s, c, rng);
    CHECK(out.attackers_killed == size);
    CHECK_FALSE(s.cells.alive(c));
    CHECK(s.fighters.count(FighterStatus::dead) == size);
    s.cells.check_invariants(s.fighters);
}

TEST_CASE("every type occurs, only active cells attack, and each attack is an event row", "[attacks]") {
    World w({"attacks.rate=0.05"});
    auto& s = w.s();
    std::array<std::int64_t, kAttackTypes> by_type{};
    std::int64_t total = 0;
    for (int d = 0; d < 60; ++d) {
        w.sim.step();
        for (int t = 0; t < kAttackTypes; ++t) by_type[static_cast<std::size_t>(t)] += s.attacks.today(static_cast<AttackType>(t));
        total += s.attacks.today(0);
    }
    for (int t = 0; t < kAttackTypes; ++t) CHECK(by_type[static_cast<std::size_t>(t)] > 0);
    const auto res = w.sim.run();
    std::size_t rows = 0;
    for (std::size_t pos = res.events.find(",attack_"); pos != std::string::npos; pos = res.events.find(",attack_", pos + 1)) ++rows;
    CHECK(rows >= static_cast<std::size_t>(total));

    World quiet({"attacks.rate=0.05", "fighters[0].active_share=0", "cells.wake_rate=0"});
    for (int d = 0; d < 30; ++d) {
        quiet.sim.step();
        CHECK(quiet.s().attacks.today(0) == 0);
    }
}
