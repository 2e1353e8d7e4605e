#include "resurgence/model/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "resurgence/core/error.hpp"
#include "resurgence/scenario/events.hpp"

namespace resurgence {

Simulation::Simulation(const ScenarioSpec& spec, const ColumnLayout& layout, int replication)
    : spec_(spec),
      recorder_(spec, layout, replication, spec.seed),
      state_(spec, RunSeed{spec.seed, static_cast<std::uint64_t>(replication)}, recorder_),
      events_by_day_(static_cast<std::size_t>(spec.horizon_days)) {
    for (const auto& e : spec.events)
        if (e->day() >= 0 && e->day() < spec.horizon_days)
            events_by_day_[static_cast<std::size_t>(e->day())].push_back(e.get());
    // Posture first so that agents are created seeing day 0's patrols (grid mode places cops).
    security_posture();
    if (spec.civilians.enabled) state_.civilians.init(spec, state_.seed, state_);
    init_insurgency(state_);  // fighters, cells, attacks, counter-insurgency (cells.cpp)
    init_detention(state_);   // sites and detainees, the region graph, crossings (detention.cpp)
}

// A day, in the order of model-spec §4. Each phase is a function of (state, spec, streams).
void Simulation::step() {
    recorder_.begin_day(state_.day);
    scheduled_events();    // 1. scenario levers falling on this day
    security_posture();    // 2. allocations, ramps, derived patrol/intelligence/presence
    civilians();           // 3. grievance, risk, support, informing
    cells();               // 4. coalescence/fragmentation, recruitment, funds
    movement();            // 5. relocation and border crossings
    attacks();             // 6. attacks by active cells
    counter_insurgency();  // 7. raids, arrests, strikes
    detention();           // 8. arrivals, escapes, releases
    legitimacy();          // 9. legitimacy and intimidation
    record();              // 10. stocks and flows
#if RESURGENCE_CHECKS
    if (spec_.checks) check_invariants();
#endif
    recorder_.end_day();
    ++state_.day;
}

ReplicationResult Simulation::run() {
    while (state_.day < spec_.horizon_days) step();
    return recorder_.finish();
}

void Simulation::scheduled_events() {
    for (const Event* e : events_by_day_[static_cast<std::size_t>(state_.day)]) e->apply(state_);
}

void Simulation::security_posture() {
    auto& fs = state_.forces;
    // Ramps (force_change): move strength a step toward the target, then retire finished ones.
    for (auto& ramp : fs.ramps) {
        if (ramp.days_left <= 0) continue;  // a free slot of the pool
        auto& strength = fs.strength[static_cast<std::size_t>(ramp.force)];
        for (std::size_t r = 0; r < strength.size(); ++r) {
            if (ramp.per_day[r] == 0.0) continue;
            const double before = strength[r];
            strength[r] = std::max(0.0, strength[r] + ramp.per_day[r]);
            state_.security.rescale_deficit(ramp.force, static_cast<int>(r), before, strength[r]);
        }
        --ramp.days_left;
    }
    // Reallocations between tasks (reallocate): effective shares = base shares moved.
    for (std::size_t f = 0; f < fs.allocation.size(); ++f) fs.effective[f] = fs.allocation[f];
    for (auto& re : fs.reallocations) {
        auto& eff = fs.effective[static_cast<std::size_t>(re.force)];
        const double moved = eff[static_cast<std::size_t>(re.from)] * re.fraction;
        eff[static_cast<std::size_t>(re.from)] -= moved;
        eff[static_cast<std::size_t>(re.to)] += moved;
        if (re.days_left > 0) --re.days_left;
    }
    std::erase_if(fs.reallocations, [](const Reallocation& r) { return r.days_left == 0; });

    // Derived per region: patrol personnel, their intelligence, effective presence S.
    const double w = spec_.params[P::civ_intel_weight];
    auto& rs = state_.regions;
    for (std::size_t r = 0; r < rs.patrol.size(); ++r) {
        double patrol = 0, intel = 0;
        for (std::size_t f = 0; f < fs.strength.size(); ++f) {
            const double p = fs.strength[f][r] * fs.effective[f][static_cast<std::size_t>(Task::patrol)];
            patrol += p;
            intel += p * fs.intelligence[f];
        }
        rs.patrol[r] = patrol;
        rs.intelligence[r] = patrol > 0 ? intel / patrol : 0.0;
        rs.presence[r] = patrol * (1.0 - w + w * rs.intelligence[r]);
    }
}

void Simulation::civilians() {
    if (spec_.civilians.enabled) state_.civilians.update(state_);
}

void Simulation::cells() { state_.cells.step(state_); }
void Simulation::movement() { state_.movement.step(state_); }  // arrivals, crossings, relocations
void Simulation::attacks() { state_.attacks.step(state_); }

void Simulation::counter_insurgency() {
    if (spec_.civilians.enabled) state_.civilians.arrest(state_);
    state_.security.step(state_);  // raids, indiscriminate arrests, air strikes, replenishment
}

void Simulation::detention() {
    if (spec_.civilians.enabled) state_.civilians.serve_terms(state_);
    state_.detention.step(state_);  // arrivals, escapes, raids on sites, repatriation
}

void Simulation::legitimacy() {
    // Relaxation toward the baseline L0 (model-spec §5.9); shocks move L (and L0 if permanent).
    const double rate = spec_.params[P::leg_relaxation];
    auto& rs = state_.regions;
    for (std::size_t r = 0; r < rs.legitimacy.size(); ++r)
        rs.legitimacy[r] += rate * (rs.legitimacy_base[r] - rs.legitimacy[r]);
}

void Simulation::record() {
    auto& rec = state_.rec;
    const auto& rs = state_.regions;
    double patrol = 0, pop = 0, leg = 0, intim = 0;
    for (std::size_t r = 0; r < rs.patrol.size(); ++r) {
        const double w = spec_.regions[r].population;
        patrol += rs.patrol[r];
        pop += w;
        leg += w * rs.legitimacy[r];
        intim += w * rs.intimidation[r];
    }
    rec.set(Ind::patrol_strength, patrol);
    rec.set(Ind::legitimacy_mean, pop > 0 ? leg / pop : 0.0);
    rec.set(Ind::intimidation_mean, pop > 0 ? intim / pop : 0.0);
    if (spec_.civilians.enabled) state_.civilians.record(state_);
    record_insurgency(state_);  // fighters, cells, attacks, security; regions.csv, cell_sizes.csv
    record_detention(state_);   // detention, movement, crossings (adds prison raids to attacks)
}

void Simulation::check_invariants() const {
    const auto& rs = state_.regions;
    for (std::size_t r = 0; r < rs.legitimacy.size(); ++r) {
        if (!(rs.legitimacy[r] >= 0.0 && rs.legitimacy[r] <= 1.0))
            throw InvariantViolation(fmt::format("day {}: legitimacy of region {} is {} (not in [0,1])",
                                                 state_.day, spec_.regions[r].id, rs.legitimacy[r]));
        if (!(rs.patrol[r] >= 0.0))
            throw InvariantViolation(fmt::format("day {}: negative patrol strength in region {}",
                                                 state_.day, spec_.regions[r].id));
    }
    if (spec_.civilians.enabled) {
        std::int64_t counted = 0;
        for (std::size_t r = 0; r < spec_.regions.size(); ++r)
            for (int s = 0; s < 4; ++s)
                counted += state_.civilians.count(static_cast<int>(r), static_cast<CivState>(s));
        if (counted != state_.civilians.total_agents())
            throw InvariantViolation(fmt::format(
                "day {}: civilians by state add up to {}, but {} agents exist", state_.day,
                counted, state_.civilians.total_agents()));
    }
    check_insurgency(state_);  // fighters by status = fighters ever created; cells vs members
    check_detention(state_);   // detainees by site = detained fighters; families; transit
}

}  // namespace resurgence
