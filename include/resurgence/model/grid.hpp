#pragma once
// A vision window on a torus (grid-mode civilians, model-spec §5.1; docs/epstein.md).
//
// The window of a cell is every cell within `radius` of it under the chosen neighbourhood
// metric, the centre included, each cell once even when the window wraps around a small torus.
// A window is stored as row spans: for each distinct row offset dy (mod height) a run of
// columns [x + dx, x + dx + len). Every shape we offer (von Neumann diamond, Moore square,
// NetLogo's in-radius disk) is a run of whole columns in each row, so a window update is
// ~2v+1 contiguous loops that the compiler vectorises.
//
// Neighbourhoods are symmetric (b is in a's window iff a is in b's), which is what lets a
// per-cell count "how many cops / actives are within view of this cell" be kept incrementally:
// when an agent at c appears, moves away or flips, add ±1 over the window of c.
#include <algorithm>
#include <cstdint>
#include <vector>

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
    [[nodiscard]] std::uint32_t cells() const noexcept { return width_u_ * height_u_; }
    // Cells in a window, centre included.
    [[nodiscard]] std::uint32_t size() const noexcept { return size_; }
    [[nodiscard]] const std::vector<Span>& spans() const noexcept { return spans_; }

    // The k-th cell of the window around `centre`, k in [0, size() - 1), centre excluded.
    [[nodiscard]] std::uint32_t neighbour(std::uint32_t centre, std::uint32_t k) const noexcept {
        const std::uint32_t x = centre % width_u_, y = centre / width_u_;
        std::uint32_t nx = x + others_[k].dx, ny = y + others_[k].dy;
        if (nx >= width_u_) nx -= width_u_;
        if (ny >= height_u_) ny -= height_u_;
        return ny * width_u_ + nx;
    }

    // Calls f(cell) for every cell of the window around `centre`, centre included.
    template <class F>
    void for_each(std::uint32_t centre, F&& f) const {
        const std::uint32_t x = centre % width_u_, y = centre / width_u_;
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
    // counts never go negative in use, so the unsigned wrap-around cancels out).
    void add(std::vector<std::uint16_t>& field, std::uint32_t centre, int delta) const noexcept {
        std::uint16_t* f = field.data();
        const auto d = static_cast<std::uint16_t>(delta);
        const std::uint32_t x = centre % width_u_, y = centre / width_u_;
        for (const Span& s : spans_) {
            std::uint32_t row = y + s.drow;
            if (row >= height_u_) row -= height_u_;
            std::uint16_t* base = f + row * width_u_;
            std::uint32_t col = x + s.dcol;
            if (col >= width_u_) col -= width_u_;
            const std::uint32_t first = std::min(s.len, width_u_ - col);
            std::uint16_t* p = base + col;
            for (std::uint32_t i = 0; i < first; ++i) p[i] = static_cast<std::uint16_t>(p[i] + d);
            for (std::uint32_t i = 0; i < s.len - first; ++i)
                base[i] = static_cast<std::uint16_t>(base[i] + d);
        }
    }

    // The cell of the j-th (0-based, in span order) window cell around `centre` for which
    // pred(cell) holds; `centre` itself when fewer than j + 1 cells qualify.
    template <class Pred>
    [[nodiscard]] std::uint32_t find_nth(std::uint32_t centre, std::uint32_t j, Pred&& pred) const {
        const std::uint32_t x = centre % width_u_, y = centre / width_u_;
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
    struct Offset {
        std::uint32_t dx, dy;  // in [0, width), [0, height)
    };
    int width_ = 0;
    int height_ = 0;
    std::uint32_t width_u_ = 0;
    std::uint32_t height_u_ = 0;
    int radius_ = 0;
    Neighbourhood shape_ = Neighbourhood::von_neumann;
    std::uint32_t size_ = 0;
    std::vector<Span> spans_;
    std::vector<Offset> others_;  // every window cell but the centre
};

// The spatial side of one grid-mode region: occupancy, positions and the incremental counts.
// Cells hold at most one agent (Mesa's SingleGrid; jailed citizens keep their cell).
struct CivilianGrid {
    static constexpr std::int32_t kEmpty = -1;
    // occupant code of cop c is kCop0 - c (<= -2); citizens are their local index (>= 0).
    static constexpr std::int32_t kCop0 = -2;

    int region = 0;
    TorusWindow window;
    std::vector<std::int32_t> occupant;        // per cell
    std::vector<std::uint32_t> position;       // per citizen (local index) -> cell
    std::vector<std::uint32_t> cop_position;   // per cop -> cell
    std::vector<std::uint16_t> cops_seen;      // per cell: cops within view (centre included)
    std::vector<std::uint16_t> actives_seen;   // per cell: free supporters within view (ditto)
    // Per-day scratch, sized at init so the daily loop does not allocate.
    std::vector<std::uint32_t> order;    // activation order: citizens, then cops
    std::vector<std::uint32_t> scratch;  // empty cells of one window / of the grid
    std::vector<float> risk_by_ratio;    // b(x) = P(x) * J^alpha for integer ratios x
};

// Half-width of the window's row at row offset dy (|dy| <= radius) for a shape: the cells
// (dx, dy) with |dx| <= half_width are in view.
int window_half_width(Neighbourhood shape, int radius, int dy) noexcept;

}  // namespace resurgence
