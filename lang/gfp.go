package lang

import (
	"strconv"
	"strings"
)

// The GFP (get free pages) flag bits of linux/gfp_types.h.
const (
	gfpDMA = 1 << iota
	gfpHighmem
	gfpDMA32
	gfpMovable
	gfpReclaimable
	gfpHigh
	gfpIO
	gfpFS
	gfpZero
	_ // unused
	gfpDirectReclaim
	gfpKswapdReclaim
	gfpWrite
	gfpNowarn
	gfpRetryMayfail
	gfpNofail
	gfpNoretry
	gfpMemalloc
	gfpComp
	gfpNomemalloc
	gfpHardwall
	gfpThisnode
	gfpAccount
	gfpZerotags
	gfpSkipZero
	gfpSkipKasan
	gfpNoObjExt
)

// The compound GFP masks, from linux/gfp_types.h.
const (
	gfpKernel          = gfpDirectReclaim | gfpKswapdReclaim | gfpIO | gfpFS
	gfpNoIO            = gfpDirectReclaim | gfpKswapdReclaim
	gfpNoFS            = gfpNoIO | gfpIO
	gfpUser            = gfpNoFS | gfpFS | gfpHardwall
	gfpHighuser        = gfpUser | gfpHighmem
	gfpHighuserMovable = gfpHighuser | gfpMovable | gfpSkipKasan
	gfpTranshugeLight  = (gfpHighuserMovable | gfpComp | gfpNomemalloc | gfpNowarn) &^ (gfpDirectReclaim | gfpKswapdReclaim)
)

// gfpNames are the masks %gr names, compound ones first, in the kernel's
// __def_gfpflag_names order: a mask that matches takes its bits, and the
// bits left print by themselves.
var gfpNames = []struct {
	mask uint64
	name string
}{
	{gfpTranshugeLight | gfpDirectReclaim, "GFP_TRANSHUGE"},
	{gfpTranshugeLight, "GFP_TRANSHUGE_LIGHT"},
	{gfpHighuserMovable, "GFP_HIGHUSER_MOVABLE"},
	{gfpHighuser, "GFP_HIGHUSER"},
	{gfpUser, "GFP_USER"},
	{gfpKernel | gfpAccount, "GFP_KERNEL_ACCOUNT"},
	{gfpKernel, "GFP_KERNEL"},
	{gfpNoFS, "GFP_NOFS"},
	{gfpHigh | gfpKswapdReclaim, "GFP_ATOMIC"},
	{gfpNoIO, "GFP_NOIO"},
	{gfpKswapdReclaim | gfpNowarn, "GFP_NOWAIT"},
	{gfpDMA, "GFP_DMA"},
	{gfpHighmem, "__GFP_HIGHMEM"},
	{gfpDMA32, "GFP_DMA32"},
	{gfpHigh, "__GFP_HIGH"},
	{gfpIO, "__GFP_IO"},
	{gfpFS, "__GFP_FS"},
	{gfpZero, "__GFP_ZERO"},
	{gfpDirectReclaim, "__GFP_DIRECT_RECLAIM"},
	{gfpKswapdReclaim, "__GFP_KSWAPD_RECLAIM"},
	{gfpWrite, "__GFP_WRITE"},
	{gfpNowarn, "__GFP_NOWARN"},
	{gfpRetryMayfail, "__GFP_RETRY_MAYFAIL"},
	{gfpNofail, "__GFP_NOFAIL"},
	{gfpNoretry, "__GFP_NORETRY"},
	{gfpMemalloc, "__GFP_MEMALLOC"},
	{gfpComp, "__GFP_COMP"},
	{gfpNomemalloc, "__GFP_NOMEMALLOC"},
	{gfpHardwall, "__GFP_HARDWALL"},
	{gfpThisnode, "__GFP_THISNODE"},
	{gfpAccount, "__GFP_ACCOUNT"},
	{gfpZerotags, "__GFP_ZEROTAGS"},
	{gfpSkipZero, "__GFP_SKIP_ZERO"},
	{gfpSkipKasan, "__GFP_SKIP_KASAN"},
	{gfpNoObjExt, "__GFP_NO_OBJ_EXT"},
}

// GFPFlags names the GFP flags in x as printf's %gr prints them, like the
// kernel's %pGg: GFP_KERNEL|__GFP_ZERO, unknown bits in hex, 0 for none.
func GFPFlags(x uint64) string {
	if x == 0 {
		return "0"
	}
	var names []string
	for _, n := range gfpNames {
		if x&n.mask == n.mask {
			names = append(names, n.name)
			x &^= n.mask
		}
	}
	if x != 0 {
		names = append(names, "0x"+strconv.FormatUint(x, 16))
	}
	return strings.Join(names, "|")
}
