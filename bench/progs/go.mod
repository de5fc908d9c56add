module gomapdbg/bench

go 1.19
