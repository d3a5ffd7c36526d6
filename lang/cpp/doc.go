// Package cpp is hawk's C preprocessor for constants. It reads the C
// headers a script includes, as a C compiler's preprocessor would for
// x86-64 (or arm64) Linux, and gives the integer value of a macro (or of a
// header's enum constant) by name: AF_INET is PF_INET is 2.
//
// It follows #include and #include_next through the search path (the -I
// directories, /usr/local/include, the multiarch directory, /usr/include,
// then a few compiler headers of its own such as stddef.h and limits.h),
// defines object-like and function-like macros, evaluates #if, #elif,
// #ifdef and #ifndef, honours include guards and #pragma once, and reads
// `enum { NAME = value, ... }` declarations. It compiles no C otherwise:
// declarations and functions are skipped. A depth limit, a budget of bytes
// read and a time limit keep include cycles and huge headers from hanging
// it.
//
// It runs no compiler and no cpp: hawk needs no C toolchain.
package cpp
