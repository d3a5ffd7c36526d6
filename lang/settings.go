package lang

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Settings are bpftrace's config variables, from defaults, the script's
// config block and BPFTRACE_* environment variables (which win).
type Settings struct {
	MaxStrlen       int    // size of strings, NUL included
	MaxMapKeys      int    // entries of a map not declared with a size
	OnStackLimit    int    // values up to this size live on the stack
	PerfRbPages     int    // ring buffer pages; 0 picks a default
	LogSize         int    // verifier log size
	MaxBPFProgs     int    // most programs a script may have
	MaxProbes       int    // most attach points a script may have
	MaxCatBytes     int    // cat() output limit
	StackMode       string // bpftrace, perf, raw, build_id
	MissingProbes   string // error, warn, ignore; "" until set: see expandAttachPoints
	License         string
	StrTruncTrailer string
	PrintMapsOnExit bool
	CppDemangle     bool
	LazySymbols     bool
	// ShowDebugInfo adds source file:line and inlined functions to user
	// stacks from the binaries' DWARF (show_debug_info).
	ShowDebugInfo bool
	// UnstableDwUstack is unstable_dw_ustack: warn (the default), error
	// or enable.
	UnstableDwUstack string
}

// DefaultSettings returns bpftrace's defaults.
func DefaultSettings() Settings {
	return Settings{
		MaxStrlen: DefaultMaxStrlen, MaxMapKeys: 4096, OnStackLimit: 32, LogSize: 1000000,
		MaxBPFProgs: 1024, MaxProbes: 1024, MaxCatBytes: 10240, StackMode: "bpftrace",
		MissingProbes: "", License: "GPL", StrTruncTrailer: "..", PrintMapsOnExit: true,
		CppDemangle: true, LazySymbols: true, ShowDebugInfo: true, UnstableDwUstack: "warn",
	}
}

// setting describes one config variable: how to store a value given as text.
type setting struct {
	set func(s *Settings, v string) error
}

func intSetting(field func(*Settings) *int, min int) setting {
	return setting{set: func(s *Settings, v string) error {
		n, err := parseInt(v)
		if err != nil || int64(n) < int64(min) || n > 1<<31 {
			return fmt.Errorf("expects an integer of at least %d, not %q", min, v)
		}
		*field(s) = int(n)
		return nil
	}}
}

func boolSetting(field func(*Settings) *bool) setting {
	return setting{set: func(s *Settings, v string) error {
		switch strings.ToLower(v) {
		case "1", "true":
			*field(s) = true
		case "0", "false":
			*field(s) = false
		default:
			return fmt.Errorf("expects true, false, 1 or 0, not %q", v)
		}
		return nil
	}}
}

func choiceSetting(field func(*Settings) *string, choices ...string) setting {
	return setting{set: func(s *Settings, v string) error {
		for _, c := range choices {
			if strings.EqualFold(v, c) {
				*field(s) = c
				return nil
			}
		}
		return fmt.Errorf("expects one of %s, not %q", strings.Join(choices, ", "), v)
	}}
}

// exactChoiceSetting is choiceSetting where case matters.
func exactChoiceSetting(field func(*Settings) *string, choices ...string) setting {
	return setting{set: func(s *Settings, v string) error {
		for _, c := range choices {
			if v == c {
				*field(s) = c
				return nil
			}
		}
		return fmt.Errorf("expects one of %s, not %q", strings.Join(choices, ", "), v)
	}}
}

// Licenses are the values of the license setting: the GPL-compatible
// licenses the kernel accepts for programs that call GPL-only helpers, the
// ones bpftrace accepts.
var Licenses = []string{"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"}

func stringSetting(field func(*Settings) *string) setting {
	return setting{set: func(s *Settings, v string) error { *field(s) = v; return nil }}
}

// ignored settings are accepted for compatibility and change nothing here.
var ignored = setting{set: func(*Settings, string) error { return nil }}

// settingTable is how each config setting is set, built on first use (not
// at every start).
var settingTable = sync.OnceValue(func() map[string]setting {
	return map[string]setting{
		"max_strlen":              intSetting(func(s *Settings) *int { return &s.MaxStrlen }, 2),
		"max_map_keys":            intSetting(func(s *Settings) *int { return &s.MaxMapKeys }, 1),
		"on_stack_limit":          intSetting(func(s *Settings) *int { return &s.OnStackLimit }, 0),
		"perf_rb_pages":           intSetting(func(s *Settings) *int { return &s.PerfRbPages }, 0),
		"log_size":                intSetting(func(s *Settings) *int { return &s.LogSize }, 1),
		"max_bpf_progs":           intSetting(func(s *Settings) *int { return &s.MaxBPFProgs }, 1),
		"max_probes":              intSetting(func(s *Settings) *int { return &s.MaxProbes }, 1),
		"max_cat_bytes":           intSetting(func(s *Settings) *int { return &s.MaxCatBytes }, 1),
		"stack_mode":              choiceSetting(func(s *Settings) *string { return &s.StackMode }, StackModes...),
		"missing_probes":          choiceSetting(func(s *Settings) *string { return &s.MissingProbes }, "error", "warn", "ignore"),
		"license":                 exactChoiceSetting(func(s *Settings) *string { return &s.License }, Licenses...),
		"str_trunc_trailer":       stringSetting(func(s *Settings) *string { return &s.StrTruncTrailer }),
		"print_maps_on_exit":      boolSetting(func(s *Settings) *bool { return &s.PrintMapsOnExit }),
		"cpp_demangle":            boolSetting(func(s *Settings) *bool { return &s.CppDemangle }),
		"lazy_symbolication":      boolSetting(func(s *Settings) *bool { return &s.LazySymbols }),
		"show_debug_info":         boolSetting(func(s *Settings) *bool { return &s.ShowDebugInfo }),
		"cache_user_symbols":      ignored,
		"use_blazesym":            ignored,
		"max_type_res_iterations": ignored,
		"unstable_import":         ignored,
		"unstable_macro":          ignored,
		"unstable_map_decl":       ignored,
		"unstable_tseries":        ignored,
		"unstable_typeinfo":       ignored,
		"unstable_addr":           ignored,
		"unstable_dw_ustack":      choiceSetting(func(s *Settings) *string { return &s.UnstableDwUstack }, "warn", "error", "enable"),
		"symbol_source":           ignored,
	}
})

// settingName accepts BPFTRACE_MAX_STRLEN, MAX_STRLEN and max_strlen.
func settingName(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ToUpper(name), "BPFTRACE_"))
}

// SettingNames lists the config variables hawk knows.
func SettingNames() []string {
	var names []string
	for n := range settingTable() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// applySetting sets one variable; the error says what is wrong.
func (s *Settings) applySetting(name, value string) error {
	st, ok := settingTable()[settingName(name)]
	if !ok {
		return fmt.Errorf("unknown config variable %q", name)
	}
	value = strings.Trim(value, `"`)
	if err := st.set(s, value); err != nil {
		return fmt.Errorf("config variable %s %v", settingName(name), err)
	}
	return nil
}

// legacyStrlen is bpftrace 0.17's name of BPFTRACE_MAX_STRLEN, which
// wins when both are set.
const legacyStrlen = "BPFTRACE_STRLEN"

// settingsFromEnv applies the BPFTRACE_* variables of environ (KEY=VALUE).
func settingsFromEnv(s *Settings, environ []string) []error {
	var errs []error
	for _, kv := range environ {
		if k, v, _ := strings.Cut(kv, "="); k == legacyStrlen {
			if err := s.applySetting("max_strlen", v); err != nil {
				errs = append(errs, fmt.Errorf("environment variable %s: %v", k, err))
			}
		}
	}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "BPFTRACE_") {
			continue
		}
		if _, known := settingTable()[settingName(k)]; !known {
			continue // other BPFTRACE_ variables are not config
		}
		if err := s.applySetting(k, v); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s: %v", k, err))
		}
	}
	return errs
}
