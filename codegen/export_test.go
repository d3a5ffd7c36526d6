package codegen

// ScratchMapName names the per-CPU scratch map for tests of the
// generated code.
const ScratchMapName = scratchMapName
