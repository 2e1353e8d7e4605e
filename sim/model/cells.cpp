// Cells (model-spec §5.2): the store and its membership operations, coalescence and
// fragmentation (Bohorquez et al. 2009), sleeper/active switching, the insurgency's set-up,
// records and checks. Recruitment is in recruitment.cpp, funds in funds.cpp.
#include "resurgence/model/cells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "resurgence/core/error.hpp"
#include "resurgence/model/state.hpp"
#include "resurgence/output/indicators.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kInit{"cells.init"};
inline constexpr Purpose kCoalesce{"cells.coalesce"};
inline constexpr Purpose kMode{"cells.mode"};

constexpr FighterStatus status_of(CellMode m) {
    return m == CellMode::active ? FighterStatus::active : FighterStatus::sleeper;
}

// Fighters reserved for at the start: the initial ones, room for recruits to double them, and
// a floor for small scenarios. Going beyond costs an amortised reallocation, nothing else.
std::size_t initial_capacity(std::size_t initial) { return std::max<std::size_t>(2 * initial + 4096, 16384); }
}  // namespace

// ---- store ----------------------------------------------------------------------------------

CellId Cells::new_cell(int region, CellMode mode) {
    CellId c;
    if (!free_.empty()) {
        c = free_.back();
        free_.pop_back();
    } else {
        c = static_cast<CellId>(size_.size());
        region_.push_back(0);
        size_.push_back(0);
        head_.push_back(kNoFighter);
        mode_.push_back(CellMode::sleeper);
        funds_.push_back(0);
        exp_sum_.push_back(0);
        leaders_.push_back(0);
        days_since_attack_.push_back(0);
        slot_.push_back(-1);
        serial_.push_back(0);
    }
    const auto i = at(c);
    region_[i] = region;
    size_[i] = 0;
    head_[i] = kNoFighter;
    mode_[i] = mode;
    funds_[i] = 0;
    exp_sum_[i] = 0;
    leaders_[i] = 0;
    days_since_attack_[i] = 0;
    serial_[i] = next_serial_++;
    auto& list = by_region_[static_cast<std::size_t>(region)];
    slot_[i] = static_cast<std::int32_t>(list.size());
    list.push_back(c);
    if (mode == CellMode::active) ++active_[static_cast<std::size_t>(region)];
    ++live_;
    return c;
}

void Cells::kill_cell(CellId c) {
    const auto i = at(c);
    auto& list = by_region_[static_cast<std::size_t>(region_[i])];
    const auto s = static_cast<std::size_t>(slot_[i]);
    const CellId last = list.back();
    list[s] = last;
    slot_[at(last)] = static_cast<std::int32_t>(s);
    list.pop_back();
    if (mode_[i] == CellMode::active) --active_[static_cast<std::size_t>(region_[i])];
    size_[i] = 0;
    head_[i] = kNoFighter;
    funds_[i] = 0;
    exp_sum_[i] = 0;
    leaders_[i] = 0;
    slot_[i] = -1;
    free_.push_back(c);
    --live_;
}

void Cells::link_front(Fighters& fighters, FighterId id, CellId c) {
    const auto f = static_cast<std::size_t>(id);
    const auto i = at(c);
    fighters.next_[f] = head_[i];
    fighters.prev_[f] = kNoFighter;
    if (head_[i] != kNoFighter) fighters.prev_[static_cast<std::size_t>(head_[i])] = id;
    head_[i] = id;
    fighters.cell_[f] = c;
    ++size_[i];
    exp_sum_[i] += fighters.experience_[f];
    leaders_[i] += fighters.leader_[f];
}

CellId Cells::found(Fighters& fighters, FighterId id, CellMode mode) {
    if (fighters.cell(id) >= 0 || fighters.status(id) == FighterStatus::dead)
        throw InvariantViolation(fmt::format(
            "cells: fighter {} cannot found a cell ({}, in cell {})", id,
            name_of(fighters.status(id)), fighters.cell(id)));
    const int r = fighters.region(id);
    const CellId c = new_cell(r, mode);
    link_front(fighters, id, c);
    fighters.move(id, status_of(mode), r);
    return c;
}

CellId Cells::create(Fighters& fighters, const NewFighter& f, CellMode mode) {
    NewFighter nf = f;
    nf.status = status_of(mode);
    const FighterId id = fighters.add(nf);
    const CellId c = new_cell(nf.region, mode);
    link_front(fighters, id, c);
    return c;
}

void Cells::join(Fighters& fighters, FighterId id, CellId c) {
    if (fighters.cell(id) >= 0 || fighters.status(id) == FighterStatus::dead || !alive(c))
        throw InvariantViolation(fmt::format("cells: fighter {} ({}, in cell {}) cannot join cell {}",
                                             id, name_of(fighters.status(id)), fighters.cell(id), c));
    link_front(fighters, id, c);
    fighters.move(id, status_of(mode_[at(c)]), region_[at(c)]);
}

void Cells::leave(Fighters& fighters, FighterId id, FighterStatus to) {
    const CellId c = fighters.cell(id);
    if (c < 0 || to == FighterStatus::active || to == FighterStatus::sleeper)
        throw InvariantViolation(fmt::format("cells: fighter {} (cell {}) cannot leave to {}", id, c,
                                             name_of(to)));
    const auto f = static_cast<std::size_t>(id);
    const auto i = at(c);
    const FighterId prev = fighters.prev_[f], next = fighters.next_[f];
    if (prev != kNoFighter) fighters.next_[static_cast<std::size_t>(prev)] = next;
    else head_[i] = next;
    if (next != kNoFighter) fighters.prev_[static_cast<std::size_t>(next)] = prev;
    fighters.next_[f] = kNoFighter;
    fighters.prev_[f] = kNoFighter;
    fighters.cell_[f] = -1;
    --size_[i];
    exp_sum_[i] -= fighters.experience_[f];
    leaders_[i] -= fighters.leader_[f];
    fighters.move(id, to, fighters.region(id));
    if (size_[i] == 0) {
        // The last member takes the cell's money on the road; detention or death seizes it.
        if (to == FighterStatus::in_transit || to == FighterStatus::disengaged)
            fighters.funds_[f] += static_cast<float>(funds_[i]);
        kill_cell(c);
    }
}

CellId Cells::merge(Fighters& fighters, CellId a, CellId b) {
    if (a == b || !alive(a) || !alive(b) || region_[at(a)] != region_[at(b)])
        throw InvariantViolation(fmt::format("cells: cannot merge cells {} and {}", a, b));
    const CellId big = size_[at(a)] >= size_[at(b)] ? a : b;
    const CellId small = big == a ? b : a;
    const auto B = at(big), S = at(small);
    const bool relabel_status = mode_[B] != mode_[S];
    const FighterStatus st = status_of(mode_[B]);
    const int r = region_[B];
    // Relabel the smaller cell's members (union by size) and find its tail.
    FighterId tail = kNoFighter;
    for (FighterId f = head_[S]; f != kNoFighter; f = fighters.next_[static_cast<std::size_t>(f)]) {
        fighters.cell_[static_cast<std::size_t>(f)] = big;
        if (relabel_status) fighters.move(f, st, r);
        tail = f;
    }
    // Splice: small's list in front of big's.
    fighters.next_[static_cast<std::size_t>(tail)] = head_[B];
    fighters.prev_[static_cast<std::size_t>(head_[B])] = tail;
    head_[B] = head_[S];
    size_[B] += size_[S];
    exp_sum_[B] += exp_sum_[S];
    leaders_[B] += leaders_[S];
    funds_[B] += funds_[S];
    days_since_attack_[B] = std::min(days_since_attack_[B], days_since_attack_[S]);
    kill_cell(small);
    return big;
}

void Cells::fragment(Fighters& fighters, CellId c) {
    const auto i = at(c);
    const int s = size_[i];
    if (s <= 1) return;
    const double share = funds_[i] / s;
    const int days = days_since_attack_[i];
    const CellMode mode = mode_[i];
    const int r = region_[i];
    const FighterId first = head_[i];
    FighterId f = fighters.next_[static_cast<std::size_t>(first)];
    // The head keeps the cell; every other member founds a singleton of the same mode.
    fighters.next_[static_cast<std::size_t>(first)] = kNoFighter;
    size_[i] = 1;
    exp_sum_[i] = fighters.experience_[static_cast<std::size_t>(first)];
    leaders_[i] = fighters.leader_[static_cast<std::size_t>(first)];
    funds_[i] = share;
    while (f != kNoFighter) {
        const FighterId next = fighters.next_[static_cast<std::size_t>(f)];
        const CellId nc = new_cell(r, mode);
        days_since_attack_[at(nc)] = days;
        funds_[at(nc)] = share;
        link_front(fighters, f, nc);
        f = next;
    }
}

void Cells::set_mode(Fighters& fighters, CellId c, CellMode mode) {
    const auto i = at(c);
    if (mode_[i] == mode) return;
    auto& active = active_[static_cast<std::size_t>(region_[i])];
    active += mode == CellMode::active ? 1 : -1;
    mode_[i] = mode;
    const FighterStatus st = status_of(mode);
    for (FighterId f = head_[i]; f != kNoFighter; f = fighters.next_[static_cast<std::size_t>(f)])
        fighters.move(f, st, region_[i]);
}

void Cells::set_experience(Fighters& fighters, FighterId id, float e) {
    const auto f = static_cast<std::size_t>(id);
    const CellId c = fighters.cell_[f];
    if (c >= 0) exp_sum_[at(c)] += static_cast<double>(e) - fighters.experience_[f];
    fighters.experience_[f] = e;
}

void Cells::set_leader(Fighters& fighters, FighterId id, bool leader) {
    const auto f = static_cast<std::size_t>(id);
    const CellId c = fighters.cell_[f];
    const std::uint8_t v = leader ? 1 : 0;
    if (c >= 0) leaders_[at(c)] += v - fighters.leader_[f];
    fighters.leader_[f] = v;
}

double Cells::spend(CellId c, double usd) {
    const double paid = std::clamp(usd, 0.0, funds_[at(c)]);
    funds_[at(c)] -= paid;
    flows_.spending += paid;
    return paid;
}

CellId Cells::random_by_size(const Fighters& fighters, int r, Rng& rng) const {
    const FighterId f = fighters.random_at_large(r, rng);
    return f == kNoFighter ? kNoCell : fighters.cell(f);
}

double Cells::region_funds(int r) const {
    double sum = 0;
    for (const CellId c : in_region(r)) sum += funds_[at(c)];
    return sum;
}

// ---- rules ----------------------------------------------------------------------------------

double Cells::fragmentation_probability(const ParamSet& p, double pressure, double split,
                                        bool leaderless) noexcept {
    double nu = p[P::cells_nu] * (1.0 + p[P::cells_nu_pressure] * pressure) *
                (1.0 + p[P::cells_nu_split] * split);
    if (leaderless) nu *= p[P::cells_leaderless_factor];
    return std::clamp(nu, 0.0, 1.0);
}

double Cells::pressure(const SimState& state, int r) {
    const auto ri = static_cast<std::size_t>(r);
    const auto& reg = state.spec.regions[ri];
    if (!(reg.population > 0)) return 0.0;
    const double per_1000 = 1000.0 * std::max(0.0, state.regions.presence[ri]) / reg.population;
    return per_1000 * (1.0 - reg.policing_difficulty) / state.spec.params[P::cells_pressure_ref];
}

void Cells::update_pressure(SimState& state) {
    const ParamSet& p = state.spec.params;
    const double memory = 1.0 / p[P::attacks_complacency_memory];
    const double learn = 1.0 / p[P::attacks_learning_days];
    const double baseline = p[P::cells_leadership_split];
    const double decay = p[P::cells_split_decay];
    auto& rs = state.regions;
    for (std::size_t r = 0; r < rs.pressure.size(); ++r) {
        rs.pressure[r] = pressure(state, static_cast<int>(r));
        rs.pressure_memory[r] += memory * (rs.pressure[r] - rs.pressure_memory[r]);
        // Raids are felt at once; the room a fall of pressure leaves is learnt over time (D4).
        double& felt = rs.pressure_felt[r];
        // (learn = 1 is pi itself, exactly: felt + (pi - felt) can differ from pi in rounding.)
        felt = rs.pressure[r] >= felt || learn >= 1.0 ? rs.pressure[r]
                                                      : felt + learn * (rs.pressure[r] - felt);
        rs.split[r] += decay * (baseline - rs.split[r]);
    }
}

// Bohorquez et al. (2009): events at rate cf_rate per fighter; each picks a cell with
// probability proportional to its size (the cell of a uniformly random fighter); with
// probability nu it shatters into singletons, otherwise it merges with a second cell picked
// the same way (no event when the second pick is the same cell, as in Eguiluz & Zimmermann
// 2000's finite-N model).
void Cells::coalesce_fragment(SimState& state) {
    const ParamSet& p = state.spec.params;
    const double rate = p[P::cells_cf_rate];
    if (!(rate > 0)) return;
    auto& fighters = state.fighters;
    for (int r = 0; r < fighters.regions(); ++r) {
        const std::int64_t F = fighters.at_large(r);
        if (F < 2) continue;
        Rng rng = state.seed.daily(kCoalesce, state.day, static_cast<std::uint64_t>(r));
        const auto events = rng.poisson(rate * static_cast<double>(F));
        const double pi = state.regions.pressure[static_cast<std::size_t>(r)];
        const double split = state.regions.split[static_cast<std::size_t>(r)];
        const double nu_led = fragmentation_probability(p, pi, split, false);
        const double nu_leaderless = fragmentation_probability(p, pi, split, true);
        for (std::uint64_t e = 0; e < events; ++e) {
            const CellId i = random_by_size(fighters, r, rng);
            const double nu = leaders_[at(i)] > 0 ? nu_led : nu_leaderless;
            if (rng.bernoulli(nu)) {
                if (size_[at(i)] > 1) {
                    fragment(fighters, i);
                    ++flows_.fragmentations;
                }
                continue;
            }
            const CellId j = random_by_size(fighters, r, rng);
            if (j == i) continue;
            merge(fighters, i, j);
            ++flows_.coalescences;
        }
    }
}

// Cells wake as local pressure falls and go quiet under pressure (F06, F07): per day a sleeper
// cell wakes with probability wake_rate exp(-wake_pressure pi) and an active one goes quiet
// with probability sleep_rate + sleep_pressure pi.
void Cells::switch_modes(SimState& state) {
    const ParamSet& p = state.spec.params;
    auto& fighters = state.fighters;
    for (int r = 0; r < fighters.regions(); ++r) {
        const auto& list = by_region_[static_cast<std::size_t>(r)];
        if (list.empty()) continue;
        // Cells wake and go quiet on the pressure they have learnt (pi itself with the default
        // attacks.learning_days = 1): a withdrawal is exploited as it is learnt (D4).
        const double pi = state.regions.pressure_felt[static_cast<std::size_t>(r)];
        const double wake = std::clamp(p[P::cells_wake_rate] * std::exp(-p[P::cells_wake_pressure] * pi), 0.0, 1.0);
        const double sleep = std::clamp(p[P::cells_sleep_rate] + p[P::cells_sleep_pressure] * pi, 0.0, 1.0);
        Rng rng = state.seed.daily(kMode, state.day, static_cast<std::uint64_t>(r));
        for (const CellId c : list) {
            const auto i = at(c);
            ++days_since_attack_[i];
            if (mode_[i] == CellMode::sleeper) {
                if (rng.bernoulli(wake)) set_mode(fighters, c, CellMode::active);
            } else if (rng.bernoulli(sleep)) {
                set_mode(fighters, c, CellMode::sleeper);
            }
        }
    }
}

void Cells::step(SimState& state) {
    flows_ = CellFlows{};
    update_pressure(state);
    earn(state);
    coalesce_fragment(state);
    switch_modes(state);
    rejoin(state);
    disengage(state);
    recruit(state);
}

// ---- set-up ---------------------------------------------------------------------------------

Origin Cells::local_origin(int region) const { return origin_of_region_[static_cast<std::size_t>(region)]; }

void Cells::init(SimState& state) {
    const ScenarioSpec& spec = state.spec;
    const ParamSet& p = spec.params;
    const std::size_t R = spec.regions.size();
    auto& rs = state.regions;
    rs.pressure.assign(R, 0.0);
    rs.pressure_memory.assign(R, 0.0);
    rs.pressure_felt.assign(R, 0.0);
    rs.split.assign(R, p[P::cells_leadership_split]);
    rs.intel_effective.assign(R, 0.0);
    for (std::size_t r = 0; r < R; ++r) {
        rs.pressure[r] = pressure(state, static_cast<int>(r));
        rs.pressure_memory[r] = rs.pressure[r];
        rs.pressure_felt[r] = rs.pressure[r];
    }

    std::size_t initial = 0;
    for (const auto& g : spec.fighters) initial += static_cast<std::size_t>(std::llround(std::max(0.0, g.count)));
    const std::size_t cap = initial_capacity(initial);
    state.fighters.init(static_cast<int>(R), cap);
    by_region_.assign(R, {});
    for (auto& l : by_region_) l.reserve(cap);
    active_.assign(R, 0);
    caches_.assign(R, 0.0);
    for (auto* v : {&region_, &size_, &leaders_, &days_since_attack_, &slot_}) v->clear(), v->reserve(cap);
    head_.clear(), head_.reserve(cap);
    mode_.clear(), mode_.reserve(cap);
    funds_.clear(), funds_.reserve(cap);
    exp_sum_.clear(), exp_sum_.reserve(cap);
    serial_.clear(), serial_.reserve(cap);
    free_.clear(), free_.reserve(cap);
    sizes_.clear(), sizes_.reserve(cap);
    recount_.assign(std::max<std::size_t>(R, 1), 0);
    next_serial_ = 0;
    live_ = 0;
    flows_ = CellFlows{};

    // Local recruits' origin: the region's country when it is Iraq or Syria, else the origin
    // most common among the fighters placed there (else Iraqi).
    origin_of_region_.assign(R, Origin::iraqi);
    for (std::size_t r = 0; r < R; ++r) {
        const std::string& country = spec.regions[r].country;
        if (country.find("iraq") != std::string::npos) continue;
        if (country.find("syria") != std::string::npos) {
            origin_of_region_[r] = Origin::syrian;
            continue;
        }
        std::array<double, kOrigins> w{};
        for (const auto& g : spec.fighters)
            if (static_cast<std::size_t>(g.region) == r)
                for (int o = 0; o < kOrigins; ++o) w[static_cast<std::size_t>(o)] += g.count * g.origin_share[static_cast<std::size_t>(o)];
        origin_of_region_[r] = static_cast<Origin>(std::max_element(w.begin(), w.end()) - w.begin());
    }

    // Initial groups: cells of geometric sizes with the group's mean (P(s) = q (1-q)^(s-1),
    // q = 1 / mean), each active with probability active_share; coalescence-fragmentation
    // then relaxes the sizes toward its own steady state (docs/model-fighters.md).
    const double carry = p[P::cells_carry_share];
    auto& fighters = state.fighters;
    for (std::size_t g = 0; g < spec.fighters.size(); ++g) {
        const auto& grp = spec.fighters[g];
        if (grp.region < 0 || static_cast<std::size_t>(grp.region) >= R) continue;
        Rng rng = state.seed.stream(kInit, g);
        auto remaining = static_cast<std::int64_t>(std::llround(std::max(0.0, grp.count)));
        caches_[static_cast<std::size_t>(grp.region)] += p[P::cells_cache_per_fighter] * static_cast<double>(remaining);
        const double q = 1.0 / std::max(1.0, grp.mean_cell_size);
        const double lo = std::max(0.0, 2 * grp.experience - 1), hi = std::min(1.0, 2 * grp.experience);
        while (remaining > 0) {
            std::int64_t s = 1;
            if (q < 1.0) {
                const double u = 1.0 - rng.uniform();  // (0, 1]
                s += static_cast<std::int64_t>(std::floor(std::log(u) / std::log1p(-q)));
            }
            s = std::min(s, remaining);
            const CellMode mode = rng.bernoulli(grp.active_share) ? CellMode::active : CellMode::sleeper;
            CellId c = kNoCell;
            for (std::int64_t k = 0; k < s; ++k) {
                NewFighter nf;
                double u = rng.uniform(), acc = 0;
                nf.origin = Origin::foreign_other;
                for (int o = 0; o < kOrigins; ++o) {
                    acc += grp.origin_share[static_cast<std::size_t>(o)];
                    if (u < acc) {
                        nf.origin = static_cast<Origin>(o);
                        break;
                    }
                }
                nf.region = grp.region;
                // Uniform with the group's mean, within [0,1].
                nf.experience = static_cast<float>(rng.uniform(lo, hi));
                nf.leader = rng.bernoulli(grp.leader_share);
                nf.funds = static_cast<float>(carry * grp.funds);
                if (c == kNoCell) {
                    c = create(fighters, nf, mode);
                } else {
                    nf.status = status_of(mode);
                    link_front(fighters, fighters.add(nf), c);
                }
            }
            funds_[at(c)] += (1.0 - carry) * grp.funds * static_cast<double>(s);
            remaining -= s;
        }
    }
}

// ---- records ----------------------------------------------------------------------------------

void Cells::record(SimState& state) {
    auto& rec = state.rec;
    const auto& fighters = state.fighters;
    rec.set(Ind::fighters_active, static_cast<double>(fighters.count(FighterStatus::active)));
    rec.set(Ind::fighters_sleeper, static_cast<double>(fighters.count(FighterStatus::sleeper)));
    rec.set(Ind::fighters_in_transit, static_cast<double>(fighters.count(FighterStatus::in_transit)));
    rec.set(Ind::fighters_detained, static_cast<double>(fighters.count(FighterStatus::detained)));
    rec.set(Ind::fighters_dead, static_cast<double>(fighters.count(FighterStatus::dead)));
    rec.set(Ind::fighters_disengaged, static_cast<double>(fighters.count(FighterStatus::disengaged)));
    rec.set(Ind::fighters_created, static_cast<double>(fighters.size()));
    for (int r = 0; r < fighters.regions(); ++r)
        rec.add(Ind::fighters_at_large_country, state.spec.regions[static_cast<std::size_t>(r)].country_index,
                static_cast<double>(fighters.at_large(r) + fighters.count(r, FighterStatus::in_transit)));

    double funds = 0, exp = 0, caches = 0;
    std::int64_t leaders = 0, active = 0, max_size = 0;
    for (std::size_t r = 0; r < by_region_.size(); ++r) {
        caches += caches_[r];
        active += active_[r];
        for (const CellId c : by_region_[r]) {
            const auto i = at(c);
            funds += funds_[i];
            exp += exp_sum_[i];
            leaders += leaders_[i];
            max_size = std::max<std::int64_t>(max_size, size_[i]);
        }
    }
    double carried = 0;
    for (int r = 0; r < fighters.regions(); ++r)
        for (const auto s : {FighterStatus::active, FighterStatus::sleeper})
            for (const FighterId f : fighters.roster(r, s)) carried += fighters.funds(f);
    const double at_large = static_cast<double>(fighters.count(FighterStatus::active) +
                                                fighters.count(FighterStatus::sleeper));
    rec.set(Ind::leaders, static_cast<double>(leaders));
    rec.set(Ind::experience_mean, at_large > 0 ? exp / at_large : 0.0);
    rec.set(Ind::cells_count, static_cast<double>(live_));
    rec.set(Ind::cells_active, static_cast<double>(active));
    rec.set(Ind::cell_size_mean, live_ > 0 ? at_large / static_cast<double>(live_) : 0.0);
    rec.set(Ind::cell_size_max, static_cast<double>(max_size));
    rec.set(Ind::funds_cells, funds);
    rec.set(Ind::funds_carried, carried);
    rec.set(Ind::caches, caches);
    rec.set(Ind::recruits, static_cast<double>(flows_.recruits));
    rec.set(Ind::rejoined, static_cast<double>(flows_.rejoined));
    rec.set(Ind::disengagements, static_cast<double>(flows_.disengaged));
    rec.set(Ind::fragmentations, static_cast<double>(flows_.fragmentations));
    rec.set(Ind::coalescences, static_cast<double>(flows_.coalescences));
    rec.set(Ind::income_extortion, flows_.extortion);
    rec.set(Ind::income_ransom, flows_.ransom);
    rec.set(Ind::income_caches, flows_.caches);
    rec.set(Ind::spending, flows_.spending);

    // cell_sizes.csv: the histogram of sizes every size_sample_every days and on the last day.
    const int every = state.spec.params.integer(P::cells_size_sample_every);
    if (rec.wants_cell_sizes() && (state.day % every == 0 || state.day + 1 == state.spec.horizon_days)) {
        sizes_.clear();
        for (const auto& list : by_region_)
            for (const CellId c : list) sizes_.push_back(size_[at(c)]);
        std::sort(sizes_.begin(), sizes_.end());
        for (std::size_t i = 0; i < sizes_.size();) {
            std::size_t j = i;
            while (j < sizes_.size() && sizes_[j] == sizes_[i]) ++j;
            rec.cell_size_row(sizes_[i], static_cast<std::int64_t>(j - i));
            i = j;
        }
    }
}

// ---- checks ---------------------------------------------------------------------------------

void Cells::check_invariants(const Fighters& fighters) const {
    const auto fail = [](const std::string& what) { throw InvariantViolation("cells: " + what); };
    fighters.check_invariants();
    std::fill(recount_.begin(), recount_.end(), 0);
    std::int64_t live = 0;
    for (std::size_t i = 0; i < size_.size(); ++i) {
        if (size_[i] == 0) continue;
        ++live;
        const auto c = static_cast<CellId>(i);
        const int r = region_[i];
        const auto& list = by_region_[static_cast<std::size_t>(r)];
        if (slot_[i] < 0 || static_cast<std::size_t>(slot_[i]) >= list.size() ||
            list[static_cast<std::size_t>(slot_[i])] != c)
            fail(fmt::format("cell {} is not where its region's list says", serial_[i]));
        int n = 0, leaders = 0;
        double exp = 0;
        FighterId prev = kNoFighter;
        for (FighterId f = head_[i]; f != kNoFighter; f = fighters.next_[static_cast<std::size_t>(f)]) {
            const auto fi = static_cast<std::size_t>(f);
            if (++n > size_[i]) fail(fmt::format("cell {} has more members than its size {}", serial_[i], size_[i]));
            if (fighters.cell_[fi] != c) fail(fmt::format("fighter {} is listed in cell {} but says cell {}", f, serial_[i], fighters.cell_[fi]));
            if (fighters.prev_[fi] != prev) fail(fmt::format("fighter {}: broken member links in cell {}", f, serial_[i]));
            if (fighters.status_[fi] != status_of(mode_[i]))
                fail(fmt::format("fighter {} is {} in a {} cell", f, name_of(fighters.status_[fi]),
                                 mode_[i] == CellMode::active ? "active" : "sleeper"));
            if (fighters.region_[fi] != r)
                fail(fmt::format("fighter {} is in region {} but its cell in region {}", f, fighters.region_[fi], r));
            leaders += fighters.leader_[fi];
            exp += fighters.experience_[fi];
            prev = f;
        }
        if (n != size_[i]) fail(fmt::format("cell {} has {} members but size {}", serial_[i], n, size_[i]));
        if (leaders != leaders_[i]) fail(fmt::format("cell {} has {} leaders but counts {}", serial_[i], leaders, leaders_[i]));
        if (std::fabs(exp - exp_sum_[i]) > 1e-6 * std::max(1.0, exp))
            fail(fmt::format("cell {}: experience sum {} but members add up to {}", serial_[i], exp_sum_[i], exp));
        if (!(funds_[i] >= 0.0)) fail(fmt::format("cell {} has funds {}", serial_[i], funds_[i]));
        recount_[static_cast<std::size_t>(r)] += n;
    }
    if (live != live_) fail(fmt::format("{} live cells counted, {} found", live_, live));
    if (static_cast<std::size_t>(live) + free_.size() != size_.size())
        fail(fmt::format("{} live + {} free cell slots, {} slots", live, free_.size(), size_.size()));
    for (int r = 0; r < fighters.regions(); ++r) {
        const auto ri = static_cast<std::size_t>(r);
        if (recount_[ri] != fighters.at_large(r))
            fail(fmt::format("region {}: cells hold {} fighters, {} at large", r, recount_[ri], fighters.at_large(r)));
        std::int64_t active = 0;
        for (const CellId c : by_region_[ri]) active += mode_[at(c)] == CellMode::active ? 1 : 0;
        if (active != active_[ri]) fail(fmt::format("region {}: {} active cells counted, {} found", r, active_[ri], active));
        if (!(caches_[ri] >= 0.0)) fail(fmt::format("region {}: caches {}", r, caches_[ri]));
    }
}

// ---- the insurgency as a whole ------------------------------------------------------------------

void init_insurgency(SimState& state) {
    state.cells.init(state);
    state.attacks.init(state);
    state.security.init(state);
}

namespace {
// One regions.csv value by column name (region_columns() is the lead's list; unknown columns
// are left empty so that a new column never shifts the others).
double region_value(const SimState& state, std::string_view name, int r) {
    const auto ri = static_cast<std::size_t>(r);
    const auto& rs = state.regions;
    const double scale = state.spec.civilians.scale;
    const bool civ = state.spec.civilians.enabled;
    if (name == "legitimacy") return rs.legitimacy[ri];
    if (name == "intimidation") return rs.intimidation[ri];
    if (name == "patrol") return rs.patrol[ri];
    if (name == "intelligence") return rs.intel_effective[ri];
    if (name == "pressure") return rs.pressure[ri];
    if (name == "supporters") return civ ? static_cast<double>(state.civilians.count(r, CivState::supporter)) * scale : 0.0;
    if (name == "informants") return civ ? static_cast<double>(state.civilians.count(r, CivState::informant)) * scale : 0.0;
    if (name == "fighters_at_large")
        return static_cast<double>(state.fighters.at_large(r) + state.fighters.count(r, FighterStatus::in_transit));
    if (name == "fighters_active") return static_cast<double>(state.fighters.count(r, FighterStatus::active));
    if (name == "cells") return static_cast<double>(state.cells.count(r));
    if (name == "attacks") return static_cast<double>(state.attacks.today(r));
    return std::nan("");
}
}  // namespace

void record_insurgency(SimState& state) {
    state.cells.record(state);
    state.attacks.record(state);
    state.security.record(state);
    if (state.rec.wants_regions()) {
        const auto columns = region_columns();
        std::array<double, 64> values{};
        const std::size_t n = std::min(columns.size(), values.size());
        for (std::size_t r = 0; r < state.spec.regions.size(); ++r) {
            for (std::size_t k = 0; k < n; ++k)
                values[k] = region_value(state, columns[k].name, static_cast<int>(r));
            state.rec.region_row(static_cast<int>(r), std::span<const double>(values.data(), n));
        }
    }
}

void check_insurgency(const SimState& state) {
    state.cells.check_invariants(state.fighters);
    const auto& rs = state.regions;
    for (std::size_t r = 0; r < rs.pressure.size(); ++r) {
        const auto& id = state.spec.regions[r].id;
        if (!(rs.pressure[r] >= 0.0) || !std::isfinite(rs.pressure[r]))
            throw InvariantViolation(fmt::format("day {}: pressure of region {} is {}", state.day, id, rs.pressure[r]));
        if (!(rs.split[r] >= 0.0 && rs.split[r] <= 1.0))
            throw InvariantViolation(fmt::format("day {}: split level of region {} is {} (not in [0,1])", state.day, id, rs.split[r]));
        if (!(rs.intimidation[r] >= 0.0 && rs.intimidation[r] <= 1.0))
            throw InvariantViolation(fmt::format("day {}: intimidation of region {} is {} (not in [0,1])", state.day, id, rs.intimidation[r]));
        for (std::size_t f = 0; f < state.forces.strength.size(); ++f)
            if (!(state.forces.strength[f][r] >= 0.0) || !(state.security.deficit(static_cast<int>(f), static_cast<int>(r)) >= 0.0))
                throw InvariantViolation(fmt::format("day {}: {} in region {} has strength {} and deficit {}", state.day,
                                                     state.spec.forces[f].faction, id, state.forces.strength[f][r],
                                                     state.security.deficit(static_cast<int>(f), static_cast<int>(r))));
    }
}

}  // namespace resurgence
