"""Ad-hoc probes for the server's speed and memory (not part of ``make bench``)."""
