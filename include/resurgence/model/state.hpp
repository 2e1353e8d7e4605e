#pragma once
// The per-run state: everything a replication mutates, owned by one Simulation. Agents and
// regions are stored column-wise (one array per field) so that a day's update is a scan.
#include <array>
#include <cstdint>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/model/attacks.hpp"
#include "resurgence/model/border.hpp"
#include "resurgence/model/cells.hpp"
#include "resurgence/model/civilians.hpp"
#include "resurgence/model/counter_insurgency.hpp"
#include "resurgence/model/detention.hpp"
#include "resurgence/model/fighters.hpp"
#include "resurgence/model/movement.hpp"
#include "resurgence/output/recorder.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

// Region-level columns (index = region).
struct RegionState {
    std::vector<double> legitimacy;       // current L in [0,1]
    std::vector<double> legitimacy_base;  // L0 it relaxes toward (moved by permanent shocks)
    std::vector<double> intimidation;     // [0,1], raised by assassinations, decays
    std::vector<int> authority;           // index into SimState::authorities
    // Derived each day by the security posture phase:
    std::vector<double> patrol;        // personnel on patrol, all factions
    std::vector<double> intelligence;  // effective intelligence quality in [0,1]
    std::vector<double> presence;      // effective presence S = patrol * intel weighting
    // Fighters and counter-insurgency (sized by Cells::init; docs/model-fighters.md):
    std::vector<double> pressure;         // local security pressure pi (phase 4)
    std::vector<double> pressure_memory;  // moving average of pi (complacency, D4)
    std::vector<double> pressure_felt;    // pi as the cells have learnt it (attacks.learning_days)
    std::vector<double> split;            // leadership-split level in [0,1] (F12)
    std::vector<double> intel_effective;  // intelligence I with informants and ISR (phase 7)
    void resize(std::size_t n);
};

// A force change ramping a faction's strength toward a target. Ramps live in a pool sized at
// set-up (one slot per scheduled event, per_day sized to the regions), so that starting one in
// the daily loop allocates nothing; a slot with days_left <= 0 is free.
struct ForceRamp {
    int force = 0;
    std::vector<double> per_day;  // [region] change per day (0 where the ramp does not act)
    int days_left = 0;
};

// A temporary move of a share of a faction's personnel from one task to another.
struct Reallocation {
    int force = 0;
    Task from = Task::guard;
    Task to = Task::front;
    double fraction = 0;  // of the `from` share moved
    int days_left = 0;    // <0 = until the end of the run
};

struct ForceState {
    std::vector<std::vector<double>> strength;            // [force][region] personnel
    std::vector<std::array<double, kTasks>> allocation;   // [force] base shares by task
    std::vector<std::array<double, kTasks>> effective;    // [force] after reallocations
    std::vector<double> intelligence;                      // [force]
    std::vector<double> isr;                               // [force]
    std::vector<ForceRamp> ramps;
    std::vector<Reallocation> reallocations;
};

struct SimState {
    SimState(const ScenarioSpec& spec, RunSeed seed, Recorder& recorder);

    const ScenarioSpec& spec;
    RunSeed seed;
    Recorder& rec;
    int day = 0;
    std::vector<std::string> authorities;  // distinct authority names; new ones added by events
    RegionState regions;
    ForceState forces;
    Civilians civilians;
    Fighters fighters;
    Cells cells;
    Attacks attacks;
    CounterInsurgency security;
    Detention detention;  // sites, detainees, families (issue 4)
    Movement movement;    // trips along edges
    Border border;        // crossings

    [[nodiscard]] int authority_index(const std::string& name);  // adds when new (event setup)
};

}  // namespace resurgence
