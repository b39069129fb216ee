#!/usr/bin/awk -f
# expect_in_order.awk EXPECTATIONS LOG: checks that LOG holds every
# expectation in the order given.  EXPECTATIONS has one per line: "F text"
# (a fixed string) or "R regex" (an ERE matched within one line of LOG).
# Each must match after the end of the previous match (on the same line
# further right, or on a later line).  Prints the first one missing, with
# the one before it, and exits 1; exits 0 when all are found.
BEGIN {
	n = 0
	while ((getline l < ARGV[1]) > 0) {
		kind[n] = substr(l, 1, 1); text[n] = substr(l, 3); n++
	}
	close(ARGV[1]); ARGV[1] = ""
	i = 0
}
{
	line = $0; pos = 1
	while (i < n) {
		rest = substr(line, pos)
		if (kind[i] == "F") {
			p = index(rest, text[i]); len = length(text[i])
		} else {
			p = match(rest, text[i]); len = RLENGTH
		}
		if (p == 0)
			break
		pos += p - 1 + (len > 0 ? len : 1)
		i++
	}
}
END {
	if (i < n) {
		printf "expect: output lacks (in order) %s: %s\n", kind[i] == "F" ? "the text" : "a line matching", text[i]
		if (i > 0)
			printf "expect:   expected after: %s\n", text[i - 1]
		exit 1
	}
}
