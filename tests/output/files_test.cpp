#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "resurgence/output/files.hpp"
#include "resurgence/output/indicators.hpp"

using namespace resurgence;
namespace fs = std::filesystem;

TEST_CASE("an atomic file appears only when committed", "[output]") {
    const fs::path dir = fs::temp_directory_path() /
                          ("resurgence_files_test_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        AtomicFile f(dir / "a.csv");
        f.write("x,y\n");
        CHECK_FALSE(fs::exists(dir / "a.csv"));
        // destroyed without commit: nothing left behind
    }
    CHECK(fs::is_empty(dir));
    {
        AtomicFile f(dir / "a.csv");
        f.write("x,y\n1,2\n");
        f.commit();
    }
    std::ifstream in(dir / "a.csv");
    std::string all((std::istreambuf_iterator<char>(in)), {});
    CHECK(all == "x,y\n1,2\n");
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
    fs::remove_all(dir);
}

TEST_CASE("the column layout expands per-country indicators", "[output]") {
    ColumnLayout layout({"iraq", "syria"});
    bool found = false;
    for (const auto& c : layout.columns()) found = found || c.name == "fighters_at_large_syria";
    CHECK(found);
    CHECK(layout.columns()[layout.offset(Ind::attacks_country, 1)].name == "attacks_syria");
    CHECK(layout.columns()[layout.offset(Ind::supporters)].name == "supporters");
}

TEST_CASE("json escaping", "[output]") {
    CHECK(json_escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
    CHECK(json_escape(std::string("\x01", 1)) == "\\u0001");
}

TEST_CASE("a group of files appears together or not at all", "[output]") {
    const fs::path dir = fs::temp_directory_path() /
                          ("resurgence_files_group_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto count = [&] {
        return std::distance(fs::directory_iterator(dir), fs::directory_iterator());
    };
    SECTION("all renamed when every rename succeeds") {
        AtomicFile a(dir / "a.csv"), b(dir / "b.csv"), c(dir / "run.json");
        a.write("a\n");
        b.write("b\n");
        c.write("{}\n");
        commit_together({&a, nullptr, &b, &c});
        CHECK(fs::exists(dir / "a.csv"));
        CHECK(fs::exists(dir / "b.csv"));
        CHECK(fs::exists(dir / "run.json"));
        CHECK(count() == 3);
    }
    SECTION("none left when a rename fails part-way") {
        // A folder in the way of the second file's final name: its rename fails after the
        // first file has already been renamed, which must then be removed again.
        fs::create_directories(dir / "b.csv" / "occupied");
        {
            AtomicFile a(dir / "a.csv"), b(dir / "b.csv"), c(dir / "run.json");
            a.write("a\n");
            b.write("b\n");
            c.write("{}\n");
            CHECK_THROWS_WITH(commit_together({&a, &b, &c}),
                              Catch::Contains("cannot rename") && !Catch::Contains("Success"));
        }
        CHECK_FALSE(fs::exists(dir / "a.csv"));
        CHECK_FALSE(fs::exists(dir / "run.json"));
        CHECK(count() == 1);  // only the folder that was in the way; no temporaries
    }
    fs::remove_all(dir);
}
