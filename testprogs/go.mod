module gomapdbg/testprogs

go 1.19
