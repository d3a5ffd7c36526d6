package runtime

import "testing"

// TestVerifierReason: the reason is the verifier's last words, also where
// the kernel printed them on the line of the instruction it stopped at.
func TestVerifierReason(t *testing.T) {
	for _, tc := range []struct {
		log  []string
		want string
	}{
		{[]string{"0: (bf) r0 = r2", "R2 !read_ok", "processed 1 insns (limit 1000000) max_states_per_insn 0"}, "R2 !read_ok"},
		{[]string{"823: (97) r0 %= 2                     ; R0=scalar()", "824: (15) if r0 == 0x0 goto pc+5 BPF program is too large. Processed 1000001 insn",
			"processed 1000001 insns (limit 1000000) max_states_per_insn 4"}, "BPF program is too large. Processed 1000001 insn"},
		{[]string{"12: (85) call bpf_map_update_elem#2", "The sequence of 8193 jumps is too complex."}, "The sequence of 8193 jumps is too complex."},
		{[]string{"3: (07) r2 += -8", "R1 type=scalar expected=map_ptr", "invalid map pointer"}, "R1 type=scalar expected=map_ptr; invalid map pointer"},
		{[]string{"5: (85) call bpf_probe_read_kernel#113     ; R0_w=scalar()", "invalid access to map value, value_size=8 off=8 size=8"}, "invalid access to map value, value_size=8 off=8 size=8"},
		// Register states are no reason.
		{[]string{"R0=10 R1=0x800000 R2=func() R10=fp0 fp-8=map_value(map=hawk_scratch,ks=4,vs=8)", "BPF program is too large. Processed 1000001 insn"}, "BPF program is too large. Processed 1000001 insn"},
		{[]string{"12: (85) call bpf_loop#181", "R0_w=10 R1=ctx()", "BPF program is too large. Processed 1000001 insn"}, "BPF program is too large. Processed 1000001 insn"},
		// An instruction line with its register state is not a reason.
		{[]string{"unknown func bpf_x#999", "4: (85) call pc+3        ; R10=fp0"}, "unknown func bpf_x#999"},
	} {
		if got := verifierReason(tc.log); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.log, got, tc.want)
		}
	}
}
