// A counting global allocator for the test binary: allocation_count() lets a test assert that
// a stretch of code (the daily loop) does not allocate. Counting is per thread and cheap.
//
// Every replaceable form of operator new and delete is defined here, so that all of them go to
// one allocator (malloc/aligned_alloc and free). Leaving one out (the nothrow forms, used by
// std::get_temporary_buffer inside std::stable_sort) lets the runtime's own operator new
// allocate a block that our operator delete then frees with free(): AddressSanitizer reports
// that as an alloc-dealloc mismatch.
#include <cstdlib>
#include <new>

#include "alloc_counter.hpp"

namespace {
thread_local long g_allocations = 0;

void* counted_malloc(std::size_t n) noexcept {
    ++g_allocations;
    return std::malloc(n == 0 ? 1 : n);
}

void* counted_aligned(std::size_t n, std::align_val_t a) noexcept {
    ++g_allocations;
    auto al = static_cast<std::size_t>(a);
    if (al < sizeof(void*)) al = sizeof(void*);
    const std::size_t size = n == 0 ? al : (n + al - 1) / al * al;
    return std::aligned_alloc(al, size);
}
}  // namespace

long resurgence_test::allocation_count() noexcept { return g_allocations; }

void* operator new(std::size_t n) {
    if (void* p = counted_malloc(n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    if (void* p = counted_malloc(n)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void* operator new(std::size_t n, std::align_val_t a) {
    if (void* p = counted_aligned(n, a)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
    if (void* p = counted_aligned(n, a)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return counted_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return counted_aligned(n, a);
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
