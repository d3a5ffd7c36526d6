// Package lang is hawk's front end: source positions and diagnostics, the
// lexer and grammar of the bpftrace language, the AST, types, the checker,
// and the tables of builtins, functions and probe kinds.
//
// The pipeline reads as a sentence:
//
//	prog, err := lang.ParseFiles(src)       // text (and imports) -> AST
//	info, err := lang.Check(prog, env, cfg) // AST -> types and resolved names
//
// Nothing here touches the kernel: what the checker needs to know about the
// running system (tracepoint formats) comes through the Env interface.
package lang
