// The scenario loader: the only file of the project that includes yaml-cpp (style.md §3).
//
// yaml-cpp's Node API keeps the first of two duplicate keys without a word and loses the
// positions of map keys, so the file is read with its event API into doc::Node, a plain tree
// with 1-based line:column marks on every node and key. Everything downstream (includes,
// overrides, the schema readers in schema_*.cpp, the event parsers) works on that tree.
#include "resurgence/scenario/loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "resurgence/params/parameters.hpp"
#include "schema.hpp"

namespace resurgence {
namespace {

namespace fs = std::filesystem;
using doc::Mark;
using doc::Node;

// Limits that keep a hostile or broken file from exhausting memory or the stack. A real
// scenario has a few thousand nodes and nests five or six levels.
constexpr std::size_t kMaxNodes = 1'000'000;          // after expanding aliases
constexpr std::size_t kMaxTextBytes = 64u << 20;       // scalar text, after expanding aliases
constexpr std::size_t kMaxDepth = 200;                 // nesting of maps and lists
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;    // one scenario or included file
constexpr int kMaxIncludedFiles = 100;
constexpr std::size_t kMaxOverrideSteps = 64;  // override paths create nesting too

// ---- YAML events -> doc::Node

// Thrown from inside the event handler to stop yaml-cpp early; caught by parse_document.
class ParseStop : public std::runtime_error {
public:
    ParseStop(Mark at, const std::string& message) : std::runtime_error(message), mark(std::move(at)) {}
    Mark mark;
};

// Size of a finished subtree, so that an alias can be charged for what it copies.
struct Size {
    std::size_t nodes = 1;
    std::size_t bytes = 0;
    std::size_t height = 1;
};

bool is_key_like_line(std::string_view line) {
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos) return false;
    if (line.compare(i, 2, "- ") == 0) i = line.find_first_not_of(' ', i + 2);
    const std::size_t start = i;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) != 0 ||
                               line[i] == '_' || line[i] == '-' || line[i] == '.'))
        ++i;
    if (i == start) return false;
    while (i < line.size() && line[i] == ' ') ++i;
    return i < line.size() && line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ');
}

class TreeBuilder final : public YAML::EventHandler {
public:
    // `recoverable` collects the problems after which the tree is still well formed (a duplicate
    // key: the first value is kept), so that the schema can still be checked.
    TreeBuilder(std::shared_ptr<const std::string> file, std::string_view text,
                doc::Problems& problems, doc::Problems& recoverable)
        : file_(std::move(file)), text_(text), problems_(problems), recoverable_(recoverable) {
        // yaml-cpp's positions skip a UTF-8 byte order mark.
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") bom_ = 3;
    }

    Node take_root() {
        if (root_) return std::move(*root_);
        Node empty;
        empty.mark = Mark{file_, 1, 1};
        return empty;
    }

    // The innermost flow collection still open when the parser gave up ("[1, 2" with no "]").
    [[nodiscard]] const Node* open_flow() const {
        for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
            if (it->flow) return &it->node;
        return nullptr;
    }

    [[nodiscard]] Mark mark_of(const YAML::Mark& m) const {
        if (m.is_null()) return Mark{file_, 0, 0};
        return Mark{file_, m.line + 1, m.column + 1};
    }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
        Node n;
        n.mark = mark_of(m);
        // An empty value ("key:" then a new line) is reported by yaml-cpp at the next token;
        // the key is where the reader looks.
        if (!stack_.empty() && stack_.back().key && n.mark.line > stack_.back().key->mark.line)
            n.mark = stack_.back().key->mark;
        charge(Size{}, n.mark);
        complete(std::move(n), anchor, Size{});
    }

    void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
        const Mark at = mark_of(m);
        const auto it = anchors_.find(anchor);
        if (it == anchors_.end())
            throw ParseStop(at, fmt::format("the alias *{} refers to a node that contains it (a "
                                            "recursive alias cannot be expanded)",
                                            anchor_name(anchor)));
        const Size s = it->second.size;
        if (stack_.size() + s.height > kMaxDepth)
            throw ParseStop(at, fmt::format("nesting deeper than {} levels (after expanding "
                                            "the alias *{})",
                                            kMaxDepth, anchor_name(anchor)));
        charge(s, at);
        Node copy = it->second.node;
        copy.mark = at;  // problems in an aliased scalar point at the use, not the anchor
        complete(std::move(copy), YAML::NullAnchor, s);
    }

    void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        Node n;
        n.kind = Node::Kind::scalar;
        n.mark = mark_of(m);
        n.scalar = value;
        // yaml-cpp tags plain scalars "?" and quoted or block scalars "!"; an explicit tag
        // (!!str) also means "take this as text".
        n.quoted = tag != "?";
        if (n.quoted && !m.is_null()) check_quoted(static_cast<std::size_t>(m.pos), n.mark);
        const Size s{1, value.size(), 1};
        charge(s, n.mark);
        complete(std::move(n), anchor, s);
    }

    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value style) override {
        open(Node::Kind::sequence, m, anchor, style == YAML::EmitterStyle::Flow);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value style) override {
        open(Node::Kind::map, m, anchor, style == YAML::EmitterStyle::Flow);
    }
    void OnMapEnd() override { close(); }

    void OnAnchor(const YAML::Mark&, const std::string& name) override { next_anchor_ = name; }

private:
    struct Frame {
        Node node;
        YAML::anchor_t anchor = YAML::NullAnchor;
        Size size;
        bool flow = false;
        std::unordered_map<std::string, Mark> keys;  // map: first mark of every key
        std::optional<Node> key;                     // map: the key waiting for its value
        bool drop_value = false;                     // map: the key was rejected
    };
    struct Anchored {
        Node node;
        Size size;
    };

    std::string anchor_name(YAML::anchor_t a) const {
        const auto it = anchor_names_.find(a);
        return it == anchor_names_.end() ? std::to_string(a) : it->second;
    }

    void charge(const Size& s, const Mark& at) {
        nodes_ += s.nodes;
        bytes_ += s.bytes;
        if (nodes_ > kMaxNodes)
            throw ParseStop(at, fmt::format("the document is too large: more than {} nodes after "
                                            "expanding aliases (aliases nested inside aliases "
                                            "multiply)",
                                            kMaxNodes));
        if (bytes_ > kMaxTextBytes)
            throw ParseStop(at, fmt::format("the document is too large: more than {} MiB of text "
                                            "after expanding aliases",
                                            kMaxTextBytes >> 20));
    }

    // Where the next node goes, as a key path, for problems found while parsing.
    [[nodiscard]] std::string path_here() const {
        std::string p;
        for (const auto& f : stack_) {
            if (f.node.is_sequence()) p = schema::index_path(p, f.node.items.size());
            else if (f.key && f.key->is_scalar()) p = schema::key_path(p, f.key->scalar);
        }
        return p;
    }

    void open(Node::Kind kind, const YAML::Mark& m, YAML::anchor_t anchor, bool flow) {
        Frame f;
        f.node.kind = kind;
        f.node.mark = mark_of(m);
        f.anchor = anchor;
        f.flow = flow;
        if (anchor != YAML::NullAnchor) remember_anchor_name(anchor);
        if (stack_.size() >= kMaxDepth)
            throw ParseStop(f.node.mark, fmt::format("nesting deeper than {} levels", kMaxDepth));
        charge(Size{}, f.node.mark);
        stack_.push_back(std::move(f));
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        if (f.node.is_map()) apply_merge_keys(f.node);
        complete(std::move(f.node), f.anchor, f.size);
    }

    void remember_anchor_name(YAML::anchor_t anchor) {
        if (!next_anchor_.empty()) anchor_names_[anchor] = std::move(next_anchor_);
        next_anchor_.clear();
    }

    void complete(Node n, YAML::anchor_t anchor, const Size& s) {
        if (anchor != YAML::NullAnchor) {
            if (!n.is_map() && !n.is_sequence()) remember_anchor_name(anchor);
            charge(s, n.mark);  // the stored copy costs as much as the node
            anchors_[anchor] = Anchored{n, s};
        }
        place(std::move(n), s);
    }

    void place(Node n, const Size& s) {
        if (stack_.empty()) {
            root_ = std::move(n);
            return;
        }
        Frame& f = stack_.back();
        f.size.nodes += s.nodes;
        f.size.bytes += s.bytes;
        f.size.height = std::max(f.size.height, s.height + 1);
        if (f.node.is_sequence()) {
            f.node.items.push_back(std::move(n));
            return;
        }
        if (!f.key) {  // n is a key
            f.drop_value = false;
            if (!n.is_scalar()) {
                problems_.add(n.mark, path_here(),
                              fmt::format("a map key must be a plain name, not {}",
                                          n.is_null() ? "empty" : schema::describe(n)));
                f.drop_value = true;
            } else if (const auto [it, inserted] = f.keys.try_emplace(n.scalar, n.mark); !inserted) {
                recoverable_.add(n.mark, schema::key_path(path_here(), n.scalar),
                              fmt::format("duplicate key '{}' (first at {})", n.scalar,
                                          schema::where(it->second, n.mark)));
                f.drop_value = true;
            }
            f.key = std::move(n);
            return;
        }
        if (!f.drop_value) f.node.entries.emplace_back(std::move(*f.key), std::move(n));
        f.key.reset();
    }

    // YAML's merge key: "<<: *defaults" (or a list of aliases) copies the keys of the merged
    // maps that this map does not set itself; earlier maps in the list win over later ones.
    void apply_merge_keys(Node& map) {
        const auto is_merge = [](const std::pair<Node, Node>& e) {
            return e.first.is_scalar() && !e.first.quoted && e.first.scalar == "<<";
        };
        if (std::none_of(map.entries.begin(), map.entries.end(), is_merge)) return;
        std::vector<std::pair<Node, Node>> merges;
        std::vector<std::pair<Node, Node>> own;
        for (auto& e : map.entries) (is_merge(e) ? merges : own).push_back(std::move(e));
        map.entries = std::move(own);
        for (auto& [key, value] : merges) {
            std::vector<Node*> sources;
            if (value.is_map()) sources.push_back(&value);
            if (value.is_sequence())
                for (auto& item : value.items) sources.push_back(&item);
            if (sources.empty() ||
                std::any_of(sources.begin(), sources.end(), [](Node* s) { return !s->is_map(); })) {
                problems_.add(key.mark, schema::key_path(path_here(), "<<"),
                              "a merge key (<<) takes a map or a list of maps, e.g. <<: *defaults");
                continue;
            }
            for (Node* src : sources)
                for (auto& [k, v] : src->entries)
                    if (map.find(k.scalar) == nullptr) map.entries.emplace_back(std::move(k), std::move(v));
        }
    }

    // yaml-cpp 0.7 lets an unclosed quote run to the end of the file (or to the next quote)
    // without complaint, turning the rest of the file into one string. Look at the source: a
    // quoted scalar that is never closed, or whose continuation lines look like `key:` lines,
    // is almost surely a missing closing quote.
    void check_quoted(std::size_t pos, const Mark& at) {
        std::size_t off = pos + bom_;
        // Skip node properties (&anchor, !tag) in front of the quote.
        while (off < text_.size() && (text_[off] == '&' || text_[off] == '!')) {
            while (off < text_.size() && text_[off] != ' ' && text_[off] != '\n') ++off;
            while (off < text_.size() && text_[off] == ' ') ++off;
        }
        if (off >= text_.size() || (text_[off] != '"' && text_[off] != '\'')) return;
        const char q = text_[off];
        std::size_t i = off + 1;
        for (; i < text_.size(); ++i) {
            if (q == '"' && text_[i] == '\\') {
                ++i;
                continue;
            }
            if (text_[i] == q) {
                if (q == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
                    ++i;  // '' is an escaped quote inside single quotes
                    continue;
                }
                break;
            }
        }
        if (i >= text_.size()) {
            problems_.add(at, path_here(),
                          fmt::format("the quoted text starting here is never closed: add the "
                                      "closing {} (without it the rest of the file is read as "
                                      "text)",
                                      q));
            return;
        }
        int line = at.line;
        for (std::size_t j = text_.find('\n', off); j != std::string_view::npos && j < i;
             j = text_.find('\n', j + 1)) {
            ++line;
            const std::size_t end = std::min(text_.find('\n', j + 1), i);
            const std::string_view next = text_.substr(j + 1, end - (j + 1));
            if (is_key_like_line(next)) {
                const auto first = next.find_first_not_of(" \t");
                problems_.add(at, path_here(),
                              fmt::format("the quoted text starting here runs on to line {} and "
                                          "takes in '{}' as text; is its closing {} missing? "
                                          "(write text of several lines as a block: key: |)",
                                          line, next.substr(first, 40), q));
                return;
            }
        }
    }

    std::shared_ptr<const std::string> file_;
    std::string_view text_;
    std::size_t bom_ = 0;
    doc::Problems& problems_;
    doc::Problems& recoverable_;
    std::vector<Frame> stack_;
    std::optional<Node> root_;
    std::unordered_map<YAML::anchor_t, Anchored> anchors_;
    std::unordered_map<YAML::anchor_t, std::string> anchor_names_;
    std::string next_anchor_;
    std::size_t nodes_ = 0;
    std::size_t bytes_ = 0;
};

// Reads no further than the start of a second document.
class SecondDocumentProbe final : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& m) override { throw Found{m}; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
    struct Found {
        YAML::Mark mark;
    };
};

std::string_view line_at(std::string_view text, int line) {  // 1-based
    std::size_t start = 0;
    for (int l = 1; l < line; ++l) {
        start = text.find('\n', start);
        if (start == std::string_view::npos) return {};
        ++start;
    }
    const std::size_t end = text.find('\n', start);
    return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

bool tab_indented(std::string_view line) {
    const std::size_t first = line.find_first_not_of(" \t");
    return line.substr(0, first).find('\t') != std::string_view::npos;
}

// yaml-cpp's message plus what the user needs to fix it.
std::string explain_syntax_error(const std::string& msg, const Mark& at, std::string_view text,
                                 const TreeBuilder& builder) {
    std::string out = "YAML syntax error: " + msg;
    if (msg.find("flow not found") != std::string::npos) {
        if (const Node* open = builder.open_flow())
            out += fmt::format("; the '{}' at line {}, column {} is never closed",
                               open->is_map() ? '{' : '[', open->mark.line, open->mark.column);
    }
    const int base = std::max(at.line, 1);
    if (tab_indented(line_at(text, base)) || (base > 1 && tab_indented(line_at(text, base - 1))))
        out += " (a tab is used for indentation here; YAML indents with spaces only)";
    return out;
}

// ---- files, hashing, includes

// FNV-1a 64 over every byte read, in reading order.
class Fnv1a {
public:
    void add(std::string_view bytes) noexcept {
        for (const char c : bytes) {
            h_ ^= static_cast<unsigned char>(c);
            h_ *= 0x100000001b3ULL;
        }
    }
    [[nodiscard]] std::string hex() const { return fmt::format("{:016x}", h_); }

private:
    std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

fs::path identity_of(const fs::path& p) {
    std::error_code ec;
    auto c = fs::weakly_canonical(p, ec);
    if (ec) return fs::absolute(p, ec).lexically_normal();
    return c;
}

// Keys that give one thing in two forms, a day index or a date (the schema takes one of each
// pair): whichever form an including file or an override sets replaces either form.
constexpr std::pair<std::string_view, std::string_view> kAlternativeKeys[] = {
    {"day", "date"}, {"from_day", "from_date"}};

// Before `key` is set in `map`: drop the other form of it, if it has one.
void drop_other_form(Node& map, std::string_view key) {
    for (const auto& [a, b] : kAlternativeKeys) {
        if (key != a && key != b) continue;
        const std::string_view other = key == a ? b : a;
        std::erase_if(map.entries, [&](const auto& e) { return e.first.scalar == other; });
    }
}

// Deep merge: maps merge key by key (recursively), and anything else in `over` replaces what
// `base` has, so the including file wins on scalars and its lists replace whole lists.
Node merge(Node base, Node over) {
    if (!base.is_map() || !over.is_map()) return over;
    for (auto& [key, value] : over.entries) {
        drop_other_form(base, key.scalar);
        if (Node* b = base.find(key.scalar)) *b = merge(std::move(*b), std::move(value));
        else base.entries.emplace_back(std::move(key), std::move(value));
    }
    base.mark = over.mark;
    return base;
}

class Loader {
public:
    Node load(const std::string& text, const std::string& display, const fs::path& identity) {
        hash_.add(text);
        Node root = parse_document(text, display, &recoverable_);
        chain_.push_back(identity);
        names_.push_back(display);
        resolve_includes(root, display);
        chain_.pop_back();
        names_.pop_back();
        return root;
    }
    [[nodiscard]] std::string hash() const { return hash_.hex(); }
    doc::Problems& problems() { return problems_; }
    // Problems after which the tree is still well formed (duplicate keys): reported together
    // with the schema's.
    doc::Problems& recoverable() { return recoverable_; }

private:
    void resolve_includes(Node& root, const std::string& display) {
        if (!root.is_map()) return;
        const auto it = std::find_if(root.entries.begin(), root.entries.end(),
                                     [](const auto& e) { return e.first.scalar == "include"; });
        if (it == root.entries.end()) return;
        const Node value = std::move(it->second);
        root.entries.erase(it);

        std::vector<const Node*> items;
        if (value.is_scalar()) items.push_back(&value);
        else if (value.is_sequence())
            for (const auto& item : value.items) items.push_back(&item);
        if (items.empty() || std::any_of(items.begin(), items.end(), [](const Node* n) {
                return !n->is_scalar() || n->scalar.empty();
            })) {
            problems_.add(value.mark, "include",
                          fmt::format("expected a file path or a list of file paths, got {}",
                                      schema::describe(value)));
            return;
        }
        std::optional<Node> base;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Node& item = *items[i];
            const std::string path = value.is_sequence() ? schema::index_path("include", i) : "include";
            fs::path target(item.scalar);
            if (target.is_relative()) target = fs::path(display).parent_path() / target;
            target = target.lexically_normal();
            const fs::path id = identity_of(target);
            if (const auto c = std::find(chain_.begin(), chain_.end(), id); c != chain_.end()) {
                std::string cycle;
                for (auto n = names_.begin() + (c - chain_.begin()); n != names_.end(); ++n)
                    cycle += *n + " -> ";
                problems_.add(item.mark, path,
                              fmt::format("include cycle: {}{}", cycle, target.string()));
                continue;
            }
            if (++files_ > kMaxIncludedFiles) {
                problems_.add(item.mark, path,
                              fmt::format("more than {} included files", kMaxIncludedFiles));
                return;
            }
            std::string why;
            const auto text = read_input_file(target.string(), why);
            if (!text) {
                problems_.add(item.mark, path,
                              fmt::format("cannot read the included file '{}': {}", target.string(), why));
                continue;
            }
            Node sub;
            try {
                sub = load(*text, target.string(), id);
            } catch (const InputError& e) {
                for (const auto& p : e.problems()) problems_.add(p);
                continue;
            }
            if (!sub.is_map()) {
                if (!sub.is_null())
                    problems_.add(sub.mark, "",
                                  fmt::format("an included file must hold a map of sections, "
                                              "not {}",
                                              schema::describe(sub)));
                continue;
            }
            base = base ? merge(std::move(*base), std::move(sub)) : std::move(sub);
        }
        if (base) root = merge(std::move(*base), std::move(root));
    }

    Fnv1a hash_;
    doc::Problems problems_;
    doc::Problems recoverable_;
    std::vector<fs::path> chain_;      // files being loaded, outermost first (cycle check)
    std::vector<std::string> names_;   // the same, as shown in messages
    int files_ = 0;
};

// ---- overrides

struct Step {
    std::string key;                   // a map key, or
    std::optional<std::size_t> index;  // a list index
};

// `a.b[2].c` -> a, b, [2], c. Returns nullopt with a reason when malformed.
std::optional<std::vector<Step>> parse_override_path(std::string_view key, std::string& why) {
    std::vector<Step> steps;
    std::size_t i = 0;
    while (true) {
        std::size_t j = i;
        while (j < key.size() && key[j] != '.' && key[j] != '[' && key[j] != ']' &&
               key[j] != ' ' && key[j] != '\t')
            ++j;
        if (j == i) {
            why = "a key path is names separated by dots, each with optional [index], e.g. "
                  "regions[0].legitimacy";
            return std::nullopt;
        }
        steps.push_back(Step{std::string(key.substr(i, j - i)), std::nullopt});
        while (j < key.size() && key[j] == '[') {
            const std::size_t close = key.find(']', j);
            std::size_t n = 0;
            const char* b = key.data() + j + 1;
            const char* e = close == std::string_view::npos ? b : key.data() + close;
            const auto r = std::from_chars(b, e, n);
            if (close == std::string_view::npos || b == e || r.ec != std::errc{} || r.ptr != e) {
                why = "an index is a whole number in brackets, e.g. regions[0]";
                return std::nullopt;
            }
            steps.push_back(Step{{}, n});
            j = close + 1;
            if (steps.size() > kMaxOverrideSteps) break;
        }
        if (steps.size() > kMaxOverrideSteps) {
            why = fmt::format("a key path of more than {} steps", kMaxOverrideSteps);
            return std::nullopt;
        }
        if (j == key.size()) return steps;
        if (key[j] != '.') {
            why = fmt::format("unexpected '{}' in the key path", key[j]);
            return std::nullopt;
        }
        i = j + 1;
    }
}

bool is_parameter_group(std::string_view group) {
    return std::any_of(parameter_table().begin(), parameter_table().end(), [&](const ParamInfo& p) {
        return p.name.size() > group.size() && p.name.substr(0, group.size()) == group &&
               p.name[group.size()] == '.';
    });
}

void apply_override(Node& root, const std::string& text, int number, doc::Problems& problems) {
    const auto file = std::make_shared<const std::string>(fmt::format("<override {}>", number));
    const Mark at{file, 1, 1};
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos) {
        problems.add(at, "",
                     fmt::format("'{}' is not key=value (e.g. horizon_days=730, "
                                 "regions[0].legitimacy=0.4 or civilians.k=2.3)",
                                 text));
        return;
    }
    std::string_view key(text.data(), eq);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
    std::string why;
    auto steps = parse_override_path(key, why);
    if (!steps) {
        problems.add(at, std::string(key), why);
        return;
    }
    // `civilians.k` is the parameter parameters.civilians.k; `civilians.mode` is a path.
    if ((*steps)[0].key.size() > 0 && is_parameter_group((*steps)[0].key) &&
        find_param(key) != nullptr)
        steps->insert(steps->begin(), Step{"parameters", std::nullopt});

    std::string_view value(text);
    value.remove_prefix(eq + 1);
    int column = static_cast<int>(eq) + 2;
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1), ++column;
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    Node value_node;
    if (!value.empty() && std::string_view("[{\"'").find(value.front()) != std::string_view::npos) {
        // Flow lists and maps, and quoted text with escapes: let YAML read them. Padding the
        // text to the value's column makes every mark (and message) point into the override.
        try {
            value_node = parse_document(std::string(static_cast<std::size_t>(column - 1), ' ') +
                                            std::string(value),
                                        *file);
        } catch (const InputError& e) {
            for (auto p : e.problems()) {
                p.path = std::string(key);
                if (p.line != 1 || p.column < column) {  // e.g. "never closed": past the end
                    p.line = 1;
                    p.column = column;
                }
                problems.add(std::move(p));
            }
            return;
        }
    } else {
        value_node.kind = Node::Kind::scalar;
        value_node.scalar = std::string(value);
        value_node.mark = Mark{file, 1, column};
    }

    Node* cur = &root;
    std::string walked;
    for (const Step& step : *steps) {
        if (!step.index) {
            if (cur->is_null()) {
                cur->kind = Node::Kind::map;  // missing intermediate maps are created
                cur->mark = at;
            }
            if (!cur->is_map()) {
                problems.add(at, std::string(key),
                             fmt::format("cannot set '{}': '{}' is {}, not a map", step.key,
                                         walked.empty() ? "the document" : walked,
                                         schema::describe(*cur)));
                return;
            }
            if (&step == &steps->back()) drop_other_form(*cur, step.key);
            Node* next = cur->find(step.key);
            if (next == nullptr) {
                Node k;
                k.kind = Node::Kind::scalar;
                k.scalar = step.key;
                k.mark = at;
                Node v;
                v.mark = at;
                cur->entries.emplace_back(std::move(k), std::move(v));
                next = &cur->entries.back().second;
            }
            cur = next;
            walked = schema::key_path(walked, step.key);
        } else {
            if (!cur->is_sequence()) {
                problems.add(at, std::string(key),
                             fmt::format("cannot use [{}]: '{}' is {}, not a list", *step.index,
                                         walked, schema::describe(*cur)));
                return;
            }
            if (*step.index >= cur->items.size()) {
                problems.add(at, std::string(key),
                             fmt::format("index {} is out of range: '{}' has {} item{}{}",
                                         *step.index, walked, cur->items.size(),
                                         cur->items.size() == 1 ? "" : "s",
                                         cur->items.empty()
                                             ? std::string()
                                             : fmt::format(" (0 to {})", cur->items.size() - 1)));
                return;
            }
            cur = &cur->items[*step.index];
            walked = schema::index_path(walked, *step.index);
        }
    }
    *cur = std::move(value_node);
}

ScenarioSpec finish_loading(Node root, Loader& loader, const std::string& file,
                            const LoadOptions& options) {
    // Syntax errors and problems in includes would only cascade into "missing key" noise
    // below: stop here. Duplicate keys do not stop the schema check (the first value is kept).
    if (!loader.problems().empty()) {
        for (const auto& p : loader.recoverable().list()) loader.problems().add(p);
        loader.problems().finish();
    }
    doc::Problems problems;
    for (const auto& p : loader.recoverable().list()) problems.add(p);
    for (std::size_t i = 0; i < options.overrides.size(); ++i)
        apply_override(root, options.overrides[i], static_cast<int>(i) + 1, problems);
    ScenarioSpec spec;
    try {
        spec = build_spec(root, file, loader.hash());
    } catch (const InputError& e) {
        for (const auto& p : e.problems()) problems.add(p);
    }
    problems.finish();
    spec.overrides = options.overrides;
    return spec;
}

}  // namespace

doc::Node parse_document(const std::string& text, const std::string& name,
                         doc::Problems* recoverable) {
    const auto file = std::make_shared<const std::string>(name);
    doc::Problems problems, soft;
    TreeBuilder builder(file, text, problems, soft);
    std::istringstream in(text);
    try {
        YAML::Parser parser(in);
        if (parser.HandleNextDocument(builder)) {
            SecondDocumentProbe probe;
            parser.HandleNextDocument(probe);
        }
    } catch (const ParseStop& e) {
        problems.add(e.mark, "", e.what());
    } catch (const SecondDocumentProbe::Found& e) {
        problems.add(builder.mark_of(e.mark), "",
                     "a second YAML document starts here: a scenario file holds one document "
                     "(remove the '---' line, or split the file and use include:)");
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp says "bad file"; the real reason is the nesting.
        problems.add(builder.mark_of(e.mark), "",
                     fmt::format("nesting deeper than {} levels", kMaxDepth));
    } catch (const YAML::Exception& e) {
        const Mark at = builder.mark_of(e.mark);
        problems.add(at, "", explain_syntax_error(e.msg, at, text, builder));
    }
    if (recoverable == nullptr || !problems.empty()) {
        for (const auto& p : soft.list()) problems.add(p);
        problems.finish();
    }
    for (const auto& p : soft.list()) recoverable->add(p);
    return builder.take_root();
}

ScenarioSpec load_scenario(const std::string& path, const LoadOptions& options) {
    std::string why;
    const auto text = read_input_file(path, why);
    if (!text)
        throw InputError(std::vector<Problem>{
            Problem{path, 0, 0, {}, fmt::format("cannot read the scenario file: {}", why)}});
    Loader loader;
    Node root = loader.load(*text, path, identity_of(path));
    return finish_loading(std::move(root), loader, path, options);
}

ScenarioSpec load_scenario_text(const std::string& text, const std::string& name,
                                const LoadOptions& options) {
    Loader loader;
    Node root = loader.load(text, name, identity_of(name.empty() ? "<text>" : name));
    return finish_loading(std::move(root), loader, name, options);
}

// The bytes of a regular file, or why not. Devices and FIFOs are refused so that
// `include: /dev/zero` cannot hang the loader.
std::optional<std::string> read_input_file(const std::string& path, std::string& why) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
        why = "no such file";
        return std::nullopt;
    }
    if (fs::is_directory(st)) {
        why = "it is a directory";
        return std::nullopt;
    }
    if (!fs::is_regular_file(st)) {
        why = "it is not a regular file";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "it cannot be opened (permissions?)";
        return std::nullopt;
    }
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > kMaxFileBytes) {
            why = fmt::format("it is larger than {} MiB", kMaxFileBytes >> 20);
            return std::nullopt;
        }
    }
    if (in.bad()) {
        why = "reading it failed";
        return std::nullopt;
    }
    return text;
}


}  // namespace resurgence
