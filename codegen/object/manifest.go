package object

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/hawktrace/hawk/codegen"
)

// FormatVersion is the version of the object layout and of the manifest
// encoding that Write writes and Read reads. Read refuses objects of
// another version. Version 2 keeps strings that are not valid UTF-8, which
// version 1 wrote as U+FFFD. Version 3 takes program options when the
// object loads: getopt() reads them from the read-only data, and the
// manifest lists them (codegen.Manifest.Options), where version 2 had them
// fixed at compile time. Version 4 writes the manifest in binary with code
// generated from its types (codec.go), where version 3 wrote JSON by
// reflection, which took a third of --emit-elf's time.
const FormatVersion = 4

// ManifestSection is the name of the section that holds the manifest.
const ManifestSection = "hawk.manifest"

// manifestMagic starts the manifest section, followed by the format
// version and a newline.
const manifestMagic = "hawk-manifest"

// envelope is what the manifest section holds: the manifest, and what Read
// needs to give the collection back as codegen made it.
type envelope struct {
	Manifest *codegen.Manifest
	// Renamed maps the data sections of maps that programs read directly
	// to the maps' names; a loader names them after their sections.
	Renamed map[string]string
	// Empty lists the data sections whose maps had no initial contents.
	Empty []string
}

// schemaID identifies what an object's reader must agree on: the Go types
// of the manifest (schemaHash, made with the encoding's code) and
// codegen's wire layouts.
func schemaID() string { return schemaHash + "-w" + strconv.Itoa(codegen.WireVersion) }

// encodeEnvelope encodes env as the manifest section's contents: the
// magic line, the schema, the hawk that wrote it and the envelope.
func encodeEnvelope(env *envelope) ([]byte, error) {
	e := &encoder{buf: make([]byte, 0, 4096), ids: map[any]int{}}
	e.buf = fmt.Appendf(e.buf, "%s %d\n", manifestMagic, FormatVersion)
	e.string(schemaID())
	e.string(writer())
	e.root(env)
	return e.buf, nil
}

// decodeEnvelope decodes the manifest section.
func decodeEnvelope(data []byte) (*envelope, error) {
	line, rest, _ := bytes.Cut(data, []byte("\n"))
	magic, version, _ := strings.Cut(string(line), " ")
	if magic != manifestMagic {
		return nil, fmt.Errorf("the %s section does not start with %q", ManifestSection, manifestMagic)
	}
	if v, err := strconv.Atoi(version); err != nil || v != FormatVersion {
		return nil, fmt.Errorf("the object is in format %q, but this hawk reads format %d: compile the script again with this hawk", version, FormatVersion)
	}
	d := &decoder{data: rest}
	schema, by := d.string(), d.string()
	if d.err != nil {
		return nil, fmt.Errorf("decoding the manifest: %w", d.err)
	}
	if want := schemaID(); schema != want {
		if by != "" {
			by = " (" + by + ")"
		}
		return nil, fmt.Errorf("the object was written by a hawk%s whose manifest differs from this hawk's (schema %s, not %s): compile the script again with this hawk", by, schema, want)
	}
	env := &envelope{}
	d.root(env)
	if d.err == nil && len(d.data) > 0 {
		d.fail(fmt.Errorf("%d bytes follow it", len(d.data)))
	}
	if d.err != nil {
		return nil, fmt.Errorf("decoding the manifest: %w", d.err)
	}
	if env.Manifest == nil {
		return nil, errors.New("decoding the manifest: it is empty")
	}
	return env, nil
}

// writer names the running hawk build.
var writer = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	s := bi.Main.Path + " " + bi.Main.Version
	for _, kv := range bi.Settings {
		if kv.Key == "vcs.revision" {
			s += " " + kv.Value
		}
	}
	return strings.TrimSpace(s)
})
