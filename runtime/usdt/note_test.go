package usdt

import (
	"encoding/binary"
	"strings"
	"testing"
)

// noteBytes encodes one note as the assembler lays it out.
func noteBytes(owner string, typ uint32, desc []byte) []byte {
	name := append([]byte(owner), 0)
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(name)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(desc)))
	b = binary.LittleEndian.AppendUint32(b, typ)
	b = append(b, name...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	b = append(b, desc...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// sdtDesc encodes an SDT descriptor with 8-byte addresses.
func sdtDesc(pc, base, sema uint64, strs ...string) []byte {
	b := binary.LittleEndian.AppendUint64(nil, pc)
	b = binary.LittleEndian.AppendUint64(b, base)
	b = binary.LittleEndian.AppendUint64(b, sema)
	for _, s := range strs {
		b = append(b, s...)
		b = append(b, 0)
	}
	return b
}

func TestParseNotes(t *testing.T) {
	tick := noteBytes("stapsdt", 3, sdtDesc(0x1141, 0x2004, 0, "hawktest", "tick", "-4@%edi"))
	gated := noteBytes("stapsdt", 3, sdtDesc(0x1150, 0x2004, 0x4010, "hawktest", "gated", ""))
	tests := []struct {
		name string
		data []byte
		want []note
		err  string
	}{
		{"empty", nil, nil, ""},
		{"two", append(append([]byte{}, tick...), gated...), []note{
			{0x1141, 0x2004, 0, "hawktest", "tick", "-4@%edi"},
			{0x1150, 0x2004, 0x4010, "hawktest", "gated", ""},
		}, ""},
		{"other owner and type skipped", append(append(noteBytes("GNU", 3, []byte{1, 2, 3, 4}), noteBytes("stapsdt", 1, nil)...), tick...),
			[]note{{0x1141, 0x2004, 0, "hawktest", "tick", "-4@%edi"}}, ""},
		{"colon means no args", noteBytes("stapsdt", 3, sdtDesc(1, 2, 3, "p", "n", ":x")), []note{{1, 2, 3, "p", "n", ""}}, ""},
		{"padded strings", noteBytes("stapsdt", 3, append(sdtDesc(1, 2, 0, "p", "n", "8@%rax"), 0, 0, 0)), []note{{1, 2, 0, "p", "n", "8@%rax"}}, ""},
		{"truncated header", tick[:8], nil, "truncated header"},
		{"truncated descriptor", tick[:len(tick)-8], nil, "run past the section"},
		{"short descriptor", noteBytes("stapsdt", 3, make([]byte, 20)), nil, "descriptor of 20 bytes is too short"},
		{"missing strings", noteBytes("stapsdt", 3, append(sdtDesc(1, 2, 3, "p", "n"), 'x')), nil, "has 2 of its 3"},
		{"empty name", noteBytes("stapsdt", 3, sdtDesc(1, 2, 3, "p", "", "")), nil, `probe of provider "p" has no name`},
	}
	for _, tt := range tests {
		got, err := parseNotes(tt.data, binary.LittleEndian, 8)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d notes, want %d: %+v", tt.name, len(got), len(tt.want), got)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: note %d = %+v, want %+v", tt.name, i, got[i], tt.want[i])
			}
		}
	}
}

func TestParseNotes32(t *testing.T) {
	desc := binary.LittleEndian.AppendUint32(nil, 0x8048400)
	desc = binary.LittleEndian.AppendUint32(desc, 0x8049000)
	desc = binary.LittleEndian.AppendUint32(desc, 0)
	desc = append(desc, "p\x00n\x00-4@%eax\x00"...)
	got, err := parseNotes(noteBytes("stapsdt", 3, desc), binary.LittleEndian, 4)
	want := note{0x8048400, 0x8049000, 0, "p", "n", "-4@%eax"}
	if err != nil || len(got) != 1 || got[0] != want {
		t.Errorf("parseNotes = %+v, %v; want %+v", got, err, want)
	}
}
