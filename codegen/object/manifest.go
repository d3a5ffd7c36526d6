package object

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/codegen"
)

// FormatVersion is the version of the object layout and of the manifest
// encoding that Write writes and Read reads. Read refuses objects of
// another version. Version 2 keeps strings that are not valid UTF-8 (see
// encodeString), which version 1 wrote as U+FFFD. Version 3 takes program
// options when the object loads: getopt() reads them from the read-only
// data, and the manifest lists them (codegen.Manifest.Options), where
// version 2 had them fixed at compile time.
const FormatVersion = 3

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

// document is the JSON of the manifest section. Pointers are numbers:
// indexes into Objects, each the JSON of what a pointer points to.
type document struct {
	// Schema fingerprints the Go types of the envelope.
	Schema string `json:"schema"`
	// Writer is the hawk build that wrote the object, for messages.
	Writer  string `json:"writer,omitempty"`
	Root    any    `json:"root"`
	Objects []any  `json:"objects"`
}

var envelopeType = reflect.TypeFor[envelope]()

// schemaID identifies what an object's reader must agree on: the Go types
// of the manifest and codegen's wire layouts.
func schemaID() string { return schema(envelopeType) + "-w" + strconv.Itoa(codegen.WireVersion) }

// encodeEnvelope encodes env as the manifest section's contents.
func encodeEnvelope(env *envelope) ([]byte, error) {
	e := &encoder{ids: map[ptrKey]int{}}
	root, err := e.value(reflect.ValueOf(env).Elem(), "")
	if err != nil {
		return nil, err
	}
	doc := document{Schema: schemaID(), Writer: writer(), Root: root, Objects: e.objects}
	data, err := encodeJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("encoding the manifest: %w", err)
	}
	return append([]byte(fmt.Sprintf("%s %d\n", manifestMagic, FormatVersion)), data...), nil
}

func encodeJSON(doc document) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(doc)
	return b.Bytes(), err
}

// decodeJSON decodes a document, numbers as json.Number so that 64-bit
// integers keep every bit.
func decodeJSON(data []byte, doc *document) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(doc)
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
	var doc document
	if err := decodeJSON(rest, &doc); err != nil {
		return nil, fmt.Errorf("decoding the manifest: %w", err)
	}
	if want := schemaID(); doc.Schema != want {
		by := ""
		if doc.Writer != "" {
			by = " (" + doc.Writer + ")"
		}
		return nil, fmt.Errorf("the object was written by a hawk%s whose manifest differs from this hawk's (schema %s, not %s): compile the script again with this hawk", by, doc.Schema, want)
	}
	d := &decoder{objects: doc.Objects, ptrs: map[int]reflect.Value{}}
	env := &envelope{}
	if err := d.value(doc.Root, reflect.ValueOf(env).Elem(), ""); err != nil {
		return nil, fmt.Errorf("decoding the manifest: %w", err)
	}
	if env.Manifest == nil {
		return nil, errors.New("decoding the manifest: it is empty")
	}
	return env, nil
}

// writer names the running hawk build.
func writer() string {
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
}

// schema fingerprints the Go types reachable from t: the names and types
// of exported fields, recursively. It changes when a field is added,
// removed, renamed or retyped.
func schema(t reflect.Type) string {
	defs := map[string]string{}
	var describe func(t reflect.Type, named bool) string
	describe = func(t reflect.Type, top bool) string {
		if t.Name() != "" && !top {
			id := t.PkgPath() + "." + t.Name()
			if _, ok := defs[id]; !ok {
				defs[id] = "" // stops recursion
				defs[id] = describe(t, true)
			}
			return id
		}
		if isText(t) {
			return "text"
		}
		switch t.Kind() {
		case reflect.Pointer:
			return "*" + describe(t.Elem(), false)
		case reflect.Slice:
			return "[]" + describe(t.Elem(), false)
		case reflect.Array:
			return fmt.Sprintf("[%d]%s", t.Len(), describe(t.Elem(), false))
		case reflect.Map:
			return "map[" + describe(t.Key(), false) + "]" + describe(t.Elem(), false)
		case reflect.Struct:
			var b strings.Builder
			b.WriteString("struct{")
			for i := 0; i < t.NumField(); i++ {
				if f := t.Field(i); f.IsExported() {
					fmt.Fprintf(&b, "%s %s;", f.Name, describe(f.Type, false))
				}
			}
			b.WriteString("}")
			return b.String()
		}
		s := t.Kind().String()
		if isEnum(t) {
			s += " enum"
		}
		return s
	}
	root := describe(t, false)
	ids := make([]string, 0, len(defs))
	for id := range defs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	h := sha256.New()
	fmt.Fprintln(h, root)
	for _, id := range ids {
		fmt.Fprintln(h, id, defs[id])
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
