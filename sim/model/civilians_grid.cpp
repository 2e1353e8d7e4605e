// Grid-mode civilians: Epstein's (2002) Model I on a torus per region, model-spec §5.1.
//
// Each day every free citizen and every cop of the region is activated once, in a random order
// drawn from a keyed daily stream (random-sequential activation, as Epstein and NetLogo; Mesa's
// shuffled scheduler is the same). An activated agent first moves to a random empty cell in
// view (rule M), then a citizen decides (rule A) and a cop arrests a random active in view
// (rule C). The whole activation runs in Civilians::update (phase 3); arrests are therefore
// made in phase 3 and arrest() (phase 7) only reports them. Jailed citizens keep their cell and
// do not act (Mesa); docs/epstein.md lists where NetLogo differs.
//
// Cost: the per-cell counts of cops and free actives in view are kept incrementally (a window
// update of ~(2v+1)^2/2 cells when a cop or an active moves, an active appears or one is
// jailed) instead of rescanning the window at every decision.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <type_traits>
#include <utility>

#include "resurgence/core/error.hpp"
#include "resurgence/core/huge_pages.hpp"
#include "resurgence/model/civilians.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence {

namespace {
inline constexpr Purpose kPlace{"civilians.place"};
inline constexpr Purpose kGridDay{"civilians.grid"};
inline constexpr Purpose kCops{"civilians.cops"};

// Tries at a uniformly random window cell before listing the window's empty cells. Rejection
// sampling returns a uniform empty cell whenever it succeeds, and the fallback is uniform too,
// so the mixture is exactly uniform over the empty cells in view. At the reference density
// (26% of cells empty) 32 tries all fail with probability 0.74^32 ~ 1e-4.
constexpr int kMoveTries = 32;
// Tries tested together (multiples of 4 dividing kMoveTries): 8 where a try is an offset from
// the centre, 4 where the window wraps and each try costs two more table look-ups.
constexpr int kMoveRound = 8;
constexpr int kMoveRoundWrapped = 4;
static_assert(kMoveRound % 4 == 0 && kMoveTries % kMoveRound == 0 && kMoveRound <= 32);
static_assert(kMoveRoundWrapped % 4 == 0 && kMoveTries % kMoveRoundWrapped == 0);
constexpr int kPlaceTries = 64;
// Activation orders longer than this (8 MiB of slots, beyond what the last-level cache held of
// one working set on the machines measured) are shuffled with their random slots drawn ahead.
constexpr std::uint32_t kShuffleAheadSlots = 1u << 21;

// Uniform integers in [0, n), n < 2^32, two per 64-bit output of a stream: Lemire's (2019)
// multiply-and-reject on 32-bit halves, exact (no modulo bias). Used for the daily activation
// order and the cops' choice of suspect: halving the generator calls shows in the step rate.
class Draw32 {
public:
    explicit Draw32(Rng& rng) noexcept : rng_(rng) {}
    std::uint32_t below(std::uint32_t n) noexcept {
        const std::uint64_t m = std::uint64_t{next()} * n;
        if (static_cast<std::uint32_t>(m) < n) [[unlikely]] return retry(n, m);
        return static_cast<std::uint32_t>(m >> 32);
    }

private:
    // The rare (p < n / 2^32) rejection path, kept out of line so that its division is not
    // hoisted into every draw.
    [[gnu::noinline]] std::uint32_t retry(std::uint32_t n, std::uint64_t m) noexcept {
        const std::uint32_t threshold = (0u - n) % n;
        while (static_cast<std::uint32_t>(m) < threshold) m = std::uint64_t{next()} * n;
        return static_cast<std::uint32_t>(m >> 32);
    }
    std::uint32_t next() noexcept {
        if (have_) {
            have_ = false;
            return static_cast<std::uint32_t>(buffer_ >> 32);
        }
        buffer_ = rng_();
        have_ = true;
        return static_cast<std::uint32_t>(buffer_);
    }
    Rng& rng_;
    std::uint64_t buffer_ = 0;
    bool have_ = false;
};

// A uniform permutation of `order` in place: Fisher-Yates from the top, the slot swapped with
// slot i - 1 drawn by draw.below(i). On an array beyond the last-level cache every swap's
// random slot is a miss to memory, so there the slots are drawn kAhead swaps before their swap,
// in the same sequence, and asked for meanwhile: the same draws and the same permutation as the
// plain loop. Alone, on 10^7 slots: 7.2-9.5 ns a swap against 16.7-23.7; on 10^6 no gain
// (3.0-3.2 against 3.0-4.9 ns), on 10^5 a loss (docs/performance.md, "7 December 2026,
// evening").
void shuffle(std::vector<std::uint32_t>& order, Draw32& draw, bool ahead_path) {
    const auto size = static_cast<std::uint32_t>(order.size());
    std::uint32_t* o = order.data();
    // i's slot in the ring is i % kAhead (a power of two keeps % cheap).
    constexpr std::uint32_t kAhead = 32;
    if (!ahead_path || size <= kAhead + 1) {
        for (std::uint32_t i = size; i > 1; --i) std::swap(o[i - 1], o[draw.below(i)]);
        return;
    }
    std::uint32_t ahead[kAhead];
    std::uint32_t next = size;  // the next i whose slot is to be drawn
    const auto draw_next = [&]() __attribute__((always_inline)) {
        const std::uint32_t j = draw.below(next);
        ahead[next % kAhead] = j;
        __builtin_prefetch(o + j, 1);
        --next;
    };
    for (std::uint32_t t = 0; t < kAhead; ++t) draw_next();  // for size .. size - 31, all >= 2
    for (std::uint32_t i = size; i > 1; --i) {
        const std::uint32_t j = ahead[i % kAhead];
        if (next > 1) draw_next();  // next == i - kAhead: the slot just read
        std::swap(o[i - 1], o[j]);
    }
}

// The day's activation order by blocks (civilians.activation: blocks) into g.order, sized
// n + cops: the blocks in a uniformly random order, and within a block its agents (by the cell
// each holds now, which is where it acts: only an agent's own activation moves it) in a
// uniformly random order. Any two agents act in either order with probability 1/2, as in a
// uniform permutation; what differs is that agents of one block act one after another. A
// counting sort by rank, then a Fisher-Yates shuffle of each block's run.
void block_order(CivilianGrid& g, std::uint32_t n, Draw32& draw) {
    const auto steps = static_cast<std::uint32_t>(g.order.size());
    const std::uint32_t blocks = g.blocks;
    auto& rank = g.block_rank;
    for (std::uint32_t b = 0; b < blocks; ++b) rank[b] = b;
    for (std::uint32_t i = blocks; i > 1; --i) std::swap(rank[i - 1], rank[draw.below(i)]);
    auto& end = g.block_end;
    std::fill(end.begin(), end.end(), 0u);
    g.scratch.resize(steps);  // within the capacity reserved at init (cells >= steps)
    for (std::uint32_t i = 0; i < steps; ++i) {
        const std::uint32_t cell = i < n ? g.position[i] : g.cop_position[i - n];
        const std::uint32_t k = rank[g.block_of(cell)];
        g.scratch[i] = k;
        ++end[k];
    }
    std::uint32_t sum = 0;  // the counts become the runs' starts, the fill below their ends
    for (std::uint32_t k = 0; k < blocks; ++k) sum += std::exchange(end[k], sum);
    for (std::uint32_t i = 0; i < steps; ++i) g.order[end[g.scratch[i]]++] = i;
    g.scratch.clear();
    std::uint32_t begin = 0;
    for (std::uint32_t k = 0; k < blocks; ++k) {
        std::uint32_t* run = g.order.data() + begin;
        for (std::uint32_t i = end[k] - begin; i > 1; --i) std::swap(run[i - 1], run[draw.below(i)]);
        begin = end[k];
    }
}

}  // namespace

// ---- TorusWindow --------------------------------------------------------------------------

int window_half_width(Neighbourhood shape, int radius, int dy) noexcept {
    const int ady = dy < 0 ? -dy : dy;
    if (ady > radius) return -1;
    switch (shape) {
        case Neighbourhood::von_neumann: return radius - ady;  // |dx| + |dy| <= v
        case Neighbourhood::moore: return radius;              // max(|dx|, |dy|) <= v
        case Neighbourhood::disk: {                            // dx^2 + dy^2 <= v^2
            int h = static_cast<int>(std::sqrt(static_cast<double>(radius * radius - ady * ady)));
            while ((h + 1) * (h + 1) + ady * ady <= radius * radius) ++h;
            while (h > 0 && h * h + ady * ady > radius * radius) --h;
            return h;
        }
    }
    return -1;
}

TorusWindow::TorusWindow(int width, int height, int radius, Neighbourhood shape)
    : width_(width),
      height_(height),
      width_u_(static_cast<std::uint32_t>(width)),
      height_u_(static_cast<std::uint32_t>(height)),
      radius_(radius),
      shape_(shape) {
    if (width <= 0 || height <= 0)
        throw InputError(fmt::format("grid: {}x{} has no cells (width and height must be >= 1)",
                                     width, height));
    if (static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > 0xFFFFFFFFull)
        throw InputError(fmt::format("grid: {}x{} has more than 2^32 cells", width, height));
    width_magic_ = ~std::uint64_t{0} / width_u_ + 1;
    cells_ = width_u_ * height_u_;
    if (radius < 0) throw InputError(fmt::format("civilians.vision: {} is below 0", radius));
    // Rows dy and dy + height are the same row on a small torus: keep the widest run of each
    // (shapes narrow with |dy|, so that is the union), and a run of >= width columns is the row.
    std::vector<int> half(static_cast<std::size_t>(height), -1);
    for (int dy = -radius; dy <= radius; ++dy) {
        const int row = ((dy % height) + height) % height;
        half[static_cast<std::size_t>(row)] =
            std::max(half[static_cast<std::size_t>(row)], window_half_width(shape, radius, dy));
    }
    r_ = static_cast<std::uint32_t>(radius);
    if (2 * radius + 1 <= width && 2 * radius + 1 <= height) {
        inner_w_ = static_cast<std::uint32_t>(width - 2 * radius);
        inner_h_ = static_cast<std::uint32_t>(height - 2 * radius);
        for (int dy = -radius; dy <= radius; ++dy) {
            const int h = window_half_width(shape, radius, dy);
            interior_.push_back({static_cast<std::ptrdiff_t>(dy) * width - h,
                                 static_cast<std::uint32_t>(2 * h + 1)});
        }
        mostly_interior_ = 4ull * inner_w_ * inner_h_ >= 3ull * cells_;
    }
    for (int row = 0; row < height; ++row) {
        const int h = half[static_cast<std::size_t>(row)];
        if (h < 0) continue;
        const int len = std::min(2 * h + 1, width);
        const int start = len == width ? 0 : ((-h % width) + width) % width;
        spans_.push_back({static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(start),
                          static_cast<std::uint32_t>(len)});
        size_ += static_cast<std::uint32_t>(len);
        for (int i = 0; i < len; ++i) {
            const auto dx = static_cast<std::uint32_t>((start + i) % width);
            if (row == 0 && dx == 0) continue;  // the centre
            others_.push_back({dx, static_cast<std::uint32_t>(row)});
        }
    }
    if (!others_.empty()) {
        const auto n = static_cast<std::uint32_t>(others_.size());
        neighbour_reject16_ = n < 65536u ? 65536u % n : 0u;
    }
    if (inner_w_ > 0) {
        // Without self-wrap each offset has one signed form: dx in [0, width) stands for dx or
        // dx - width, whichever is within the radius.
        for (const Offset& o : others_) {
            const auto sx = static_cast<std::ptrdiff_t>(o.dx) - (o.dx > r_ ? width : 0);
            const auto sy = static_cast<std::ptrdiff_t>(o.dy) - (o.dy > r_ ? height : 0);
            interior_others_.push_back(sy * width + sx);
            shifts_.push_back({static_cast<std::uint32_t>(sx + radius),
                               static_cast<std::uint32_t>(sy + radius)});
        }
        for (int i = 0; i < width + 2 * radius; ++i)
            wrap_col_.push_back(static_cast<std::uint32_t>(((i - radius) % width + width) % width));
        for (int j = 0; j < height + 2 * radius; ++j)
            wrap_row_.push_back(static_cast<std::uint32_t>(((j - radius) % height + height) % height) *
                                width_u_);
    }
}

bool TorusWindow::sees(std::uint32_t a, std::uint32_t b) const noexcept {
    const auto ay = static_cast<int>(row_of(a)), by = static_cast<int>(row_of(b));
    const int ax = static_cast<int>(a) - ay * width_, bx = static_cast<int>(b) - by * width_;
    int dx = ax > bx ? ax - bx : bx - ax;
    int dy = ay > by ? ay - by : by - ay;
    dx = std::min(dx, width_ - dx);
    dy = std::min(dy, height_ - dy);
    switch (shape_) {
        case Neighbourhood::von_neumann: return dx + dy <= radius_;
        case Neighbourhood::moore: return std::max(dx, dy) <= radius_;
        case Neighbourhood::disk: return dx * dx + dy * dy <= radius_ * radius_;
    }
    return false;
}

// ---- set-up -------------------------------------------------------------------------------

void Civilians::init_grid(CivilianGrid& g, const ScenarioSpec& spec, const RunSeed& seed, int r) {
    const auto ri = static_cast<std::size_t>(r);
    const auto& reg = spec.regions[ri];
    g.region = r;
    g.window = TorusWindow(reg.grid->width, reg.grid->height, spec.params.integer(P::civ_vision),
                           spec.civilians.neighbourhood);
    const std::uint32_t cells = g.window.cells();
    const auto n = static_cast<std::uint32_t>(agents(r));
    if (n > cells)
        throw InputError(fmt::format(
            "regions.{}: population {} / civilians.scale {} = {} civilian agents do not fit its "
            "{}x{} grid (one agent per cell)",
            reg.id, reg.population, scale_, n, reg.grid->width, reg.grid->height));
    if (g.window.size() > 65535)
        throw InputError(fmt::format("civilians.vision: a window of {} cells is above 65535",
                                     g.window.size()));
    g.reset_vacancy(cells);
    assign_on_huge_pages(g.position, n, 0u);
    g.cop_position.clear();
    g.cop_position.reserve(cells - n);
    g.narrow_counts = g.window.size() <= 255;
    const auto fields = [&](auto& in_view) {
        using Count = typename std::decay_t<decltype(in_view.cops)>::value_type;
        assign_on_huge_pages(in_view.cops, cells + TorusWindow::kFieldPadding, Count{0});
        assign_on_huge_pages(in_view.actives, cells + TorusWindow::kFieldPadding, Count{0});
    };
    if (g.narrow_counts) fields(g.seen8);
    else fields(g.seen16);
    assign_on_huge_pages(g.supporter_at, cells, CivilianGrid::kNoSupporter);
    g.check_marks.assign((static_cast<std::size_t>(cells) + 63) / 64, 0);
    reserve_on_huge_pages(g.order, cells);
    g.scratch.resize(cells);
    g.blocks = 0;
    if (spec.civilians.activation == Activation::blocks) {
        const auto side = static_cast<std::uint32_t>(spec.civilians.activation_block);
        const auto width = static_cast<std::uint32_t>(reg.grid->width);
        const auto height = static_cast<std::uint32_t>(reg.grid->height);
        const std::uint32_t across = (width + side - 1) / side;
        g.blocks = across * ((height + side - 1) / side);
        g.block_of_column.resize(width);
        for (std::uint32_t x = 0; x < width; ++x) g.block_of_column[x] = x / side;
        g.block_of_row.resize(height);
        for (std::uint32_t y = 0; y < height; ++y) g.block_of_row[y] = y / side * across;
        g.block_rank.assign(g.blocks, 0u);
        g.block_end.assign(g.blocks, 0u);
    }

    // Citizens on n distinct uniformly random cells (partial Fisher-Yates over the cells), as
    // NetLogo's "move-to one-of patches with [not any? turtles-here]" one by one.
    Rng rng = seed.stream(kPlace, ri);
    for (std::uint32_t c = 0; c < cells; ++c) g.scratch[c] = c;
    for (std::uint32_t i = 0; i < n; ++i) {
        const auto j = i + static_cast<std::uint32_t>(rng.below(cells - i));
        std::swap(g.scratch[i], g.scratch[j]);
    }
    if (g.blocks > 0) {
        // Activation by blocks: citizens numbered block by block (a stable counting sort of the
        // chosen cells by block), so that the agents a block activates have neighbouring
        // indices and their columns share cache lines. The cells are the same uniformly random
        // set and the agents' attributes are independent of their index, so this is only a
        // relabelling: the model is unchanged in distribution.
        auto& at = g.block_end;
        std::fill(at.begin(), at.end(), 0u);
        for (std::uint32_t i = 0; i < n; ++i) ++at[g.block_of(g.scratch[i])];
        std::uint32_t sum = 0;
        for (auto& e : at) sum += std::exchange(e, sum);
        g.order.resize(n);
        for (std::uint32_t i = 0; i < n; ++i) g.order[at[g.block_of(g.scratch[i])]++] = g.scratch[i];
        std::copy(g.order.begin(), g.order.end(), g.scratch.begin());
        g.order.clear();
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        g.position[i] = g.scratch[i];
        g.put(g.scratch[i]);
    }
    g.scratch.clear();  // keeps its capacity (cells) for the daily loop

    // Net risk per unit of risk aversion for each (cops in view, A) pair a decision is likely to
    // meet, at one effective cop per cop: the daily loop looks b up instead of dividing and
    // calling exp.
    g.risk_table.resize(CivilianGrid::kRiskCops * CivilianGrid::kRiskA);
    for (std::uint32_t c = 0; c < CivilianGrid::kRiskCops; ++c)
        for (std::uint32_t A = 0; A < CivilianGrid::kRiskA; ++A)
            g.risk_table[c * CivilianGrid::kRiskA + A] =
                risk(static_cast<double>(c), static_cast<double>(std::max(A, 1u)));
}

// Cops on the grid follow the region's patrol personnel: round(patrol / scale) agents. A force
// cut removes uniformly random cops, a reinforcement places new ones on uniformly random empty
// cells; at most every empty cell can take one.
void Civilians::sync_cops(CivilianGrid& g, const SimState& state, Rng& rng) {
    const auto ri = static_cast<std::size_t>(g.region);
    const std::uint32_t cells = g.window.cells();
    const auto room = static_cast<std::int64_t>(cells - g.position.size());
    const std::int64_t target =
        std::min<std::int64_t>(room, std::llround(std::max(0.0, state.regions.patrol[ri]) / scale_));
    auto n = static_cast<std::int64_t>(g.cop_position.size());
    while (n > target) {
        const auto k = static_cast<std::uint32_t>(rng.below(static_cast<std::uint64_t>(n)));
        const std::uint32_t cell = g.cop_position[k];
        g.add_cop(cell, -1);
        g.vacate(cell);
        g.cop_position[k] = g.cop_position.back();
        g.cop_position.pop_back();
        --n;
    }
    while (n < target) {
        std::uint32_t cell = cells;
        for (int t = 0; t < kPlaceTries && cell == cells; ++t) {
            const auto c = static_cast<std::uint32_t>(rng.below(cells));
            if (g.is_empty(c)) cell = c;
        }
        if (cell == cells) {
            g.scratch.clear();
            for (std::uint32_t c = 0; c < cells; ++c)
                if (g.is_empty(c)) g.scratch.push_back(c);
            cell = g.scratch[rng.below(g.scratch.size())];  // room > 0 guarantees one
        }
        g.put(cell);
        g.cop_position.push_back(cell);
        g.add_cop(cell, +1);
        ++n;
    }
}

namespace {

// The listing fallback of random_empty_in_view: a uniformly random empty cell of the window
// around `cell`, or `cell` when there is none. Rare (all tries failed), so kept out of line.
[[gnu::noinline]] std::uint32_t random_empty_listed(CivilianGrid& g, std::uint32_t cell, Rng& rng) {
    g.scratch.clear();
    g.window.for_each(cell, [&](std::uint32_t c) {
        if (g.is_empty(c)) g.scratch.push_back(c);
    });
    if (g.scratch.empty()) return cell;
    return g.scratch[rng.below(g.scratch.size())];
}

// A uniformly random empty cell in the window around `cell`, or `cell` when there is none
// (rule M). Rejection sampling over the window's other cells, a round of tries at a time:
//   - each try is a uniform k in [0, others) from 16 bits of the stream, by Lemire's (2019)
//     multiply: k = (u others) >> 16, exact once the draws whose low half is below
//     2^16 mod others are rejected; four tries per 64-bit output;
//   - the round's tries are all made and tested without a branch, and the first empty one wins,
//     unless its draw is one of the biased ones (probability < others / 2^16 per try), when the
//     next empty one is taken: that is the first try that is both unbiased and empty, as if the
//     tries were made one by one, so the winner is a uniform empty cell in view;
//   - the one branch a round is "did any try hit?": at Mesa's density (77% of the cells taken) a
//     round of 8 misses with probability 0.77^8 = 0.13 and one of 4 with 0.36, so the processor
//     predicts it, where a branch after each try (the sampler before December 2026) was a coin
//     it could not.
// A round consumes kRound / 4 outputs of the stream whatever its outcome (so the number of
// draws depends on the centre: interior or wrapping); after kMoveTries tries the empty cells of
// the window are listed.
// kBits: the grid's vacancy map is the bitmap (CivilianGrid::bit_vacancy).
template <bool kBits>
[[gnu::always_inline]] inline std::uint32_t random_empty_in_view_inline(CivilianGrid& g,
                                                                        std::uint32_t cell,
                                                                        Rng& rng) {
    const TorusWindow& w = g.window;
    const std::uint32_t others = w.size() - 1;  // < 2^16 (init_grid refuses larger windows)
    if (others == 0) return cell;
    const std::uint32_t reject = w.neighbour_reject16();
    const auto empty = [&g](std::uint32_t c) -> std::uint32_t { return g.vacancy<kBits>(c); };
    const std::uint32_t y = w.row_of(cell);
    const std::uint32_t x = cell - y * static_cast<std::uint32_t>(w.width());
    // `round`: the tries of a round, a std::integral_constant (kMoveRound where a try is a table
    // offset, kMoveRoundWrapped where it costs two more look-ups).
    const auto pick = [&](auto round, auto&& at) __attribute__((always_inline)) -> std::uint32_t {
        constexpr int kRound = decltype(round)::value;
        Rng local = rng;
        std::uint32_t found = w.cells();  // none yet
        for (int t = 0; t < kMoveTries && found == w.cells(); t += kRound) {
            std::uint64_t bits[kRound / 4];
            for (auto& b : bits) b = local();
            std::uint32_t hits = 0;
            for (int i = 0; i < kRound; ++i) {
                const auto u = static_cast<std::uint32_t>(bits[i / 4] >> (16 * (i % 4))) & 0xFFFFu;
                hits |= empty(at((u * others) >> 16)) << i;
            }
            while (hits != 0) [[likely]] {
                const int i = std::countr_zero(hits);
                const auto u = static_cast<std::uint32_t>(bits[i / 4] >> (16 * (i % 4))) & 0xFFFFu;
                const std::uint32_t m = u * others;
                if ((m & 0xFFFFu) >= reject) [[likely]] {
                    found = at(m >> 16);  // the winner's cell, computed again
                    break;
                }
                hits &= hits - 1;  // a biased draw: as if rejected, try the next empty one
            }
        }
        rng = local;
        return found;
    };
    using Interior = std::integral_constant<int, kMoveRound>;
    using Wrapped = std::integral_constant<int, kMoveRoundWrapped>;
    const std::uint32_t found =
        w.mostly_interior() && w.interior(x, y)
            ? pick(Interior{}, [&](std::uint32_t k) {
                  return static_cast<std::uint32_t>(static_cast<std::ptrdiff_t>(cell) +
                                                    w.interior_offset(k));
              })
        : w.has_wrap_tables()
            ? pick(Wrapped{}, [&](std::uint32_t k) { return w.neighbour_wrapped(x, y, k); })
            : pick(Wrapped{}, [&](std::uint32_t k) { return w.neighbour(x, y, k); });
    if (found != w.cells()) return found;
    return random_empty_listed(g, cell, rng);
}

}  // namespace

void shuffle_order(std::vector<std::uint32_t>& order, Rng& rng, bool ahead) {
    Draw32 draw(rng);
    shuffle(order, draw, ahead);
}

std::uint32_t random_empty_in_view(CivilianGrid& g, std::uint32_t cell, Rng& rng) {
    // The 16-bit tries need fewer than 2^16 other cells (init_grid refuses larger windows).
    if (g.window.size() > 65535)
        throw InputError(fmt::format("random_empty_in_view: a window of {} cells is above 65535",
                                     g.window.size()));
    return g.bit_vacancy ? random_empty_in_view_inline<true>(g, cell, rng)
                         : random_empty_in_view_inline<false>(g, cell, rng);
}

// ---- the day ------------------------------------------------------------------------------

namespace {

// Rule C found fewer free supporters in a cop's window than the in-view count said (find_nth
// fell back to the cop's own cell, which holds no supporter). Only a broken invariant gets
// here; without this stop the arrest would index the agents with -1.
[[noreturn, gnu::noinline, gnu::cold]] void no_suspect_in_view(const CivilianGrid& g,
                                                               std::uint32_t cell,
                                                               std::uint32_t candidates) {
    std::uint32_t marked = 0;
    g.window.for_each(cell, [&](std::uint32_t c) {
        marked += g.supporter_at[c] != CivilianGrid::kNoSupporter ? 1u : 0u;
    });
    throw InvariantViolation(fmt::format(
        "civilians: region {}: a cop on cell {} counts {} free supporters in view, but {} cells "
        "of its window are marked as holding one (the in-view counts and the markers disagree)",
        g.region, cell, candidates, marked));
}

}  // namespace

void Civilians::update_grid(SimState& state, CivilianGrid& g) {
    if (g.narrow_counts) {
        if (g.bit_vacancy) update_grid_with<std::uint8_t, true>(state, g);
        else update_grid_with<std::uint8_t, false>(state, g);
    } else {
        if (g.bit_vacancy) update_grid_with<std::uint16_t, true>(state, g);
        else update_grid_with<std::uint16_t, false>(state, g);
    }
}

template <class Count, bool kBits>
void Civilians::update_grid_with(SimState& state, CivilianGrid& g) {
    const int r = g.region;
    const auto ri = static_cast<std::size_t>(r);
    {
        Rng cop_rng = state.seed.daily(kCops, state.day, ri);
        sync_cops(g, state, cop_rng);
    }
    Rng rng = state.seed.daily(kGridDay, state.day, ri);
    Draw32 draw(rng);

    auto& cnt = counts_[ri];
    const auto a = static_cast<float>(1.0 - state.regions.legitimacy[ri]);  // G = H (1 - L)
    const float T = threshold_;
    // Each cop in view counts as presence / patrol effective cops (intelligence weighting).
    const double patrol = state.regions.patrol[ri];
    const double f = patrol > 0 ? std::max(0.0, state.regions.presence[ri]) / patrol : 0.0;
    const bool unit_cops = f == 1.0;  // the risk table holds this case
    const bool integer_ratio = ratio_ != ArrestRatio::exact;

    const auto n = static_cast<std::uint32_t>(g.position.size());
    const auto n_cops = static_cast<std::uint32_t>(g.cop_position.size());
    const std::size_t b0 = idx(region_begin_[ri]);
    const Traits* traits = traits_.data() + b0;
    CivState* state_of = state_.data() + b0;

    g.order.resize(n + n_cops);  // within the capacity reserved at init
    if (g.blocks == 0) {
        // Random-sequential activation: a fresh uniform permutation of citizens and cops each day.
        for (std::uint32_t i = 0; i < n + n_cops; ++i) g.order[i] = i;
        shuffle(g.order, draw, g.order.size() > kShuffleAheadSlots);
    } else {
        block_order(g, n, draw);
    }

    const double p_inform = informant_probability(state, r);
    std::int64_t to_inform = gap(rng, p_inform);
    std::int64_t to_quit = gap(rng, informant_quit_);
    double margin_sum = 0.0;
    std::int64_t margin_n = 0;
    std::int64_t arrested = 0;
    // Free supporter `who` appears at `cell`, or the one there leaves it (who = kNoSupporter):
    // the cell's marker and the in-view counts around it.
    auto& cops_seen = g.seen<Count>().cops;
    auto& actives_seen = g.seen<Count>().actives;
    const auto set_active = [&g, &actives_seen](std::uint32_t cell, std::int32_t who)
                                __attribute__((always_inline)) {
        g.supporter_at[cell] = who;
        g.window.add(actives_seen, cell, who != CivilianGrid::kNoSupporter ? +1 : -1);
    };

    const std::uint32_t steps = n + n_cops;
    // Small grids live in L1; beyond that the next agents' columns are fetched while this one
    // works (the order is known ahead; each would otherwise be an L2 miss).
    const bool prefetch = steps > 4096;
    // Whether the in-view counts of a cell are cheap to read (both arrays within the L2 cache:
    // CivilianGrid::kCachedCountCells): then rule A reads them for every agent, without a
    // branch on G; on larger grids each read is a cache miss, spared to the agents with G <= T.
    // Activation by blocks keeps the counts of the block being activated in cache, whatever
    // the grid's size.
    const bool counts_cached =
        g.blocks > 0 || g.window.cells() <= CivilianGrid::kCachedCountCells;
    // On those larger grids, in random order, the next agent's move target is drawn before
    // this citizen's rule A whenever that rule cannot draw from the stream (a supporter, or a
    // quiet citizen or informant whose gap has not run out). Rule A reads only the in-view
    // counts and writes only states, markers and the actives' counts, none of which the move's
    // sampler reads, and no agent other than a cop detains; so the draws and every outcome are
    // those of the plain order. Rule A's read of the counts at the cell just moved to (a miss,
    // prefetched at the move) then overlaps the next move's tries instead of preceding them
    // (docs/performance.md, "7 December 2026, day": 0.77-0.89 of the time at 10^7 agents).
    const bool pipeline = movement_ && !counts_cached && g.pipeline_moves;
    std::uint32_t next_to = 0;  // the next agent's target, when have_next
    bool have_next = false;
    for (std::uint32_t k = 0; k < steps; ++k) {
        const std::uint32_t id = g.order[k];
        if (prefetch && k + 8 < steps) {
            const std::uint32_t ahead = g.order[k + 8];
            if (ahead < n) {
                __builtin_prefetch(traits + ahead);
                __builtin_prefetch(state_of + ahead);
                __builtin_prefetch(g.position.data() + ahead);
            } else {
                __builtin_prefetch(g.cop_position.data() + (ahead - n));
            }
        }
        if (id < n) {
            // ---- citizen
            const CivState s = state_of[id];
            if (s == CivState::detained) continue;  // jailed: no move, no decision (Mesa)
            std::uint32_t cell = g.position[id];
            const float G = traits[id].hardship * a;
            const bool lookups = counts_cached || G - T > 0.0f;
            if (movement_) {  // rule M
                const std::uint32_t to =
                    have_next ? next_to : random_empty_in_view_inline<kBits>(g, cell, rng);
                have_next = false;
                if (to != cell) {
                    if (prefetch && lookups) {  // read by rule A below
                        __builtin_prefetch(actives_seen.data() + to);
                        __builtin_prefetch(cops_seen.data() + to);
                    }
                    g.vacate<kBits>(cell);
                    g.put<kBits>(to);
                    g.position[id] = to;
                    if (s == CivState::supporter) {
                        set_active(cell, CivilianGrid::kNoSupporter);
                        set_active(to, static_cast<std::int32_t>(id));
                    }
                    cell = to;
                }
            }
            if (pipeline && k + 1 < steps &&
                (s == CivState::supporter ||
                 (s == CivState::quiet ? to_inform != 0 : to_quit != 0))) {
                const std::uint32_t next = g.order[k + 1];
                const bool citizen = next < n;
                // A jailed citizen does not move (and stays jailed: only cops detain).
                if (!citizen || state_of[next] != CivState::detained) {
                    const std::uint32_t from =
                        citizen ? g.position[next] : g.cop_position[next - n];
                    next_to = random_empty_in_view_inline<kBits>(g, from, rng);
                    have_next = true;
                    __builtin_prefetch(actives_seen.data() + next_to);
                    __builtin_prefetch(cops_seen.data() + next_to);
                }
            }
            // Rule A. actives_seen counts this agent too when it is active; A = 1 + other
            // actives unless count_self (NetLogo: its own patch is in its in-radius view).
            const bool active_now = s == CivState::supporter;
            // With G <= T the m below is <= 0 whatever the risk (N >= 0, and float rounding is
            // monotone), so rule A fails as it must without the look-ups. On cached grids they
            // are made anyway: "G <= T" (44% of the agents at L = 0.82, decided by H alone) is
            // a branch the processor cannot predict. The costly exp of the rare cases beyond
            // the table is always spared those agents.
            float risk_b = 0.0f;
            if (lookups) {
                const std::uint32_t others =
                    actives_seen[cell] - (active_now && !count_self_ ? 1u : 0u);
                const std::uint32_t c = cops_seen[cell];
                const std::uint32_t A = 1 + others;
                if (unit_cops && c < CivilianGrid::kRiskCops && A < CivilianGrid::kRiskA) [[likely]]
                    risk_b = g.risk_table[c * CivilianGrid::kRiskA + A];
                else if (G - T <= 0.0f)
                    risk_b = 0.0f;  // m <= 0 below all the same
                else if (unit_cops && integer_ratio && c < CivilianGrid::kRiskCops)
                    risk_b = 0.0f;  // A >= 128 > 2c: C/A floors and rounds to 0, so P = 0
                else
                    risk_b = risk(static_cast<double>(c) * f, static_cast<double>(A));
            }
            const float m = G - traits[id].risk_aversion * risk_b - T;
            if (m > 0.0f) {
                margin_sum += m;
                ++margin_n;
                if (!active_now) {
                    --cnt[static_cast<std::size_t>(s)];
                    ++cnt[static_cast<std::size_t>(CivState::supporter)];
                    state_of[id] = CivState::supporter;
                    set_active(cell, static_cast<std::int32_t>(id));
                }
            } else if (active_now) {
                --cnt[static_cast<std::size_t>(CivState::supporter)];
                ++cnt[static_cast<std::size_t>(CivState::quiet)];
                state_of[id] = CivState::quiet;
                set_active(cell, CivilianGrid::kNoSupporter);
            } else if (s == CivState::quiet) {
                if (to_inform == 0) {
                    --cnt[static_cast<std::size_t>(CivState::quiet)];
                    ++cnt[static_cast<std::size_t>(CivState::informant)];
                    state_of[id] = CivState::informant;
                    to_inform = gap(rng, p_inform);
                } else {
                    --to_inform;
                }
            } else {  // informant
                if (to_quit == 0) {
                    --cnt[static_cast<std::size_t>(CivState::informant)];
                    ++cnt[static_cast<std::size_t>(CivState::quiet)];
                    state_of[id] = CivState::quiet;
                    to_quit = gap(rng, informant_quit_);
                } else {
                    --to_quit;
                }
            }
        } else {
            // ---- cop
            const std::uint32_t c = id - n;
            std::uint32_t cell = g.cop_position[c];
            if (movement_) {  // rule M
                const std::uint32_t to =
                    have_next ? next_to : random_empty_in_view_inline<kBits>(g, cell, rng);
                have_next = false;
                if (to != cell) {
                    g.vacate<kBits>(cell);
                    g.put<kBits>(to);
                    g.cop_position[c] = to;
                    g.window.add(cops_seen, cell, -1);
                    g.window.add(cops_seen, to, +1);
                    cell = to;
                }
            }
            // Rule C: arrest a uniformly random free active in view (the cop's own cell holds
            // no citizen, so actives_seen is exactly the candidates).
            const std::uint32_t candidates = actives_seen[cell];
            if (candidates == 0) continue;
            const std::uint32_t j = draw.below(candidates);
            const std::uint32_t at = g.window.find_nth(cell, j, [&g](std::uint32_t x) {
                return g.supporter_at[x] != CivilianGrid::kNoSupporter;
            });
            const std::int32_t held = g.supporter_at[at];
            if (held == CivilianGrid::kNoSupporter) [[unlikely]]
                no_suspect_in_view(g, cell, candidates);
            const auto who = static_cast<std::size_t>(held);
            state_of[who] = CivState::detained;
            jail_[b0 + who] = static_cast<std::uint16_t>(draw_jail_term(rng, jail_draw_, max_jail_));
            --cnt[static_cast<std::size_t>(CivState::supporter)];
            ++cnt[static_cast<std::size_t>(CivState::detained)];
            set_active(at, CivilianGrid::kNoSupporter);
            ++arrested;
        }
    }
    margin_sum_[ri] = margin_sum;
    margin_n_[ri] = margin_n;
    arrests_[ri] += arrested;
}

}  // namespace resurgence
