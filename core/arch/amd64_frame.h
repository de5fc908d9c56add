// Where a linux/amd64 thread keeps its frames' return addresses and saved
// frame pointers, and where the Go runtime keeps the thread's current g:
// facts of the architecture and of Go on it, the same in go1.19–go1.27
// (reference §5.7; Go's ABIInternal registers are in arch/amd64_abi.h).
#pragma once

#include <cstdint>

namespace gomapdbg::amd64 {

// A CALL pushes the return address, so it sits just below the caller's SP
// at the call (the callee's CFA); a function with a frame pushes BP next.
inline constexpr uint64_t kReturnAddressBelowCfa = 8;
inline constexpr uint64_t kSavedFramePointerBelowCfa = 16;
// A frame-pointer chain link at BP: the caller's BP at BP+0, the return
// address at BP+8, and the caller's SP (the CFA) at BP+16.
inline constexpr uint64_t kFramePointerReturnAddress = 8;
inline constexpr uint64_t kFramePointerCfa = 16;

// The thread's g in TLS: the runtime sets FS base to &m.tls[0] + 8 (settls,
// runtime/sys_linux_amd64.s), so g = *(fs_base - 8); a cgo binary's
// runtime.tlsg lands on the same slot.
inline constexpr uint64_t kTlsGBelowFsBase = 8;

}  // namespace gomapdbg::amd64
