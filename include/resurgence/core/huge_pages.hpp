#pragma once
// Large agent and cell columns on transparent huge pages (Linux).
//
// The grid's daily loop reads its columns in a random order (random-sequential activation):
// beyond a few megabytes nearly every access also misses the TLB, whose 4 KiB pages cover a few
// megabytes at most. Where the kernel offers huge pages on request
// (/sys/kernel/mm/transparent_hugepage/enabled is `madvise`, as on this project's machines, or
// `always`), a column's storage is marked with madvise(MADV_HUGEPAGE) before it is first
// written, so that the kernel backs it with 2 MiB pages. Only the whole 2 MiB pages inside the
// buffer are marked; a refusal (another kernel, `never`) leaves ordinary pages and changes
// nothing else. docs/performance.md has the measured effect.
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace resurgence {

inline constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Asks for huge pages over [p, p + bytes): a hint, without effect below two huge pages.
inline void advise_huge_pages(void* p, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes < 2 * kHugePage) return;
    const auto begin = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
    if (last > first)
        (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

// Room for n elements in v; storage allocated here is advised for huge pages before anything
// is written to it (storage v already holds is kept as it is).
template <class T>
void reserve_on_huge_pages(std::vector<T>& v, std::size_t n) {
    if (v.capacity() >= n) return;
    v.clear();
    v.shrink_to_fit();
    v.reserve(n);
    advise_huge_pages(v.data(), n * sizeof(T));
}

// v = n copies of `value`, on storage from reserve_on_huge_pages.
template <class T>
void assign_on_huge_pages(std::vector<T>& v, std::size_t n, const T& value) {
    reserve_on_huge_pages(v, n);
    v.assign(n, value);
}

}  // namespace resurgence
