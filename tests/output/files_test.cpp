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
