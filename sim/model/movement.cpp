// Movement of fighters and cells (model-spec §5.5); see model/movement.hpp and
// docs/model-detention.md.
#include "resurgence/model/movement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "resurgence/core/error.hpp"
#include "resurgence/model/state.hpp"
#include "resurgence/output/indicators.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kRelocate{"movement.relocate"};
inline constexpr Purpose kRoute{"movement.route"};    // crossing picked for a hop, per trip group
inline constexpr Purpose kCross{"movement.cross"};    // detection at a crossing, per fighter
inline constexpr Purpose kSettle{"movement.settle"};  // joining a cell on arrival, per fighter

constexpr double kInf = std::numeric_limits<double>::infinity();

int country_of(const SimState& state, int r) {
    return state.spec.regions[static_cast<std::size_t>(r)].country_index;
}
}  // namespace

int Movement::trip_days(double travel_days) noexcept {
    return std::max(1, static_cast<int>(std::ceil(travel_days - 1e-9)));
}

void Movement::init(SimState& state) {
    const ScenarioSpec& spec = state.spec;
    regions_ = static_cast<int>(spec.regions.size());
    const auto RR = static_cast<std::size_t>(regions_) * static_cast<std::size_t>(regions_);
    dist_.assign(RR, kInf);
    next_.assign(RR, -1);
    edge_days_.assign(RR, 0.0);
    neighbours_.assign(static_cast<std::size_t>(regions_), {});
    edge_crossings_.assign(RR, {});
    for (std::size_t x = 0; x < spec.crossings.size(); ++x) {
        const auto& c = spec.crossings[x];
        edge_crossings_[idx(c.from, c.to)].push_back(static_cast<int>(x));
        edge_crossings_[idx(c.to, c.from)].push_back(static_cast<int>(x));
    }
    for (int r = 0; r < regions_; ++r) {
        dist_[idx(r, r)] = 0;
        next_[idx(r, r)] = r;
    }
    // An edge between two countries is usable only through a crossing on it.
    for (const auto& e : spec.edges) {
        const bool border = country_of(state, e.from) != country_of(state, e.to);
        if (border && edge_crossings_[idx(e.from, e.to)].empty()) continue;
        const auto days = static_cast<double>(trip_days(e.travel_days));
        for (const auto& [a, b] : {std::pair{e.from, e.to}, std::pair{e.to, e.from}}) {
            edge_days_[idx(a, b)] = e.travel_days;
            neighbours_[static_cast<std::size_t>(a)].push_back(b);
            dist_[idx(a, b)] = days;
            next_[idx(a, b)] = b;
        }
    }
    // Floyd-Warshall over whole trip days; next_ gives the first hop of a shortest route.
    for (int k = 0; k < regions_; ++k)
        for (int i = 0; i < regions_; ++i) {
            const double ik = dist_[idx(i, k)];
            if (ik == kInf) continue;
            for (int j = 0; j < regions_; ++j) {
                const double d = ik + dist_[idx(k, j)];
                if (d < dist_[idx(i, j)]) {
                    dist_[idx(i, j)] = d;
                    next_[idx(i, j)] = next_[idx(i, k)];
                }
            }
        }
    // Home countries: the theatre's country named after the origin, if any.
    home_.fill(-1);
    for (std::size_t c = 0; c < spec.countries.size(); ++c) {
        if (home_[0] < 0 && spec.countries[c].find("iraq") != std::string::npos)
            home_[0] = static_cast<int>(c);
        if (home_[1] < 0 && spec.countries[c].find("syria") != std::string::npos)
            home_[1] = static_cast<int>(c);
    }
    attract_.assign(static_cast<std::size_t>(regions_) * kOrigins, 0.0);
    weights_.assign(static_cast<std::size_t>(regions_), 0.0);
    for (auto* v : {&target_, &group_, &crossing_, &group_cell_, &group_cell_day_}) v->clear();
    trip_.clear();
    was_active_.clear();
    join_.clear();
    reserve(state.fighters.capacity());
    ensure_columns(state.fighters.size());
    relocated_ = arrived_ = rejoined_ = 0;
    day_ = -1;
}

void Movement::reserve(std::size_t fighters) {
    trip_.reserve(fighters);
    was_active_.reserve(fighters);
    join_.reserve(fighters);
    for (auto* v : {&target_, &group_, &crossing_, &group_cell_, &group_cell_day_})
        v->reserve(fighters);
}

// The trip columns follow the fighters' ids; their capacity follows the fighters' (so growing
// within it does not allocate; beyond it, amortised like the fighters' own columns).
void Movement::ensure_columns(std::size_t n) {
    if (trip_.size() >= n) return;
    if (trip_.capacity() < n) reserve(std::max(n, 2 * trip_.capacity()));
    trip_.resize(n, TripKind::none);
    was_active_.resize(n, 0);
    join_.resize(n, 0.0f);
    target_.resize(n, -1);
    group_.resize(n, kNoFighter);
    crossing_.resize(n, -1);
    group_cell_.resize(n, kNoCell);
    group_cell_day_.resize(n, -1);
}

void Movement::begin_day(int day) {
    if (day == day_) return;
    relocated_ = arrived_ = rejoined_ = 0;
    day_ = day;
}

TripKind Movement::trip(FighterId f) const {
    return static_cast<std::size_t>(f) < trip_.size() ? trip_[static_cast<std::size_t>(f)]
                                                      : TripKind::none;
}

int Movement::target(FighterId f) const {
    return static_cast<std::size_t>(f) < target_.size() ? target_[static_cast<std::size_t>(f)] : -1;
}

// ---- rules ----------------------------------------------------------------------------------

double Movement::attractiveness(const SimState& state, int j, Origin o) const {
    const ParamSet& p = state.spec.params;
    const auto ji = static_cast<std::size_t>(j);
    const double pi = state.regions.pressure.empty() ? 0.0 : state.regions.pressure[ji];
    const auto F = static_cast<double>(state.fighters.at_large(j));
    const bool home = country_of(state, j) == home_[static_cast<std::size_t>(o)];
    return std::exp(-p[P::mov_pressure_aversion] * pi) *
           (1.0 + p[P::mov_own_attraction] * F / (F + p[P::mov_own_half])) *
           (1.0 + (home ? p[P::mov_home_attraction] : 0.0));
}

double Movement::relocation_hazard(const SimState& state, int r, Origin o) const {
    const double mu = state.spec.params[P::mov_rate];
    if (!(mu > 0)) return 0.0;
    const double here = attractiveness(state, r, o);
    double h = 0;
    for (const int j : neighbours_[static_cast<std::size_t>(r)]) {
        // Deterrence of a border edge: the detection at its safest crossing with a smuggler.
        double deterred = 1.0;
        for (const int x : edge_crossings_[idx(r, j)])
            deterred = std::min(deterred, state.border.detection(state, x, true, false));
        if (edge_crossings_[idx(r, j)].empty()) deterred = 0.0;
        const double gain = attractiveness(state, j, o) * (1.0 - deterred) / here - 1.0;
        if (gain > 0) h += mu * gain / edge_days_[idx(r, j)];
    }
    return h;
}

int Movement::choose_target(const SimState& state, int from, Origin o, Departure why, Rng& rng) {
    const ParamSet& p = state.spec.params;
    const int here = country_of(state, from);
    const int home = home_[static_cast<std::size_t>(o)];
    // Home country first; else escapees head for a border with escapee_border_share (C06);
    // everyone else stays in the country.
    enum { kHome, kAbroad, kStay } mode = kStay;
    if (home >= 0 && home != here)
        mode = kHome;
    else if (why == Departure::escape && rng.bernoulli(p[P::mov_escapee_border_share]))
        mode = kAbroad;
    const double tau = p[P::mov_distance_scale];
    double total = 0;
    for (int j = 0; j < regions_; ++j) {
        const int cj = country_of(state, j);
        const bool candidate = mode == kHome     ? cj == home
                               : mode == kAbroad ? cj != here
                                                 : cj == here;
        const double d = dist_[idx(from, j)];
        double w = 0;
        if (candidate && d < kInf) w = attractiveness(state, j, o) * std::exp(-d / tau);
        weights_[static_cast<std::size_t>(j)] = w;
        total += w;
    }
    if (!(total > 0)) return from;  // no way out: go to ground where it is
    double u = rng.uniform() * total;
    for (int j = 0; j < regions_; ++j) {
        const double w = weights_[static_cast<std::size_t>(j)];
        if (w <= 0) continue;
        if (u < w) return j;
        u -= w;
    }
    for (int j = regions_; j-- > 0;)
        if (weights_[static_cast<std::size_t>(j)] > 0) return j;
    return from;
}

// The crossing of an edge, picked with weight 1 - detection (with a smuggler): the safest
// routes are used most, none is certain.
int Movement::pick_crossing(const SimState& state, int a, int b, Rng& rng) const {
    const auto& list = edge_crossings_[idx(a, b)];
    if (list.empty()) return -1;
    double total = 0;
    for (const int x : list) total += 1.0 - state.border.detection(state, x, true, false);
    if (!(total > 0)) return list[static_cast<std::size_t>(rng.below(list.size()))];
    double u = rng.uniform() * total;
    for (const int x : list) {
        const double w = 1.0 - state.border.detection(state, x, true, false);
        if (u < w) return x;
        u -= w;
    }
    return list.back();
}

// ---- trips ----------------------------------------------------------------------------------

void Movement::send(SimState& state, FighterId f, int target, float join_probability) {
    begin_day(state.day);
    ensure_columns(state.fighters.size());
    const auto i = static_cast<std::size_t>(f);
    trip_[i] = TripKind::settle;
    target_[i] = target;
    group_[i] = f;
    join_[i] = join_probability;
    crossing_[i] = -1;
    if (target == state.fighters.region(f) || !reachable(state.fighters.region(f), target)) {
        settle(state, f);
        return;
    }
    Rng rng = state.seed.daily(kRoute, state.day, static_cast<std::uint64_t>(f));
    depart(state, f, rng);
}

void Movement::depart(SimState& state, FighterId f, Rng& rng) {
    const auto i = static_cast<std::size_t>(f);
    const int from = state.fighters.region(f);
    const int hop = next_[idx(from, target_[i])];
    if (hop < 0 || hop == from) {
        settle(state, f);
        return;
    }
    crossing_[i] = country_of(state, from) != country_of(state, hop)
                       ? pick_crossing(state, from, hop, rng)
                       : -1;
    if (state.fighters.status(f) != FighterStatus::in_transit)
        state.fighters.set_status(f, FighterStatus::in_transit);
    state.fighters.set_transit(f, hop, state.day + trip_days(edge_days_[idx(from, hop)]));
}

void Movement::arrive(SimState& state, FighterId f) {
    auto& fighters = state.fighters;
    const auto i = static_cast<std::size_t>(f);
    const int dest = fighters.destination(f);
    const int x = crossing_[i];
    if (x >= 0) {
        Rng rng = state.seed.daily(kCross, state.day, static_cast<std::uint64_t>(f));
        const CrossingOutcome out = state.border.attempt(state, f, x, rng);
        if (out.detected) {
            // Killed or detained by the guarding side (C06).
            trip_[i] = TripKind::none;
            crossing_[i] = -1;
            fighters.set_transit(f, -1, -1);
            if (out.killed) {
                fighters.set_status(f, FighterStatus::dead);
            } else {
                const int side = state.border.guarded_side(x);
                fighters.set_region(f, side);
                fighters.set_status(f, FighterStatus::detained);
                fighters.set_site(f, kNoSite);
                state.detention.admit(state, f, side);
            }
            return;
        }
    }
    if (x >= 0) state.rec.add(Ind::crossings_into_country, country_of(state, dest), 1.0);
    crossing_[i] = -1;
    fighters.set_region(f, dest);
    if (dest == target_[i]) {
        settle(state, f);
        return;
    }
    // On to the next hop; a relocating group keys its crossing by the group, so its members
    // keep together.
    const auto key = static_cast<std::uint64_t>(trip_[i] == TripKind::relocation ? group_[i] : f);
    Rng rng = state.seed.daily(kRoute, state.day, key);
    depart(state, f, rng);
}

void Movement::settle(SimState& state, FighterId f) {
    auto& fighters = state.fighters;
    auto& cells = state.cells;
    const auto i = static_cast<std::size_t>(f);
    const TripKind kind = i < trip_.size() ? trip_[i] : TripKind::none;
    if (i < trip_.size()) {
        trip_[i] = TripKind::none;
        crossing_[i] = -1;
    }
    fighters.set_transit(f, -1, -1);
    const int r = fighters.region(f);
    ++arrived_;
    Rng rng = state.seed.daily(kSettle, state.day, static_cast<std::uint64_t>(f));
    const auto join_or_found = [&] {
        if (cells.count(r) > 0 && rng.bernoulli(state.spec.params[P::mov_join_probability]))
            cells.join(fighters, f, cells.random_by_size(fighters, r, rng));
        else
            cells.found(fighters, f, CellMode::sleeper);
    };
    switch (kind) {
        case TripKind::relocation: {
            // The group re-forms one cell: the first member to arrive founds it.
            const auto g = static_cast<std::size_t>(group_[i]);
            const CellId c = group_cell_[g];
            if (group_cell_day_[g] == state.day && cells.alive(c) && cells.region(c) == r) {
                cells.join(fighters, f, c);
            } else {
                group_cell_[g] =
                    cells.found(fighters, f, was_active_[i] ? CellMode::active : CellMode::sleeper);
                group_cell_day_[g] = state.day;
            }
            break;
        }
        case TripKind::settle:
            if (rng.bernoulli(join_[i])) {
                join_or_found();
                ++rejoined_;
            } else {
                fighters.set_status(f, FighterStatus::disengaged);
            }
            break;
        case TripKind::none:
            join_or_found();
            break;
    }
}

// A cell of region r relocates with probability 1 - exp(-h), h its relocation hazard, toward a
// neighbour picked in proportion to that neighbour's share of h; its members travel together.
void Movement::relocate(SimState& state, int r) {
    auto& cells = state.cells;
    auto& fighters = state.fighters;
    if (cells.count(r) == 0 || neighbours_[static_cast<std::size_t>(r)].empty()) return;
    std::array<double, kOrigins> h{};
    bool any = false;
    for (int o = 0; o < kOrigins; ++o) {
        h[static_cast<std::size_t>(o)] = relocation_hazard(state, r, static_cast<Origin>(o));
        any = any || h[static_cast<std::size_t>(o)] > 0;
    }
    if (!any) return;
    const double mu = state.spec.params[P::mov_rate];
    Rng rng = state.seed.daily(kRelocate, state.day, static_cast<std::uint64_t>(r));
    // From the back: a cell that leaves dies and the last cell (visited) takes its slot.
    for (std::size_t k = static_cast<std::size_t>(cells.count(r)); k-- > 0;) {
        const CellId c = cells.in_region(r)[k];
        const FighterId head = cells.first(c);
        const Origin o = fighters.origin(head);
        const double hz = h[static_cast<std::size_t>(o)];
        if (!(hz > 0) || !rng.bernoulli(-std::expm1(-hz))) continue;
        // Destination in proportion to each neighbour's term of the hazard.
        const double here = attractiveness(state, r, o);
        double u = rng.uniform() * hz;
        int dest = -1;
        for (const int j : neighbours_[static_cast<std::size_t>(r)]) {
            double deterred = edge_crossings_[idx(r, j)].empty() ? 0.0 : 1.0;
            for (const int x : edge_crossings_[idx(r, j)])
                deterred = std::min(deterred, state.border.detection(state, x, true, false));
            const double gain = attractiveness(state, j, o) * (1.0 - deterred) / here - 1.0;
            if (!(gain > 0)) continue;
            dest = j;
            const double term = mu * gain / edge_days_[idx(r, j)];
            if (u < term) break;
            u -= term;
        }
        if (dest < 0) continue;
        const int crossing = country_of(state, r) != country_of(state, dest)
                                 ? pick_crossing(state, r, dest, rng)
                                 : -1;
        const int arrival = state.day + trip_days(edge_days_[idx(r, dest)]);
        const bool active = cells.mode(c) == CellMode::active;
        ensure_columns(fighters.size());
        for (FighterId m = head; m != kNoFighter;) {
            const FighterId next = Cells::next(fighters, m);
            const auto i = static_cast<std::size_t>(m);
            cells.leave(fighters, m, FighterStatus::in_transit);
            trip_[i] = TripKind::relocation;
            target_[i] = dest;
            group_[i] = head;
            was_active_[i] = active ? 1 : 0;
            crossing_[i] = crossing;
            fighters.set_transit(m, dest, arrival);
            ++relocated_;
            m = next;
        }
    }
}

void Movement::step(SimState& state) {
    begin_day(state.day);
    ensure_columns(state.fighters.size());
    state.border.update(state);
    auto& fighters = state.fighters;
    // Arrivals, from the back of the in-transit list: a fighter leaving the list is replaced by
    // the last entry (already visited), and one going on to its next hop is re-listed at the
    // back (already visited: its next arrival is a later day).
    for (std::size_t k = fighters.listed(FighterStatus::in_transit).size(); k-- > 0;) {
        const auto list = fighters.listed(FighterStatus::in_transit);
        if (k >= list.size()) continue;
        const FighterId f = list[k];
        if (fighters.destination(f) < 0)
            settle(state, f);  // sent by someone without a route
        else if (fighters.arrival_day(f) <= state.day)
            arrive(state, f);
    }
    for (int r = 0; r < regions_; ++r) relocate(state, r);
    state.border.flush_events(state);
}

void Movement::record(SimState& state) const {
    auto& rec = state.rec;
    const bool today = day_ == state.day;
    rec.set(Ind::relocations, today ? static_cast<double>(relocated_) : 0.0);
    rec.set(Ind::transit_arrivals, today ? static_cast<double>(arrived_) : 0.0);
}

void Movement::check_invariants(const SimState& state) const {
    const auto& fighters = state.fighters;
    const auto fail = [&](FighterId f, const std::string& what) {
        throw InvariantViolation(
            fmt::format("day {}: fighter {} in transit: {}", state.day, f, what));
    };
    for (const FighterId f : fighters.listed(FighterStatus::in_transit)) {
        const auto i = static_cast<std::size_t>(f);
        const int from = fighters.region(f), to = fighters.destination(f);
        if (to < 0 || to >= regions_) fail(f, fmt::format("destination {}", to));
        if (fighters.arrival_day(f) <= state.day)
            fail(f, fmt::format("arrival day {} has passed", fighters.arrival_day(f)));
        if (!(edge_days_[idx(from, to)] > 0))
            fail(f, fmt::format("no usable edge from region {} to {}", from, to));
        if (i >= trip_.size() || trip_[i] == TripKind::none) fail(f, "no trip");
        if (target_[i] < 0 || target_[i] >= regions_) fail(f, fmt::format("target {}", target_[i]));
        const bool border = country_of(state, from) != country_of(state, to);
        const int x = crossing_[i];
        if (border != (x >= 0))
            fail(f, fmt::format("crossing {} on an edge {} a border", x,
                                border ? "across" : "not across"));
        if (x >= 0) {
            const auto& c = state.spec.crossings[static_cast<std::size_t>(x)];
            if (!((c.from == from && c.to == to) || (c.from == to && c.to == from)))
                fail(f, fmt::format("crossing {} is not on its edge", c.id));
        }
    }
    for (std::size_t i = 0; i < trip_.size() && i < fighters.size(); ++i)
        if (trip_[i] != TripKind::none &&
            fighters.status(static_cast<FighterId>(i)) != FighterStatus::in_transit)
            fail(static_cast<FighterId>(i),
                 fmt::format("has a trip but is {}",
                             name_of(fighters.status(static_cast<FighterId>(i)))));
}

}  // namespace resurgence
