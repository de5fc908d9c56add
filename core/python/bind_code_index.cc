// The static code index (code/code_index.h) as plain Python data, for the
// tests that check it against objdump and for scripts.
#include "arch/instruction.h"
#include "code/code_index.h"
#include "errors.h"
#include "maps/key_hash.h"
#include "program/go_binary.h"
#include "python/bindings.h"

namespace gomapdbg::python {

namespace {

const CodeIndex& index_of(const std::string& executable) {
  return GoBinary::open(executable)->code_index();
}

const char* kind_name(ArgumentOrigin::Kind kind) {
  switch (kind) {
    case ArgumentOrigin::Kind::Global:
      return "global";
    case ArgumentOrigin::Kind::Address:
      return "address";
    case ArgumentOrigin::Kind::Unknown:
      break;
  }
  return "unknown";
}

py::dict origin_dict(const ArgumentOrigin& o) {
  py::dict d;
  d["kind"] = kind_name(o.kind);
  d["address"] = o.address;
  d["set_at"] = o.set_at;
  d["why"] = o.why;
  return d;
}

py::dict site_dict(const MapCallSite& s) {
  py::dict d;
  d["pc"] = s.pc;
  d["callee"] = s.callee;
  d["callee_name"] = s.callee_name;
  d["access"] = access_name(s.access);
  d["function"] = s.function;
  d["file"] = s.file;
  d["line"] = s.line;
  d["entry_point"] = s.entry_point;
  d["argument_form"] = s.argument_form;
  d["map_type"] = origin_dict(s.map_type);
  d["map"] = origin_dict(s.map);
  return d;
}

py::dict function_dict(const FunctionCode& f) {
  py::dict d;
  d["entry"] = f.entry;
  d["end"] = f.end;
  d["limit"] = f.limit;
  d["name"] = f.name;
  d["undecodable_at"] = f.undecodable_at ? py::object(py::int_(*f.undecodable_at)) : py::none();
  d["instructions"] = f.instructions;
  return d;
}

const FunctionCode& function_at(const CodeIndex& index, uint64_t entry) {
  const FunctionCode* f = index.function(entry);
  if (!f) throw NotFoundError("no function starts at " + hex(entry));
  return *f;
}

const char* flow_name(Flow flow) {
  switch (flow) {
    case Flow::None:
      return "none";
    case Flow::Call:
      return "call";
    case Flow::IndirectCall:
      return "indirect_call";
    case Flow::Jump:
      return "jump";
    case Flow::IndirectJump:
      return "indirect_jump";
    case Flow::ConditionalJump:
      return "conditional_jump";
    case Flow::Return:
      return "return";
    case Flow::Trap:
      return "trap";
  }
  return "?";
}

const char* transfer_name(Transfer t) {
  switch (t) {
    case Transfer::None:
      return "none";
    case Transfer::Copy:
      return "copy";
    case Transfer::LoadGlobal:
      return "load_global";
    case Transfer::Address:
      return "address";
  }
  return "?";
}

py::dict instruction_dict(const InstructionSet& set, const Instruction& in) {
  py::dict d;
  d["address"] = in.address;
  d["length"] = in.length;
  d["flow"] = flow_name(in.flow);
  d["pc_target"] = in.pc_target ? py::object(py::int_(*in.pc_target)) : py::none();
  d["rip_target"] = d["pc_target"];
  d["branch_target"] = in.branch_target;
  py::list writes;
  for (RegisterNumber r = 0; r < set.registers.size(); ++r)
    if (in.writes & register_bit(r)) writes.append(set.register_name(r));
  d["writes"] = in.writes;
  d["written"] = writes;
  d["writes_any"] = in.writes_any;
  d["transfer"] = transfer_name(in.transfer);
  d["dest"] = set.register_name(in.dest);
  d["source"] = set.register_name(in.source);
  return d;
}

// One instruction when `data` holds one (x86: its start), else the list of
// them on AArch64.
py::object decoded(const InstructionSet& set, py::bytes data, uint64_t address) {
  std::string_view bytes = data;
  std::span code(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (set.alignment == 1 || code.size() <= set.max_length) {
    auto in = set.decode(code, address);
    return in ? py::object(instruction_dict(set, *in)) : py::none();
  }
  InstructionStream stream(set, code, address);
  py::list out;
  while (auto in = stream.next()) out.append(instruction_dict(set, *in));
  return out;
}

}  // namespace

void bind_code_index(py::module_& m) {
  m.def(
      "x86_decode",
      [](py::bytes data, uint64_t address) {
        return decoded(x86_64_instructions(), data, address);
      },
      py::arg("data"), py::arg("address") = 0,
      "One x86-64 instruction at the start of `data` (see arm64_decode for the fields); None "
      "when invalid or cut off.");
  m.def(
      "arm64_decode",
      [](py::bytes data, uint64_t address) {
        return decoded(aarch64_instructions(), data, address);
      },
      py::arg("data"), py::arg("address") = 0,
      "The AArch64 instructions of `data` (4 bytes each), decoded in order with ADRP pairs "
      "completed, as the code index sees them: a dict per instruction (length, flow, "
      "pc_target, branch_target, writes (register names), writes_any, transfer, dest, "
      "source), or for one instruction given 4 bytes.");
  m.def(
      "code_functions",
      [](const std::string& executable) {
        const CodeIndex& index = index_of(executable);
        if (!index.problem().empty()) throw LayoutError(index.problem());
        py::list out;
        for (const FunctionCode& f : index.functions()) out.append(function_dict(f));
        return out;
      },
      py::arg("executable"),
      "Every function of the code index: entry, end (before the padding), limit (next "
      "entry), name, undecodable_at, instructions.");
  m.def(
      "code_boundaries",
      [](const std::string& executable, uint64_t entry) {
        return index_of(executable)
            .instruction_starts(function_at(index_of(executable), entry).entry);
      },
      py::arg("executable"), py::arg("entry"),
      "Addresses where the instructions of the function at `entry` start.");
  m.def(
      "code_data_references",
      [](const std::string& executable, uint64_t entry) {
        py::list out;
        for (const DataReference& r : function_at(index_of(executable), entry).data_references)
          out.append(py::make_tuple(r.pc, r.target));
        return out;
      },
      py::arg("executable"), py::arg("entry"),
      "(pc, target) of every PC-relative operand of the function at `entry`.");
  m.def(
      "code_references",
      [](const std::string& executable, uint64_t address, uint64_t size) {
        py::list out;
        for (const FunctionCode* f : index_of(executable).functions_referring_to(address, size))
          out.append(py::make_tuple(f->entry, f->name));
        return out;
      },
      py::arg("executable"), py::arg("address"), py::arg("size"),
      "(entry, name) of the functions with a PC-relative operand in [address, address+size).");
  m.def(
      "code_map_calls",
      [](const std::string& executable, std::optional<uint64_t> entry,
         std::optional<uint64_t> global) {
        const CodeIndex& index = index_of(executable);
        py::list out;
        if (global) {
          for (const MapCallSite* s : index.map_calls_on_global(*global)) out.append(site_dict(*s));
        } else if (entry) {
          for (const MapCallSite& s : function_at(index, *entry).map_calls)
            out.append(site_dict(s));
        } else {
          for (const FunctionCode& f : index.functions())
            for (const MapCallSite& s : f.map_calls) out.append(site_dict(s));
        }
        return out;
      },
      py::arg("executable"), py::arg("entry") = py::none(), py::arg("global_address") = py::none(),
      "Map call sites: of one function, on one global map, or all of them.");
  m.def(
      "code_map_calls_of_type",
      [](const std::string& executable, uint64_t entry, uint64_t type_descriptor, int depth) {
        py::list out;
        for (const MapCallPath& p :
             index_of(executable).map_calls_of_type(entry, type_descriptor, depth)) {
          py::dict d = site_dict(*p.site);
          d["chain"] = p.chain;
          out.append(d);
        }
        return out;
      },
      py::arg("executable"), py::arg("entry"), py::arg("type_descriptor"), py::arg("depth"),
      "Map call sites with this type descriptor in the function at `entry` or its callees, "
      "`depth` calls deep, each with its call chain (entries).");
  m.def(
      "type_descriptor",
      [](const std::string& executable, const std::string& type_name) {
        return GoBinary::open(executable)->type_descriptor(type_name);
      },
      py::arg("executable"), py::arg("type_name"),
      "Address of the runtime type descriptor of a DWARF type (None when unknown).");
  m.def(
      "aes_hash_globals_from_code",
      [](const std::string& executable) -> py::object {
        auto binary = GoBinary::open(executable);
        std::string why;
        auto globals = aes_hash_globals_from_code(binary->image(), binary->pclntab(), why);
        if (!globals) throw LayoutError(why);
        return py::make_tuple(globals->use_aeshash, globals->key_schedule);
      },
      py::arg("executable"),
      "(useAeshash, aeskeysched) as the hash functions' code names them (what a stripped "
      "binary gives).");
  m.def(
      "code_index_stats",
      [](const std::string& executable) {
        const CodeIndex& index = index_of(executable);
        uint64_t instructions = 0, references = 0, calls = 0;
        for (const FunctionCode& f : index.functions()) {
          instructions += f.instructions;
          references += f.data_references.size();
          calls += f.map_calls.size();
        }
        py::dict d;
        d["functions"] = index.functions().size();
        d["instructions"] = instructions;
        d["data_references"] = references;
        d["map_calls"] = calls;
        d["build_seconds"] = index.build_seconds();
        d["problem"] = index.problem();
        return d;
      },
      py::arg("executable"), "Sizes of the code index and the seconds it took to build.");
}

}  // namespace gomapdbg::python
