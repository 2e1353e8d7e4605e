// Detention sites (model-spec §5.8); see model/detention.hpp and docs/model-detention.md.
#include "resurgence/model/detention.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "resurgence/core/error.hpp"
#include "resurgence/model/state.hpp"
#include "resurgence/output/indicators.hpp"
#include "resurgence/scenario/events.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kInitSites{"detention.init"};
inline constexpr Purpose kEscape{"detention.escape"};
inline constexpr Purpose kRaid{"detention.raid"};
inline constexpr Purpose kRelease{"detention.release"};
inline constexpr Purpose kBreakout{"detention.breakout"};
inline constexpr Purpose kProgramme{"detention.repatriation"};
inline constexpr Purpose kFamilies{"detention.families"};
inline constexpr Purpose kAdmit{"detention.admit"};

constexpr std::array<Origin, kOrigins> kAllOrigins{Origin::iraqi, Origin::syrian,
                                                   Origin::foreign_european, Origin::foreign_other};

bool takes(Selection who, Origin o) noexcept {
    switch (who) {
        case Selection::any:
        case Selection::everyone:
            return true;
        case Selection::iraqi:
            return o == Origin::iraqi;
        case Selection::syrian:
            return o == Origin::syrian;
        case Selection::foreign:
            return o == Origin::foreign_european || o == Origin::foreign_other;
        case Selection::foreign_european:
            return o == Origin::foreign_european;
        case Selection::foreign_other:
            return o == Origin::foreign_other;
        case Selection::families:
            return false;
    }
    return false;
}
}  // namespace

const char* name_of(Selection s) noexcept {
    switch (s) {
        case Selection::any:
            return "any";
        case Selection::iraqi:
            return "iraqi";
        case Selection::syrian:
            return "syrian";
        case Selection::foreign:
            return "foreign";
        case Selection::foreign_european:
            return "foreign_european";
        case Selection::foreign_other:
            return "foreign_other";
        case Selection::families:
            return "families";
        case Selection::everyone:
            return "all";
    }
    return "?";
}

// ---- set-up -----------------------------------------------------------------------------------

void Detention::init(SimState& state) {
    const ScenarioSpec& spec = state.spec;
    const ParamSet& p = spec.params;
    auto& fighters = state.fighters;
    const std::size_t S = spec.sites.size();
    const std::size_t R = spec.regions.size();
    region_.assign(S, 0);
    country_.assign(S, 0);
    capacity_.assign(S, 0.0);
    families_.assign(S, 0);
    guards_.assign(S, 0.0);
    rad_.assign(S, p[P::det_radicalisation_initial]);
    shelled_.assign(S, 0);
    roster_.assign(S * kOrigins, {});
    families_out_.assign(R, 0);
    arrivals_.assign(S, 0);
    unlisted_today_.assign(R, 0);
    raids_by_country_.assign(spec.countries.size(), 0);
    family_origin_.assign(S, Origin::syrian);
    families_total_ = families_recruited_ = unlisted_ = abroad_ = 0;
    escapes_cum_ = 0;
    programmes_.clear();
    programmes_.reserve(spec.events.size());
    flows_ = DetentionFlows{};
    day_ = -1;

    // Room for the detainees and for as many again arriving or recruited: the fighters' lists
    // and our rosters are reserved once.
    std::int64_t total = 0;
    for (const auto& s : spec.sites)
        for (const double d : s.detainees) total += std::llround(std::max(0.0, d));
    const std::size_t cap = std::max(
        fighters.capacity(), 2 * (fighters.size() + static_cast<std::size_t>(total)) + 4096);
    fighters.reserve(cap);
    pos_.clear();
    pos_.reserve(cap);

    for (std::size_t s = 0; s < S; ++s) {
        const auto& site = spec.sites[s];
        region_[s] = site.region;
        country_[s] = spec.regions[static_cast<std::size_t>(site.region)].country_index;
        capacity_[s] = site.capacity;
        const auto room = static_cast<std::size_t>(std::llround(site.capacity)) + 1024;
        std::size_t most = 0;
        for (std::size_t o = 0; o < kOrigins; ++o) {
            const auto n = static_cast<std::size_t>(std::llround(std::max(0.0, site.detainees[o])));
            roster_[s * kOrigins + o].reserve(n + room);
            if (n > most) {
                most = n;
                family_origin_[s] = static_cast<Origin>(o);
            }
        }
        if (most == 0) {
            const std::string& c = spec.countries[static_cast<std::size_t>(country_[s])];
            family_origin_[s] = c.find("iraq") != std::string::npos    ? Origin::iraqi
                                : c.find("syria") != std::string::npos ? Origin::syrian
                                                                       : Origin::foreign_other;
        }
        // Detainees of the site (C01, C02): battle-hardened, some leaders; funds seized.
        Rng rng = state.seed.stream(kInitSites, s);
        const double m = p[P::det_detainee_experience];
        const double lo = std::max(0.0, 2 * m - 1), hi = std::min(1.0, 2 * m);
        for (std::size_t o = 0; o < kOrigins; ++o) {
            const auto n = std::llround(std::max(0.0, site.detainees[o]));
            for (long long k = 0; k < n; ++k) {
                NewFighter nf;
                nf.origin = static_cast<Origin>(o);
                nf.status = FighterStatus::detained;
                nf.region = site.region;
                nf.experience = static_cast<float>(rng.uniform(lo, hi));
                nf.leader = rng.bernoulli(p[P::det_detainee_leader_share]);
                const FighterId f = fighters.add(nf);
                ensure_columns(fighters.size());
                place(fighters, f, static_cast<int>(s));
            }
        }
        families_[s] = std::llround(std::max(0.0, site.families));
        families_total_ += families_[s];
    }

    // Sites of each country by travel time from each region (arrivals, transfers).
    nearest_.assign(R, std::vector<std::vector<int>>(spec.countries.size()));
    for (std::size_t r = 0; r < R; ++r) {
        for (std::size_t s = 0; s < S; ++s)
            nearest_[r][static_cast<std::size_t>(country_[s])].push_back(static_cast<int>(s));
        for (auto& list : nearest_[r])
            std::stable_sort(list.begin(), list.end(), [&](int a, int b) {
                return state.movement.distance(static_cast<int>(r),
                                               region_[static_cast<std::size_t>(a)]) <
                       state.movement.distance(static_cast<int>(r),
                                               region_[static_cast<std::size_t>(b)]);
            });
    }
    recount_.assign(S * kOrigins, 0);
    update_guards(state);
}

void Detention::ensure_columns(std::size_t n) {
    if (pos_.size() >= n) return;
    if (pos_.capacity() < n) pos_.reserve(std::max(n, 2 * pos_.capacity()));
    pos_.resize(n, -1);
}

void Detention::begin_day(int day) {
    if (day == day_) return;
    flows_ = DetentionFlows{};
    raid_freed_ = 0;
    std::fill(arrivals_.begin(), arrivals_.end(), 0);
    std::fill(unlisted_today_.begin(), unlisted_today_.end(), 0);
    std::fill(raids_by_country_.begin(), raids_by_country_.end(), 0);
    day_ = day;
}

// ---- rosters ----------------------------------------------------------------------------------

std::int64_t Detention::fighters(int s) const {
    std::int64_t n = 0;
    for (std::size_t o = 0; o < kOrigins; ++o)
        n += static_cast<std::int64_t>(roster_[at(s) * kOrigins + o].size());
    return n;
}

void Detention::place(Fighters& fighters, FighterId f, int s) {
    auto& list = roster_[slot(s, fighters.origin(f))];
    pos_[static_cast<std::size_t>(f)] = static_cast<std::int32_t>(list.size());
    list.push_back(f);
    fighters.set_site(f, s);
}

void Detention::take_out(Fighters& fighters, FighterId f) {
    const int s = fighters.site(f);
    auto& list = roster_[slot(s, fighters.origin(f))];
    const auto p = static_cast<std::size_t>(pos_[static_cast<std::size_t>(f)]);
    const FighterId last = list.back();
    list[p] = last;
    pos_[static_cast<std::size_t>(last)] = static_cast<std::int32_t>(p);
    list.pop_back();
    pos_[static_cast<std::size_t>(f)] = -1;
    fighters.set_site(f, kNoSite);
}

std::int64_t Detention::available(int s, Selection who) const {
    if (who == Selection::families) return families_[at(s)];
    std::int64_t n = who == Selection::everyone ? families_[at(s)] : 0;
    for (const Origin o : kAllOrigins)
        if (takes(who, o)) n += fighters(s, o);
    return n;
}

FighterId Detention::pick(int s, Selection who, Rng& rng) const {
    std::int64_t n = 0;
    for (const Origin o : kAllOrigins)
        if (takes(who, o)) n += fighters(s, o);
    if (n == 0) return kNoFighter;
    auto k = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(n)));
    for (const Origin o : kAllOrigins) {
        if (!takes(who, o)) continue;
        const auto& list = roster_[slot(s, o)];
        if (k < static_cast<std::int64_t>(list.size())) return list[static_cast<std::size_t>(k)];
        k -= static_cast<std::int64_t>(list.size());
    }
    return kNoFighter;
}

int Detention::site_for(int region, int country, bool need_room) const {
    for (const int s : nearest_[at(region)][at(country)])
        if (!need_room || static_cast<double>(persons(s)) < capacity_[at(s)]) return s;
    return -1;
}

void Detention::admit(SimState& state, FighterId f, int region) {
    begin_day(state.day);
    auto& fighters = state.fighters;
    ensure_columns(fighters.size());
    const int country = state.spec.regions[at(region)].country_index;
    int s = site_for(region, country, true);
    if (s < 0) s = site_for(region, country, false);  // all full: the nearest, overcrowded
    fighters.set_funds(f, 0.0f);                      // seized
    ++flows_.arrivals;
    if (s < 0) {
        fighters.set_site(f, kSiteUnlisted);
        ++unlisted_;
        ++unlisted_today_[at(region)];
        return;
    }
    if (fighters.region(f) != region_[at(s)]) fighters.set_region(f, region_[at(s)]);
    place(fighters, f, s);
    ++arrivals_[at(s)];
}

// Fighters detained by other phases (raids, decapitations) wait with site kNoSite.
void Detention::admit_pending(SimState& state) {
    auto& fighters = state.fighters;
    for (std::size_t k = fighters.listed(FighterStatus::detained).size(); k-- > 0;) {
        const auto list = fighters.listed(FighterStatus::detained);
        if (k >= list.size()) continue;
        const FighterId f = list[k];
        if (fighters.site(f) == kNoSite) admit(state, f, fighters.region(f));
    }
}

// ---- rules ------------------------------------------------------------------------------------

double Detention::escape_hazard(const ParamSet& p, double persons, double guards, double capacity,
                                bool shelled) noexcept {
    if (!(persons > 0)) return 0.0;
    const double per_guard = persons / std::max(1.0, guards);
    const double occupancy = capacity > 0 ? persons / capacity : 1.0;
    return p[P::det_escape_rate] *
           std::pow(per_guard / p[P::det_guard_ratio_ref], p[P::det_guard_exponent]) *
           (1.0 + p[P::det_overcrowding_effect] * std::max(0.0, occupancy - 1.0)) *
           (1.0 + (shelled ? p[P::det_shelling_effect] : 0.0));
}

double Detention::current_guards(const SimState& state, int s) const {
    const auto& site = state.spec.sites[at(s)];
    const auto r = static_cast<std::size_t>(site.region);
    const auto guard = static_cast<std::size_t>(Task::guard);
    double g = 0;
    for (const auto& [force, personnel] : site.guards) {
        const auto f = static_cast<std::size_t>(force);
        const double base_share = state.forces.allocation[f][guard];
        const double share = base_share > 0 ? state.forces.effective[f][guard] / base_share : 1.0;
        const double base_strength = state.spec.forces[f].strength[r];
        const double strength =
            base_strength > 0 ? state.forces.strength[f][r] / base_strength : 1.0;
        g += personnel * share * strength;
    }
    return std::max(0.0, g);
}

double Detention::raid_success(const ParamSet& p, int size, double e, double guards) noexcept {
    const double A = size * (0.5 + e);
    const double G = p[P::det_raid_guard_strength] * std::max(0.0, guards);
    return A + G > 0 ? A / (A + G) : 0.0;
}

double Detention::join_probability(const ParamSet& p, int s) const {
    return std::clamp(p[P::det_rejoin_direct] * rad_[at(s)], 0.0, 1.0);
}

// ---- flows ------------------------------------------------------------------------------------

void Detention::row(SimState& state, int s, std::string_view type, double severity,
                    std::int64_t n) const {
    if (n <= 0) return;
    state.rec.event(region_[at(s)], type, severity, static_cast<double>(n),
                    state.spec.sites[at(s)].id);
}

void Detention::escape_fighter(SimState& state, FighterId f, int s, Rng& rng) {
    auto& fighters = state.fighters;
    take_out(fighters, f);
    fighters.set_history(f, DetentionHistory::escaped);
    fighters.set_funds(f, static_cast<float>(state.spec.params[P::det_escapee_funds]));
    const int target = state.movement.choose_target(state, region_[at(s)], fighters.origin(f),
                                                    Departure::escape, rng);
    state.movement.send(state, f, target,
                        static_cast<float>(join_probability(state.spec.params, s)));
    ++flows_.escapes_fighters;
    ++escapes_cum_;
}

void Detention::families_leave(SimState& state, int s, std::int64_t n, DetentionHistory why,
                               Rng& rng) {
    if (n <= 0) return;
    const ParamSet& p = state.spec.params;
    families_[at(s)] -= n;
    const auto recruits = static_cast<std::int64_t>(
        rng.binomial(static_cast<std::uint64_t>(n), p[P::det_family_recruit_share]));
    for (std::int64_t k = 0; k < recruits; ++k) {
        NewFighter nf;
        nf.origin = family_origin_[at(s)];
        nf.region = region_[at(s)];
        nf.experience = static_cast<float>(p[P::cells_recruit_experience]);
        const CellId c = state.cells.create(state.fighters, nf, CellMode::sleeper);
        state.fighters.set_history(state.cells.first(c), why);
    }
    families_recruited_ += recruits;
    families_out_[at(region_[at(s)])] += n - recruits;
    flows_.family_recruits += recruits;
    if (why == DetentionHistory::escaped) {
        flows_.escapes_families += n;
        escapes_cum_ += n;
    }
    row(state, s, "family_recruit", 0, recruits);
}

void Detention::update_guards(SimState& state) {
    for (int s = 0; s < sites(); ++s) guards_[at(s)] = current_guards(state, s);
}

// rho += rate * kind factor * (1 + crowding * max(0, occupancy - 1)) * (1 - rho) (C10).
void Detention::radicalise(SimState& state) {
    const ParamSet& p = state.spec.params;
    for (int s = 0; s < sites(); ++s) {
        const auto n = static_cast<double>(persons(s));
        if (!(n > 0)) continue;
        const double occupancy = capacity_[at(s)] > 0 ? n / capacity_[at(s)] : 1.0;
        const double kind =
            state.spec.sites[at(s)].kind == SiteKind::camp ? p[P::det_radicalisation_camp] : 1.0;
        const double rate =
            p[P::det_radicalisation_rate] * kind *
            (1.0 + p[P::det_radicalisation_crowding] * std::max(0.0, occupancy - 1.0));
        double& rho = rad_[at(s)];
        rho = std::clamp(rho + std::min(1.0, rate) * (1.0 - rho), 0.0, 1.0);
    }
}

// Each detainee escapes with probability 1 - exp(-min(h, max_hazard)): binomial numbers of
// fighters and of family members per site.
void Detention::escapes(SimState& state) {
    const ParamSet& p = state.spec.params;
    for (int s = 0; s < sites(); ++s) {
        const std::int64_t n = persons(s);
        if (n == 0) continue;
        const double h =
            std::min(p[P::det_max_hazard], escape_hazard(p, static_cast<double>(n), guards_[at(s)],
                                                         capacity_[at(s)], shelled_[at(s)] > 0));
        const double q = -std::expm1(-h);
        Rng rng = state.seed.daily(kEscape, state.day, static_cast<std::uint64_t>(s));
        const auto kf = rng.binomial(static_cast<std::uint64_t>(fighters(s)), q);
        const auto kfam = static_cast<std::int64_t>(
            rng.binomial(static_cast<std::uint64_t>(families_[at(s)]), q));
        for (std::uint64_t i = 0; i < kf; ++i)
            escape_fighter(state, pick(s, Selection::any, rng), s, rng);
        families_leave(state, s, kfam, DetentionHistory::escaped, rng);
        row(state, s, "escape", 0, static_cast<std::int64_t>(kf));
        row(state, s, "escape_family", 0, kfam);
    }
}

// Raids (prison_raid attacks): each active cell of at least raid_min_cell_size in the site's
// region raids with probability 1 - exp(-raid_rate) a day; it breaks in with probability
// A / (A + k G) and frees raid_free_fraction of the fighters and of the families.
void Detention::raids(SimState& state) {
    const ParamSet& p = state.spec.params;
    auto& cells = state.cells;
    auto& fighters = state.fighters;
    const int min_size = p.integer(P::det_raid_min_cell_size);
    const double q_raid = -std::expm1(-p[P::det_raid_rate]);
    if (!(q_raid > 0)) return;
    for (int s = 0; s < sites(); ++s) {
        const int r = region_[at(s)];
        if (persons(s) == 0 || cells.count_active(r) == 0) continue;
        Rng rng = state.seed.daily(kRaid, state.day, static_cast<std::uint64_t>(s));
        // From the back: a cell wiped out by the guards dies and the last (visited) takes its slot.
        for (std::size_t k = static_cast<std::size_t>(cells.count(r)); k-- > 0;) {
            if (k >= static_cast<std::size_t>(cells.count(r))) continue;
            const CellId c = cells.in_region(r)[k];
            if (cells.mode(c) != CellMode::active || cells.size(c) < min_size) continue;
            if (!rng.bernoulli(q_raid)) continue;
            const int size = cells.size(c);
            const std::uint64_t serial = cells.serial(c);
            const bool success =
                rng.bernoulli(raid_success(p, size, cells.experience_mean(c), guards_[at(s)]));
            cells.spend(c, p[P::det_raid_cost]);
            cells.reset_days_since_attack(c);
            int lost = 0;
            for (FighterId m = cells.first(c); m != kNoFighter;) {
                const FighterId next = Cells::next(fighters, m);
                if (rng.bernoulli(p[P::det_raid_attacker_loss])) {
                    const bool last = cells.size(c) == 1;
                    cells.leave(fighters, m, FighterStatus::dead);
                    ++lost;
                    if (last) break;
                }
                m = next;
            }
            std::int64_t freed = 0;
            if (success) {
                const double share = p[P::det_raid_free_fraction];
                const auto kf = rng.binomial(static_cast<std::uint64_t>(fighters_count(s)), share);
                const auto kfam = static_cast<std::int64_t>(
                    rng.binomial(static_cast<std::uint64_t>(families_[at(s)]), share));
                for (std::uint64_t i = 0; i < kf; ++i)
                    escape_fighter(state, pick(s, Selection::any, rng), s, rng);
                families_leave(state, s, kfam, DetentionHistory::escaped, rng);
                freed = static_cast<std::int64_t>(kf) + kfam;
                row(state, s, "raid_freed", 0, static_cast<std::int64_t>(kf));
                row(state, s, "raid_freed_family", 0, kfam);
                ++flows_.raids_successful;
            }
            ++flows_.raids;
            raid_freed_ += freed;
            ++raids_by_country_[at(country_[at(s)])];
            // One row per raid, like every attack: severity = persons freed.
            char detail[96];
            const auto end =
                fmt::format_to_n(detail, sizeof detail, "{}_cell{}_size{}_killed{}",
                                 std::string_view(state.spec.sites[at(s)].id).substr(0, 48), serial,
                                 size, lost)
                    .out;
            state.rec.event(r, "attack_prison_raid", static_cast<double>(freed), 1,
                            std::string_view(detail, static_cast<std::size_t>(end - detail)));
        }
    }
}

// A detainee whose home is another country of the theatre goes to the nearest site there
// with room (else the nearest, else outside the modelled sites): a transfer.
void Detention::transfer(SimState& state, FighterId f, int from, int home) {
    auto& fighters = state.fighters;
    take_out(fighters, f);
    const int origin_region = region_[at(from)];
    int s = site_for(origin_region, home, true);
    if (s < 0) s = site_for(origin_region, home, false);
    ++flows_.transfers;
    if (s >= 0) {
        fighters.set_region(f, region_[at(s)]);
        place(fighters, f, s);
        pending_transfer(state, from, s, 1);
        return;
    }
    // No site in the home country: held there outside the modelled sites, in its region
    // nearest to the site.
    int best = origin_region;
    double d = std::numeric_limits<double>::infinity();
    for (int r = 0; r < state.movement.regions(); ++r)
        if (state.spec.regions[at(r)].country_index == home &&
            state.movement.distance(origin_region, r) < d) {
            d = state.movement.distance(origin_region, r);
            best = r;
        }
    if (state.spec.regions[at(best)].country_index != home)
        for (int r = 0; r < state.movement.regions(); ++r)
            if (state.spec.regions[at(r)].country_index == home) {
                best = r;
                break;
            }
    fighters.set_region(f, best);
    fighters.set_site(f, kSiteUnlisted);
    ++unlisted_;
    pending_transfer(state, from, -1, 1);
}

// Transfers are aggregated per (from, to) pair and day: a row when the pair changes.
void Detention::pending_transfer(SimState& state, int from, int to, std::int64_t n) {
    if (n > 0 && transfer_from_ == from && transfer_to_ == to) {
        transfer_n_ += n;
        return;
    }
    if (transfer_n_ > 0) {
        char detail[112];
        const std::string_view a =
            std::string_view(state.spec.sites[at(transfer_from_)].id).substr(0, 48);
        const std::string_view b =
            transfer_to_ >= 0
                ? std::string_view(state.spec.sites[at(transfer_to_)].id).substr(0, 48)
                : std::string_view("unlisted");
        const auto end = fmt::format_to_n(detail, sizeof detail, "{}>{}", a, b).out;
        state.rec.event(region_[at(transfer_from_)], "transfer", 0,
                        static_cast<double>(transfer_n_),
                        std::string_view(detail, static_cast<std::size_t>(end - detail)));
    }
    transfer_from_ = from;
    transfer_to_ = to;
    transfer_n_ = n;
}

// Repatriation programmes: per_day persons a day (fractions carried over), taken from the
// programme's sites in proportion to their eligible detainees. Foreigners with no home in the
// theatre go abroad; others are transferred to their home country's sites.
void Detention::programmes(SimState& state) {
    auto& fighters = state.fighters;
    for (std::size_t g = 0; g < programmes_.size(); ++g) {
        auto& prog = programmes_[g];
        if (prog.days_left == 0) continue;
        prog.owed += prog.per_day;
        auto n = static_cast<std::int64_t>(std::floor(prog.owed + 1e-9));
        prog.owed -= static_cast<double>(n);
        if (prog.days_left > 0) --prog.days_left;
        Rng rng = state.seed.daily(kProgramme, state.day, g);
        const auto eligible = [&](int s, Origin o) {
            const int home = state.movement.home_country(o);
            return prog.origins[static_cast<std::size_t>(o)] && home != country_[at(s)];
        };
        const auto in_programme = [&](int s) {
            return prog.sites.empty() ||
                   std::find(prog.sites.begin(), prog.sites.end(), s) != prog.sites.end();
        };
        for (; n > 0; --n) {
            std::int64_t total = 0;
            for (int s = 0; s < sites(); ++s)
                if (in_programme(s))
                    for (const Origin o : kAllOrigins)
                        if (eligible(s, o)) total += fighters_count(s, o);
            if (total == 0) break;
            auto k = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total)));
            FighterId f = kNoFighter;
            int from = -1;
            for (int s = 0; s < sites() && f == kNoFighter; ++s) {
                if (!in_programme(s)) continue;
                for (const Origin o : kAllOrigins) {
                    if (!eligible(s, o)) continue;
                    const auto& list = roster_[slot(s, o)];
                    if (k < static_cast<std::int64_t>(list.size())) {
                        f = list[static_cast<std::size_t>(k)];
                        from = s;
                        break;
                    }
                    k -= static_cast<std::int64_t>(list.size());
                }
            }
            const Origin o = fighters.origin(f);
            const int home = state.movement.home_country(o);
            if (home >= 0) {
                transfer(state, f, from, home);
            } else {
                take_out(fighters, f);
                fighters.set_site(f, kSiteAbroad);
                ++abroad_;
                ++flows_.repatriations;
                state.rec.event(region_[at(from)], "repatriation", 0, 1,
                                state.spec.sites[at(from)].id);
            }
        }
    }
    std::erase_if(programmes_, [](const RepatriationProgramme& p) { return p.days_left == 0; });
    pending_transfer(state, -1, -1, 0);  // flush
}

void Detention::add_programme(const RepatriationProgramme& p) { programmes_.push_back(p); }

// ---- levers -----------------------------------------------------------------------------------

std::int64_t Detention::breakout(SimState& state, int site, std::optional<double> fraction,
                                 std::optional<std::int64_t> count, Selection who,
                                 int shelling_days) {
    begin_day(state.day);
    ensure_columns(state.fighters.size());
    shelled_[at(site)] = std::max(shelled_[at(site)], shelling_days);
    Rng rng = state.seed.daily(kBreakout, state.day, static_cast<std::uint64_t>(site));
    const Selection fighters_of = who == Selection::everyone ? Selection::any : who;
    std::int64_t nf = 0, nfam = 0;
    split(site, fraction, count, who, nf, nfam);
    for (std::int64_t i = 0; i < nf; ++i)
        escape_fighter(state, pick(site, fighters_of, rng), site, rng);
    families_leave(state, site, nfam, DetentionHistory::escaped, rng);
    row(state, site, "breakout", 0, nf);
    row(state, site, "breakout_family", 0, nfam);
    flows_.breakout += nf + nfam;
    return nf + nfam;
}

std::int64_t Detention::release(SimState& state, int site, std::optional<double> fraction,
                                std::optional<std::int64_t> count, Selection who) {
    begin_day(state.day);
    ensure_columns(state.fighters.size());
    auto& fighters = state.fighters;
    Rng rng = state.seed.daily(kRelease, state.day, static_cast<std::uint64_t>(site));
    const Selection fighters_of = who == Selection::everyone ? Selection::any : who;
    std::int64_t nf = 0, nfam = 0;
    split(site, fraction, count, who, nf, nfam);
    const auto join = static_cast<float>(join_probability(state.spec.params, site));
    for (std::int64_t i = 0; i < nf; ++i) {
        const FighterId f = pick(site, fighters_of, rng);
        take_out(fighters, f);
        fighters.set_history(f, DetentionHistory::released);
        const int target = state.movement.choose_target(
            state, region_[at(site)], fighters.origin(f), Departure::release, rng);
        state.movement.send(state, f, target, join);
    }
    families_leave(state, site, nfam, DetentionHistory::released, rng);
    row(state, site, "release", 0, nf);
    row(state, site, "release_family", 0, nfam);
    flows_.releases += nf + nfam;
    return nf + nfam;
}

// Persons a breakout or release takes: fraction of those selected, or count (at most all of
// them); `everyone` splits between fighters and families in proportion.
void Detention::split(int s, std::optional<double> fraction, std::optional<std::int64_t> count,
                      Selection who, std::int64_t& nf, std::int64_t& nfam) const {
    const std::int64_t avail = available(s, who);
    std::int64_t n =
        fraction ? static_cast<std::int64_t>(
                       std::llround(std::clamp(*fraction, 0.0, 1.0) * static_cast<double>(avail)))
                 : std::min<std::int64_t>(avail, std::max<std::int64_t>(0, count.value_or(0)));
    n = std::min(n, avail);
    if (who == Selection::families) {
        nf = 0;
        nfam = n;
    } else if (who == Selection::everyone) {
        const std::int64_t fam = families_[at(s)];
        nfam = avail > 0 ? std::min<std::int64_t>(
                               fam, std::llround(static_cast<double>(n) * static_cast<double>(fam) /
                                                 static_cast<double>(avail)))
                         : 0;
        nf = std::min(n - nfam, fighters(s));
        nfam = n - nf;
    } else {
        nf = n;
        nfam = 0;
    }
}

// ---- the phase ----------------------------------------------------------------------------------

void Detention::step(SimState& state) {
    begin_day(state.day);
    ensure_columns(state.fighters.size());
    admit_pending(state);
    update_guards(state);
    radicalise(state);
    escapes(state);
    raids(state);
    programmes(state);
    for (auto& d : shelled_)
        if (d > 0) --d;
    // Arrivals of the day (movement's border detections and this phase's), one row per site.
    for (int s = 0; s < sites(); ++s) row(state, s, "detention_arrival", 0, arrivals_[at(s)]);
    for (int r = 0; r < static_cast<int>(unlisted_today_.size()); ++r)
        if (unlisted_today_[at(r)] > 0)
            state.rec.event(r, "detention_unlisted", 0,
                            static_cast<double>(unlisted_today_[at(r)]));
}

void Detention::record(SimState& state) const {
    auto& rec = state.rec;
    const bool today = day_ == state.day;
    std::int64_t fighters_in = 0, families_in = 0;
    double guards = 0, capacity = 0, rad = 0;
    for (int s = 0; s < sites(); ++s) {
        const std::int64_t f = fighters(s), fam = families_[at(s)];
        fighters_in += f;
        families_in += fam;
        guards += guards_[at(s)];
        capacity += capacity_[at(s)];
        rad += rad_[at(s)] * static_cast<double>(f + fam);
        rec.add(Ind::detainees_country, country_[at(s)], static_cast<double>(f + fam));
        rec.add(Ind::detainees_fighters_country, country_[at(s)], static_cast<double>(f));
    }
    const auto persons_in = static_cast<double>(fighters_in + families_in);
    rec.set(Ind::detainees, persons_in);
    rec.set(Ind::detainees_fighters, static_cast<double>(fighters_in));
    rec.set(Ind::detainees_families, static_cast<double>(families_in));
    rec.set(Ind::detained_unlisted, static_cast<double>(unlisted_));
    rec.set(Ind::repatriated, static_cast<double>(abroad_));
    rec.set(Ind::detention_guards, guards);
    rec.set(Ind::detention_occupancy, capacity > 0 ? persons_in / capacity : 0.0);
    rec.set(Ind::radicalisation_mean, persons_in > 0 ? rad / persons_in : 0.0);
    std::int64_t out = 0;
    for (const auto n : families_out_) out += n;
    rec.set(Ind::families_at_large, static_cast<double>(out));
    const DetentionFlows none{};
    const DetentionFlows& fl = today ? flows_ : none;
    rec.set(Ind::escapes, static_cast<double>(fl.escapes_fighters + fl.escapes_families));
    rec.set(Ind::escapes_fighters, static_cast<double>(fl.escapes_fighters));
    rec.set(Ind::escapes_families, static_cast<double>(fl.escapes_families));
    rec.set(Ind::breakout_escapes, static_cast<double>(fl.breakout));
    rec.set(Ind::detention_arrivals, static_cast<double>(fl.arrivals));
    rec.set(Ind::releases, static_cast<double>(fl.releases));
    rec.set(Ind::transfers, static_cast<double>(fl.transfers));
    rec.set(Ind::repatriations, static_cast<double>(fl.repatriations));
    rec.set(Ind::attacks_prison_raid, static_cast<double>(fl.raids));
    rec.set(Ind::prison_raids_successful, static_cast<double>(fl.raids_successful));
    rec.set(Ind::family_recruits, static_cast<double>(fl.family_recruits));
    // Raids are attacks: into the totals the attacks phase recorded (after it).
    if (today) {
        rec.add(Ind::attacks_total, static_cast<double>(fl.raids));
        for (std::size_t c = 0; c < raids_by_country_.size(); ++c)
            rec.add(Ind::attacks_country, static_cast<int>(c),
                    static_cast<double>(raids_by_country_[c]));
    }
}

void Detention::check_invariants(const SimState& state) const {
    const auto& fighters = state.fighters;
    const auto fail = [&](const std::string& what) {
        throw InvariantViolation(fmt::format("day {}: detention: {}", state.day, what));
    };
    std::fill(recount_.begin(), recount_.end(), 0);
    std::int64_t unlisted = 0, abroad = 0;
    for (const FighterId f : fighters.listed(FighterStatus::detained)) {
        const int s = fighters.site(f);
        if (s == kSiteUnlisted) {
            ++unlisted;
            continue;
        }
        if (s == kSiteAbroad) {
            ++abroad;
            continue;
        }
        if (s < 0 || s >= sites())
            fail(fmt::format("detained fighter {} is at site {} (not placed)", f, s));
        const auto i = static_cast<std::size_t>(f);
        const auto& list = roster_[slot(s, fighters.origin(f))];
        if (i >= pos_.size() || pos_[i] < 0 || static_cast<std::size_t>(pos_[i]) >= list.size() ||
            list[static_cast<std::size_t>(pos_[i])] != f)
            fail(fmt::format("detained fighter {} is not where site {}'s roster says", f,
                             state.spec.sites[at(s)].id));
        if (fighters.region(f) != region_[at(s)])
            fail(fmt::format("fighter {} at site {} is in region {}", f, state.spec.sites[at(s)].id,
                             fighters.region(f)));
        ++recount_[slot(s, fighters.origin(f))];
    }
    std::int64_t at_sites = 0;
    for (int s = 0; s < sites(); ++s)
        for (const Origin o : kAllOrigins) {
            const auto n = static_cast<std::int64_t>(roster_[slot(s, o)].size());
            if (n != recount_[slot(s, o)])
                fail(fmt::format("site {} lists {} {} detainees but {} fighters say they are there",
                                 state.spec.sites[at(s)].id, n, name_of(o), recount_[slot(s, o)]));
            at_sites += n;
        }
    if (unlisted != unlisted_ || abroad != abroad_)
        fail(fmt::format("{} held outside the sites and {} abroad counted, {} and {} found",
                         unlisted_, abroad_, unlisted, abroad));
    // Conservation: detainees by site (and outside the sites) add up to the detained fighters.
    if (at_sites + unlisted + abroad != fighters.count(FighterStatus::detained))
        fail(fmt::format(
            "detained fighters at sites ({}) + outside the sites ({}) + abroad ({}) = {}, but {} "
            "fighters are detained",
            at_sites, unlisted, abroad, at_sites + unlisted + abroad,
            fighters.count(FighterStatus::detained)));
    // Families: at sites + at large + joined as fighters = ever detained.
    std::int64_t families = families_recruited_;
    for (int s = 0; s < sites(); ++s) {
        if (families_[at(s)] < 0)
            fail(fmt::format("site {} has {} family members", state.spec.sites[at(s)].id,
                             families_[at(s)]));
        families += families_[at(s)];
    }
    for (const auto n : families_out_) {
        if (n < 0) fail("negative families at large");
        families += n;
    }
    if (families != families_total_)
        fail(fmt::format(
            "family members at sites, at large and recruited add up to {}, but {} were detained",
            families, families_total_));
    for (int s = 0; s < sites(); ++s) {
        if (!(rad_[at(s)] >= 0.0 && rad_[at(s)] <= 1.0))
            fail(fmt::format("radicalisation of site {} is {}", state.spec.sites[at(s)].id,
                             rad_[at(s)]));
        if (!(guards_[at(s)] >= 0.0) || !std::isfinite(guards_[at(s)]))
            fail(fmt::format("site {} has {} guards", state.spec.sites[at(s)].id, guards_[at(s)]));
    }
}

// ---- the whole: hooks ---------------------------------------------------------------------------

void init_detention(SimState& state) {
    state.border.init(state);
    state.movement.init(state);   // the graph first: sites are ranked by travel time
    state.detention.init(state);  // creates the detainees, grows the fighters' capacity
    state.movement.reserve(state.fighters.capacity());
    for (const auto& e : state.spec.events)
        if (const auto* setup = dynamic_cast<const EventSetup*>(e.get())) setup->setup(state);
}

void record_detention(SimState& state) {
    state.detention.record(state);
    state.movement.record(state);
    state.border.record(state);
    // Direct rejoins are rejoinings too: into the fighters' total of the day (recorded before).
    state.rec.add(Ind::rejoined, static_cast<double>(state.movement.rejoined_today()));
    state.rec.set(Ind::rejoined_direct, static_cast<double>(state.movement.rejoined_today()));
}

void check_detention(const SimState& state) {
    state.detention.check_invariants(state);
    state.movement.check_invariants(state);
    state.border.check_invariants(state);
}

}  // namespace resurgence
