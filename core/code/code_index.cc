#include "code/code_index.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "arch/map_entry_arguments.h"
#include "errors.h"
#include "unwind/inline_tree.h"

namespace gomapdbg {

namespace {

// No Go function comes near this; a corrupt table's absurd range ends here.
constexpr uint64_t kMaxFunctionSize = uint64_t{16} << 20;
// Functions a call-graph query visits at most.
constexpr size_t kMaxClosureFunctions = 200'000;

// The code bytes of [entry, limit) that the text holds.
std::span<const uint8_t> code_bytes(const std::vector<uint8_t>& text, uint64_t text_address,
                                    uint64_t entry, uint64_t limit) {
  if (entry < text_address || entry - text_address >= text.size() || limit <= entry) return {};
  uint64_t offset = entry - text_address;
  uint64_t size = std::min({limit - entry, text.size() - offset, kMaxFunctionSize});
  return std::span<const uint8_t>(text).subspan(offset, size);
}

struct Sweep {
  uint64_t end = 0;
  std::optional<uint64_t> undecodable_at;
};

// Decodes [entry, entry + code.size()) instruction by instruction, calling
// `each` on every one, until the trailing run of padding.
template <typename Each>
Sweep sweep(const InstructionSet& set, std::span<const uint8_t> code, uint64_t entry, Each&& each) {
  size_t padding = code.size();
  while (padding > 0 && code[padding - 1] == set.padding) --padding;
  // The last instruction may end in a padding byte (JMP rel8 -52 is EB CC):
  // it is decoded from the whole code, the sweep only starts none in the padding.
  InstructionStream stream(set, code, entry);
  Sweep result;
  while (stream.position() - entry < padding) {
    auto in = stream.next();
    if (!in) {
      result.undecodable_at = stream.position();
      break;
    }
    each(*in);
  }
  result.end = stream.position();
  return result;
}

struct Callee {
  uint64_t entry = 0;  // of the function holding the target (0: none)
  std::string name;    // set when the target is that function's entry
  std::optional<MapAccess> access;
  std::optional<MapEntryArguments> arguments;
};

// One pass over every function; keeps the scratch buffers and the callee
// names between functions.
class IndexBuilder {
 public:
  IndexBuilder(const Architecture& arch, const Pclntab& table, const std::vector<uint8_t>& text,
               uint64_t text_address, const InlineTree* inline_tree)
      : arch_(arch),
        set_(instruction_set(arch)),
        table_(table),
        text_(text),
        text_address_(text_address),
        inline_tree_(inline_tree) {}

  FunctionCode function(uint64_t index) {
    FunctionCode fc;
    fc.entry = table_.entry_at(index);
    fc.limit = std::max(fc.entry, table_.entry_at(index + 1));
    fc.end = fc.entry;
    std::optional<GoFunc> fn;
    try {
      fn = table_.function_at(index);
    } catch (const LayoutError&) {
      // A truncated _func record: the code is still indexed, without a name.
    }
    fc.name = fn ? fn->name : "?";
    auto code = code_bytes(text_, text_address_, fc.entry, fc.limit);
    if (code.empty() && fc.limit > fc.entry) fc.undecodable_at = fc.entry;
    decode(fc, code);
    for (size_t k = 0; k < instructions_.size(); ++k)
      if (instructions_[k].flow == Flow::Call) call(fc, fn, k);
    std::sort(fc.callees.begin(), fc.callees.end());
    fc.callees.erase(std::unique(fc.callees.begin(), fc.callees.end()), fc.callees.end());
    return fc;
  }

 private:
  void decode(FunctionCode& fc, std::span<const uint8_t> code) {
    instructions_.clear();
    targets_.clear();
    branches_.clear();
    Sweep s = sweep(set_, code, fc.entry, [&](const Instruction& in) {
      instructions_.push_back(in);
      if (in.pc_target) fc.data_references.push_back({in.address, *in.pc_target});
      bool jump = in.flow == Flow::Jump || in.flow == Flow::ConditionalJump;
      if (jump && in.branch_target >= fc.entry && in.branch_target < fc.limit) {
        targets_.push_back(in.branch_target);
        branches_.push_back({in.branch_target, instructions_.size() - 1});
      }
    });
    fc.end = s.end;
    if (s.undecodable_at) fc.undecodable_at = s.undecodable_at;
    fc.instructions = instructions_.size();
    std::sort(targets_.begin(), targets_.end());
    std::sort(branches_.begin(), branches_.end());
  }

  void call(FunctionCode& fc, const std::optional<GoFunc>& fn, size_t k) {
    const Instruction& in = instructions_[k];
    const Callee& callee = lookup(in.branch_target);
    if (callee.entry) fc.callees.push_back(callee.entry);
    if (!callee.access) return;
    MapCallSite site;
    site.pc = in.address;
    site.callee = in.branch_target;
    site.callee_name = callee.name;
    site.access = *callee.access;
    if (fn) {
      try {
        locate(site, *fn);
      } catch (const LayoutError&) {
        // A damaged pc-value table: the call is still listed, without a position.
      }
    }
    if (callee.arguments) {
      site.entry_point = true;
      site.argument_form = callee.arguments->form;
      site.map_type = register_origin(set_, instructions_, k, callee.arguments->type, branches_);
      site.map = register_origin(set_, instructions_, k, callee.arguments->map, branches_);
    }
    fc.map_calls.push_back(std::move(site));
  }

  // Function and file:line of the call, innermost inlined function first.
  void locate(MapCallSite& site, const GoFunc& fn) const {
    site.function = fn.name;
    if (inline_tree_) {
      auto frames = inline_tree_->frames(fn, site.pc);
      if (!frames.empty()) {
        site.function = frames.front().function;
        site.file = frames.front().file;
        site.line = frames.front().line;
        return;
      }
    }
    if (auto fl = table_.file_line(fn, site.pc)) {
      site.file = fl->first;
      site.line = fl->second;
    }
  }

  const Callee& lookup(uint64_t target) {
    auto [it, fresh] = callees_.try_emplace(target);
    if (!fresh) return it->second;
    Callee& c = it->second;
    c.entry = table_.entry_of_pc(target);
    if (!c.entry || c.entry != target) return c;  // e.g. into duffzero's middle
    try {
      if (auto fn = table_.function(target)) c.name = fn->name;
    } catch (const LayoutError&) {
      return c;
    }
    c.access = map_access(c.name);
    if (c.access) c.arguments = map_entry_arguments(arch_, c.name);
    return c;
  }

  const Architecture& arch_;
  const InstructionSet& set_;
  const Pclntab& table_;
  const std::vector<uint8_t>& text_;
  uint64_t text_address_;
  const InlineTree* inline_tree_;
  std::vector<Instruction> instructions_;
  std::vector<uint64_t> targets_;
  std::vector<Branch> branches_;  // the function's jumps, by target
  std::unordered_map<uint64_t, Callee> callees_;
};

}  // namespace

CodeIndex::CodeIndex(const Architecture& arch, const Pclntab& table, std::vector<uint8_t> text,
                     uint64_t text_address, const InlineTree* inline_tree)
    : instructions_(&instruction_set(arch)), text_(std::move(text)), text_address_(text_address) {
  auto started = std::chrono::steady_clock::now();
  IndexBuilder builder(arch, table, text_, text_address_, inline_tree);
  functions_.reserve(table.nfunc());
  for (uint64_t i = 0; i < table.nfunc(); ++i) functions_.push_back(builder.function(i));
  // pclntab lists functions by address; a damaged one may not.
  std::stable_sort(functions_.begin(), functions_.end(),
                   [](const FunctionCode& a, const FunctionCode& b) { return a.entry < b.entry; });
  for (size_t f = 0; f < functions_.size(); ++f)
    for (const DataReference& r : functions_[f].data_references)
      references_.push_back({r.target, static_cast<uint32_t>(f)});
  std::sort(references_.begin(), references_.end(), [](const Reference& a, const Reference& b) {
    return a.target != b.target ? a.target < b.target : a.function < b.function;
  });
  build_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

const FunctionCode* CodeIndex::function(uint64_t entry) const {
  auto it = std::lower_bound(functions_.begin(), functions_.end(), entry,
                             [](const FunctionCode& f, uint64_t e) { return f.entry < e; });
  return it != functions_.end() && it->entry == entry ? &*it : nullptr;
}

const FunctionCode* CodeIndex::function_containing(uint64_t pc) const {
  auto it = std::upper_bound(functions_.begin(), functions_.end(), pc,
                             [](uint64_t p, const FunctionCode& f) { return p < f.entry; });
  if (it == functions_.begin()) return nullptr;
  --it;
  return pc < it->limit ? &*it : nullptr;
}

std::vector<const FunctionCode*> CodeIndex::functions_referring_to(uint64_t address,
                                                                   uint64_t size) const {
  auto it = std::lower_bound(references_.begin(), references_.end(), address,
                             [](const Reference& r, uint64_t a) { return r.target < a; });
  std::vector<uint32_t> found;
  for (; it != references_.end() && it->target - address < size; ++it)
    found.push_back(it->function);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::vector<const FunctionCode*> out;
  for (uint32_t f : found) out.push_back(&functions_[f]);
  return out;
}

std::vector<const MapCallSite*> CodeIndex::map_calls_on_global(uint64_t global_address) const {
  std::vector<const MapCallSite*> out;
  for (const FunctionCode& f : functions_)
    for (const MapCallSite& site : f.map_calls)
      if (site.map.kind == ArgumentOrigin::Kind::Global && site.map.address == global_address)
        out.push_back(&site);
  return out;
}

std::vector<MapCallPath> CodeIndex::map_calls_of_type(uint64_t entry, uint64_t type_descriptor,
                                                      int depth) const {
  const FunctionCode* start = function(entry);
  if (!start) return {};
  // Breadth first, so that each function is reached once, by a shortest
  // chain; `parent` is both the visited set (cycles end) and the chains.
  std::unordered_map<const FunctionCode*, const FunctionCode*> parent{{start, nullptr}};
  std::vector<std::pair<const FunctionCode*, int>> queue{{start, 0}};
  std::vector<MapCallPath> out;
  auto chain_to = [&](const FunctionCode* f) {
    std::vector<uint64_t> chain;
    for (; f; f = parent[f]) chain.push_back(f->entry);
    std::reverse(chain.begin(), chain.end());
    return chain;
  };
  for (size_t q = 0; q < queue.size(); ++q) {
    auto [fn, level] = queue[q];
    for (const MapCallSite& site : fn->map_calls)
      if (site.map_type.kind == ArgumentOrigin::Kind::Address &&
          site.map_type.address == type_descriptor)
        out.push_back({&site, chain_to(fn)});
    if (level >= depth) continue;
    for (uint64_t callee : fn->callees) {
      const FunctionCode* next = function(callee);
      if (!next || parent.count(next) || parent.size() >= kMaxClosureFunctions) continue;
      parent.emplace(next, fn);
      queue.emplace_back(next, level + 1);
    }
  }
  return out;
}

std::vector<uint64_t> CodeIndex::instruction_starts(uint64_t entry) const {
  const FunctionCode* fc = function(entry);
  if (!fc) return {};
  std::vector<uint64_t> starts;
  sweep(*instructions_, code_bytes(text_, text_address_, fc->entry, fc->limit), fc->entry,
        [&](const Instruction& in) { starts.push_back(in.address); });
  return starts;
}

}  // namespace gomapdbg
