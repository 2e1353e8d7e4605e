#include "resurgence/model/state.hpp"

#include <algorithm>

namespace resurgence {

void RegionState::resize(std::size_t n) {
    legitimacy.assign(n, 0.0);
    legitimacy_base.assign(n, 0.0);
    intimidation.assign(n, 0.0);
    authority.assign(n, 0);
    patrol.assign(n, 0.0);
    intelligence.assign(n, 0.0);
    presence.assign(n, 0.0);
}

SimState::SimState(const ScenarioSpec& s, RunSeed run_seed, Recorder& recorder)
    : spec(s), seed(run_seed), rec(recorder) {
    const std::size_t n = spec.regions.size();
    regions.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
        const auto& reg = spec.regions[r];
        regions.legitimacy[r] = reg.legitimacy;
        regions.legitimacy_base[r] = reg.legitimacy;
        regions.authority[r] = authority_index(reg.authority);
    }
    const std::size_t nf = spec.forces.size();
    forces.strength.resize(nf);
    forces.allocation.resize(nf);
    forces.effective.resize(nf);
    forces.intelligence.resize(nf);
    forces.isr.resize(nf);
    for (std::size_t f = 0; f < nf; ++f) {
        const auto& fs = spec.forces[f];
        forces.strength[f] = fs.strength;
        forces.allocation[f] = fs.allocation;
        forces.effective[f] = fs.allocation;
        forces.intelligence[f] = fs.intelligence;
        forces.isr[f] = fs.isr;
    }
    // Room for every event's ramp or reallocation at once: no growth in the daily loop.
    forces.ramps.assign(spec.events.size(), ForceRamp{});
    for (auto& ramp : forces.ramps) ramp.per_day.assign(spec.regions.size(), 0.0);
    forces.reallocations.reserve(spec.events.size());
}

int SimState::authority_index(const std::string& name) {
    const auto it = std::find(authorities.begin(), authorities.end(), name);
    if (it != authorities.end()) return static_cast<int>(it - authorities.begin());
    authorities.push_back(name);
    return static_cast<int>(authorities.size()) - 1;
}

}  // namespace resurgence
