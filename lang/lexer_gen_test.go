package lang

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"testing"
)

var participleGen = flag.String("participle", "",
	"regenerate lexer_gen.go from lexRules with this participle generator (its cmd/participle)")

// lexRulesJSON is lexRules as participle's generator reads them, in
// participle's own JSON form, and its SHA-256.
func lexRulesJSON(t testing.TB) ([]byte, string) {
	js, err := json.Marshal(lexRules)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(js)
	return js, hex.EncodeToString(sum[:])
}

// TestLexerGenerated fails when lexRules changed but lexer_gen.go was not
// generated again from them: the file records the SHA-256 of the rules it
// was made of. With -participle=PATH it generates the file again.
func TestLexerGenerated(t *testing.T) {
	js, sum := lexRulesJSON(t)
	if *participleGen != "" {
		regenerateLexer(t, *participleGen, js, sum)
		return
	}
	if sum != lexRulesSHA256 {
		t.Errorf("lexRules changed since lexer_gen.go was generated from them (SHA-256 %s, now %s): "+
			"generate it again with go test ./lang -run '^TestLexerGenerated$' -participle=/path/to/participle",
			lexRulesSHA256, sum)
	}
}

// lexerGenHeader is what lexer_gen.go says before the generator's output.
const lexerGenHeader = `// lexer_gen.go is the lexer participle's generator makes of lexRules
// (lexer.go). Do not edit it: change lexRules, then generate it again with
//
//	go test ./lang -run '^TestLexerGenerated$' -participle=/path/to/participle
//
// which marshals lexRules to JSON (participle's own form of them, as
// json.Marshal(lexRules) writes it), pipes that into
//
//	participle gen lexer --name hawk lang
//
// and writes its output, gofmt'ed, between this comment and the SHA-256 of
// the JSON, which TestLexerGenerated checks. The generator is participle's
// command-line tool, cmd/participle in github.com/alecthomas/participle at
// commit 1051d47 (its lexer package is v2.1.4's, which hawk uses; the
// generator of tag v2.1.4 makes the same code, but without the blank line
// after its first line, which then becomes the package's doc comment): a
// module of its own, not in the Go module proxy. TestLexersAgree checks
// that the generated lexer lexes as lexer.MustStateful(lexRules) does.

`

// regenerateLexer writes lexer_gen.go with the generator at path.
func regenerateLexer(t *testing.T, path string, js []byte, sum string) {
	cmd := exec.Command(path, "gen", "lexer", "--name", "hawk", "lang")
	cmd.Stdin = bytes.NewReader(js)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", path, err, stderr.Bytes())
	}
	var b bytes.Buffer
	b.WriteString(lexerGenHeader)
	b.Write(out)
	fmt.Fprintf(&b, "\n\n// lexRulesSHA256 is the SHA-256 of the JSON of the lexRules this file\n"+
		"// was generated from.\nconst lexRulesSHA256 = %q\n", sum)
	src, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatalf("the generated lexer does not parse: %v", err)
	}
	if err := os.WriteFile("lexer_gen.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote lexer_gen.go (lexRules SHA-256 %s)", sum)
}
