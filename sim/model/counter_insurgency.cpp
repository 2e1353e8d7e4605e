// Counter-insurgency (model-spec §5.7, after Kress & Szechtman 2009); see
// model/counter_insurgency.hpp and docs/model-fighters.md.
#include "resurgence/model/counter_insurgency.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "resurgence/model/state.hpp"
#include "resurgence/output/indicators.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kRaid{"security.raid"};
inline constexpr Purpose kArrest{"security.indiscriminate"};
inline constexpr Purpose kStrike{"security.strike"};

double per_1000(const SimState& state, int r) {
    return std::max(1e-9, state.spec.regions[static_cast<std::size_t>(r)].population / 1000.0);
}

void lower_legitimacy(SimState& state, int r, double by) {
    double& L = state.regions.legitimacy[static_cast<std::size_t>(r)];
    L = std::clamp(L - by, 0.0, 1.0);
}
}  // namespace

void CounterInsurgency::init(const SimState& state) {
    regions_ = static_cast<int>(state.spec.regions.size());
    deficit_.assign(state.spec.forces.size(), std::vector<double>(static_cast<std::size_t>(regions_), 0.0));
    weights_.assign(static_cast<std::size_t>(regions_), 0.0);
}

double CounterInsurgency::deficit(int f, int r) const {
    return deficit_[static_cast<std::size_t>(f)][static_cast<std::size_t>(r)];
}

double CounterInsurgency::isr(const SimState& state, int r) {
    const double ref = state.spec.params[P::security_isr_ref];
    double sum = 0;
    for (std::size_t f = 0; f < state.forces.strength.size(); ++f)
        sum += state.forces.isr[f] * std::min(1.0, state.forces.strength[f][static_cast<std::size_t>(r)] / ref);
    return sum;
}

double CounterInsurgency::intelligence(const SimState& state, int r) {
    const ParamSet& p = state.spec.params;
    const auto ri = static_cast<std::size_t>(r);
    double informants = 0;
    if (state.spec.civilians.enabled) {
        const double share = static_cast<double>(state.civilians.count(r, CivState::informant)) *
                             state.spec.civilians.scale / state.spec.regions[ri].population;
        informants = std::min(1.0, share / p[P::security_informant_ref]);
    }
    const double w = p[P::security_informant_weight];
    return ((1.0 - w) * state.regions.intelligence[ri] + w * informants) * (1.0 + isr(state, r));
}

double CounterInsurgency::patrol_density(const SimState& state, int r) {
    const auto ri = static_cast<std::size_t>(r);
    const auto& reg = state.spec.regions[ri];
    return state.regions.patrol[ri] / per_1000(state, r) * (1.0 - reg.policing_difficulty) /
           state.spec.params[P::cells_pressure_ref];
}

void CounterInsurgency::step(SimState& state) {
    captures_ = kills_ = arrests_ = strikes_ = strike_kills_ = 0;
    collateral_ = replenished_ = 0;
    for (int r = 0; r < regions_; ++r)
        state.regions.intel_effective[static_cast<std::size_t>(r)] = intelligence(state, r);
    for (int r = 0; r < regions_; ++r) {
        raids(state, r);
        indiscriminate(state, r);
    }
    for (int f = 0; f < static_cast<int>(state.spec.forces.size()); ++f) air_strikes(state, f);
    // Intimidation fades over weeks (§5.9).
    const double decay = state.spec.params[P::attacks_intimidation_decay];
    for (auto& x : state.regions.intimidation) x *= 1.0 - decay;
    replenish(state);
}

// Targeted raids: each at-large fighter is taken with probability 1 - exp(-kappa I d), a
// sleeper with the hazard times sleeper_detection; killed with raid_kill_share, else detained.
void CounterInsurgency::raids(SimState& state, int r) {
    const ParamSet& p = state.spec.params;
    auto& fighters = state.fighters;
    if (fighters.at_large(r) == 0) return;
    const double h = p[P::security_raid_rate] * state.regions.intel_effective[static_cast<std::size_t>(r)] *
                     patrol_density(state, r);
    if (!(h > 0)) return;
    Rng rng = state.seed.daily(kRaid, state.day, static_cast<std::uint64_t>(r));
    const double kill = p[P::security_raid_kill_share];
    std::int64_t captured = 0, killed = 0;
    for (const auto& [status, hazard] : {std::pair{FighterStatus::active, h},
                                        std::pair{FighterStatus::sleeper, h * p[P::security_sleeper_detection]}}) {
        const auto k = rng.binomial(static_cast<std::uint64_t>(fighters.count(r, status)), -std::expm1(-hazard));
        for (std::uint64_t i = 0; i < k; ++i) {
            const FighterId f = fighters.random_in(r, status, rng);
            if (rng.bernoulli(kill)) {
                state.cells.leave(fighters, f, FighterStatus::dead);
                ++killed;
            } else {
                state.cells.leave(fighters, f, FighterStatus::detained);
                fighters.set_site(f, -1);  // no site until detention exists (issue 4)
                ++captured;
            }
        }
    }
    // One row per region and day and outcome, with the count.
    if (captured > 0) state.rec.event(r, "raid_capture", static_cast<double>(captured), static_cast<double>(captured));
    if (killed > 0) state.rec.event(r, "raid_kill", static_cast<double>(killed), static_cast<double>(killed));
    captures_ += captured;
    kills_ += killed;
}

// Indiscriminate arrests (S06): Poisson(rate d (1 - min(1, I)) pop / 1000) persons; each false
// arrest lowers legitimacy by false_arrest_legitimacy per 1000 residents.
void CounterInsurgency::indiscriminate(SimState& state, int r) {
    const ParamSet& p = state.spec.params;
    const double I = state.regions.intel_effective[static_cast<std::size_t>(r)];
    const double mean = p[P::security_indiscriminate_rate] * patrol_density(state, r) *
                        (1.0 - std::min(1.0, I)) * per_1000(state, r);
    if (!(mean > 0)) return;
    Rng rng = state.seed.daily(kArrest, state.day, static_cast<std::uint64_t>(r));
    const auto n = rng.poisson(mean);
    if (n == 0) return;
    lower_legitimacy(state, r, p[P::security_false_arrest_legitimacy] * static_cast<double>(n) / per_1000(state, r));
    arrests_ += static_cast<std::int64_t>(n);
    state.rec.event(r, "arrest_indiscriminate", static_cast<double>(n), static_cast<double>(n));
}

// Air strikes of faction f: Poisson(air_strikes_per_day) a day, each on a region where the
// faction has personnel (weight: fighters at large x (1 + I)), on a cell picked by size.
void CounterInsurgency::air_strikes(SimState& state, int f) {
    const double per_day = state.spec.forces[static_cast<std::size_t>(f)].air_strikes_per_day;
    if (!(per_day > 0)) return;
    const ParamSet& p = state.spec.params;
    auto& fighters = state.fighters;
    Rng rng = state.seed.daily(kStrike, state.day, static_cast<std::uint64_t>(f));
    const auto n = rng.poisson(per_day);
    const auto& strength = state.forces.strength[static_cast<std::size_t>(f)];
    for (std::uint64_t s = 0; s < n; ++s) {
        double total = 0;
        for (int r = 0; r < regions_; ++r) {
            const auto ri = static_cast<std::size_t>(r);
            weights_[ri] = strength[ri] > 0 ? static_cast<double>(fighters.at_large(r)) *
                                                  (1.0 + state.regions.intel_effective[ri])
                                            : 0.0;
            total += weights_[ri];
        }
        if (!(total > 0)) return;
        double u = rng.uniform() * total;
        int r = 0;
        while (r < regions_ - 1 && (u >= weights_[static_cast<std::size_t>(r)] || weights_[static_cast<std::size_t>(r)] == 0.0)) {
            u -= weights_[static_cast<std::size_t>(r)];
            ++r;
        }
        while (r > 0 && weights_[static_cast<std::size_t>(r)] == 0.0) --r;
        const CellId c = state.cells.random_by_size(fighters, r, rng);
        std::int64_t killed = 0;
        for (FighterId m = state.cells.first(c); m != kNoFighter;) {
            const FighterId next = Cells::next(fighters, m);
            if (rng.bernoulli(p[P::security_strike_kill])) {
                state.cells.leave(fighters, m, FighterStatus::dead);
                ++killed;
            }
            m = next;
        }
        // Collateral deaths (S05): with probability collateral_prob (1 - min(1, I) / 2), a
        // log-normal number (at least 1) of civilians, each lowering legitimacy.
        const double I = state.regions.intel_effective[static_cast<std::size_t>(r)];
        std::int64_t deaths = 0;
        if (rng.bernoulli(p[P::security_collateral_prob] * (1.0 - 0.5 * std::min(1.0, I)))) {
            const double x = p[P::security_collateral_median] * std::exp(p[P::security_collateral_sigma] * rng.normal());
            deaths = std::max<std::int64_t>(1, std::llround(std::min(x, 1e6)));
            lower_legitimacy(state, r, p[P::security_collateral_legitimacy] * static_cast<double>(deaths) / per_1000(state, r));
        }
        ++strikes_;
        strike_kills_ += killed;
        collateral_ += static_cast<double>(deaths);
        char detail[40];
        const auto end = fmt::format_to_n(detail, sizeof detail, "{}_collateral{}",
                                          state.spec.forces[static_cast<std::size_t>(f)].faction.size() < 16
                                              ? std::string_view(state.spec.forces[static_cast<std::size_t>(f)].faction)
                                              : std::string_view("force"),
                                          deaths)
                             .out;
        state.rec.event(r, "air_strike", static_cast<double>(killed), 1,
                        std::string_view(detail, static_cast<std::size_t>(end - detail)));
    }
}

double CounterInsurgency::casualties(SimState& state, int r, double killed) {
    if (!(killed > 0)) return 0.0;
    const auto ri = static_cast<std::size_t>(r);
    auto& fs = state.forces;
    // Losses fall on the factions in proportion to their patrols (or strength, if none patrol).
    double total = 0;
    bool by_patrol = true;
    for (std::size_t f = 0; f < fs.strength.size(); ++f)
        total += fs.strength[f][ri] * fs.effective[f][static_cast<std::size_t>(Task::patrol)];
    if (!(total > 0)) {
        by_patrol = false;
        for (std::size_t f = 0; f < fs.strength.size(); ++f) total += fs.strength[f][ri];
    }
    if (!(total > 0)) return 0.0;
    double lost = 0;
    for (std::size_t f = 0; f < fs.strength.size(); ++f) {
        const double weight = fs.strength[f][ri] * (by_patrol ? fs.effective[f][static_cast<std::size_t>(Task::patrol)] : 1.0);
        const double loss = std::min(fs.strength[f][ri], killed * weight / total);
        fs.strength[f][ri] -= loss;
        deficit_[f][ri] += loss;
        lost += loss;
    }
    return lost;
}

// A force_change sets a new nominal strength: the losses still to be replaced shrink or grow
// with the strength (a withdrawal to 0 cancels them), so that replenishment cannot bring back
// troops that were withdrawn.
void CounterInsurgency::rescale_deficit(int f, int r, double before, double after) {
    double& d = deficit_[static_cast<std::size_t>(f)][static_cast<std::size_t>(r)];
    d = before > 0 ? d * (after / before) : 0.0;
}

// Each faction refills replenish_per_day of its deficit (losses not yet replaced) a day.
void CounterInsurgency::replenish(SimState& state) {
    for (std::size_t f = 0; f < deficit_.size(); ++f) {
        const double rate = state.spec.forces[f].replenish_per_day;
        if (!(rate > 0)) continue;
        for (std::size_t r = 0; r < deficit_[f].size(); ++r) {
            const double add = rate * deficit_[f][r];
            state.forces.strength[f][r] += add;
            deficit_[f][r] -= add;
            replenished_ += add;
        }
    }
}

void CounterInsurgency::record(SimState& state) const {
    auto& rec = state.rec;
    rec.set(Ind::raid_captures, static_cast<double>(captures_));
    rec.set(Ind::raid_kills, static_cast<double>(kills_));
    rec.set(Ind::arrests_indiscriminate, static_cast<double>(arrests_));
    rec.add(Ind::arrests, static_cast<double>(arrests_));
    rec.set(Ind::air_strikes, static_cast<double>(strikes_));
    rec.set(Ind::strike_kills, static_cast<double>(strike_kills_));
    rec.set(Ind::collateral_deaths, collateral_);
    rec.set(Ind::security_replenished, replenished_);
    double strength = 0;
    for (const auto& s : state.forces.strength)
        for (const double x : s) strength += x;
    rec.set(Ind::security_strength, strength);
    double pop = 0, intel = 0, pressure = 0;
    for (std::size_t r = 0; r < state.spec.regions.size(); ++r) {
        const double w = state.spec.regions[r].population;
        pop += w;
        intel += w * state.regions.intel_effective[r];
        pressure += w * state.regions.pressure[r];
    }
    rec.set(Ind::intelligence_mean, pop > 0 ? intel / pop : 0.0);
    rec.set(Ind::pressure_mean, pop > 0 ? pressure / pop : 0.0);
}

}  // namespace resurgence
