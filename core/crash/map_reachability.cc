#include "crash/map_reachability.h"

#include <deque>
#include <unordered_set>

#include "errors.h"
#include "values/value_access.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

struct Node {
  const GoType* type;
  std::vector<uint8_t> bytes;
  std::string path;
  int hops;
};

// Looks for one map by its header (map_address), or collects every map of
// one type (type_name).
class Walk {
 public:
  Walk(const Memory& memory, GoBinary* binary, uint64_t map_address, const ReachLimits& limits)
      : memory_(memory), binary_(binary), map_(map_address), limits_(limits) {}
  Walk(const Memory& memory, GoBinary* binary, std::string type_name, const ReachLimits& limits)
      : memory_(memory), binary_(binary), type_name_(std::move(type_name)), limits_(limits) {}

  std::vector<ReachedMap> found;  // the maps of type_name met so far

  std::optional<std::string> run(const GoValue& root) {
    queue_.push_back({root.type, root.bytes, root.origin, 0});
    while (!queue_.empty() && visited_nodes_ < limits_.max_nodes) {
      Node node = std::move(queue_.front());
      queue_.pop_front();
      ++visited_nodes_;
      if (auto path = visit(node)) return path;
    }
    return std::nullopt;
  }

 private:
  std::optional<std::string> visit(const Node& n) {
    if (!n.type || n.bytes.size() < n.type->size) return std::nullopt;
    switch (n.type->kind) {
      case GoKind::Map:
        return visit_map(n);
      case GoKind::Pointer:
        follow_pointer(n);
        return std::nullopt;
      case GoKind::Struct:
        for (const GoField& f : n.type->fields)
          if (f.type && f.offset + f.type->size <= n.bytes.size())
            push(f.type, n.bytes.data() + f.offset, n.path + "." + f.name, n.hops);
        return std::nullopt;
      case GoKind::Array:
        visit_elements(n, *n.type->elem, n.bytes.data(), n.type->length, n.hops);
        return std::nullopt;
      case GoKind::Slice:
        follow_slice(n);
        return std::nullopt;
      case GoKind::Interface:
        follow_interface(n);
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  std::optional<std::string> visit_map(const Node& n) {
    uint64_t header = load<uint64_t>(n.bytes.data());
    if (!type_name_.empty() && header && n.type->name == type_name_) {
      bool known = false;
      for (const ReachedMap& m : found) known = known || m.header == header;
      if (!known) found.push_back({header, n.type, n.path});
    }
    if (map_ && header == map_) return n.path;
    if (!header || n.hops >= limits_.max_hops || !seen_.insert(header).second) return std::nullopt;
    try {
      MapSample sample = sample_map(memory_, *n.type, header, limits_.max_map_entries);
      if (!sample.value || !sample.key) return std::nullopt;
      ValueRenderer renderer(memory_, binary_);
      for (const MapEntryBytes& e : sample.entries) {
        std::string key;
        renderer.render(key, *sample.key, e.key.data());
        push(sample.value, e.value.data(), n.path + "[" + key + "]", n.hops + 1);
      }
    } catch (const MemoryError&) {
      // A map reached through a stale pointer may be unmapped: no path through it.
    } catch (const LayoutError&) {
      // Or hold garbage (a corrupt header), or be of a type whose layout
      // DWARF lacks: no path through it either. The map searched for is
      // read, and its problems reported, by the map command.
    }
    return std::nullopt;
  }

  void follow_pointer(const Node& n) {
    uint64_t address = load<uint64_t>(n.bytes.data());
    const GoType* elem = n.type->elem;
    if (!address || !elem || n.hops >= limits_.max_hops || elem->size > limits_.max_read) return;
    if (!seen_.insert(address).second) return;
    std::vector<uint8_t> bytes(elem->size);
    if (memory_.read_prefix(address, bytes.data(), bytes.size()) != bytes.size()) return;
    // Go reaches a struct's fields through the pointer (s.items).
    std::string path = elem->kind == GoKind::Struct ? n.path : "(*" + n.path + ")";
    queue_.push_back({elem, std::move(bytes), std::move(path), n.hops + 1});
  }

  void follow_slice(const Node& n) {
    SliceHeader s = load_slice(n.bytes.data());
    const GoType* elem = n.type->elem;
    if (!s.data || !elem || !elem->size || n.hops >= limits_.max_hops) return;
    uint64_t count = std::min<uint64_t>(s.len, limits_.max_elements);
    count = std::min<uint64_t>(count, limits_.max_read / elem->size);
    std::vector<uint8_t> bytes(count * elem->size);
    if (memory_.read_prefix(s.data, bytes.data(), bytes.size()) != bytes.size()) return;
    visit_elements(n, *elem, bytes.data(), count, n.hops + 1);
  }

  void visit_elements(const Node& n, const GoType& elem, const uint8_t* p, uint64_t count,
                      int hops) {
    count = std::min<uint64_t>(count, limits_.max_elements);
    for (uint64_t i = 0; i < count; ++i)
      push(&elem, p + i * elem.size, n.path + "[" + std::to_string(i) + "]", hops);
  }

  void follow_interface(const Node& n) {
    // The dynamic type comes from the binary's type descriptors.
    if (!binary_ || !load<uint64_t>(n.bytes.data()) || n.hops >= limits_.max_hops) return;
    try {
      DynamicValue v = read_interface(memory_, *binary_, *n.type, n.bytes.data());
      queue_.push_back(
          {v.type, std::move(v.bytes), n.path + ".(" + v.type->name + ")", n.hops + 1});
    } catch (const MemoryError&) {
      // A stale interface: its value is unmapped, or its type word is no
      // type descriptor. No path through it.
    }
  }

  void push(const GoType* type, const uint8_t* p, std::string path, int hops) {
    if (!type || !worth_visiting(*type)) return;
    queue_.push_back({type, std::vector<uint8_t>(p, p + type->size), std::move(path), hops});
  }

  // Only kinds that can hold or lead to a map.
  static bool worth_visiting(const GoType& t) {
    switch (t.kind) {
      case GoKind::Map:
      case GoKind::Pointer:
      case GoKind::Struct:
      case GoKind::Array:
      case GoKind::Slice:
      case GoKind::Interface:
        return t.size <= 1 << 20;
      default:
        return false;
    }
  }

  const Memory& memory_;
  GoBinary* binary_;
  uint64_t map_ = 0;
  std::string type_name_;
  ReachLimits limits_;
  std::deque<Node> queue_;
  std::unordered_set<uint64_t> seen_;
  size_t visited_nodes_ = 0;
};

}  // namespace

std::optional<std::string> path_to_map(const Memory& memory, GoBinary* binary, const GoValue& root,
                                       uint64_t map_address, const ReachLimits& limits) {
  return Walk(memory, binary, map_address, limits).run(root);
}

std::vector<ReachedMap> maps_reached(const Memory& memory, GoBinary* binary, const GoValue& root,
                                     const std::string& type_name, const ReachLimits& limits) {
  Walk walk(memory, binary, type_name, limits);
  walk.run(root);
  return std::move(walk.found);
}

std::optional<std::string> path_to_map(Target& target, const GoValue& root, uint64_t map_address,
                                       const ReachLimits& limits) {
  return path_to_map(target.memory(), &target.binary(), root, map_address, limits);
}

std::vector<ReachedMap> maps_reached(Target& target, const GoValue& root,
                                     const std::string& type_name, const ReachLimits& limits) {
  return maps_reached(target.memory(), &target.binary(), root, type_name, limits);
}

}  // namespace gomapdbg
