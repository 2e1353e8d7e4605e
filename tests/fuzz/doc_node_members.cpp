// Only in the fuzz build (see CMakeLists.txt here): out-of-line special members of doc::Node,
// declared by the generated copy of doc.hpp, so that clang sees std::pair<Node, Node> complete
// before it needs Node's destructor.
#include "resurgence/scenario/doc.hpp"

namespace resurgence::doc {

Node::Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;
Node::~Node() = default;

}  // namespace resurgence::doc
