#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "resurgence/core/huge_pages.hpp"

using namespace resurgence;

namespace {
// The VmFlags line of the mapping of /proc/self/smaps that holds address `a`, or "" when none.
std::string vm_flags_at(std::uintptr_t a) {
    std::ifstream in("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        std::uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
            inside = lo <= a && a < hi;
            continue;
        }
        if (inside && line.rfind("VmFlags:", 0) == 0) return line;
    }
    return "";
}
}  // namespace

TEST_CASE("huge pages: the columns hold their values and keep their storage", "[core]") {
    std::vector<std::uint32_t> v;
    const std::size_t n = (std::size_t{16} << 20) / sizeof(std::uint32_t);  // 16 MiB
    assign_on_huge_pages(v, n, 7u);
    REQUIRE(v.size() == n);
    CHECK(v.front() == 7u);
    CHECK(v.back() == 7u);
    const auto* data = v.data();
    assign_on_huge_pages(v, n / 2, 3u);  // fits: the storage is reused
    CHECK(v.data() == data);
    CHECK(v.size() == n / 2);
    CHECK(v.back() == 3u);
    std::vector<std::uint8_t> small;
    assign_on_huge_pages(small, 100, std::uint8_t{1});
    CHECK(small.size() == 100);
}

TEST_CASE("huge pages: a large column is advised for huge pages where the kernel offers them",
          "[core]") {
    std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string mode;
    std::getline(thp, mode);
    if (mode.find("[madvise]") == std::string::npos && mode.find("[always]") == std::string::npos) {
        WARN("transparent huge pages are not offered here (" << mode << "): nothing to check");
        return;
    }
    std::vector<std::uint64_t> v;
    assign_on_huge_pages(v, (std::size_t{16} << 20) / sizeof(std::uint64_t), std::uint64_t{0});
    // The first whole 2 MiB page inside the buffer carries the advice ("hg" in VmFlags).
    const auto first = (reinterpret_cast<std::uintptr_t>(v.data()) + kHugePage - 1) & ~(kHugePage - 1);
    const std::string flags = vm_flags_at(first);
    INFO(flags);
    REQUIRE_FALSE(flags.empty());
    CHECK(flags.find(" hg") != std::string::npos);
}
