// The crash-safe journal: record format, checksums, torn tails, duplicates, other sweeps.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "resurgence/core/error.hpp"
#include "resurgence/sweep/journal.hpp"

using namespace resurgence;
namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("resurgence_journal_test_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}
}  // namespace

TEST_CASE("CRC-32 of the check string", "[sweep][journal]") {
    CHECK(sweep::crc32("123456789") == 0xCBF43926U);
}

TEST_CASE("records round-trip exactly, NaN included", "[sweep][journal]") {
    sweep::Record r;
    r.plan = 42;
    r.seed = 9223372036854775807ULL;
    r.values = {0.1, 1.0 / 3.0, std::numeric_limits<double>::quiet_NaN(), 1e300, -0.0, 12345};
    const std::string line = sweep::format_record(r);
    REQUIRE(line.back() == '\n');
    const auto back = sweep::parse_record(std::string_view(line).substr(0, line.size() - 1), 6);
    REQUIRE(back);
    CHECK(back->plan == 42);
    CHECK(back->seed == r.seed);
    CHECK(back->ok);
    CHECK(back->values[0] == 0.1);
    CHECK(back->values[1] == 1.0 / 3.0);
    CHECK(std::isnan(back->values[2]));
    CHECK(back->values[3] == 1e300);
    CHECK(back->values[5] == 12345);

    // Any flipped byte is caught; a short line is torn; the wrong count is rejected.
    std::string bad = line.substr(0, line.size() - 1);
    bad[4] = bad[4] == '1' ? '2' : '1';
    CHECK_FALSE(sweep::parse_record(bad, 6));
    CHECK_FALSE(sweep::parse_record(std::string_view(line).substr(0, line.size() - 5), 6));
    CHECK_FALSE(sweep::parse_record(std::string_view(line).substr(0, line.size() - 1), 5));

    sweep::Record f;
    f.plan = 3;
    f.seed = 1;
    f.ok = false;
    f.error = "invariant violated:\nagents *not* conserved";
    const std::string fl = sweep::format_record(f);
    const auto fb = sweep::parse_record(std::string_view(fl).substr(0, fl.size() - 1), 2);
    REQUIRE(fb);
    CHECK_FALSE(fb->ok);
    CHECK(fb->error == "invariant violated: agents *not* conserved");
    CHECK(fb->values.size() == 2);
}

TEST_CASE("the index finds complete records and ignores a torn tail", "[sweep][journal]") {
    const fs::path dir = fresh_dir("index");
    const sweep::JournalHeader h{"00000000deadbeef", 10, 2, "test"};
    {
        sweep::JournalWriter w(dir, "all", h);
        for (std::uint64_t p : {0, 3, 4, 9}) {
            sweep::Record r;
            r.plan = p;
            r.seed = 7;
            r.values = {static_cast<double>(p), 0.5};
            w.append(sweep::format_record(r));
        }
        w.close();
        // A kill in the middle of a write leaves a partial line.
        std::ofstream(w.path(), std::ios::app) << "5 7 ok 5 0.";
    }
    {
        // A second process (a resumed run) writes its own segment; plan 3 again (same bytes).
        sweep::JournalWriter w(dir, "all", h);
        CHECK(w.path().filename() == "all-0002.log");
        for (std::uint64_t p : {5, 3}) {
            sweep::Record r;
            r.plan = p;
            r.seed = 7;
            r.values = {static_cast<double>(p), 0.5};
            w.append(sweep::format_record(r));
        }
    }
    sweep::JournalIndex index(h);
    index.scan(dir);
    CHECK(index.segments() == 2);
    CHECK(index.done_count() == 5);
    CHECK(index.torn() == 1);
    CHECK(index.duplicates() == 1);
    CHECK(index.conflicts() == 0);
    CHECK(index.done(5));
    CHECK_FALSE(index.done(6));
    CHECK(index.read(9).values[0] == 9);
    CHECK(index.read(5).values[1] == 0.5);

    // A journal of another sweep is refused.
    sweep::JournalIndex other(sweep::JournalHeader{"0000000000000001", 10, 2, "test"});
    CHECK_THROWS_AS(other.scan(dir), InputError);
}
