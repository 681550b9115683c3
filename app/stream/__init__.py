"""The live stream's server side: the hub, the tailer that feeds it, and fan-out across workers via Redis."""
