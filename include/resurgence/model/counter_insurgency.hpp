#pragma once
// Security forces against the cells (model-spec §5.7; intelligence after Kress & Szechtman
// 2009): targeted raids, indiscriminate arrests, air strikes with collateral deaths, security
// casualties and replenishment. Implementation: sim/model/counter_insurgency.cpp; equations in
// docs/model-fighters.md.
//
//  - Intelligence I_r = ((1 - w) q_r + w min(1, informants_r / (pop_r * informant_ref)))
//    * (1 + ISR_r), q_r the forces' intelligence quality (phase 2) and
//    ISR_r = sum over factions of isr_f * min(1, strength_f,r / isr_ref).
//  - Patrol density d_r = 1000 patrol_r (1 - difficulty_r) / (pop_r * cells.pressure_ref).
//  - Raids: each at-large fighter is taken with probability 1 - exp(-kappa I d) (times
//    sleeper_detection for sleepers); killed with raid_kill_share, else detained (site -1
//    until detention sites exist, issue 4).
//  - Indiscriminate arrests: Poisson(rate d (1 - min(1, I)) pop / 1000) persons; each lowers
//    the region's legitimacy by false_arrest_legitimacy / (pop / 1000): grievance rises (S06).
//  - Air strikes: Poisson(air_strikes_per_day) per faction, on regions where it has personnel,
//    weighted by fighters there x (1 + I); the struck cell (picked by size) loses each member
//    with probability strike_kill; civilian deaths with probability collateral_prob
//    (1 - min(1, I) / 2), log-normal in number (S05), each lowering legitimacy.
//  - Casualties (from ambushes) come off the factions' strength in the region in proportion
//    to their patrols and become a deficit that replenish_per_day refills.
#include <cstdint>
#include <vector>

#include "resurgence/core/rng.hpp"

namespace resurgence {

struct SimState;

class CounterInsurgency {
public:
    void init(const SimState& state);
    // Phase 7, after the civilians' own arrests: raids, indiscriminate arrests, air strikes,
    // intimidation decay and replenishment.
    void step(SimState& state);
    // Security personnel killed in region r (ambushes): off strength, onto the deficit.
    // Takes up to `killed` personnel off the factions in region r (by patrols); returns how many
    // were actually lost (fewer when the region holds fewer).
    double casualties(SimState& state, int r, double killed);
    // A force_change moved faction f's strength in region r from `before` to `after`: the
    // outstanding losses to replace scale with it (to 0 for a withdrawal to 0).
    void rescale_deficit(int f, int r, double before, double after);

    // The rules as functions of the state (tests, attacks).
    [[nodiscard]] static double intelligence(const SimState& state, int r);
    [[nodiscard]] static double patrol_density(const SimState& state, int r);
    [[nodiscard]] static double isr(const SimState& state, int r);
    // Personnel lost and not yet replaced, faction f in region r.
    [[nodiscard]] double deficit(int f, int r) const;

    // Today's counts.
    [[nodiscard]] std::int64_t raid_captures() const noexcept { return captures_; }
    [[nodiscard]] std::int64_t raid_kills() const noexcept { return kills_; }
    [[nodiscard]] std::int64_t false_arrests() const noexcept { return arrests_; }
    [[nodiscard]] std::int64_t strikes() const noexcept { return strikes_; }

    void record(SimState& state) const;

private:
    void raids(SimState& state, int r);
    void indiscriminate(SimState& state, int r);
    void air_strikes(SimState& state, int f);
    void replenish(SimState& state);

    int regions_ = 0;
    std::vector<std::vector<double>> deficit_;  // [force][region]
    std::int64_t captures_ = 0, kills_ = 0, arrests_ = 0, strikes_ = 0, strike_kills_ = 0;
    double collateral_ = 0, replenished_ = 0;
    std::vector<double> weights_;  // air-strike region weights (sized at init)
};

}  // namespace resurgence
