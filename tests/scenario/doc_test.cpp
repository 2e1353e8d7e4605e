// doc::Node, Problems, MapReader and the scalar conversions.
#include <catch2/catch.hpp>

#include "resurgence/scenario/doc.hpp"
#include "resurgence/scenario/loader.hpp"

using namespace resurgence;
using doc::Node;

namespace {
Node scalar(std::string text, bool quoted = false) {
    Node n;
    n.kind = Node::Kind::scalar;
    n.scalar = std::move(text);
    n.quoted = quoted;
    return n;
}

std::vector<std::string> rendered(const doc::Problems& p) {
    try {
        p.finish();
    } catch (const InputError& e) {
        std::vector<std::string> out;
        for (const auto& x : e.problems()) out.push_back(x.str());
        return out;
    }
    return {};
}
}  // namespace

TEST_CASE("parse_number reads YAML decimal numbers only", "[scenario][doc]") {
    CHECK(doc::parse_number(scalar("1.5")) == 1.5);
    CHECK(doc::parse_number(scalar("-2")) == -2.0);
    CHECK(doc::parse_number(scalar("+3")) == 3.0);
    CHECK(doc::parse_number(scalar(".5")) == 0.5);
    CHECK(doc::parse_number(scalar("5.")) == 5.0);
    CHECK(doc::parse_number(scalar("1e6")) == 1e6);
    CHECK(doc::parse_number(scalar("2.5E-3")) == 2.5e-3);
    CHECK_FALSE(doc::parse_number(scalar("1.5", true)));  // quoted text is never a number
    CHECK_FALSE(doc::parse_number(scalar("")));
    CHECK_FALSE(doc::parse_number(scalar("abc")));
    CHECK_FALSE(doc::parse_number(scalar("1_000")));
    CHECK_FALSE(doc::parse_number(scalar("0x10")));
    CHECK_FALSE(doc::parse_number(scalar("inf")));
    CHECK_FALSE(doc::parse_number(scalar(".inf")));
    CHECK_FALSE(doc::parse_number(scalar("nan")));
    CHECK_FALSE(doc::parse_number(scalar("1e")));
    CHECK_FALSE(doc::parse_number(scalar("1e999")));  // overflows a double
    CHECK_FALSE(doc::parse_number(scalar("1 2")));
    CHECK_FALSE(doc::parse_number(Node{}));
}

TEST_CASE("parse_bool reads true and false only", "[scenario][doc]") {
    CHECK(doc::parse_bool(scalar("true")) == true);
    CHECK(doc::parse_bool(scalar("False")) == false);
    CHECK(doc::parse_bool(scalar("TRUE")) == true);
    CHECK_FALSE(doc::parse_bool(scalar("yes")));  // YAML 1.1 only, and easy to misread
    CHECK_FALSE(doc::parse_bool(scalar("1")));
    CHECK_FALSE(doc::parse_bool(scalar("true", true)));
}

TEST_CASE("Node::find and kind_name", "[scenario][doc]") {
    const Node root = parse_document("a: 1\nb: [x, y]\nc: {d: e}\nn:\n", "t.yaml");
    REQUIRE(root.is_map());
    CHECK(root.find("a")->scalar == "1");
    CHECK(root.find("b")->is_sequence());
    CHECK(root.find("c")->find("d")->scalar == "e");
    CHECK(root.find("n")->is_null());
    CHECK(root.find("zz") == nullptr);
    CHECK(root.find("a")->find("x") == nullptr);  // not a map
    CHECK(std::string(root.kind_name()) == "map");
    CHECK(std::string(root.find("b")->kind_name()) == "sequence");
    CHECK(std::string(root.find("a")->kind_name()) == "scalar");
    CHECK(std::string(root.find("n")->kind_name()) == "null");
}

TEST_CASE("parse_document marks every node and key 1-based", "[scenario][doc]") {
    const Node root = parse_document("name: x\nlist:\n  - 10\n  - {k: 'v'}\n", "m.yaml");
    REQUIRE(root.entries.size() == 2);
    const auto& [k0, v0] = root.entries[0];
    CHECK(*k0.mark.file == "m.yaml");
    CHECK((k0.mark.line == 1 && k0.mark.column == 1));
    CHECK((v0.mark.line == 1 && v0.mark.column == 7));
    const auto& list = root.entries[1].second;
    CHECK((list.items[0].mark.line == 3 && list.items[0].mark.column == 5));
    const auto& inner = list.items[1].entries[0];
    CHECK((inner.first.mark.line == 4 && inner.first.mark.column == 6));
    CHECK(inner.second.quoted);
    CHECK_FALSE(v0.quoted);
}

TEST_CASE("parse_document: empty input is a null root at 1:1", "[scenario][doc]") {
    const Node root = parse_document("# nothing\n", "e.yaml");
    CHECK(root.is_null());
    CHECK(root.mark.line == 1);
}

TEST_CASE("parse_document expands aliases and merge keys", "[scenario][doc]") {
    const Node root = parse_document(
        "defaults: &d {terrain: desert, legitimacy: 0.4}\n"
        "a: *d\n"
        "b:\n"
        "  <<: *d\n"
        "  legitimacy: 0.7\n",
        "t.yaml");
    CHECK(root.find("a")->find("terrain")->scalar == "desert");
    CHECK(root.find("a")->mark.line == 2);  // the use, not the anchor
    const Node* b = root.find("b");
    CHECK(b->find("<<") == nullptr);
    CHECK(b->find("terrain")->scalar == "desert");
    CHECK(b->find("legitimacy")->scalar == "0.7");  // own keys win over merged ones
}

TEST_CASE("Problems::finish sorts by file, line, column and drops repeats", "[scenario][doc]") {
    doc::Problems p;
    auto f = std::make_shared<const std::string>("b.yaml");
    auto g = std::make_shared<const std::string>("a.yaml");
    auto o2 = std::make_shared<const std::string>("<override 2>");
    auto o10 = std::make_shared<const std::string>("<override 10>");
    p.add(doc::Mark{f, 3, 1}, "x", "three");
    p.add(doc::Mark{f, 1, 9}, "", "one");
    p.add(doc::Mark{g, 7, 2}, "y", "other file");
    p.add(doc::Mark{f, 3, 1}, "x", "three");
    p.add(doc::Mark{o10, 1, 1}, "k", "ten");
    p.add(doc::Mark{o2, 1, 1}, "k", "two");
    CHECK(p.size() == 6);
    CHECK(rendered(p) == std::vector<std::string>{
                             "<override 2>:1:1: k: two", "<override 10>:1:1: k: ten",
                             "a.yaml:7:2: y: other file", "b.yaml:1:9: one", "b.yaml:3:1: x: three"});
    doc::Problems none;
    CHECK_NOTHROW(none.finish());
}

TEST_CASE("MapReader getters: defaults, ranges, types", "[scenario][doc]") {
    const Node root = parse_document(
        "n: 1.4\ni: 7\nw: 2.5\nb: yes\ns: [1]\nc: jungle\nq: \"3\"\nbig: 99999999999999999999\n"
        "e: 1e3\n",
        "r.yaml");
    doc::Problems problems;
    doc::MapReader r(root, "sec", problems);
    CHECK_FALSE(r.number("n", 0, 1, "", true));
    CHECK(r.number("absent", 0, 1, "", false, 0.25) == 0.25);
    CHECK_FALSE(r.number("absent", 0, 1, "", true));
    CHECK(r.integer("i", 0, 10, true) == 7);
    CHECK_FALSE(r.integer("w", 0, 10, true));
    CHECK(r.integer("e", 0, 5000, true) == 1000);
    CHECK_FALSE(r.integer("big", 0, 10, true));
    CHECK_FALSE(r.boolean("b", true));
    CHECK_FALSE(r.string("s", true));
    CHECK_FALSE(r.choice("c", {"urban", "rural"}, true));
    CHECK_FALSE(r.number("q", 0, 10, "", true));
    CHECK(r.string("q", true) == "3");
    CHECK(r.map("s", false) == nullptr);
    CHECK(r.sequence("s", true) != nullptr);
    CHECK(r.path_of("x") == "sec.x");
    CHECK(rendered(problems) ==
          std::vector<std::string>{
              "r.yaml:1:1: sec: missing required key 'absent' (a number, allowed: 0 to 1)",
              "r.yaml:1:4: sec.n: 1.4 is above 1 (allowed: 0 to 1)",
              "r.yaml:3:4: sec.w: 2.5 is not a whole number (allowed: 0 to 10, whole numbers)",
              "r.yaml:4:4: sec.b: expected true or false, got 'yes'",
              "r.yaml:5:4: sec.s: expected text, got a list",
              "r.yaml:5:4: sec.s: expected a map of key: value lines, got a list",
              "r.yaml:6:4: sec.c: 'jungle' is not one of: urban, rural",
              "r.yaml:7:4: sec.q: expected a number (allowed: 0 to 10), got the quoted text \"3\" "
              "(remove the quotes)",
              "r.yaml:8:6: sec.big: 99999999999999999999 is far too large (allowed: 0 to 10, "
              "whole numbers)",
          });
}

TEST_CASE("MapReader::allow lists allowed keys and flags unbuilt ones", "[scenario][doc]") {
    const Node root = parse_document("legitimcy: 1\nisr: 2\nok: 3\n", "a.yaml");
    doc::Problems problems;
    doc::MapReader r(root, "regions[0]", problems);
    r.allow({"ok", "legitimacy"}, {{"isr", "belongs to counter-insurgency, not built yet"}});
    CHECK(rendered(problems) ==
          std::vector<std::string>{
              "a.yaml:1:1: regions[0].legitimcy: unknown key 'legitimcy'; did you mean "
              "'legitimacy'? (allowed: ok, legitimacy)",
              "a.yaml:2:1: regions[0].isr: 'isr' belongs to counter-insurgency, not built yet"});
}
