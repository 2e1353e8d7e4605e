// Attacks by active cells (model-spec §5.6); see model/attacks.hpp and docs/model-fighters.md.
#include "resurgence/model/attacks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "resurgence/model/state.hpp"
#include "resurgence/output/indicators.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kAttack{"attacks"};

constexpr Ind kTypeIndicator[kAttackTypes] = {Ind::attacks_kidnap_extortion, Ind::attacks_assassination,
                                              Ind::attacks_ambush, Ind::attacks_bombing};

double supporter_share(const SimState& state, int r) {
    if (!state.spec.civilians.enabled) return 0.0;
    const double pop = state.spec.regions[static_cast<std::size_t>(r)].population;
    if (!(pop > 0)) return 0.0;
    return static_cast<double>(state.civilians.count(r, CivState::supporter)) * state.spec.civilians.scale / pop;
}

double informant_share(const SimState& state, int r) {
    if (!state.spec.civilians.enabled) return 0.0;
    const double pop = state.spec.regions[static_cast<std::size_t>(r)].population;
    if (!(pop > 0)) return 0.0;
    return static_cast<double>(state.civilians.count(r, CivState::informant)) * state.spec.civilians.scale / pop;
}

// Funds factor phi = f / (f + funds_half) for funds f per member.
double funds_factor(const SimState& state, const Cells& cells, CellId c) {
    const double per_member = cells.funds(c) / std::max(1, cells.size(c));
    return per_member / (per_member + state.spec.params[P::cells_funds_half]);
}

bool security_present(const SimState& state, int r) {
    const auto ri = static_cast<std::size_t>(r);
    for (const auto& s : state.forces.strength)
        if (s[ri] > 0) return true;
    return false;
}

int day_of_year(const Date& d) {
    return static_cast<int>(d.serial() - Date{d.year, 1, 1}.serial()) + 1;
}
}  // namespace

const char* name_of(AttackType t) noexcept {
    switch (t) {
        case AttackType::kidnap_extortion: return "kidnap_extortion";
        case AttackType::assassination: return "assassination";
        case AttackType::ambush: return "ambush";
        case AttackType::bombing: return "bombing";
    }
    return "?";
}

const char* event_name(AttackType t) noexcept {
    switch (t) {
        case AttackType::kidnap_extortion: return "attack_kidnap_extortion";
        case AttackType::assassination: return "attack_assassination";
        case AttackType::ambush: return "attack_ambush";
        case AttackType::bombing: return "attack_bombing";
    }
    return "attack";
}

void Attacks::init(const SimState& state) {
    today_.assign(state.spec.regions.size(), 0);
    by_type_.fill(0);
    day_ = -1;
}

void Attacks::begin_day(int day) {
    if (day == day_) return;
    std::fill(today_.begin(), today_.end(), 0);
    by_type_.fill(0);
    hostages_ = killed_civilians_ = killed_informants_ = killed_security_ = 0;
    killed_attackers_ = severity_max_ = 0;
    day_ = day;
}

double Attacks::season(const ParamSet& p, const Date& date) noexcept {
    const double phase = 2.0 * std::numbers::pi * (day_of_year(date) - p[P::attacks_season_peak]) / 365.25;
    return 1.0 + p[P::attacks_season_amplitude] * std::cos(phase);
}

double Attacks::complacency(const SimState& state, int r) noexcept {
    const auto ri = static_cast<std::size_t>(r);
    const double memory = state.regions.pressure_memory[ri];
    if (!(memory > 0)) return 1.0;
    const double drop = std::max(0.0, 1.0 - state.regions.pressure_felt[ri] / memory);
    return 1.0 + state.spec.params[P::attacks_complacency] * drop;
}

double Attacks::region_factor(const SimState& state, int r) {
    const ParamSet& p = state.spec.params;
    // The pressure the cells have learnt (equal to pi with attacks.learning_days = 1).
    const double pi = state.regions.pressure_felt[static_cast<std::size_t>(r)];
    return p[P::attacks_rate] * (1.0 + p[P::attacks_support_effect] * supporter_share(state, r)) *
           std::exp(-p[P::attacks_pressure_effect] * pi) * season(p, state.spec.date_of(state.day)) *
           complacency(state, r);
}

double Attacks::cell_factor(const SimState& state, CellId c) {
    const ParamSet& p = state.spec.params;
    const Cells& cells = state.cells;
    double f = (1.0 + p[P::attacks_funds_effect] * funds_factor(state, cells, c)) *
               (1.0 + p[P::attacks_experience_effect] * cells.experience_mean(c));
    const double beta = p[P::cells_attack_size_exponent];
    if (beta != 0.0) f *= std::pow(static_cast<double>(cells.size(c)), beta);
    return f;
}

double Attacks::rate(const SimState& state, CellId c) const {
    return region_factor(state, state.cells.region(c)) * cell_factor(state, c);
}

// Phase 6. Cells are walked from the back of each region's list: an ambush can kill a whole
// cell, and a dead cell's slot in the list is filled from the back (already visited).
void Attacks::step(SimState& state) {
    begin_day(state.day);
    Cells& cells = state.cells;
    for (int r = 0; r < static_cast<int>(today_.size()); ++r) {
        if (cells.count_active(r) == 0) continue;
        Rng rng = state.seed.daily(kAttack, state.day, static_cast<std::uint64_t>(r));
        const double base = region_factor(state, r);  // once per region and day
        for (std::size_t k = static_cast<std::size_t>(cells.count(r)); k-- > 0;) {
            const CellId c = cells.in_region(r)[k];
            if (cells.mode(c) != CellMode::active) continue;
            const auto n = rng.poisson(base * cell_factor(state, c));
            for (std::uint64_t a = 0; a < n && cells.alive(c); ++a) attack(state, c, rng);
        }
    }
}

AttackOutcome Attacks::attack(SimState& state, CellId c, Rng& rng) {
    begin_day(state.day);
    const ParamSet& p = state.spec.params;
    Cells& cells = state.cells;
    Fighters& fighters = state.fighters;
    const int r = cells.region(c);
    const auto ri = static_cast<std::size_t>(r);
    const int size = cells.size(c);
    const double e = cells.experience_mean(c);
    const double phi = funds_factor(state, cells, c);
    const std::uint64_t serial = cells.serial(c);

    // Type by weights that follow needs and targets (F05): money-short cells kidnap and extort,
    // informants draw assassins (F07, F10), patrols and checkpoints draw ambushes (V04, V05),
    // experienced and well-funded cells that can afford a car bomb bomb (V03).
    std::array<double, kAttackTypes> w{};
    w[0] = p[P::attacks_weight_kidnap] * (2.0 - phi);
    w[1] = p[P::attacks_weight_assassination] *
           (0.5 + std::min(1.0, informant_share(state, r) / p[P::attacks_informant_ref]));
    // No security personnel in the region, nobody to ambush.
    w[2] = security_present(state, r)
               ? p[P::attacks_weight_ambush] * (0.25 + std::min(1.0, CounterInsurgency::patrol_density(state, r)))
               : 0.0;
    w[3] = cells.funds(c) >= p[P::attacks_cost_bombing] ? p[P::attacks_weight_bombing] * e * phi : 0.0;
    const double total = w[0] + w[1] + w[2] + w[3];
    AttackOutcome out;
    double u = rng.uniform() * total;
    int t = 0;  // all weights 0 (every type switched off): a kidnapping
    while (total > 0 && t < kAttackTypes - 1 &&
           (u >= w[static_cast<std::size_t>(t)] || w[static_cast<std::size_t>(t)] == 0.0)) {
        u -= w[static_cast<std::size_t>(t)];
        ++t;
    }
    while (t > 0 && w[static_cast<std::size_t>(t)] == 0.0) --t;  // rounding at the last bin
    out.type = static_cast<AttackType>(t);
    out.attackers = size;

    // Severity: Poisson with mean (type severity) x size x (0.5 + e), so it scales with the
    // cell's size and experience and its tail follows the cell-size tail.
    constexpr P kSeverity[kAttackTypes] = {P::attacks_severity_kidnap, P::attacks_severity_assassination,
                                           P::attacks_severity_ambush, P::attacks_severity_bombing};
    constexpr P kCost[kAttackTypes] = {P::attacks_cost_kidnap, P::attacks_cost_assassination,
                                       P::attacks_cost_ambush, P::attacks_cost_bombing};
    const auto ti = static_cast<std::size_t>(t);
    out.severity = static_cast<double>(rng.poisson(p[kSeverity[ti]] * size * (0.5 + e)));
    cells.spend(c, p[kCost[ti]]);

    const double economy = std::clamp(1.0 - state.spec.regions[ri].hardship, 0.0, 1.0);
    switch (out.type) {
        case AttackType::kidnap_extortion: {
            hostages_ += out.severity;
            const auto paid = rng.binomial(static_cast<std::uint64_t>(out.severity), p[P::cells_ransom_paid]);
            cells.add_ransom(c, static_cast<double>(paid) * p[P::cells_ransom] * economy);
            break;
        }
        case AttackType::assassination: {
            // Each killing closes a fraction of the gap to full intimidation (F10), which cuts
            // informing through civilians.intimidation_effect.
            killed_informants_ += out.severity;
            double& intim = state.regions.intimidation[ri];
            intim = 1.0 - (1.0 - intim) * std::pow(1.0 - p[P::attacks_intimidation_per_killing], out.severity);
            break;
        }
        case AttackType::ambush: {
            // The losses the region's forces actually suffer (fewer than drawn when they
            // hold fewer): the row's severity and killed_security record those.
            out.severity = state.security.casualties(state, r, out.severity);
            killed_security_ += out.severity;
            // Return fire: each attacker dies with probability ambush_loss.
            const double loss = p[P::attacks_ambush_loss];
            if (loss > 0) {
                for (FighterId f = cells.first(c); f != kNoFighter;) {
                    const FighterId next = Cells::next(fighters, f);
                    if (rng.bernoulli(loss)) {
                        ++out.attackers_killed;
                        cells.leave(fighters, f, FighterStatus::dead);
                    }
                    f = next;
                }
                killed_attackers_ += out.attackers_killed;
            }
            break;
        }
        case AttackType::bombing: killed_civilians_ += out.severity; break;
    }

    // Survivors learn (experience moves toward 1); one who reaches leader_experience leads.
    if (cells.alive(c) && out.attackers_killed < size) {
        cells.reset_days_since_attack(c);
        const double gain = p[P::attacks_experience_gain];
        const auto lead = static_cast<float>(p[P::attacks_leader_experience]);
        if (gain > 0) {
            for (FighterId f = cells.first(c); f != kNoFighter; f = Cells::next(fighters, f)) {
                const float ef = fighters.experience(f);
                const auto updated = static_cast<float>(std::min(1.0, ef + gain * (1.0 - ef)));
                cells.set_experience(fighters, f, updated);
                if (updated >= lead && !fighters.leader(f)) cells.set_leader(fighters, f, true);
            }
        }
    }

    ++today_[ri];
    ++by_type_[ti];
    severity_max_ = std::max(severity_max_, out.severity);
    // events.csv: one row per attack; detail names the cell and its size (no allocation).
    char detail[48];
    const auto end = fmt::format_to_n(detail, sizeof detail, "cell{}_size{}", serial, size).out;
    state.rec.event(r, event_name(out.type), out.severity, 1,
                    std::string_view(detail, static_cast<std::size_t>(end - detail)));
    return out;
}

void Attacks::record(SimState& state) const {
    auto& rec = state.rec;
    const bool today = day_ == state.day;
    std::int64_t total = 0;
    for (int t = 0; t < kAttackTypes; ++t) {
        const double n = today ? static_cast<double>(by_type_[static_cast<std::size_t>(t)]) : 0.0;
        rec.set(kTypeIndicator[t], n);
        total += today ? by_type_[static_cast<std::size_t>(t)] : 0;
    }
    rec.set(Ind::attacks_total, static_cast<double>(total));
    for (std::size_t r = 0; r < today_.size(); ++r)
        rec.add(Ind::attacks_country, state.spec.regions[r].country_index, today ? static_cast<double>(today_[r]) : 0.0);
    rec.set(Ind::hostages, today ? hostages_ : 0.0);
    rec.set(Ind::killed_civilians, today ? killed_civilians_ : 0.0);
    rec.set(Ind::killed_informants, today ? killed_informants_ : 0.0);
    rec.set(Ind::killed_security, today ? killed_security_ : 0.0);
    rec.set(Ind::killed_attackers, today ? killed_attackers_ : 0.0);
    rec.set(Ind::attack_severity_max, today ? severity_max_ : 0.0);
}

}  // namespace resurgence
