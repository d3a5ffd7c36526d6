package runtime

import (
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// pointDiagnostic is a message about attach point ap, positioned where
// the script writes it, with its line and a caret, as the checker's
// are; nil when the script's text is not known (an object read back) or
// the attach point's place is not.
func pointDiagnostic(script *lang.Source, ap *codegen.AttachMeta, msg string) *lang.Diagnostic {
	if script == nil || ap == nil || !ap.Pos.IsValid() || ap.End <= ap.Pos.Offset {
		return nil
	}
	src := script.File(ap.Pos.Filename)
	if src.Name != ap.Pos.Filename || ap.End > len(src.Text) {
		return nil
	}
	return &lang.Diagnostic{Src: src, Start: ap.Pos.Offset, End: ap.End, Msg: msg}
}
