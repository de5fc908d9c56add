// map_writes times map writes for bench/watch_cost.py: it prints its map's
// header address, then for each line N on stdin times N writes
// m[i&1023] = i to a full map (no growth) and prints the nanoseconds.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	m := make(map[int]int, 1024)
	for i := 0; i < 1024; i++ {
		m[i] = i
	}
	fmt.Printf("%p\n", m)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		n, err := strconv.Atoi(in.Text())
		if err != nil {
			panic(err)
		}
		start := time.Now()
		for i := 0; i < n; i++ {
			m[i&1023] = i
		}
		fmt.Println(time.Since(start).Nanoseconds())
	}
}
