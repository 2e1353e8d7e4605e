// Civilians after Epstein (2002), model-spec §5.1: the agents, the mixed-mode (whole region in
// view) rules, jail terms and recording. Grid mode is in civilians_grid.cpp. docs/epstein.md
// gives each equation with its source and every choice where the published versions differ.
#include "resurgence/model/civilians.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "resurgence/core/error.hpp"
#include "resurgence/core/huge_pages.hpp"
#include "resurgence/model/state.hpp"
#include "resurgence/output/indicators.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kInit{"civilians.init"};
inline constexpr Purpose kUpdate{"civilians.update"};
inline constexpr Purpose kArrest{"civilians.arrest"};

constexpr std::size_t st(CivState s) { return static_cast<std::size_t>(s); }

// Eight agents' states at a time (SWAR on a 64-bit word, portable C++): the daily scans for
// arrests and releases touch one byte per agent and act on a few, so they test 8 bytes at once
// and only visit the agents that matter. Byte k of the word is agent i + k (little-endian).
static_assert(std::endian::native == std::endian::little, "SWAR state scans assume little-endian");
static_assert(sizeof(CivState) == 1);
constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;

std::uint64_t load8(const CivState* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}
// The high bit of every byte of w equal to s, all other bits clear (exact: the addition cannot
// carry across bytes, so there are no false positives).
std::uint64_t bytes_equal(std::uint64_t w, CivState s) noexcept {
    const std::uint64_t x = w ^ (kOnes * static_cast<std::uint8_t>(s));
    return ~(((x & kLow7) + kLow7) | x | kLow7);
}
// Number of bytes marked by bytes_equal.
std::int64_t marked(std::uint64_t m) noexcept {
    return static_cast<std::int64_t>(((m >> 7) * kOnes) >> 56);
}
}  // namespace

// ---- rules --------------------------------------------------------------------------------

double Civilians::arrest_probability(double C, double A, double k, ArrestRatio ratio) noexcept {
    // Epstein (2002) eq. for the estimated arrest probability, P = 1 - exp(-k (C/A)_v); NetLogo
    // floors the ratio, Mesa rounds it half to even (Python's round), the paper does neither.
    double x = A > 0 ? C / A : 0.0;
    switch (ratio) {
        case ArrestRatio::floor: x = std::floor(x); break;
        case ArrestRatio::round: x = std::nearbyint(x); break;  // ties to even, as Python
        case ArrestRatio::exact: break;
    }
    return -std::expm1(-k * x);
}

std::int64_t Civilians::gap(Rng& rng, double p) noexcept {
    // Failures before the first success of Bernoulli(p) trials: floor(log U / log(1 - p)).
    if (!(p > 0.0)) return kNever;
    if (p >= 1.0) return 0;
    const double u = 1.0 - rng.uniform();  // (0, 1]
    const double g = std::floor(std::log(u) / std::log1p(-p));
    return g < 4e18 ? static_cast<std::int64_t>(g) : kNever;
}

int Civilians::draw_jail_term(Rng& rng, JailTermDraw draw, int max_term) noexcept {
    if (max_term <= 0) return 0;
    const auto m = static_cast<std::uint64_t>(max_term);
    switch (draw) {
        case JailTermDraw::netlogo: return static_cast<int>(rng.below(m));      // 0..max-1
        case JailTermDraw::mesa: return static_cast<int>(rng.below(m + 1));     // 0..max
        case JailTermDraw::epstein: return 1 + static_cast<int>(rng.below(m));  // 1..max
    }
    return 0;
}

float Civilians::risk(double C, double A) const noexcept {
    return static_cast<float>(arrest_probability(C, A, k_, ratio_) * jail_factor_);
}

double Civilians::informant_probability(const SimState& state, int r) const noexcept {
    const auto ri = static_cast<std::size_t>(r);
    const double pop = population_[ri];
    if (!(informant_rate_ > 0) || !(pop > 0)) return 0.0;
    // Presence limits informing until it reaches presence_ref_ personnel per resident (a
    // Quinlivan-style force ratio): who would inform where nobody can act on it or protect you?
    const double per_capita = std::max(0.0, state.regions.presence[ri]) / pop;
    const double presence = std::min(1.0, per_capita / presence_ref_);
    const double p = informant_rate_ * state.regions.legitimacy[ri] * presence *
                     std::exp(-intimidation_effect_ * state.regions.intimidation[ri]);
    return std::clamp(p, 0.0, 1.0);
}

// ---- set-up -------------------------------------------------------------------------------

void Civilians::init(const ScenarioSpec& spec, const RunSeed& seed, const SimState& state) {
    const ParamSet& p = spec.params;
    const auto& cs = spec.civilians;
    if (!(cs.scale > 0))
        throw InputError(fmt::format("civilians.scale: {} must be above 0 (persons per agent)",
                                     cs.scale));
    scale_ = cs.scale;
    threshold_ = static_cast<float>(p[P::civ_threshold]);
    k_ = p[P::civ_k];
    max_jail_ = p.integer(P::civ_max_jail_term);
    const double alpha = p[P::civ_jail_alpha];
    // Epstein's deterrence variant N = R P J^alpha, J the (maximum) jail term.
    jail_factor_ = alpha > 0 ? std::pow(static_cast<double>(max_jail_), alpha) : 1.0;
    ratio_ = cs.arrest_ratio;
    jail_draw_ = cs.jail_term;
    count_self_ = p.flag(P::civ_count_self);
    movement_ = cs.movement;
    arrest_rate_ = p[P::civ_arrest_rate];
    informant_rate_ = p[P::civ_informant_rate];
    informant_quit_ = p[P::civ_informant_quit];
    intimidation_effect_ = p[P::civ_intimidation_effect];
    presence_ref_ = p[P::civ_informant_presence_ref] / 1000.0;
    const double spread = p[P::civ_hardship_spread];

    const std::size_t n = spec.regions.size();
    population_.resize(n);
    country_.resize(n);
    region_begin_.assign(n + 1, 0);
    for (std::size_t r = 0; r < n; ++r) {
        const auto& reg = spec.regions[r];
        population_[r] = reg.population;
        country_[r] = reg.country_index;
        const auto agents = std::llround(std::max(0.0, reg.population) / scale_);
        region_begin_[r + 1] = region_begin_[r] + agents;
    }
    const auto total = static_cast<std::size_t>(region_begin_[n]);
    assign_on_huge_pages(traits_, total, Traits{0.0f, 0.0f});
    assign_on_huge_pages(state_, total, CivState::quiet);
    assign_on_huge_pages(jail_, total, std::uint16_t{0});
    counts_.assign(n, {0, 0, 0, 0});
    margin_sum_.assign(n, 0.0);
    margin_n_.assign(n, 0);
    arrests_.assign(n, 0);
    releases_.assign(n, 0);
    flows_day_ = -1;

    for (std::size_t r = 0; r < n; ++r) {
        // Epstein: H ~ U(0,1), R ~ U(0,1), i.i.d. Here H ~ U(H0 - s, H0 + s) clipped to [0,1] so
        // that a region's baseline hardship moves the whole distribution (H0 = 0.5, s = 0.5 is
        // Epstein's). One stream per region: adding a region does not change another's agents.
        Rng rng = seed.stream(kInit, r);
        const double h0 = spec.regions[r].hardship;
        for (auto i = region_begin_[r]; i < region_begin_[r + 1]; ++i) {
            const double h = std::clamp(rng.uniform(h0 - spread, h0 + spread), 0.0, 1.0);
            traits_[idx(i)] = {static_cast<float>(h), static_cast<float>(rng.uniform())};
        }
        counts_[r][st(CivState::quiet)] = region_begin_[r + 1] - region_begin_[r];
    }

    grid_index_.assign(n, -1);
    grids_.clear();
    if (cs.mode == CivilianMode::grid) {
        std::size_t ng = 0;
        for (const auto& reg : spec.regions) ng += reg.grid ? 1 : 0;
        grids_.resize(ng);
        std::size_t g = 0;
        for (std::size_t r = 0; r < n; ++r) {
            if (!spec.regions[r].grid) continue;  // regions without a grid run mixed
            grid_index_[r] = static_cast<int>(g);
            init_grid(grids_[g], spec, seed, static_cast<int>(r));
            Rng rng = seed.stream(Purpose{"civilians.cops.init"}, r);
            sync_cops(grids_[g], state, rng);
            ++g;
        }
    }
}

void Civilians::set_attributes(std::int64_t i, float hardship, float risk_aversion) {
    traits_[idx(i)] = {hardship, risk_aversion};
}

// ---- accessors ----------------------------------------------------------------------------

std::int64_t Civilians::agents(int r) const {
    const auto ri = static_cast<std::size_t>(r);
    if (r < 0 || ri + 1 >= region_begin_.size()) return 0;
    return region_begin_[ri + 1] - region_begin_[ri];
}

std::int64_t Civilians::first_agent(int r) const {
    const auto ri = static_cast<std::size_t>(r);
    if (r < 0 || ri >= region_begin_.size()) return 0;
    return region_begin_[ri];
}

std::int64_t Civilians::count(int r, CivState s) const {
    const auto ri = static_cast<std::size_t>(r);
    if (r < 0 || ri >= counts_.size()) return 0;
    return counts_[ri][st(s)];
}

std::int64_t Civilians::total_agents() const {
    return region_begin_.empty() ? 0 : region_begin_.back();
}

double Civilians::supporter_margin(int r) const {
    const auto ri = static_cast<std::size_t>(r);
    if (r < 0 || ri >= margin_n_.size() || margin_n_[ri] == 0) return 0.0;
    return margin_sum_[ri] / static_cast<double>(margin_n_[ri]);
}

const CivilianGrid* Civilians::grid(int r) const {
    const auto ri = static_cast<std::size_t>(r);
    if (r < 0 || ri >= grid_index_.size() || grid_index_[ri] < 0) return nullptr;
    return &grids_[static_cast<std::size_t>(grid_index_[ri])];
}

void Civilians::rebuild_vacancy(bool bits) {
    for (auto& g : grids_) g.rebuild_vacancy(bits);
}

void Civilians::set_pipeline_moves(bool on) {
    for (auto& g : grids_) g.pipeline_moves = on;
}

std::int64_t Civilians::cops(int r) const {
    const CivilianGrid* g = grid(r);
    return g ? static_cast<std::int64_t>(g->cop_position.size()) : 0;
}

// ---- the day ------------------------------------------------------------------------------

void Civilians::begin_flows(int day) {
    if (day == flows_day_) return;
    std::fill(arrests_.begin(), arrests_.end(), 0);
    std::fill(releases_.begin(), releases_.end(), 0);
    flows_day_ = day;
}

void Civilians::update(SimState& state) {
    begin_flows(state.day);
    for (std::size_t r = 0; r < counts_.size(); ++r) {
        if (grid_index_[r] >= 0)
            update_grid(state, grids_[static_cast<std::size_t>(grid_index_[r])]);
        else
            update_mixed(state, static_cast<int>(r));
    }
}

// Mixed mode: everyone in the region is in view. C = S / scale effective patrol agents,
// A = 1 + supporters; agents are visited in storage order and A follows every flip at once, so
// later agents see earlier ones' choices (random-sequential activation, Epstein's order, with
// the random order fixed at creation). P changes only when A does: one exp per flip, none per
// agent. Quiet->informant and informant->quiet are Bernoulli trials per eligible agent, drawn
// as geometric gaps between successes (one draw per success instead of one per agent).
void Civilians::update_mixed(SimState& state, int r) {
    const auto ri = static_cast<std::size_t>(r);
    const auto b = idx(region_begin_[ri]), e = idx(region_begin_[ri + 1]);
    margin_sum_[ri] = 0.0;
    margin_n_[ri] = 0;
    if (b == e) return;
    auto& cnt = counts_[ri];
    const auto a = static_cast<float>(1.0 - state.regions.legitimacy[ri]);  // G = H (1 - L)
    const double C = std::max(0.0, state.regions.presence[ri]) / scale_;
    const float T = threshold_;

    // risk_of[state]: b = P * J^alpha seen by an agent in that state. A supporter's own
    // activity is among the region's supporters; unless count_self it is taken back out, so
    // that A = 1 + other actives (the 1 being the agent itself).
    std::array<float, 4> risk_of{};
    std::int64_t S = cnt[st(CivState::supporter)];
    const auto refresh = [&] {
        const float quiet = risk(C, 1.0 + static_cast<double>(S));
        risk_of[st(CivState::quiet)] = quiet;
        risk_of[st(CivState::informant)] = quiet;
        risk_of[st(CivState::supporter)] =
            count_self_ ? quiet : risk(C, static_cast<double>(std::max<std::int64_t>(S, 1)));
        risk_of[st(CivState::detained)] = 0.0f;
    };
    refresh();

    Rng rng = state.seed.daily(kUpdate, state.day, static_cast<std::uint64_t>(r));
    const double p_inform = informant_probability(state, r);
    std::int64_t to_inform = gap(rng, p_inform);
    std::int64_t to_quit = gap(rng, informant_quit_);
    double margin_sum = 0.0;
    std::int64_t margin_n = 0;
    const Traits* traits = traits_.data();
    CivState* state_of = state_.data();

    for (std::size_t i = b; i < e; ++i) {
        const CivState s = state_of[i];
        if (s == CivState::detained) continue;
        // Epstein's rule A: active iff G - N > T, with N = R * P (* J^alpha).
        const float m = traits[i].hardship * a - traits[i].risk_aversion * risk_of[st(s)] - T;
        if (m > 0.0f) {
            margin_sum += m;
            ++margin_n;
            if (s != CivState::supporter) [[unlikely]] {
                --cnt[st(s)];
                ++cnt[st(CivState::supporter)];
                state_of[i] = CivState::supporter;
                ++S;
                refresh();
            }
        } else if (s == CivState::supporter) [[unlikely]] {
            --cnt[st(CivState::supporter)];
            ++cnt[st(CivState::quiet)];
            state_of[i] = CivState::quiet;
            --S;
            refresh();
        } else if (s == CivState::quiet) {
            if (to_inform == 0) [[unlikely]] {
                --cnt[st(CivState::quiet)];
                ++cnt[st(CivState::informant)];
                state_of[i] = CivState::informant;
                to_inform = gap(rng, p_inform);
            } else {
                --to_inform;
            }
        } else {  // informant who stays out of support
            if (to_quit == 0) [[unlikely]] {
                --cnt[st(CivState::informant)];
                ++cnt[st(CivState::quiet)];
                state_of[i] = CivState::quiet;
                to_quit = gap(rng, informant_quit_);
            } else {
                --to_quit;
            }
        }
    }
    margin_sum_[ri] = margin_sum;
    margin_n_[ri] = margin_n;
}

void Civilians::arrest(SimState& state) {
    begin_flows(state.day);
    for (std::size_t r = 0; r < counts_.size(); ++r) {
        if (grid_index_[r] < 0) arrest_mixed(state, static_cast<int>(r));
        // One aggregated row per region and day (grid arrests were made in phase 3).
        if (arrests_[r] > 0)
            state.rec.event(static_cast<int>(r), "arrest", 0.0,
                            static_cast<double>(arrests_[r]) * scale_);
    }
}

// Mixed mode: each of the region's S / scale effective patrol agents arrests arrest_rate random
// supporters a day (Epstein's cop arrests one active in view per step), so the expected count is
// m = min(supporters, patrols * rate). Thinning: every supporter is taken with probability
// m / supporters, in one scan, by geometric gaps.
void Civilians::arrest_mixed(SimState& state, int r) {
    const auto ri = static_cast<std::size_t>(r);
    auto& cnt = counts_[ri];
    const std::int64_t S = cnt[st(CivState::supporter)];
    if (S == 0) return;
    const double patrols = std::max(0.0, state.regions.presence[ri]) / scale_;
    const double m = std::min(static_cast<double>(S), patrols * arrest_rate_);
    if (!(m > 0)) return;
    const double p = m / static_cast<double>(S);
    Rng rng = state.seed.daily(kArrest, state.day, static_cast<std::uint64_t>(r));
    std::int64_t next = gap(rng, p);
    std::int64_t arrested = 0;
    CivState* state_of = state_.data();
    const std::size_t e = idx(region_begin_[ri + 1]);
    for (auto i = idx(region_begin_[ri]); i < e;) {
        // Eight agents holding no more supporters than are still to be skipped are passed over
        // whole (the same supporters are taken as one by one).
        if (i + 8 <= e) {
            const std::int64_t c = marked(bytes_equal(load8(state_of + i), CivState::supporter));
            if (c <= next) {
                next -= c;
                i += 8;
                continue;
            }
        }
        const std::size_t stop = std::min(e, i + 8);
        for (; i < stop; ++i) {
            if (state_of[i] != CivState::supporter) continue;
            if (next > 0) {
                --next;
                continue;
            }
            state_of[i] = CivState::detained;
            jail_[i] = static_cast<std::uint16_t>(draw_jail_term(rng, jail_draw_, max_jail_));
            ++arrested;
            next = gap(rng, p);
        }
    }
    cnt[st(CivState::supporter)] -= arrested;
    cnt[st(CivState::detained)] += arrested;
    arrests_[ri] += arrested;
}

// A term t keeps the agent out of t daily updates: released in phase 8 of the day its counter
// is found at 0 (a term of 0 is released the day of its arrest).
void Civilians::serve_terms(SimState& state) {
    begin_flows(state.day);
    for (std::size_t r = 0; r < counts_.size(); ++r) {
        auto& cnt = counts_[r];
        if (cnt[st(CivState::detained)] == 0) continue;
        std::int64_t released = 0;
        CivState* state_of = state_.data();
        std::uint16_t* jail = jail_.data();
        const auto serve = [&](std::size_t i) {
            if (jail[i] == 0) {
                state_of[i] = CivState::quiet;  // grid: stays on its cell (Mesa)
                ++released;
            } else {
                --jail[i];
            }
        };
        const std::size_t b = idx(region_begin_[r]), e = idx(region_begin_[r + 1]);
        std::size_t i = b;
        // Eight states at a time; only the detained among them are visited.
        for (; i + 8 <= e; i += 8)
            for (std::uint64_t m = bytes_equal(load8(state_of + i), CivState::detained); m != 0;
                 m &= m - 1)
                serve(i + static_cast<std::size_t>(std::countr_zero(m) / 8));
        for (; i < e; ++i)
            if (state_of[i] == CivState::detained) serve(i);
        cnt[st(CivState::detained)] -= released;
        cnt[st(CivState::quiet)] += released;
        releases_[r] += released;
    }
}

void Civilians::record(SimState& state) const {
    auto& rec = state.rec;
    const bool today = flows_day_ == state.day;
    double pop = 0, leg = 0, intim = 0;
    for (std::size_t r = 0; r < counts_.size(); ++r) {
        const auto& c = counts_[r];
        const auto persons = [&](CivState s) { return static_cast<double>(c[st(s)]) * scale_; };
        rec.add(Ind::civilians_quiet, persons(CivState::quiet));
        rec.add(Ind::supporters, persons(CivState::supporter));
        rec.add(Ind::supporters_country, country_[r], persons(CivState::supporter));
        rec.add(Ind::informants, persons(CivState::informant));
        rec.add(Ind::civilians_detained, persons(CivState::detained));
        if (today) {
            rec.add(Ind::arrests, static_cast<double>(arrests_[r]) * scale_);
            rec.add(Ind::jail_releases, static_cast<double>(releases_[r]) * scale_);
        }
        const double w = population_[r];
        pop += w;
        leg += w * state.regions.legitimacy[r];
        intim += w * state.regions.intimidation[r];
    }
    rec.set(Ind::legitimacy_mean, pop > 0 ? leg / pop : 0.0);
    rec.set(Ind::intimidation_mean, pop > 0 ? intim / pop : 0.0);
#if RESURGENCE_CHECKS
    if (state.spec.checks) check_invariants(false);
#endif
}

// ---- invariants ---------------------------------------------------------------------------

void Civilians::check_invariants(bool deep) const {
    const auto fail = [](const std::string& what) { throw InvariantViolation("civilians: " + what); };
    // The first bad agent of [b, e), by the rules below (throws).
    const auto find_bad_agent = [&](std::size_t b, std::size_t e) {
        for (auto i = b; i < e; ++i) {
            const auto s = st(state_[i]);
            if (s > 3) fail(fmt::format("agent {} has an invalid state {}", i, s));
            if (state_[i] != CivState::detained && jail_[i] != 0)
                fail(fmt::format("agent {} is free with jail term {}", i, jail_[i]));
            if (jail_[i] > max_jail_)
                fail(fmt::format("agent {} has jail term {} above the maximum {}", i, jail_[i],
                                 max_jail_));
        }
    };
    const CivState* state_of = state_.data();
    const std::uint16_t* jail = jail_.data();
    const auto max_jail = static_cast<std::uint32_t>(std::max(0, max_jail_));
    for (std::size_t r = 0; r < counts_.size(); ++r) {
        // Daily with `checks`, so it is a fast pass (states counted 8 at a time, the jail rules
        // folded without branches); the slow pass only finds and names a problem.
        std::array<std::int64_t, 4> recount{};
        const std::size_t b = idx(region_begin_[r]), e = idx(region_begin_[r + 1]);
        std::uint64_t invalid = 0;  // bits above 3 in some state byte
        std::size_t i = b;
        for (; i + 8 <= e; i += 8) {
            const std::uint64_t w = load8(state_of + i);
            invalid |= w & 0xFCFCFCFCFCFCFCFCull;
            for (std::size_t s = 0; s < 4; ++s)
                recount[s] += marked(bytes_equal(w, static_cast<CivState>(s)));
        }
        for (; i < e; ++i) {
            invalid |= st(state_of[i]) & ~std::size_t{3};
            ++recount[st(state_of[i]) & 3];
        }
        unsigned bad = 0;
        for (i = b; i < e; ++i)
            bad |= static_cast<unsigned>((jail[i] != 0) & (state_of[i] != CivState::detained)) |
                   static_cast<unsigned>(jail[i] > max_jail);
        if (invalid != 0 || bad != 0) find_bad_agent(b, e);
        if (recount != counts_[r])
            fail(fmt::format("region {}: counts quiet/supporter/informant/detained {}/{}/{}/{} "
                             "but the agents say {}/{}/{}/{}",
                             r, counts_[r][0], counts_[r][1], counts_[r][2], counts_[r][3],
                             recount[0], recount[1], recount[2], recount[3]));
        const auto sum = recount[0] + recount[1] + recount[2] + recount[3];
        if (sum != region_begin_[r + 1] - region_begin_[r])
            fail(fmt::format("region {}: {} agents by state, {} created", r, sum,
                             region_begin_[r + 1] - region_begin_[r]));
    }
    for (const auto& g : grids_) {
        const auto b = idx(region_begin_[static_cast<std::size_t>(g.region)]);
        // Every agent's cell is taken, no two agents share one, and there are as many taken
        // cells as agents: positions and taken cells are one-to-one. supporter_at marks exactly
        // the free supporters' cells, each with its supporter: a marked cell holds the citizen
        // it names (here), and each citizen's cell holds its marker or none (below).
        std::size_t occupied = 0;
        for (std::uint32_t cell = 0; cell < g.window.cells(); ++cell) {
            // A byte map must hold exactly 1 or 0: the move's sampler shifts it into a bit mask.
            const std::uint32_t v = g.vacancy(cell);
            if (v > 1)
                fail(fmt::format("region {}: the vacancy map holds {} at cell {}", g.region, v,
                                 cell));
            occupied += 1 - v;
            const auto who = g.supporter_at[cell];
            if (who != CivilianGrid::kNoSupporter &&
                (who < 0 || static_cast<std::size_t>(who) >= g.position.size() ||
                 g.position[static_cast<std::size_t>(who)] != cell))
                fail(fmt::format("region {}: cell {} is marked as holding free supporter {}, who "
                                 "is not there",
                                 g.region, cell, who));
        }
        if (occupied != g.position.size() + g.cop_position.size())
            fail(fmt::format("region {}: {} occupied cells for {} citizens and {} cops", g.region,
                             occupied, g.position.size(), g.cop_position.size()));
        std::fill(g.check_marks.begin(), g.check_marks.end(), 0);
        const auto on_its_cell = [&](std::uint32_t cell, const char* kind, std::size_t i) {
            if (cell >= g.window.cells() || g.is_empty(cell))
                fail(fmt::format("region {}: {} {} is on cell {}, which is {}", g.region, kind, i,
                                 cell, cell >= g.window.cells() ? "off the grid" : "empty"));
            std::uint64_t& word = g.check_marks[cell >> 6];
            const std::uint64_t bit = std::uint64_t{1} << (cell & 63);
            if ((word & bit) != 0)
                fail(fmt::format("region {}: {} {} is on cell {}, which holds another agent",
                                 g.region, kind, i, cell));
            word |= bit;
        };
        for (std::size_t i = 0; i < g.position.size(); ++i) on_its_cell(g.position[i], "citizen", i);
        for (std::size_t c = 0; c < g.cop_position.size(); ++c)
            on_its_cell(g.cop_position[c], "cop", c);
        for (std::size_t i = 0; i < g.position.size(); ++i) {
            const bool active = state_[b + i] == CivState::supporter;
            const auto marked = g.supporter_at[g.position[i]];
            if (marked != (active ? static_cast<std::int32_t>(i) : CivilianGrid::kNoSupporter))
                fail(fmt::format("region {}: the cell of citizen {} ({}) is marked {}", g.region, i,
                                 active ? "a free supporter" : "not a free supporter", marked));
        }
        if (!deep) continue;
        // Brute force: every cell's view rescanned through the metric (TorusWindow::sees), not
        // through the spans the incremental counts use. Candidates are the (2v+1)^2 box around
        // the cell, clipped to the torus so that no cell is visited twice.
        // (This pass allocates a byte a cell; the daily check is the one above.)
        enum : std::uint8_t { kOther = 0, kCop = 1, kActive = 2 };
        std::vector<std::uint8_t> kind(g.window.cells(), kOther);
        for (const std::uint32_t cell : g.cop_position) kind[cell] = kCop;
        for (std::size_t i = 0; i < g.position.size(); ++i)
            if (state_[b + i] == CivState::supporter) kind[g.position[i]] = kActive;
        const auto& w = g.window;
        const auto W = static_cast<std::uint32_t>(w.width());
        const auto Hh = static_cast<std::uint32_t>(w.height());
        const auto v = static_cast<std::uint32_t>(w.radius());
        const std::uint32_t bw = std::min(2 * v + 1, W), bh = std::min(2 * v + 1, Hh);
        for (std::uint32_t cell = 0; cell < w.cells(); ++cell) {
            const std::uint32_t x = cell % W, y = cell / W;
            std::uint32_t cops = 0, actives = 0;
            for (std::uint32_t i = 0; i < bh; ++i) {
                const std::uint32_t yy = (y + Hh * (v / Hh + 1) - v + i) % Hh;
                for (std::uint32_t j = 0; j < bw; ++j) {
                    const std::uint32_t xx = (x + W * (v / W + 1) - v + j) % W;
                    const std::uint32_t other = yy * W + xx;
                    if (kind[other] == kOther || !w.sees(cell, other)) continue;
                    if (kind[other] == kCop) ++cops;
                    else ++actives;
                }
            }
            if (cops != g.cops_seen(cell) || actives != g.actives_seen(cell))
                fail(fmt::format("region {} cell ({}, {}): incremental counts {} cops / {} actives "
                                 "in view, brute force {} / {}",
                                 g.region, x, y, g.cops_seen(cell),
                                 g.actives_seen(cell), cops, actives));
        }
    }
}

}  // namespace resurgence
