// Package metrics exports a running script's maps as Prometheus metrics
// (hawk --metrics ADDR): a Collector reads the maps when Prometheus
// scrapes, through runtime.Session's reads (batch lookups, per-CPU values
// merged), so the programs do no extra work per event. It builds
// client_model's families itself, and prometheus/common's expfmt writes
// them, as client_golang's registry and promhttp would (tests hold them
// to it), without linking client_golang: its registry, process collector
// and expvar cost every hawk run time at start-up.
//
// Each map is a metric family hawk_NAME (@ alone is hawk_map). Its key
// parts are labels named after the key expressions where they are names
// (@[comm, pid]: comm, pid; args.filename: filename), key0, key1, ...
// otherwise, with the values as hawk prints them. count() maps, and sum()
// maps of unsigned values, that the script never clears, zeroes or deletes
// from are counters (hawk_NAME_total); hist() and lhist() maps are
// histograms whose le bounds are their buckets' largest values; avg() and
// stats() maps are summaries of a _sum and a _count; every other map is a
// gauge, with its value in a label (value) when it is not a number.
// Beside them: hawk_lost_events_total, hawk_probe_hits_total{probe},
// hawk_map_entries{map} and hawk_map_full_total{map}.
package metrics
