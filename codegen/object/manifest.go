package object

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hawktrace/hawk/codegen"
)

// FormatVersion is the version of the object layout and of the manifest
// encoding that Write writes and Read reads. Read refuses objects of
// another version. Version 2 keeps strings that are not valid UTF-8 (see
// encodeString), which version 1 wrote as U+FFFD.
const FormatVersion = 2

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

var (
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	stringer        = reflect.TypeFor[fmt.Stringer]()
)

// isText reports whether values of t encode as their text.
func isText(t reflect.Type) bool {
	return t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface &&
		t.Implements(textMarshaler) && reflect.PointerTo(t).Implements(textUnmarshaler)
}

// isEnum reports whether t is an integer type with a String method, whose
// values encode with their names.
func isEnum(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return t.Implements(stringer)
	}
	return false
}

// enumName returns v.String(), or "" if it panics (a table indexed by an
// unknown value).
func enumName(v reflect.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	return v.Interface().(fmt.Stringer).String()
}

// ptrKey identifies what a pointer points to.
type ptrKey struct {
	addr uintptr
	typ  reflect.Type
}

// encoder turns a value into JSON values, pointers into object indexes.
type encoder struct {
	ids     map[ptrKey]int
	objects []any
}

func (e *encoder) value(v reflect.Value, path string) (any, error) {
	t := v.Type()
	if isText(t) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return encodeString(string(b)), nil
	}
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := json.Number(strconv.FormatInt(v.Int(), 10))
		if isEnum(t) {
			return []any{n, encodeString(enumName(v))}, nil
		}
		return n, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n := json.Number(strconv.FormatUint(v.Uint(), 10))
		if isEnum(t) {
			return []any{n, encodeString(enumName(v))}, nil
		}
		return n, nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, t.Bits()), nil
	case reflect.String:
		return encodeString(v.String()), nil
	case reflect.Pointer:
		if v.IsNil() {
			return nil, nil
		}
		key := ptrKey{v.Pointer(), t}
		if id, ok := e.ids[key]; ok {
			return id, nil
		}
		id := len(e.objects)
		e.ids[key] = id
		e.objects = append(e.objects, nil)
		obj, err := e.value(v.Elem(), path)
		if err != nil {
			return nil, err
		}
		e.objects[id] = obj
		return id, nil
	case reflect.Struct:
		m := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv, err := e.value(v.Field(i), join(path, f.Name))
			if err != nil {
				return nil, err
			}
			m[f.Name] = fv
		}
		return m, nil
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 && !isEnum(t.Elem()) && !isText(t.Elem()) {
			return base64.StdEncoding.EncodeToString(v.Bytes()), nil
		}
		fallthrough
	case reflect.Array:
		list := make([]any, v.Len())
		for i := range list {
			var err error
			if list[i], err = e.value(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return nil, err
			}
		}
		return list, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		type pair struct {
			key  string // JSON of the key, to sort by
			k, v any
		}
		var pairs []pair
		iter := v.MapRange()
		for iter.Next() {
			k, err := e.value(iter.Key(), path+"[key]")
			if err != nil {
				return nil, err
			}
			val, err := e.value(iter.Value(), fmt.Sprintf("%s[%v]", path, iter.Key()))
			if err != nil {
				return nil, err
			}
			kj, _ := json.Marshal(k)
			pairs = append(pairs, pair{string(kj), k, val})
		}
		sort.Slice(pairs, func(i, j int) bool { return pairs[i].key < pairs[j].key })
		list := make([]any, len(pairs))
		for i, p := range pairs {
			list[i] = []any{p.k, p.v}
		}
		return list, nil
	case reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: a %s value in an interface cannot be encoded", path, v.Elem().Type())
	}
	return nil, fmt.Errorf("%s: values of type %s cannot be encoded", path, t)
}

// bytesKey names the base64 of a string's bytes in the JSON object that
// stands for a string that is not valid UTF-8.
const bytesKey = "bytes"

// encodeString returns the JSON value of s. A JSON string holds only
// Unicode text (encoding/json writes U+FFFD for each byte that is not
// UTF-8), while Go strings, and the scripts' strings, formats and paths
// they hold, are any bytes: a string that is not valid UTF-8 becomes
// {"bytes": base64 of its bytes}. Valid strings, nearly all of them, stay
// JSON strings, which keeps the section readable and as fast to write.
func encodeString(s string) any {
	if utf8.ValidString(s) {
		return s
	}
	return map[string]any{bytesKey: base64.StdEncoding.EncodeToString([]byte(s))}
}

// decodeString returns the string that encodeString encoded as data.
func decodeString(data any) (string, error) {
	switch x := data.(type) {
	case string:
		return x, nil
	case map[string]any:
		if b64, ok := x[bytesKey].(string); ok && len(x) == 1 {
			b, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				return "", fmt.Errorf("the bytes of a string: %w", err)
			}
			return string(b), nil
		}
	}
	return "", fmt.Errorf("%T is not a string", data)
}

// decoder fills values in from JSON values.
type decoder struct {
	objects []any
	ptrs    map[int]reflect.Value
}

func (d *decoder) value(data any, v reflect.Value, path string) error {
	t := v.Type()
	bad := func() error {
		return fmt.Errorf("%s: %T is not a %s", path, data, t)
	}
	if isText(t) {
		s, err := decodeString(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Bool:
		b, ok := data.(bool)
		if !ok {
			return bad()
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, want, ok := number(data)
		if !ok {
			return bad()
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || v.OverflowInt(i) {
			return fmt.Errorf("%s: %s does not fit a %s", path, n, t)
		}
		v.SetInt(i)
		return checkName(v, want, path)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, want, ok := number(data)
		if !ok {
			return bad()
		}
		u, err := strconv.ParseUint(string(n), 10, 64)
		if err != nil || v.OverflowUint(u) {
			return fmt.Errorf("%s: %s does not fit a %s", path, n, t)
		}
		v.SetUint(u)
		return checkName(v, want, path)
	case reflect.Float32, reflect.Float64:
		s, ok := data.(string)
		if !ok {
			return bad()
		}
		f, err := strconv.ParseFloat(s, t.Bits())
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.SetFloat(f)
	case reflect.String:
		s, err := decodeString(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.SetString(s)
	case reflect.Pointer:
		if data == nil {
			v.SetZero()
			return nil
		}
		n, ok := data.(json.Number)
		if !ok {
			return bad()
		}
		id, err := strconv.Atoi(string(n))
		if err != nil || id < 0 || id >= len(d.objects) {
			return fmt.Errorf("%s: no object %s", path, n)
		}
		if p, ok := d.ptrs[id]; ok {
			if p.Type() != t {
				return fmt.Errorf("%s: object %d is a %s, not a %s", path, id, p.Type(), t)
			}
			v.Set(p)
			return nil
		}
		p := reflect.New(t.Elem())
		d.ptrs[id] = p
		v.Set(p)
		return d.value(d.objects[id], p.Elem(), path)
	case reflect.Struct:
		m, ok := data.(map[string]any)
		if !ok {
			return bad()
		}
		// Fields the object lacks keep their zero values; fields it has
		// that t lacks are ignored. The schema check has made sure that
		// neither happens unnoticed.
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fd, ok := m[f.Name]
			if !f.IsExported() || !ok {
				continue
			}
			if err := d.value(fd, v.Field(i), join(path, f.Name)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if data == nil {
			v.SetZero()
			return nil
		}
		if s, ok := data.(string); ok && t.Elem().Kind() == reflect.Uint8 {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			v.SetBytes(b)
			return nil
		}
		list, ok := data.([]any)
		if !ok {
			return bad()
		}
		v.Set(reflect.MakeSlice(t, len(list), len(list)))
		return d.elems(list, v, path)
	case reflect.Array:
		list, ok := data.([]any)
		if !ok || len(list) != v.Len() {
			return bad()
		}
		return d.elems(list, v, path)
	case reflect.Map:
		if data == nil {
			v.SetZero()
			return nil
		}
		list, ok := data.([]any)
		if !ok {
			return bad()
		}
		m := reflect.MakeMapWithSize(t, len(list))
		for _, item := range list {
			pair, ok := item.([]any)
			if !ok || len(pair) != 2 {
				return fmt.Errorf("%s: a map entry is not a key and a value", path)
			}
			k, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			if err := d.value(pair[0], k, path+"[key]"); err != nil {
				return err
			}
			if err := d.value(pair[1], val, fmt.Sprintf("%s[%v]", path, k)); err != nil {
				return err
			}
			m.SetMapIndex(k, val)
		}
		v.Set(m)
	case reflect.Interface:
		if data != nil {
			return bad()
		}
	default:
		return fmt.Errorf("%s: values of type %s cannot be decoded", path, t)
	}
	return nil
}

func (d *decoder) elems(list []any, v reflect.Value, path string) error {
	for i, item := range list {
		if err := d.value(item, v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// join appends a field's name to the path of a value, for messages.
func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// number returns the number data encodes, and the name that goes with it
// for enums.
func number(data any) (n json.Number, name string, ok bool) {
	switch x := data.(type) {
	case json.Number:
		return x, "", true
	case []any:
		if len(x) == 2 {
			n, ok1 := x[0].(json.Number)
			s, err := decodeString(x[1])
			return n, s, ok1 && err == nil
		}
	}
	return "", "", false
}

// checkName makes sure an enum value means what it meant to the hawk that
// wrote it.
func checkName(v reflect.Value, want, path string) error {
	if want == "" || !isEnum(v.Type()) {
		return nil
	}
	if got := enumName(v); got != want {
		n := fmt.Sprint(v.Convert(reflect.TypeFor[uint64]()).Uint())
		if v.CanInt() {
			n = fmt.Sprint(v.Int())
		}
		return fmt.Errorf("%s: %s %s is %q to this hawk but was %q to the hawk that wrote the object: compile the script again with this hawk",
			path, v.Type(), n, got, want)
	}
	return nil
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
