#pragma once
// A YAML-free document tree with positions. The loader (the only yaml-cpp user) parses a file
// into this tree, checking duplicate keys on the way; everything downstream — schema checks,
// event kinds, overrides — reads doc::Node and reports problems with file:line:column.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "resurgence/core/error.hpp"

namespace resurgence::doc {

struct Mark {
    std::shared_ptr<const std::string> file;  // shared by every node of one file
    int line = 0;    // 1-based; 0 = unknown
    int column = 0;  // 1-based
};

class Node {
public:
    enum class Kind { null, scalar, sequence, map };

    Kind kind = Kind::null;
    Mark mark;
    std::string scalar;   // for scalars: the text as written
    bool quoted = false;  // scalar was quoted: never a number or bool
    std::vector<Node> items;                          // sequence items
    std::vector<std::pair<Node, Node>> entries;       // map (key, value), in file order

    [[nodiscard]] bool is_null() const noexcept { return kind == Kind::null; }
    [[nodiscard]] bool is_scalar() const noexcept { return kind == Kind::scalar; }
    [[nodiscard]] bool is_sequence() const noexcept { return kind == Kind::sequence; }
    [[nodiscard]] bool is_map() const noexcept { return kind == Kind::map; }
    // Map lookup by key text; nullptr when absent or not a map.
    [[nodiscard]] const Node* find(std::string_view key) const noexcept;
    [[nodiscard]] Node* find(std::string_view key) noexcept;
    [[nodiscard]] const char* kind_name() const noexcept;
};

// Collects problems while reading a tree; never throws until finish().
class Problems {
public:
    void add(const Mark& at, std::string path, std::string message);
    void add(Problem p) { list_.push_back(std::move(p)); }
    [[nodiscard]] bool empty() const noexcept { return list_.empty(); }
    [[nodiscard]] std::size_t size() const noexcept { return list_.size(); }
    [[nodiscard]] const std::vector<Problem>& list() const noexcept { return list_; }
    // Throws InputError with every problem (sorted by file, line, column) if there are any.
    void finish() const;

private:
    std::vector<Problem> list_;
};

// Typed reading of a map node with problem collection (the schema checker's vocabulary).
// Each getter records a problem and returns nullopt when the value is missing (if required),
// of the wrong type, or out of range; messages say what is allowed.
class MapReader {
public:
    MapReader(const Node& map, std::string path, Problems& problems);

    // Declares the allowed keys; unknown keys become problems listing the allowed ones. Keys in
    // `unbuilt` are reported as belonging to a mechanism not built yet (value = the reason).
    void allow(std::initializer_list<std::string_view> keys,
               std::initializer_list<std::pair<std::string_view, std::string_view>> unbuilt = {});

    [[nodiscard]] bool has(std::string_view key) const noexcept;
    [[nodiscard]] const Node* get(std::string_view key) const noexcept;
    [[nodiscard]] std::string path_of(std::string_view key) const;
    [[nodiscard]] const Node& node() const noexcept { return map_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    Problems& problems() noexcept { return problems_; }

    std::optional<double> number(std::string_view key, double lo, double hi, std::string_view unit,
                                 bool required, std::optional<double> fallback = std::nullopt);
    std::optional<long long> integer(std::string_view key, long long lo, long long hi,
                                     bool required, std::optional<long long> fallback = std::nullopt);
    std::optional<bool> boolean(std::string_view key, bool required,
                                std::optional<bool> fallback = std::nullopt);
    std::optional<std::string> string(std::string_view key, bool required,
                                      std::optional<std::string> fallback = std::nullopt);
    // One of `choices`; returns its index.
    std::optional<int> choice(std::string_view key, std::initializer_list<std::string_view> choices,
                              bool required, std::optional<int> fallback = std::nullopt);
    // A required child map / sequence (nullptr + problem when missing or of another kind).
    const Node* map(std::string_view key, bool required);
    const Node* sequence(std::string_view key, bool required);
    // Records a problem at the value of `key` (or at the map when the key is absent).
    void problem(std::string_view key, std::string message);

private:
    const Node& map_;
    std::string path_;
    Problems& problems_;
};

// Scalar conversions shared by the reader and overrides.
std::optional<double> parse_number(const Node& scalar) noexcept;
std::optional<bool> parse_bool(const Node& scalar) noexcept;

}  // namespace resurgence::doc
