#pragma once
// Civilians: grievance, support and cooperation after Epstein (2002), model-spec §5.1.
//
// Stored column-wise per agent (hardship, risk aversion, state, jail term; grid position in
// grid mode); one agent stands for `civilians.scale` persons. Two modes:
//  - mixed: "in view" is the whole region; agents are visited in storage order (their
//    attributes are i.i.d. draws, so that order is a uniformly random one fixed at creation);
//  - grid:  agents and patrols live on a torus per region, view is a radius (Epstein Model I).
// Implementation: sim/model/civilians.cpp (+ civilians_grid.cpp). See docs/epstein.md.
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/model/grid.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

struct SimState;

enum class CivState : std::uint8_t { quiet = 0, supporter = 1, informant = 2, detained = 3 };

class Civilians {
public:
    // Creates the agents of every region (population / scale each) from the spec's region
    // baselines, drawing from the run's streams. Grid regions also place patrols.
    void init(const ScenarioSpec& spec, const RunSeed& seed, const SimState& state);
    // Phase 3: grievance, perceived risk and state of every agent (uses state.regions).
    // Grid regions run Epstein's whole interleaved activation here (moves, decisions and the
    // cops' arrests), so that their arrests happen in phase 3; see docs/epstein.md.
    void update(SimState& state);
    // Phase 7 part: arrests of supporters by patrols (Epstein's cops), jail terms. Mixed
    // regions only; emits one `arrest` event per region and day for both modes.
    void arrest(SimState& state);
    // Phase 8 part: jail terms run down; released agents return quiet.
    void serve_terms(SimState& state);
    // Phase 10: writes stocks (persons) into the day's record.
    void record(SimState& state) const;

    // Counts in agents (not persons) for region r, kept current by the phases.
    [[nodiscard]] std::int64_t agents(int r) const;
    [[nodiscard]] std::int64_t count(int r, CivState s) const;
    [[nodiscard]] std::int64_t total_agents() const;
    // Supporters' mean margin G - N - T over supporters in r (recruitment pool quality, §5.3),
    // as of the last update() (phase 3); 0 when r has no supporters.
    [[nodiscard]] double supporter_margin(int r) const;

    // ---- inspection and test hooks (not used by the day loop)
    // Agents of region r are [first_agent(r), first_agent(r) + agents(r)).
    [[nodiscard]] std::int64_t first_agent(int r) const;
    [[nodiscard]] float hardship(std::int64_t i) const { return traits_[idx(i)].hardship; }
    [[nodiscard]] float risk_aversion(std::int64_t i) const { return traits_[idx(i)].risk_aversion; }
    [[nodiscard]] CivState state(std::int64_t i) const { return state_[idx(i)]; }
    [[nodiscard]] int jail_term(std::int64_t i) const { return jail_[idx(i)]; }
    // Overwrites an agent's hardship and risk aversion (unit tests on hand-set agents).
    void set_attributes(std::int64_t i, float hardship, float risk_aversion);
    // The grid of region r, or nullptr for a mixed region.
    [[nodiscard]] const CivilianGrid* grid(int r) const;
    // Every grid's vacancy map rebuilt as a bitmap (true) or a byte map (false), whatever its
    // size would choose: for the test that both forms give the same days.
    void rebuild_vacancy(bool bits);
    // Every grid's daily loop with (true, the default) or without the next move drawn ahead of
    // rule A (CivilianGrid::pipeline_moves): for the test that both orders give the same days.
    void set_pipeline_moves(bool on);
    // Patrol agents (cops) on region r's grid; 0 for a mixed region.
    [[nodiscard]] std::int64_t cops(int r) const;
    // Recounts every state and checks jail terms and grid occupancy; `deep` also recomputes
    // every cell's in-view counts by brute force (O(cells x window)). Throws
    // InvariantViolation naming the first mismatch.
    void check_invariants(bool deep) const;

    // ---- the rules, as free-standing functions of their inputs (used by both modes)
    // Epstein's estimated arrest probability P = 1 - exp(-k * ratio(C / A)).
    [[nodiscard]] static double arrest_probability(double C, double A, double k,
                                                   ArrestRatio ratio) noexcept;
    // A jail term in days drawn per `draw` for maximum term `max_term`.
    [[nodiscard]] static int draw_jail_term(Rng& rng, JailTermDraw draw, int max_term) noexcept;

private:
    [[nodiscard]] static std::size_t idx(std::int64_t i) { return static_cast<std::size_t>(i); }
    // Never reached by a countdown (a daily scan is far shorter).
    static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
    // Bernoulli(p) trials skipped before the next success (geometric gap); kNever when p <= 0.
    [[nodiscard]] static std::int64_t gap(Rng& rng, double p) noexcept;
    void begin_flows(int day);
    // b(C, A) = P * J^alpha: net risk per unit of risk aversion.
    [[nodiscard]] float risk(double C, double A) const noexcept;
    [[nodiscard]] double informant_probability(const SimState& state, int r) const noexcept;
    void update_mixed(SimState& state, int r);
    void arrest_mixed(SimState& state, int r);
    // Grid mode (civilians_grid.cpp).
    void init_grid(CivilianGrid& g, const ScenarioSpec& spec, const RunSeed& seed, int r);
    void sync_cops(CivilianGrid& g, const SimState& state, Rng& rng);
    void update_grid(SimState& state, CivilianGrid& g);
    // Count: the in-view count type; kBits: the vacancy map is the bitmap.
    template <class Count, bool kBits>
    void update_grid_with(SimState& state, CivilianGrid& g);

    // Run constants resolved from the spec at init().
    double scale_ = 1;
    float threshold_ = 0.1f;
    double k_ = 2.3;
    double jail_factor_ = 1;  // J^alpha (1 when alpha = 0)
    int max_jail_ = 0;
    ArrestRatio ratio_ = ArrestRatio::floor;
    JailTermDraw jail_draw_ = JailTermDraw::netlogo;
    bool count_self_ = false;
    bool movement_ = true;
    double arrest_rate_ = 1;
    double informant_rate_ = 0;
    double informant_quit_ = 0;
    double intimidation_effect_ = 0;
    double presence_ref_ = 0.02;  // personnel per resident at which informing saturates
    std::vector<double> population_;  // persons per region
    std::vector<int> country_;        // country index per region

    // Agents, column-wise: 11 bytes each (+4 for the grid position in grid regions).
    std::vector<std::int64_t> region_begin_;  // agents of region r: [begin[r], begin[r+1])
    // Hardship H and risk aversion R side by side: every decision reads both, so on a grid,
    // where agents are activated in a random order, they cost one cache miss instead of two
    // (docs/performance.md, "6 December 2026").
    struct Traits {
        float hardship;
        float risk_aversion;
    };
    std::vector<Traits> traits_;
    std::vector<CivState> state_;
    std::vector<std::uint16_t> jail_;  // days left while detained, else 0

    std::vector<std::array<std::int64_t, 4>> counts_;  // [region][CivState]
    std::vector<double> margin_sum_;                  // over supporters at the last update
    std::vector<std::int64_t> margin_n_;
    std::vector<int> grid_index_;  // region -> index into grids_, -1 = mixed
    std::vector<CivilianGrid> grids_;
    // Today's flows in agents, per region; reset by the first phase that runs on a new day.
    std::vector<std::int64_t> arrests_;
    std::vector<std::int64_t> releases_;
    int flows_day_ = -1;
};

}  // namespace resurgence
