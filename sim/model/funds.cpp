// Cell funds (model-spec §5.4): extortion and caches earned in phase 4. Ransoms are earned in
// attacks.cpp (kidnappings); spending goes through Cells::spend (attacks, recruitment, and the
// bribes and smuggler fees of movement, B04).
#include <algorithm>

#include "resurgence/model/cells.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kFunds{"cells.funds"};
}

// Extortion (F09): the region's supporters pay extortion_per_supporter x economy a day,
// economy = 1 - baseline hardship; the take is shared among the region's cells by size.
// Caches (F08): each cell digs one up with probability cache_find_rate a day and takes
// cache_share of what is still buried in the region.
void Cells::earn(SimState& state) {
    const ParamSet& p = state.spec.params;
    const auto& fighters = state.fighters;
    const double per_supporter = p[P::cells_extortion];
    const double find = p[P::cells_cache_find_rate];
    const double take = p[P::cells_cache_share];
    const bool civ = state.spec.civilians.enabled;
    for (int r = 0; r < fighters.regions(); ++r) {
        const auto ri = static_cast<std::size_t>(r);
        const std::int64_t F = fighters.at_large(r);
        if (F == 0) continue;
        const double supporters =
            civ ? static_cast<double>(state.civilians.count(r, CivState::supporter)) * state.spec.civilians.scale : 0.0;
        const double economy = std::clamp(1.0 - state.spec.regions[ri].hardship, 0.0, 1.0);
        const double extortion = per_supporter * supporters * economy;
        const double per_fighter = extortion / static_cast<double>(F);
        flows_.extortion += extortion;
        Rng rng = state.seed.daily(kFunds, state.day, ri);
        for (const CellId c : by_region_[ri]) {
            const auto i = at(c);
            funds_[i] += per_fighter * size_[i];
            if (caches_[ri] > 0 && rng.bernoulli(find)) {
                const double amount = take * caches_[ri];
                caches_[ri] -= amount;
                funds_[i] += amount;
                flows_.caches += amount;
            }
        }
    }
}

}  // namespace resurgence
