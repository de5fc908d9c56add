//go:build !go1.21

package main

// resetBatch empties the batch in place (there is no clear builtin before
// go1.21).
func resetBatch(batch map[string]int) {
	for k := range batch {
		delete(batch, k)
	}
}

// clearMessages: go1.19 compiles the loop as a real iteration
// (mapiterinit/mapiternext and mapdelete_faststr), so it can raise the
// iteration fatal as well as "concurrent map writes" (from its deletes or
// the enqueuer).
const clearMessages = "concurrent map writes|concurrent map iteration and map write"
