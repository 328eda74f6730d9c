"""`make bench`: load the list endpoints of a real server and report throughput, latency and memory."""
