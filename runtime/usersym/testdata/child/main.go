// Command child is a process for the tests of package usersym to resolve
// addresses in. Built as a PIE, it prints the address of target, then for
// each line "PATH OFFSET LENGTH" on standard input maps that part of the
// file readable and executable and prints where. It exits at end of input.
package main

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"syscall"
	"unsafe"
)

func main() {
	fmt.Printf("%#x\n", reflect.ValueOf(target).Pointer())
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var path string
		var off, n int64
		if _, err := fmt.Sscan(in.Text(), &path, &off, &n); err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(mapFile(path, off, int(n)))
	}
}

func mapFile(path string, off int64, n int) string {
	fd, err := syscall.Open(path, syscall.O_RDONLY, 0)
	if err != nil {
		return "error: " + err.Error()
	}
	defer syscall.Close(fd)
	b, err := syscall.Mmap(fd, off, n, syscall.PROT_READ|syscall.PROT_EXEC, syscall.MAP_PRIVATE)
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprintf("%#x", uintptr(unsafe.Pointer(&b[0])))
}

// target is the function whose address is printed; big enough that an
// offset of a few bytes stays inside it.
//
//go:noinline
func target(n int) string {
	s := 0
	for i := range n {
		s += i * i
	}
	return fmt.Sprint(s)
}
