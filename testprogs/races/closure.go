package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// runClosure counts content digests in a local map that the worker
// closures capture.
func runClosure() {
	seen := make(map[string]int)
	chunk := make([]byte, 512)
	for i := 0; i < 1500; i++ {
		binary.LittleEndian.PutUint64(chunk, uint64(i))
		seen[digestKey(chunk)] = 0
	}
	settle(seen)
	mapReady(len(seen)) // watch closure: seen
	gate.expect(3)
	for w := 0; w < 3; w++ {
		go func(w int) {
			gate.accessor(true)
			chunk := make([]byte, 512)
			for i := w; ; i += 3 {
				binary.LittleEndian.PutUint64(chunk, uint64(i%1500))
				seen[digestKey(chunk)]++
			}
		}(w)
	}
	gate.publish(seen, "", "concurrent map writes")
}

// digestKey names a chunk by the hex of its sha256's first bytes.
func digestKey(chunk []byte) string {
	sum := sha256.Sum256(chunk)
	return hex.EncodeToString(sum[:8])
}
