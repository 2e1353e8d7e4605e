// The resurgence executable: a thin dispatcher over the library (style.md §1, §9).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "resurgence/cli/cli.hpp"
#include "resurgence/core/error.hpp"

int main(int argc, char** argv) {
    using namespace resurgence;
    try {
        return cli::dispatch(argc, argv);
    } catch (const InputError& e) {
        for (const auto& p : e.problems()) std::fprintf(stderr, "%s\n", p.str().c_str());
        if (e.problems().size() > 1)
            std::fprintf(stderr, "%zu problems found\n", e.problems().size());
        return cli::kExitBadInput;
    } catch (const RuntimeFailure& e) {
        spdlog::error("{}", e.what());
        return cli::kExitFailure;
    } catch (const std::exception& e) {
        spdlog::error("internal error: {}", e.what());
        return cli::kExitFailure;
    }
}
