#include "crash/static_accessors.h"

#include <deque>
#include <set>

#include "errors.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

bool is_runtime_code(const std::string& function) {
  return function.rfind("runtime.", 0) == 0 || function.rfind("internal/runtime/", 0) == 0;
}

std::optional<uint64_t> global_address(Target& target, const std::string& name) {
  if (name.empty()) return std::nullopt;
  for (const GlobalVariable& g : global_variables(target))
    if (g.name == name) return g.address;
  return std::nullopt;
}

}  // namespace

StaticMapFacts::StaticMapFacts(Target& target, const LocatedMap& map)
    : index_(target.binary().code_index()),
      pclntab_(target.binary().pclntab()),
      global_(global_address(target, map.name)),
      descriptor_(map.type ? target.binary().type_descriptor(*map.type) : std::nullopt) {}

std::optional<CodeTouch> StaticMapFacts::touch(const MapCallSite& site,
                                               const std::string& via) const {
  bool on_global = global_ && site.map.kind == ArgumentOrigin::Kind::Global &&
                   site.map.address == *global_;
  bool of_type = descriptor_ && site.map_type.kind == ArgumentOrigin::Kind::Address &&
                 site.map_type.address == *descriptor_;
  if (!on_global && !of_type) return std::nullopt;
  CodeTouch t;
  t.function = site.function;
  t.via = via;
  t.callee = site.callee_name;
  t.access = site.access;
  t.file = site.file;
  t.line = site.line;
  t.by_global = on_global;
  return t;
}

std::vector<CodeTouch> StaticMapFacts::touches(uint64_t entry) const {
  if (auto it = touches_.find(entry); it != touches_.end()) return it->second;
  std::vector<CodeTouch> out;
  // Breadth first through direct calls, each function once, runtime code
  // left out (its maps are not the program's).
  std::deque<std::pair<uint64_t, int>> queue{{entry, 0}};
  std::set<uint64_t> seen{entry};
  while (!queue.empty()) {
    auto [at, depth] = queue.front();
    queue.pop_front();
    const FunctionCode* fn = index_.function(at);
    if (!fn) continue;
    std::string via = at == entry ? "" : fn->name;
    for (const MapCallSite& site : fn->map_calls)
      if (auto t = touch(site, via)) out.push_back(std::move(*t));
    if (depth == kCallDepth) continue;
    for (uint64_t callee : fn->callees) {
      const FunctionCode* next = index_.function(callee);
      if (!next || is_runtime_code(next->name) || !seen.insert(callee).second) continue;
      queue.push_back({callee, depth + 1});
    }
  }
  return touches_.emplace(entry, std::move(out)).first->second;
}

std::vector<uint64_t> StaticMapFacts::referenced_globals(uint64_t entry) const {
  std::set<uint64_t> out;
  if (const FunctionCode* fn = index_.function(entry))
    for (const DataReference& r : fn->data_references) out.insert(r.target);
  return {out.begin(), out.end()};
}

std::vector<StaticAccessor> StaticMapFacts::static_accessors() const {
  std::vector<StaticAccessor> out;
  if (!global_) return out;
  for (const FunctionCode* fn : index_.functions_referring_to(*global_, 8)) {
    StaticAccessor s;
    s.function = fn->name;
    if (pclntab_)
      if (auto f = pclntab_->function(fn->entry))
        if (auto pos = pclntab_->file_line(*f, fn->entry)) {
          s.file = pos->first;
          s.line = pos->second;
        }
    for (const MapCallSite& site : fn->map_calls)
      if (auto t = touch(site, ""); t && t->by_global) s.map_calls.push_back(std::move(*t));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace gomapdbg
