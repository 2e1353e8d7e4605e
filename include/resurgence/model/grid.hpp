#pragma once
// A vision window on a torus (grid-mode civilians, model-spec §5.1; docs/epstein.md).
//
// The window of a cell is every cell within `radius` of it under the chosen neighbourhood
// metric, the centre included, each cell once even when the window wraps around a small torus.
// A window is stored as row spans: for each distinct row offset dy (mod height) a run of
// columns [x + dx, x + dx + len). Every shape we offer (von Neumann diamond, Moore square,
// NetLogo's in-radius disk) is a run of whole columns in each row, so a window update is
// 2v+1 runs, each added 16 cells at a time; centres away from the edges use precomputed
// offsets and skip the wrap-around arithmetic.
//
// Neighbourhoods are symmetric (b is in a's window iff a is in b's), which is what lets a
// per-cell count "how many cops / actives are within view of this cell" be kept incrementally:
// when an agent at c appears, moves away or flips, add ±1 over the window of c.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "resurgence/core/huge_pages.hpp"
#include "resurgence/core/rng.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

class TorusWindow {
public:
    struct Span {
        std::uint32_t drow;  // row offset in [0, height)
        std::uint32_t dcol;  // first column offset in [0, width)
        std::uint32_t len;   // columns in the run, <= width
    };

    TorusWindow() = default;
    // Throws InputError when the grid is empty.
    TorusWindow(int width, int height, int radius, Neighbourhood shape);

    [[nodiscard]] int width() const noexcept { return width_; }
    [[nodiscard]] int height() const noexcept { return height_; }
    [[nodiscard]] std::uint32_t cells() const noexcept { return cells_; }
    // Cells in a window, centre included.
    [[nodiscard]] std::uint32_t size() const noexcept { return size_; }
    [[nodiscard]] const std::vector<Span>& spans() const noexcept { return spans_; }

    // Column and row of a cell. Division by the width through a precomputed multiplier
    // (Lemire, Kaser & Kurz 2019, exact for every 32-bit cell index): a hardware division
    // costs more than the rest of a window lookup.
    [[nodiscard]] std::uint32_t row_of(std::uint32_t cell) const noexcept {
        if (width_u_ == 1) return cell;  // the multiplier would be 2^64
        return static_cast<std::uint32_t>((static_cast<__uint128_t>(width_magic_) * cell) >> 64);
    }

    // The k-th cell of the window around (x, y), k in [0, size() - 1), centre excluded.
    [[nodiscard]] std::uint32_t neighbour(std::uint32_t x, std::uint32_t y,
                                          std::uint32_t k) const noexcept {
        std::uint32_t nx = x + others_[k].dx, ny = y + others_[k].dy;
        if (nx >= width_u_) nx -= width_u_;
        if (ny >= height_u_) ny -= height_u_;
        return ny * width_u_ + nx;
    }
    // The same cell through look-up tables, without a branch or a multiply: valid when the
    // window does not wrap onto itself (has_wrap_tables(); then 2 * radius < width, height).
    [[nodiscard]] bool has_wrap_tables() const noexcept { return !wrap_col_.empty(); }
    [[nodiscard]] std::uint32_t neighbour_wrapped(std::uint32_t x, std::uint32_t y,
                                                  std::uint32_t k) const noexcept {
        const Shift o = shifts_[k];
        return wrap_row_[y + o.dy] + wrap_col_[x + o.dx];
    }
    [[nodiscard]] std::uint32_t neighbour(std::uint32_t centre, std::uint32_t k) const noexcept {
        const std::uint32_t y = row_of(centre);
        return neighbour(centre - y * width_u_, y, k);
    }
    // The same cells for a centre whose window does not wrap (interior(x, y)): centre + offset.
    [[nodiscard]] bool interior(std::uint32_t x, std::uint32_t y) const noexcept {
        return x - r_ < inner_w_ && y - r_ < inner_h_;  // unsigned: x < r_ wraps to huge
    }
    [[nodiscard]] std::ptrdiff_t interior_offset(std::uint32_t k) const noexcept {
        return interior_others_[k];
    }
    // At least 3/4 of the centres are interior. On smaller grids "is this centre interior?" is
    // a branch the processor mispredicts often enough that the wrapping path is cheaper always.
    [[nodiscard]] bool mostly_interior() const noexcept { return mostly_interior_; }
    // Lemire's rejection bound for uniform draws of k in [0, size() - 1) from 16 random bits
    // (2^16 mod (size() - 1), when size() - 1 < 2^16): a draw whose low product half is below it
    // would be biased.
    [[nodiscard]] std::uint32_t neighbour_reject16() const noexcept { return neighbour_reject16_; }

    // Calls f(cell) for every cell of the window around `centre`, centre included.
    template <class F>
    void for_each(std::uint32_t centre, F&& f) const {
        const std::uint32_t y = row_of(centre), x = centre - y * width_u_;
        for (const Span& s : spans_) {
            std::uint32_t row = y + s.drow;
            if (row >= height_u_) row -= height_u_;
            const std::uint32_t base = row * width_u_;
            std::uint32_t col = x + s.dcol;
            if (col >= width_u_) col -= width_u_;
            const std::uint32_t first = std::min(s.len, width_u_ - col);
            for (std::uint32_t i = 0; i < first; ++i) f(base + col + i);
            for (std::uint32_t i = 0; i < s.len - first; ++i) f(base + i);
        }
    }

    // field[c] += delta for every cell c of the window around `centre` (delta = +1 or -1;
    // counts never go negative in use, so the unsigned wrap-around cancels out). `field` must
    // hold cells() + kFieldPadding entries: each run is updated 16 lanes at a time, adding 0 to
    // the lanes past its end. T is std::uint16_t, or std::uint8_t when no count can pass 255
    // (a window of at most 255 cells): then a run of up to 16 cells is one 16-byte operation.
    // Always inlined: the daily loop's window updates are its hot path, and GCC's unit-growth
    // limit outlined them once civilians_grid.cpp grew (callgrind: +4.6% instructions on
    // epstein_40, 2026-12-03).
    template <class T>
    [[gnu::always_inline]] void add(std::vector<T>& field, std::uint32_t centre, int delta) const noexcept {
        T* f = field.data();
        const auto d = static_cast<T>(delta);
        const std::uint32_t y = row_of(centre), x = centre - y * width_u_;
        if (interior(x, y)) {
            // The window does not reach an edge: runs at fixed offsets from the centre (most
            // cells of a large grid).
            T* c = f + centre;
            for (const Run& run : interior_) add_run(c + run.offset, run.len, d);
            return;
        }
        for (const Span& s : spans_) {
            std::uint32_t row = y + s.drow;
            if (row >= height_u_) row -= height_u_;
            T* base = f + row * width_u_;
            std::uint32_t col = x + s.dcol;
            if (col >= width_u_) col -= width_u_;
            const std::uint32_t first = std::min(s.len, width_u_ - col);
            add_run(base + col, first, d);
            if (first < s.len) add_run(base, s.len - first, d);
        }
    }
    static constexpr std::size_t kFieldPadding = 16;

    // The cell of the j-th (0-based, in span order) window cell around `centre` for which
    // pred(cell) holds; `centre` itself when fewer than j + 1 cells qualify.
    template <class Pred>
    [[nodiscard]] std::uint32_t find_nth(std::uint32_t centre, std::uint32_t j, Pred&& pred) const {
        const std::uint32_t y = row_of(centre), x = centre - y * width_u_;
        for (const Span& s : spans_) {
            std::uint32_t row = y + s.drow;
            if (row >= height_u_) row -= height_u_;
            const std::uint32_t base = row * width_u_;
            std::uint32_t col = x + s.dcol;
            if (col >= width_u_) col -= width_u_;
            for (std::uint32_t i = 0; i < s.len; ++i) {
                std::uint32_t c = col + i;
                if (c >= width_u_) c -= width_u_;
                if (pred(base + c)) {
                    if (j == 0) return base + c;
                    --j;
                }
            }
        }
        return centre;
    }

    [[nodiscard]] int radius() const noexcept { return radius_; }
    [[nodiscard]] Neighbourhood shape() const noexcept { return shape_; }

    // Reference test of membership, by the metric on torus distances (tests, invariant checks):
    // true when b is in the window of a.
    [[nodiscard]] bool sees(std::uint32_t a, std::uint32_t b) const noexcept;

private:
    // p[0..len) += d, 16 lanes at a time (GCC/Clang vector extension: SSE2 on x86-64, NEON on
    // arm64); lanes at and past len get 0 through a mask. Reads and writes p[0..16k).
    static void add_run(std::uint16_t* p, std::uint32_t len, std::uint16_t d) noexcept {
        using V = std::uint16_t __attribute__((vector_size(16)));
        const V dv = V{} + d;
        for (;; p += 16, len -= 16) {
            V lo, hi;
            std::memcpy(&lo, p, sizeof lo);
            std::memcpy(&hi, p + 8, sizeof hi);
            if (len >= 16) {
                lo += dv;
                hi += dv;
            } else {
                V mlo, mhi;
                std::memcpy(&mlo, kLaneMask[len].data(), sizeof mlo);
                std::memcpy(&mhi, kLaneMask[len].data() + 8, sizeof mhi);
                lo += dv & mlo;
                hi += dv & mhi;
            }
            std::memcpy(p, &lo, sizeof lo);
            std::memcpy(p + 8, &hi, sizeof hi);
            if (len <= 16) return;
        }
    }
    // p[0..len) += d, 16 byte lanes at a time, as above. Reads and writes p[0..16k).
    static void add_run(std::uint8_t* p, std::uint32_t len, std::uint8_t d) noexcept {
        using V = std::uint8_t __attribute__((vector_size(16)));
        const V dv = V{} + d;
        for (;; p += 16, len -= 16) {
            V v;
            std::memcpy(&v, p, sizeof v);
            if (len >= 16) {
                v += dv;
            } else {
                V m;
                std::memcpy(&m, kByteMask[len].data(), sizeof m);
                v += dv & m;
            }
            std::memcpy(p, &v, sizeof v);
            if (len <= 16) return;
        }
    }
    static constexpr auto kByteMask = [] {
        std::array<std::array<std::uint8_t, 16>, 16> m{};
        for (std::size_t n = 0; n < 16; ++n)
            for (std::size_t i = 0; i < n; ++i) m[n][i] = 0xFF;
        return m;
    }();
    // kLaneMask[n]: all ones in lanes [0, n), zero in [n, 16).
    static constexpr auto kLaneMask = [] {
        std::array<std::array<std::uint16_t, 16>, 16> m{};
        for (std::size_t n = 0; n < 16; ++n)
            for (std::size_t i = 0; i < n; ++i) m[n][i] = 0xFFFF;
        return m;
    }();

    struct Offset {
        std::uint32_t dx, dy;  // in [0, width), [0, height)
    };
    struct Run {
        std::ptrdiff_t offset;  // first cell of the run relative to the centre, row-major
        std::uint32_t len;
    };
    int width_ = 0;
    int height_ = 0;
    std::uint32_t width_u_ = 0;
    std::uint32_t height_u_ = 0;
    std::uint32_t cells_ = 0;       // width * height, fixed at construction (read every move)
    bool mostly_interior_ = false;  // 4 * inner_w_ * inner_h_ >= 3 * cells
    int radius_ = 0;
    Neighbourhood shape_ = Neighbourhood::von_neumann;
    std::uint64_t width_magic_ = 0;  // 2^64 / width, rounded up
    std::uint32_t size_ = 0;
    std::vector<Span> spans_;
    std::vector<Offset> others_;  // every window cell but the centre
    // Centres with radius <= x < width - radius (and the same for y) have windows that do not
    // wrap: x - r_ < inner_w_ tests it. inner_* is 0 when the window is wider than the grid.
    std::uint32_t r_ = 0;
    std::uint32_t inner_w_ = 0;
    std::uint32_t inner_h_ = 0;
    // For windows that do not wrap onto themselves: others_ as shifts dx + r, dy + r in
    // [0, 2r], and wrap_col_[i] = (i - r) mod width, wrap_row_[j] = ((j - r) mod height) * width.
    struct Shift {
        std::uint32_t dx, dy;
    };
    std::vector<Shift> shifts_;
    std::vector<std::uint32_t> wrap_col_;
    std::vector<std::uint32_t> wrap_row_;
    std::vector<Run> interior_;
    std::vector<std::ptrdiff_t> interior_others_;  // others_ as offsets, for interior centres
    std::uint32_t neighbour_reject16_ = 0;
};

// The spatial side of one grid-mode region: occupancy, positions and the incremental counts.
// Cells hold at most one agent (Mesa's SingleGrid; jailed citizens keep their cell).
struct CivilianGrid {
    int region = 0;
    TorusWindow window;
    // Which agent holds a cell is kept only where a rule needs it: for the free supporters
    // (supporter_at, below, which rule C's arrests read). Citizens and cops know their cells
    // (position, cop_position) and the vacancy map knows which cells are taken, which is all
    // that rules M and A read. A code on every taken cell would cost every move a store into
    // the cell it takes, a cache line of its own on a grid beyond the caches
    // (docs/performance.md, "7 December 2026, morning: no agent code on the cells").
    // Per cell: empty or not, in one of two forms (reset_vacancy picks it from the grid's size):
    //  - a byte a cell, 1 when empty (`vacant`): the move's sampler tests each of its tries with
    //    one load, at the cost of 7/8 byte more per cell;
    //  - a bit a cell, set when empty (`vacant_bits`, bit c % 64 of word c / 64), on grids of
    //    more than kByteVacancyCells cells: the map is 8 times smaller, so the tries of a move
    //    stay in the caches on grids whose byte map would not (docs/performance.md).
    // Only the chosen form is allocated; the other is empty.
    static constexpr std::uint32_t kByteVacancyCells = 1u << 19;
    std::vector<std::uint8_t> vacant;
    std::vector<std::uint64_t> vacant_bits;
    bool bit_vacancy = false;
    // Every cell empty, in the form chosen for `cells` cells (or the bitmap when `bits`).
    void reset_vacancy(std::uint32_t cells, bool bits) {
        bit_vacancy = bits;
        if (bits) std::vector<std::uint8_t>().swap(vacant);
        else std::vector<std::uint64_t>().swap(vacant_bits);
        if (bits) {
            assign_on_huge_pages(vacant_bits, (static_cast<std::size_t>(cells) + 63) / 64,
                                 ~std::uint64_t{0});
            if (cells % 64 != 0) vacant_bits.back() = (std::uint64_t{1} << (cells % 64)) - 1;
        } else {
            assign_on_huge_pages(vacant, cells, std::uint8_t{1});
        }
    }
    void reset_vacancy(std::uint32_t cells) { reset_vacancy(cells, cells > kByteVacancyCells); }
    // The vacancy map of the present occupants (the citizens' and cops' cells), rebuilt in the
    // other form when `bits` differs (tests: both forms must give the same days).
    void rebuild_vacancy(bool bits) {
        reset_vacancy(window.cells(), bits);
        for (const std::uint32_t cell : position) put(cell);
        for (const std::uint32_t cell : cop_position) put(cell);
    }
    // 1 when `cell` is empty, else 0.
    template <bool kBits>
    [[nodiscard]] std::uint32_t vacancy(std::uint32_t cell) const noexcept {
        if constexpr (kBits) return static_cast<std::uint32_t>(vacant_bits[cell >> 6] >> (cell & 63)) & 1u;
        else return vacant[cell];
    }
    [[nodiscard]] std::uint32_t vacancy(std::uint32_t cell) const noexcept {
        return bit_vacancy ? vacancy<true>(cell) : vacancy<false>(cell);
    }
    std::vector<std::uint32_t> position;       // per citizen (local index) -> cell
    std::vector<std::uint32_t> cop_position;   // per cop -> cell
    // Per cell: cops / free supporters within view, centre included (+ TorusWindow padding), in
    // one byte when the window has at most 255 cells (no count can pass it), else in two; only
    // the chosen pair is allocated.
    template <class Count>
    struct InView {
        std::vector<Count> cops;
        std::vector<Count> actives;
    };
    InView<std::uint8_t> seen8;
    InView<std::uint16_t> seen16;
    bool narrow_counts = false;
    template <class Count>
    [[nodiscard]] InView<Count>& seen() noexcept {
        if constexpr (sizeof(Count) == 1) return seen8;
        else return seen16;
    }
    [[nodiscard]] std::uint32_t cops_seen(std::uint32_t cell) const noexcept {
        return narrow_counts ? seen8.cops[cell] : seen16.cops[cell];
    }
    [[nodiscard]] std::uint32_t actives_seen(std::uint32_t cell) const noexcept {
        return narrow_counts ? seen8.actives[cell] : seen16.actives[cell];
    }
    // A cop appears at (+1) or leaves (-1) `cell` outside the daily loop (force changes).
    void add_cop(std::uint32_t cell, int delta) noexcept {
        if (narrow_counts) window.add(seen8.cops, cell, delta);
        else window.add(seen16.cops, cell, delta);
    }
    // Per cell: the local index of the free supporter on it, or kNoSupporter (rule C arrests
    // the j-th of them in a cop's view).
    static constexpr std::int32_t kNoSupporter = -1;
    std::vector<std::int32_t> supporter_at;
    [[nodiscard]] bool is_empty(std::uint32_t cell) const noexcept { return vacancy(cell) != 0; }
    // An agent takes / leaves `cell`; the daily loop calls the forms for its vacancy map.
    template <bool kBits>
    void put(std::uint32_t cell) noexcept {
        if constexpr (kBits) vacant_bits[cell >> 6] &= ~(std::uint64_t{1} << (cell & 63));
        else vacant[cell] = 0;
    }
    template <bool kBits>
    void vacate(std::uint32_t cell) noexcept {
        if constexpr (kBits) vacant_bits[cell >> 6] |= std::uint64_t{1} << (cell & 63);
        else vacant[cell] = 1;
    }
    void put(std::uint32_t cell) noexcept {
        if (bit_vacancy) put<true>(cell);
        else put<false>(cell);
    }
    void vacate(std::uint32_t cell) noexcept {
        if (bit_vacancy) vacate<true>(cell);
        else vacate<false>(cell);
    }

    // A bit a cell for the invariant checks (Civilians::check_invariants marks the agents'
    // cells to find two on one), sized at init so that checking does not allocate. Written by
    // a const check: two threads must not check one grid at once (a run's state belongs to
    // the one thread that runs it).
    mutable std::vector<std::uint64_t> check_marks;

    // Per-day scratch, sized at init so the daily loop does not allocate.
    std::vector<std::uint32_t> order;    // activation order: citizens, then cops
    std::vector<std::uint32_t> scratch;  // empty cells of one window / of the grid

    // Activation by blocks (civilians.activation: blocks; 0 blocks = random-sequential): the
    // grid cut into squares of civilians.activation_block cells (smaller at the far edges),
    // numbered row by row;
    // the block of each column, and of each row premultiplied by the blocks in a row; per-day
    // scratch: each block's random rank and, by rank, where its agents end in `order`.
    std::uint32_t blocks = 0;
    std::vector<std::uint32_t> block_of_column;
    std::vector<std::uint32_t> block_of_row;
    std::vector<std::uint32_t> block_rank;
    std::vector<std::uint32_t> block_end;
    [[nodiscard]] std::uint32_t block_of(std::uint32_t cell) const noexcept {
        const std::uint32_t y = window.row_of(cell);
        return block_of_row[y] + block_of_column[cell - y * static_cast<std::uint32_t>(window.width())];
    }
    // b = P * J^alpha by (cops in view c, A) for c < kRiskCops, A < kRiskA, at one effective
    // cop per cop (presence = patrol); other cases compute P.
    static constexpr std::uint32_t kRiskCops = 64;
    static constexpr std::uint32_t kRiskA = 128;
    std::vector<float> risk_table;
    // Grids of at most this many cells keep both in-view count arrays within L2 (512 KiB at
    // two bytes a cell): there the daily loop reads them for every agent; beyond it, only for
    // agents whose G exceeds T, and it may draw the next move ahead (pipeline_moves).
    static constexpr std::uint32_t kCachedCountCells = 1u << 17;
    // Whether the daily loop may draw the next agent's move before a citizen's rule A on grids
    // beyond the caches (Civilians::update_grid_with; the same draws and outcomes either way).
    // Only the test that compares the two orders turns it off.
    bool pipeline_moves = true;
};

// Rule M's sampler: a uniformly random empty cell in the window around `cell` (centre
// excluded), or `cell` when the window has none; draws from `rng`. The daily loop uses an
// inlined copy; this one is for tests.
std::uint32_t random_empty_in_view(CivilianGrid& g, std::uint32_t cell, Rng& rng);

// The daily random-sequential order's shuffle: `order` permuted uniformly in place
// (Fisher-Yates from the top, two draws a 64-bit output of `rng`), with its random slots drawn
// ahead of their swaps and prefetched (`ahead`, the daily loop's path for orders beyond
// 2^21 agents) or not; the same draws and the same permutation either way. For tests, and for
// the bench's memory pair (a random cycle of lines).
void shuffle_order(std::vector<std::uint32_t>& order, Rng& rng, bool ahead);

// Half-width of the window's row at row offset dy (|dy| <= radius) for a shape: the cells
// (dx, dy) with |dx| <= half_width are in view.
int window_half_width(Neighbourhood shape, int radius, int dy) noexcept;

}  // namespace resurgence
