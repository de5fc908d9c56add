"""A core file as bytes that tests can read and damage: virtual addresses map
to file offsets through the PT_LOAD program headers (ELF64, little-endian)."""

from __future__ import annotations

import struct

PT_LOAD = 1


class CoreImage:
    def __init__(self, path: str):
        with open(path, "rb") as f:
            self.data = bytearray(f.read())
        if self.data[:4] != b"\x7fELF" or self.data[4] != 2:
            raise ValueError(f"{path} is not an ELF64 file")
        (phoff,) = struct.unpack_from("<Q", self.data, 32)
        phentsize, phnum = struct.unpack_from("<HH", self.data, 54)
        self.loads = []  # (vaddr, offset, filesz, memsz)
        for i in range(phnum):
            p_type, _, offset, vaddr, _, filesz, memsz = struct.unpack_from(
                "<IIQQQQQ", self.data, phoff + i * phentsize
            )
            if p_type == PT_LOAD:
                self.loads.append((vaddr, offset, filesz, memsz))

    def offset(self, address: int, size: int = 1) -> int | None:
        """File offset of `size` bytes at `address`, if the core holds them."""
        for vaddr, offset, filesz, _ in self.loads:
            if vaddr <= address and address + size <= vaddr + filesz:
                return offset + address - vaddr
        return None

    def read(self, address: int, size: int) -> bytes:
        off = self.offset(address, size)
        if off is None:
            raise KeyError(f"{size} bytes at {address:#x} are not in the core")
        return bytes(self.data[off : off + size])

    def u64(self, address: int) -> int:
        return struct.unpack("<Q", self.read(address, 8))[0]

    def write(self, address: int, value: bytes) -> None:
        off = self.offset(address, len(value))
        if off is None:
            raise KeyError(f"{len(value)} bytes at {address:#x} are not in the core")
        self.data[off : off + len(value)] = value

    def put_u64(self, address: int, value: int) -> None:
        self.write(address, struct.pack("<Q", value & 0xFFFFFFFFFFFFFFFF))

    def put_u8(self, address: int, value: int) -> None:
        self.write(address, bytes([value]))

    def save(self, path: str, size: int | None = None) -> str:
        with open(path, "wb") as f:
            f.write(self.data if size is None else self.data[:size])
        return path


class ElfSymbols:
    """Sections and symbols of an executable, read from its ELF headers and
    .symtab (ELF64, little-endian): where the runtime's globals are."""

    def __init__(self, path: str):
        with open(path, "rb") as f:
            data = f.read()
        if data[:4] != b"\x7fELF" or data[4] != 2:
            raise ValueError(f"{path} is not an ELF64 file")
        (shoff,) = struct.unpack_from("<Q", data, 40)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 58)
        headers = [
            struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
        ]  # name, type, flags, addr, offset, size, link, info, addralign, entsize
        names_at = headers[shstrndx][4]

        def cstring(at: int) -> str:
            return data[at : data.index(b"\0", at)].decode()

        # name -> (address, file offset, size)
        self.sections = {cstring(names_at + h[0]): (h[3], h[4], h[5]) for h in headers}
        self.symbols: dict[str, tuple[int, int]] = {}  # name -> (address, size)
        for h in headers:
            if h[1] != 2:  # SHT_SYMTAB
                continue
            strtab = headers[h[6]][4]
            for at in range(h[4], h[4] + h[5], 24):
                name, _, _, _, value, size = struct.unpack_from("<IBBHQQ", data, at)
                if name:
                    self.symbols[cstring(strtab + name)] = (value, size)

    def address(self, name: str) -> int:
        return self.symbols[name][0]
