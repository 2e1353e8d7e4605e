// Border crossings (model-spec §5.5); see model/border.hpp and docs/model-detention.md.
#include "resurgence/model/border.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "resurgence/core/error.hpp"
#include "resurgence/model/state.hpp"
#include "resurgence/output/indicators.hpp"

namespace resurgence {

namespace {
// Frontier lengths below 1 km count as 1 km (guards per km, frontier shares).
double km(double frontier) { return std::max(1.0, frontier); }

double kind_factor(const ParamSet& p, CrossingKind k) noexcept {
    switch (k) {
        case CrossingKind::official:
            return p[P::bor_kind_official];
        case CrossingKind::open_desert:
            return p[P::bor_kind_open_desert];
        case CrossingKind::tunnel:
            return p[P::bor_kind_tunnel];
        case CrossingKind::smuggling_route:
            return p[P::bor_kind_smuggling_route];
    }
    return 1.0;
}
}  // namespace

void Border::init(const SimState& state) {
    const auto& spec = state.spec;
    const std::size_t C = spec.crossings.size();
    guards_.assign(C, 0.0);
    extra_.assign(C, 0.0);
    flow_.assign(C, 0.0);
    side_.assign(C, 0);
    share_from_.assign(C, 0.0);
    share_to_.assign(C, 0.0);
    attempted_.assign(C, 0);
    detected_.assign(C, 0);
    killed_.assign(C, 0);
    // Room for every timed lever at once (one entry per crossing per event at most).
    reinforcements_.clear();
    flows_.clear();
    reinforcements_.reserve(spec.events.size() * std::max<std::size_t>(C, 1));
    flows_.reserve(spec.events.size() * std::max<std::size_t>(C, 1));
    attempted_total_ = detected_total_ = killed_total_ = 0;
    attempted_cum_ = detected_cum_ = 0;
    fees_ = bribes_ = 0;
    day_ = -1;

    // Frontier each force guards at each region: a region's border personnel of that force are
    // split over its crossings there in proportion to their frontier length.
    const std::size_t R = spec.regions.size();
    std::vector<double> frontier(spec.forces.size() * R, 0.0);
    for (const auto& x : spec.crossings) {
        if (x.guard_force < 0) continue;
        const auto base = static_cast<std::size_t>(x.guard_force) * R;
        frontier[base + static_cast<std::size_t>(x.from)] += km(x.frontier_km);
        frontier[base + static_cast<std::size_t>(x.to)] += km(x.frontier_km);
    }
    for (std::size_t i = 0; i < C; ++i) {
        const auto& x = spec.crossings[i];
        side_[i] = x.to;
        if (x.guard_force < 0) continue;
        const auto g = static_cast<std::size_t>(x.guard_force);
        const auto base = g * R;
        share_from_[i] = km(x.frontier_km) / frontier[base + static_cast<std::size_t>(x.from)];
        share_to_[i] = km(x.frontier_km) / frontier[base + static_cast<std::size_t>(x.to)];
        const auto& strength = spec.forces[g].strength;
        if (strength[static_cast<std::size_t>(x.from)] > strength[static_cast<std::size_t>(x.to)])
            side_[i] = x.from;
    }
}

void Border::begin_day(int day) {
    if (day == day_) return;
    std::fill(attempted_.begin(), attempted_.end(), 0);
    std::fill(detected_.begin(), detected_.end(), 0);
    std::fill(killed_.begin(), killed_.end(), 0);
    attempted_total_ = detected_total_ = killed_total_ = 0;
    fees_ = bribes_ = 0;
    day_ = day;
}

double Border::base_guards(const SimState& state, int x) const {
    const auto& c = state.spec.crossings[at(x)];
    if (c.guard_force < 0) return 0.0;
    const auto g = static_cast<std::size_t>(c.guard_force);
    const double on_border = state.forces.effective[g][static_cast<std::size_t>(Task::border)];
    const auto& strength = state.forces.strength[g];
    return on_border * (strength[static_cast<std::size_t>(c.from)] * share_from_[at(x)] +
                        strength[static_cast<std::size_t>(c.to)] * share_to_[at(x)]);
}

void Border::update(SimState& state) {
    begin_day(state.day);
    std::fill(extra_.begin(), extra_.end(), 0.0);
    std::fill(flow_.begin(), flow_.end(), state.spec.params[P::bor_refugee_flow]);
    // Timed levers: in force on the day they are set and the days after, like reallocations.
    for (auto& t : reinforcements_) {
        extra_[at(t.crossing)] += t.value;
        if (t.days_left > 0) --t.days_left;
    }
    for (auto& t : flows_) {
        flow_[at(t.crossing)] += t.value;
        if (t.days_left > 0) --t.days_left;
    }
    std::erase_if(reinforcements_, [](const Timed& t) { return t.days_left == 0; });
    std::erase_if(flows_, [](const Timed& t) { return t.days_left == 0; });
    for (std::size_t x = 0; x < guards_.size(); ++x)
        guards_[x] = std::max(0.0, base_guards(state, static_cast<int>(x)) + extra_[x]);
}

void Border::reinforce(int crossing, double guards, int days) {
    if (days == 0) return;
    reinforcements_.push_back(Timed{crossing, guards, days});
}

void Border::set_refugee_flow(int crossing, double persons_per_day, int days) {
    if (days == 0) return;
    flows_.push_back(Timed{crossing, persons_per_day, days});
}

double Border::detection_probability(const ParamSet& p, CrossingKind kind, double base,
                                     double guards_per_km, double difficulty, double refugee_flow,
                                     bool smuggled, bool bribed) noexcept {
    const double exposure = p[P::bor_kappa] * kind_factor(p, kind) * std::max(0.0, guards_per_km) *
                            (1.0 - std::clamp(difficulty, 0.0, 1.0));
    const double by_guards = -std::expm1(-exposure);
    double q = 1.0 - (1.0 - std::clamp(base, 0.0, 1.0)) * (1.0 - by_guards);
    if (smuggled) q *= p[P::bor_smuggler_factor];
    if (bribed) q *= p[P::bor_bribe_factor];
    const double R = std::max(0.0, refugee_flow);
    q *= 1.0 - p[P::bor_cover_max] * R / (R + p[P::bor_cover_half]);
    return std::clamp(q, 0.0, 1.0);
}

double Border::detection(const SimState& state, int x, bool smuggled, bool bribed) const {
    const auto& c = state.spec.crossings[at(x)];
    const double difficulty =
        state.spec.regions[static_cast<std::size_t>(side_[at(x)])].policing_difficulty;
    return detection_probability(state.spec.params, c.kind, c.base_detection,
                                 guards_[at(x)] / km(c.frontier_km), difficulty, flow_[at(x)],
                                 smuggled, bribed);
}

CrossingOutcome Border::attempt(SimState& state, FighterId f, int x, Rng& rng) {
    begin_day(state.day);
    const ParamSet& p = state.spec.params;
    const auto& c = state.spec.crossings[at(x)];
    CrossingOutcome out;
    // Smuggler first, then a bribe with what is left (B04); carried funds only.
    double funds = state.fighters.funds(f);
    if (c.smuggler_fee > 0 && funds >= c.smuggler_fee) {
        funds -= c.smuggler_fee;
        fees_ += c.smuggler_fee;
        out.smuggled = true;
    }
    const double bribe = p[P::bor_bribe];
    if (bribe > 0 && funds >= bribe) {
        funds -= bribe;
        bribes_ += bribe;
        out.bribed = true;
    }
    state.fighters.set_funds(f, static_cast<float>(funds));
    out.detected = rng.bernoulli(detection(state, x, out.smuggled, out.bribed));
    out.killed = out.detected && rng.bernoulli(p[P::bor_kill_share]);
    ++attempted_[at(x)];
    ++attempted_total_;
    ++attempted_cum_;
    if (out.detected) {
        ++detected_[at(x)];
        ++detected_total_;
        ++detected_cum_;
    }
    if (out.killed) {
        ++killed_[at(x)];
        ++killed_total_;
    }
    return out;
}

void Border::flush_events(SimState& state) {
    begin_day(state.day);
    for (std::size_t x = 0; x < attempted_.size(); ++x) {
        if (attempted_[x] == 0) continue;
        const std::string_view id = state.spec.crossings[x].id;
        const std::int64_t passed = attempted_[x] - detected_[x];
        if (passed > 0) state.rec.event(side_[x], "crossing", 0, static_cast<double>(passed), id);
        if (detected_[x] > 0)
            state.rec.event(side_[x], "crossing_detected", static_cast<double>(killed_[x]),
                            static_cast<double>(detected_[x]), id);
    }
}

void Border::record(SimState& state) const {
    auto& rec = state.rec;
    const bool today = day_ == state.day;
    rec.set(Ind::crossings_attempted, today ? static_cast<double>(attempted_total_) : 0.0);
    rec.set(Ind::crossings_detected, today ? static_cast<double>(detected_total_) : 0.0);
    rec.set(Ind::crossings_succeeded,
            today ? static_cast<double>(attempted_total_ - detected_total_) : 0.0);
    rec.set(Ind::border_killed, today ? static_cast<double>(killed_total_) : 0.0);
    rec.set(Ind::smuggler_fees, today ? fees_ : 0.0);
    rec.set(Ind::bribes, today ? bribes_ : 0.0);
    double guards = 0;
    for (const double g : guards_) guards += g;
    rec.set(Ind::border_guards, guards);
}

void Border::check_invariants(const SimState& state) const {
    for (std::size_t x = 0; x < guards_.size(); ++x) {
        const auto& id = state.spec.crossings[x].id;
        if (!(guards_[x] >= 0.0) || !std::isfinite(guards_[x]))
            throw InvariantViolation(
                fmt::format("day {}: crossing {} has {} guards", state.day, id, guards_[x]));
        for (const bool s : {false, true}) {
            const double q = detection(state, static_cast<int>(x), s, s);
            if (!(q >= 0.0 && q <= 1.0))
                throw InvariantViolation(
                    fmt::format("day {}: detection at crossing {} is {}", state.day, id, q));
        }
        if (day_ == state.day && (detected_[x] > attempted_[x] || killed_[x] > detected_[x]))
            throw InvariantViolation(
                fmt::format("day {}: crossing {}: {} attempts, {} detected, {} killed", state.day,
                            id, attempted_[x], detected_[x], killed_[x]));
    }
}

}  // namespace resurgence
