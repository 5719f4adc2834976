//go:build unix

package cachedir

import "syscall"

const nonBlocking = syscall.O_NONBLOCK
