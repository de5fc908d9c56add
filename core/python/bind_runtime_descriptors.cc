// What the runtime type descriptors alone give, next to what DWARF gives,
// as plain Python data: for the test that checks the per-version fallback
// tables (maps/map_header_tables.cc, binary/module_data.cc) and the fixed
// runtime offsets (abi/go_headers.h, abi/type_descriptor_layout.h,
// maps/map_type_descriptor.h) against the DWARF and symbols of every
// toolchain of the matrix.
#include "abi/go_headers.h"
#include "abi/type_descriptor_layout.h"
#include "errors.h"
#include "maps/map_header_types.h"
#include "maps/sync_map.h"
#include "program/go_binary.h"
#include "python/bindings.h"
#include "runtime/runtime_layout.h"
#include "runtime/wait_reasons.h"

namespace gomapdbg::python {

namespace {

py::object optional_int(const std::optional<uint64_t>& v) {
  return v ? py::object(py::int_(*v)) : py::none();
}

py::dict classic_dict(const ClassicLayout& c) {
  py::dict d;
  d["header_size"] = c.header_size;
  d["count"] = c.count;
  d["flags"] = c.flags;
  d["B"] = c.log2_buckets;
  d["noverflow"] = c.noverflow;
  d["hash0"] = c.hash0;
  d["buckets"] = c.buckets;
  d["oldbuckets"] = c.oldbuckets;
  d["nevacuate"] = c.nevacuate;
  d["clearSeq"] = optional_int(c.clear_seq);
  d["extra"] = optional_int(c.extra);
  d["bucket_size"] = c.bucket_size;
  d["tophash"] = c.tophash;
  d["keys"] = c.keys;
  d["values"] = c.values;
  d["overflow"] = c.overflow;
  d["key_slot"] = c.key_slot;
  d["value_slot"] = c.value_slot;
  return d;
}

py::dict swiss_dict(const SwissLayout& s) {
  py::dict d;
  d["header_size"] = s.header_size;
  d["used"] = s.used;
  d["seed"] = s.seed;
  d["dirPtr"] = s.dir_ptr;
  d["dirLen"] = s.dir_len;
  d["globalDepth"] = s.global_depth;
  d["globalShift"] = s.global_shift;
  d["writing"] = s.writing;
  d["tombstonePossible"] = optional_int(s.tombstone_possible);
  d["clearSeq"] = optional_int(s.clear_seq);
  d["table_size"] = s.table_size;
  d["table_used"] = s.table_used;
  d["table_capacity"] = s.table_capacity;
  d["table_growthLeft"] = s.table_growth_left;
  d["table_localDepth"] = s.table_local_depth;
  d["table_index"] = s.table_index;
  d["table_groups_data"] = s.table_groups_data;
  d["table_groups_lengthMask"] = s.table_groups_mask;
  d["group_size"] = s.group_size;
  d["ctrl"] = s.ctrl;
  d["split_groups"] = s.split_groups;
  d["keys"] = s.keys;
  d["key_stride"] = s.key_stride;
  d["elems"] = s.elems;
  d["elem_stride"] = s.elem_stride;
  return d;
}

// The layout as a dict, or the error laying it out gave, as a string.
py::object layout_dict(const GoType* type) {
  if (!type) return py::str("no type");
  try {
    MapLayout l = map_layout(*type);
    py::dict d;
    d["family"] = l.name();
    d["key"] = l.key->name;
    d["key_size"] = l.key->size;
    d["value"] = l.value->name;
    d["value_size"] = l.value->size;
    d["indirect_key"] = l.indirect_key;
    d["indirect_value"] = l.indirect_value;
    d["fields"] = l.family == MapFamily::Classic ? classic_dict(l.classic) : swiss_dict(l.swiss);
    return d;
  } catch (const Error& e) {
    return py::str(e.what());
  }
}

py::list map_layouts(const std::string& executable) {
  auto binary = GoBinary::open(executable);
  binary->require_dwarf("comparing map layouts");
  Memory memory(binary->image());
  std::string why;
  const TypeLinks* links = binary->type_links(why);
  py::list out;
  for (const auto& [name, offset] : binary->dwarf().types()) {
    const GoType* type = binary->types().at(offset);
    if (type->kind != GoKind::Map || !type->header) continue;
    py::dict d;
    d["type"] = name;
    auto descriptor = binary->type_descriptor(*type);
    d["descriptor"] = optional_int(descriptor);
    d["by_name"] = links ? optional_int(links->find(name)) : py::none();
    d["dwarf"] = layout_dict(type);
    d["decoded"] = descriptor ? layout_dict(binary->runtime_types().decode(*descriptor, memory))
                              : py::object(py::str("no descriptor"));
    out.append(d);
  }
  return out;
}

py::object module_data(const std::string& executable) {
  auto binary = GoBinary::open(executable);
  const ModuleData* m = binary->module_data();
  if (!m) return py::none();
  py::dict d;
  d["address"] = m->address;
  d["found_by_search"] = m->found_by_search;
  d["types"] = m->types;
  d["etypes"] = m->etypes;
  d["gofunc"] = m->gofunc;
  d["typelinks"] = py::make_tuple(m->typelinks.data, m->typelinks.len);
  d["itablinks"] = py::make_tuple(m->itablinks.data, m->itablinks.len);
  d["typedesclen"] = m->typedesclen;
  std::string why;
  const TypeLinks* links = binary->type_links(why);
  d["type_names"] = links ? py::object(py::int_(links->size())) : py::none();
  d["problems"] = links ? py::cast(links->problems()) : py::cast(std::vector<std::string>{why});
  return d;
}

py::dict runtime_layout_dict(const RuntimeLayout& l) {
  py::dict d;
  d["source"] = l.source;
  d["g.size"] = l.g.size;
  d["g.stack.lo"] = l.g.stack_lo;
  d["g.stack.hi"] = l.g.stack_hi;
  d["g.m"] = l.g.m;
  d["g.sched"] = l.g.sched;
  d["g.syscallsp"] = l.g.syscallsp;
  d["g.syscallpc"] = l.g.syscallpc;
  d["g.syscallbp"] = optional_int(l.g.syscallbp);
  d["g.atomicstatus"] = l.g.atomicstatus;
  d["g.goid"] = l.g.goid;
  d["g.waitsince"] = l.g.waitsince;
  d["g.waitreason"] = l.g.waitreason;
  d["g.lockedm"] = l.g.lockedm;
  d["g.parentGoid"] = optional_int(l.g.parent_goid);
  d["g.gopc"] = l.g.gopc;
  d["g.startpc"] = l.g.startpc;
  d["g.labels"] = l.g.labels;
  d["g._panic"] = l.g.panic;
  d["m.g0"] = l.m.g0;
  d["m.procid"] = l.m.procid;
  d["m.gsignal"] = l.m.gsignal;
  d["m.curg"] = l.m.curg;
  d["m.id"] = l.m.id;
  d["m.alllink"] = l.m.alllink;
  d["m.lockedg"] = l.m.lockedg;
  d["m.throwing"] = l.m.throwing;
  d["m.dying"] = l.m.dying;
  d["m.vdsoSP"] = optional_int(l.m.vdso_sp);
  d["m.vdsoPC"] = optional_int(l.m.vdso_pc);
  d["gobuf.sp"] = l.gobuf.sp;
  d["gobuf.pc"] = l.gobuf.pc;
  d["gobuf.bp"] = l.gobuf.bp;
  d["gobuf.lr"] = l.gobuf.lr;
  d["_panic.arg"] = l.panic.arg;
  d["_panic.link"] = l.panic.link;
  return d;
}

// The runtime layout from the executable's DWARF and from the fallback
// table of its Go version (None when there is none).
py::dict runtime_layouts(const std::string& executable) {
  auto binary = GoBinary::open(executable);
  py::dict d;
  d["dwarf"] = runtime_layout_dict(runtime_layout(*binary));
  auto table = runtime_layout_for_version(binary->build_info().parsed());
  d["tables"] = table ? py::object(runtime_layout_dict(*table)) : py::object(py::none());
  return d;
}

// The status and wait-reason names the executable's runtime initializes
// and those gomapdbg uses without its symbols (None where it has none).
py::dict runtime_names(const std::string& executable) {
  auto binary = GoBinary::open(executable);
  auto optional_list = [](std::optional<std::vector<std::string>> v) {
    return v ? py::cast(*v) : py::object(py::none());
  };
  std::vector<std::string> statuses;
  for (uint32_t s = 0; s <= gstatus::kDeadExtra; ++s) statuses.push_back(status_name(s));
  py::dict d;
  d["statuses"] = optional_list(static_strings(*binary, "runtime.gStatusStrings"));
  d["status_names"] = statuses;
  d["wait_reasons"] = optional_list(static_strings(*binary, "runtime.waitReasonStrings"));
  d["wait_reason_table"] = wait_reason_table(binary->build_info().parsed());
  return d;
}

// A struct as the executable's DWARF describes it: its size and its
// fields' offsets; None when DWARF has no type of that name.
py::object dwarf_struct(const std::string& executable, const std::string& name) {
  auto binary = GoBinary::open(executable);
  binary->require_dwarf("reading a struct's DWARF");
  const GoType* type = binary->types().by_name(name);
  if (!type) return py::none();
  py::dict fields;
  for (const GoField& f : type->fields) fields[py::str(f.name)] = f.offset;
  py::dict d;
  d["size"] = type->size;
  d["fields"] = fields;
  return d;
}

// The sync.Map structs gomapdbg lays out from their Go declarations when
// DWARF lacks them, as dwarf_struct gives them (only the fields it reads).
py::dict sync_map_fallback_structs() {
  SyncMapLayout l;
  auto shape = [](uint64_t size, std::vector<std::pair<const char*, uint64_t>> fields) {
    py::dict struct_, offsets;
    for (const auto& [name, offset] : fields) offsets[name] = offset;
    struct_["size"] = size;
    struct_["fields"] = offsets;
    return struct_;
  };
  py::dict d;
  for (const char* name : kTrieEntryNames)
    d[name] =
        shape(l.entry_size,
              {{"overflow", l.entry_overflow}, {"key", l.entry_key}, {"value", l.entry_value}});
  d["sync.readOnly"] = shape(l.read_size, {{"m", l.read_m}, {"amended", l.read_amended}});
  return d;
}

// The offsets gomapdbg uses without DWARF that hold for every Go version
// it knows, named "struct.Field" after the runtime's own names (go1.21+
// spelling); "struct" alone is the struct's size.
py::dict fixed_runtime_offsets() {
  using namespace abi;
  py::dict d;
  d["string.str"] = kStringData;
  d["string.len"] = kStringLen;
  d["string"] = kStringSize;
  d["slice.array"] = kSliceData;
  d["slice.len"] = kSliceLen;
  d["slice.cap"] = kSliceCap;
  d["slice"] = kSliceSize;
  d["eface._type"] = kInterfaceFirstWord;
  d["eface.data"] = kInterfaceData;
  d["eface"] = kInterfaceSize;
  d["iface.tab"] = kInterfaceFirstWord;
  d["iface.data"] = kInterfaceData;
  d["iface"] = kInterfaceSize;
  d["ITab.Type"] = kItabType;
  d["hchan.qcount"] = kHchanQcount;
  d["hchan.dataqsiz"] = kHchanDataqsiz;
  d["Type.Size_"] = abi::kTypeSize;
  d["Type.TFlag"] = kTypeTFlag;
  d["Type.Kind_"] = kTypeKind;
  d["Type.Str"] = kTypeStr;
  d["Type"] = kTypeHeaderSize;
  d["ArrayType.Elem"] = kElem;
  d["ArrayType.Len"] = kArrayLen;
  d["ArrayType"] = kArrayTypeSize;
  d["ChanType.Elem"] = kElem;
  d["ChanType"] = kChanTypeSize;
  d["PtrType.Elem"] = kElem;
  d["PtrType"] = kPtrTypeSize;
  d["SliceType.Elem"] = kElem;
  d["SliceType"] = kSliceTypeSize;
  d["FuncType.InCount"] = kFuncInCount;
  d["FuncType.OutCount"] = kFuncOutCount;
  d["FuncType"] = kFuncTypeSize;
  d["StructType.Fields"] = kStructFields;
  d["StructType"] = kStructTypeSize;
  d["StructField.Name"] = kStructFieldName;
  d["StructField.Typ"] = kStructFieldTyp;
  d["StructField.Offset"] = kStructFieldOffset;
  d["StructField"] = kStructFieldSize;
  d["InterfaceType.Methods"] = kInterfaceMethods;
  d["InterfaceType"] = kInterfaceTypeSize;
  d["Imethod"] = kImethodSize;
  d["UncommonType.Mcount"] = kUncommonMcount;
  d["UncommonType"] = kUncommonSize;
  d["Method"] = kMethodSize;
  return d;
}

// The map type descriptor offsets for `family` and Go version go1.`minor`,
// named as fixed_runtime_offsets() names them.
py::dict map_type_offsets(const std::string& family, int minor) {
  py::dict d;
  d["MapType.Key"] = kMapTypeKey;
  d["MapType.Elem"] = kMapTypeElem;
  if (family == "classic") {
    d["MapType.KeySize"] = kClassicKeySize;
    d["MapType.ValueSize"] = kClassicValueSize;
    d["MapType.BucketSize"] = kClassicBucketSize;
    d["MapType.Flags"] = kClassicFlags;
  } else if (minor >= 27) {
    d["MapType.GroupSize"] = kSwissGroupSize;
    d["MapType.KeysOff"] = kSwiss127KeysOff;
    d["MapType.KeyStride"] = kSwiss127KeyStride;
    d["MapType.ElemsOff"] = kSwiss127ElemsOff;
    d["MapType.ElemStride"] = kSwiss127ElemStride;
    d["MapType.Flags"] = kSwiss127Flags;
    d["MapType"] = kSwiss127TypeSize;
  } else {
    d["MapType.GroupSize"] = kSwissGroupSize;
    d["MapType.SlotSize"] = kSwissSlotSize;
    d["MapType.ElemOff"] = kSwissElemOff;
    d["MapType.Flags"] = kSwissFlags;
  }
  return d;
}

// map[string]string of go1.`minor` laid out from the classic tables alone
// (what the goroutine labels of a binary without DWARF are read with).
py::object classic_string_map_layout(int minor) {
  static const GoType string_type{"string", GoKind::String, kStringSize};
  try {
    return classic_dict(
        classic_map_layout(GoVersion{1, minor, 0}, string_type, string_type).classic);
  } catch (const Error& e) {
    return py::str(e.what());
  }
}

}  // namespace

void bind_runtime_descriptors(py::module_& m) {
  m.def("runtime_layouts", &runtime_layouts, py::arg("executable"),
        "runtime.g/m/gobuf/_panic offsets from the executable's DWARF ('dwarf') and from the "
        "fallback table of its Go version ('tables', or None).");
  m.def("map_layouts", &map_layouts, py::arg("executable"),
        "Every map type DWARF has, laid out from DWARF ('dwarf') and from its runtime type "
        "descriptor alone ('decoded'): dicts of offsets, or the error as a string; "
        "'by_name' is the descriptor moduledata.typelinks finds under the type's name.");
  m.def("runtime_names", &runtime_names, py::arg("executable"),
        "runtime.gStatusStrings and waitReasonStrings of the executable ('statuses', "
        "'wait_reasons') and gomapdbg's own ('status_names', 'wait_reason_table').");
  m.def("dwarf_struct", &dwarf_struct, py::arg("executable"), py::arg("name"),
        "{'size', 'fields': {name: offset}} of the struct DWARF names `name`, or None.");
  m.def("sync_map_fallback_structs", &sync_map_fallback_structs,
        "The sync.Map structs laid out from their Go declarations when DWARF lacks them: "
        "{name: {'size', 'fields': {name: offset}}}.");
  m.def("fixed_runtime_offsets", &fixed_runtime_offsets,
        "The version-independent offsets of Go's value headers and type descriptors gomapdbg "
        "uses without DWARF: {'Struct.Field': offset, 'Struct': size}.");
  m.def(
      "map_type_offsets", &map_type_offsets, py::arg("family"), py::arg("minor"),
      "The map type descriptor offsets gomapdbg uses for 'classic' or 'swiss' maps of go1.minor.");
  m.def("classic_string_map_layout", &classic_string_map_layout, py::arg("minor"),
        "map[string]string of go1.minor laid out from the classic fallback tables (a dict as "
        "map_layouts' 'fields'), or the error as a string.");
  m.def("module_data", &module_data, py::arg("executable"),
        "runtime.firstmoduledata as gomapdbg finds it (symbol or search), or None.");
}

}  // namespace gomapdbg::python
