//go:build go1.21

package main

// resetBatch empties the batch in place.
func resetBatch(batch map[string]int) {
	clear(batch)
}

// clearMessages: clear(m) is runtime.mapclear (classic) or maps.(*Map).Clear
// (swiss); both throw "concurrent map writes", as does the enqueuer.
const clearMessages = "concurrent map writes"
