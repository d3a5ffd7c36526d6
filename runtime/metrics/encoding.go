package metrics

import (
	"net/http"
	"strconv"
	"strings"
)

// takesGzip reports whether a scraper's Accept-Encoding prefers gzip to
// no compression, as promhttp chooses between the two it offers: gzip
// when a coding it names (gzip or *) has a higher quality than any that
// names identity, and not for a header without gzip or * (the scraper
// takes an answer as it is).
func takesGzip(h http.Header) bool {
	identity, gzip := -1.0, -1.0
	for _, v := range h.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.TrimSpace(coding)
			q := 1.0
			if params = strings.TrimSpace(params); params != "" {
				s, ok := strings.CutPrefix(params, "q=")
				f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
				if !ok || err != nil || f < 0 || f > 1 {
					continue
				}
				q = f
			}
			if coding == "identity" || coding == "*" {
				identity = max(identity, q)
			}
			if coding == "gzip" || coding == "*" {
				gzip = max(gzip, q)
			}
		}
	}
	return gzip > identity && gzip > 0
}
