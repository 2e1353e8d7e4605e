#pragma once
namespace resurgence_test {
// Heap allocations made by the calling thread since it started.
long allocation_count() noexcept;
}
