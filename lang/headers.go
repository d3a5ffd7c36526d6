package lang

// headerConstants are the #define constants of the C headers bpftrace
// tools include. hawk has no C preprocessor: it takes types from BTF, and
// these constants, which BTF lacks, from this table, for scripts that
// include the header.
var headerConstants = map[string]map[string]int64{
	"linux/sched.h": {
		"TASK_RUNNING": 0x0, "TASK_INTERRUPTIBLE": 0x1, "TASK_UNINTERRUPTIBLE": 0x2,
		"__TASK_STOPPED": 0x4, "__TASK_TRACED": 0x8, "EXIT_DEAD": 0x10, "EXIT_ZOMBIE": 0x20,
		"TASK_PARKED": 0x40, "TASK_DEAD": 0x80, "TASK_WAKEKILL": 0x100, "TASK_WAKING": 0x200,
		"TASK_NOLOAD": 0x400, "TASK_NEW": 0x800, "TASK_KILLABLE": 0x102, "TASK_STOPPED": 0x104,
		"TASK_TRACED": 0x8, "TASK_IDLE": 0x402,
		"CLONE_VM": 0x100, "CLONE_FS": 0x200, "CLONE_FILES": 0x400, "CLONE_SIGHAND": 0x800,
		"CLONE_THREAD": 0x10000, "CLONE_NEWNS": 0x20000,
	},
	"linux/socket.h": socketConstants,
	"sys/socket.h":   socketConstants,
	"net/sock.h":     socketConstants,
	"linux/in.h":     {"IPPROTO_IP": 0, "IPPROTO_ICMP": 1, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17, "IPPROTO_IPV6": 41},
	"linux/fs.h": {
		"O_RDONLY": 0, "O_WRONLY": 1, "O_RDWR": 2, "O_CREAT": 0100, "O_EXCL": 0200, "O_TRUNC": 01000,
		"O_APPEND": 02000, "O_NONBLOCK": 04000, "O_DIRECTORY": 0200000, "O_CLOEXEC": 02000000,
	},
	"linux/time.h": {"CLOCK_REALTIME": 0, "CLOCK_MONOTONIC": 1, "CLOCK_BOOTTIME": 7, "TIMER_ABSTIME": 1},
}

var socketConstants = map[string]int64{
	"AF_UNSPEC": 0, "AF_UNIX": 1, "AF_LOCAL": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "AF_PACKET": 17,
	"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3,
}
