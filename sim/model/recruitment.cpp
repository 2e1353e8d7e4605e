// Membership flows of phase 4 (model-spec §5.3): rejoining, disengagement and recruitment.
// Rates are hazards (per day); a daily probability is 1 - exp(-hazard), so that the mean
// fighter count follows the rate equations of docs/model-fighters.md.
#include <algorithm>
#include <cmath>

#include "resurgence/model/cells.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kRejoin{"cells.rejoin"};
inline constexpr Purpose kDisengage{"cells.disengage"};
inline constexpr Purpose kRecruit{"cells.recruit"};

double probability(double hazard) { return -std::expm1(-std::max(0.0, hazard)); }
}  // namespace

double Cells::recruitment_drive(const SimState& state, int r) const {
    if (!state.spec.civilians.enabled) return 0.0;
    const ParamSet& p = state.spec.params;
    const double supporters =
        static_cast<double>(state.civilians.count(r, CivState::supporter)) * state.spec.civilians.scale;
    const double margin = state.civilians.supporter_margin(r);
    const std::int64_t F = state.fighters.at_large(r);
    double phi = 0, experience = 0;
    if (F > 0) {
        double funds = 0, exp = 0;
        for (const CellId c : in_region(r)) {
            funds += funds_[at(c)];
            exp += exp_sum_[at(c)];
        }
        const double per_fighter = funds / static_cast<double>(F);
        phi = per_fighter / (per_fighter + p[P::cells_funds_half]);
        experience = exp / static_cast<double>(F);
    }
    return p[P::cells_recruit_rate] * supporters * std::max(0.0, margin) *
           (1.0 + p[P::cells_recruit_funds_effect] * phi) *
           (1.0 + p[P::cells_recruit_experience_effect] * experience);
}

double Cells::recruitment_rate(const SimState& state, int r) const {
    const auto F = static_cast<double>(state.fighters.at_large(r));
    if (!(F > 0)) return 0.0;  // recruits come through members' networks
    return recruitment_drive(state, r) * F / (F + state.spec.params[P::cells_recruit_network]);
}

// Disengaged fighters rejoin as sleepers in their region: at cells.rejoin_rate, or at the
// higher cells.rejoin_rate_released after release or escape from detention (C10).
void Cells::rejoin(SimState& state) {
    const ParamSet& p = state.spec.params;
    auto& fighters = state.fighters;
    const auto list = fighters.listed(FighterStatus::disengaged);
    if (list.empty()) return;
    const double p_plain = probability(p[P::cells_rejoin_rate]);
    const double p_released = probability(p[P::cells_rejoin_rate_released]);
    Rng rng = state.seed.daily(kRejoin, state.day);
    // From the back: found() takes the fighter off the list by swapping the last entry (already
    // visited) into its place.
    for (std::size_t k = list.size(); k-- > 0;) {
        const FighterId f = fighters.listed(FighterStatus::disengaged)[k];
        const double pr = fighters.history(f) == DetentionHistory::none ? p_plain : p_released;
        if (rng.bernoulli(pr)) {
            found(fighters, f, CellMode::sleeper);
            ++flows_.rejoined;
        }
    }
}

// Each at-large fighter leaves the group with probability 1 - exp(-h), h = disengage_rate
// (1 + disengage_pressure pi) (F13): a binomial number per region, taken uniformly.
void Cells::disengage(SimState& state) {
    const ParamSet& p = state.spec.params;
    auto& fighters = state.fighters;
    for (int r = 0; r < fighters.regions(); ++r) {
        const std::int64_t F = fighters.at_large(r);
        if (F == 0) continue;
        const double pi = state.regions.pressure[static_cast<std::size_t>(r)];
        const double pr = probability(p[P::cells_disengage_rate] * (1.0 + p[P::cells_disengage_pressure] * pi));
        Rng rng = state.seed.daily(kDisengage, state.day, static_cast<std::uint64_t>(r));
        const auto k = rng.binomial(static_cast<std::uint64_t>(F), pr);
        for (std::uint64_t i = 0; i < k; ++i) {
            leave(fighters, fighters.random_at_large(r, rng), FighterStatus::disengaged);
            ++flows_.disengaged;
        }
    }
}

// A Poisson number of recruits a day (recruitment_rate). Each comes through a member's
// network: the recruiting cell is picked by size and pays recruit_cost as far as its funds
// go; the recruit starts as a sleeper with low experience, founding a singleton cell that
// coalescence then merges into the region's cells.
void Cells::recruit(SimState& state) {
    const ParamSet& p = state.spec.params;
    auto& fighters = state.fighters;
    const double cost = p[P::cells_recruit_cost];
    const auto experience = static_cast<float>(p[P::cells_recruit_experience]);
    for (int r = 0; r < fighters.regions(); ++r) {
        const double rate = recruitment_rate(state, r);
        if (!(rate > 0)) continue;
        Rng rng = state.seed.daily(kRecruit, state.day, static_cast<std::uint64_t>(r));
        const auto n = rng.poisson(rate);
        for (std::uint64_t i = 0; i < n; ++i) {
            const CellId via = random_by_size(fighters, r, rng);
            spend(via, cost);
            NewFighter nf;
            nf.origin = local_origin(r);
            nf.region = r;
            nf.experience = experience;
            create(fighters, nf, CellMode::sleeper);
            ++flows_.recruits;
        }
    }
}

}  // namespace resurgence
