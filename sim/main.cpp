// The resurgence executable: a thin dispatcher over the library (style.md §1, §9).
#include <exception>

#include "resurgence/cli/cli.hpp"

int main(int argc, char** argv) {
    using namespace resurgence;
    try {
        return cli::dispatch(argc, argv);
    } catch (...) {
        return cli::report_error(std::current_exception());
    }
}
